//! The rule `ui_modules_have_no_import_cycles`: the modules of `src/ui` (one
//! per file) import each other without a cycle; what counts as an import and
//! how a path resolves to a module is in the docs of `mod.rs`.
//!
//! To satisfy it, break each cycle: move what both sides need into a third
//! module that imports neither, or pass it in.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::lexer::Source;
use super::{Report, rust_files};

pub(super) fn check() {
    let mut report = Report::new(
        "ui_modules_have_no_import_cycles",
        "break each cycle: move what both sides need into a module that imports \
         neither (for example the text helpers out of ui/mod.rs), or pass it in",
    );
    let sources = rust_files(&["src/ui"]);
    let modules: BTreeMap<Vec<String>, &Source> =
        sources.iter().map(|s| (module_path(&s.rel), s)).collect();
    // (from, to) -> the lines that import.
    let mut edges: BTreeMap<(Vec<String>, Vec<String>), BTreeSet<String>> = BTreeMap::new();
    for (module, source) in &modules {
        let shipped = source.shipped();
        for path in source.paths(&shipped) {
            if let Some(target) = resolve(module, &path.segments, |m| modules.contains_key(m))
                && &target != module
            {
                edges
                    .entry((module.clone(), target))
                    .or_default()
                    .insert(format!("{}:{}", source.rel, path.line));
            }
        }
    }
    assert!(
        modules.len() > 10 && edges.len() > 20,
        "the tidy test read too little: {} modules, {} imports",
        modules.len(),
        edges.len()
    );
    let nodes: Vec<Vec<String>> = modules.keys().cloned().collect();
    let next = |n: &Vec<String>| -> Vec<Vec<String>> {
        edges
            .keys()
            .filter(|(from, _)| from == n)
            .map(|(_, to)| to.clone())
            .collect()
    };
    for component in strongly_connected(&nodes, &next) {
        if component.len() < 2 {
            continue;
        }
        let set: BTreeSet<&Vec<String>> = component.iter().collect();
        let name = |m: &Vec<String>| m.join("::");
        // The shortest cycle through each import, each once.
        let mut cycles = BTreeSet::new();
        for (from, to) in edges.keys() {
            if set.contains(from) && set.contains(to) {
                let mut cycle = vec![from.clone()];
                cycle.extend(shortest_path(to, from, &next, &set));
                cycle.pop();
                let start = (0..cycle.len()).min_by_key(|&k| &cycle[k]).unwrap_or(0);
                cycle.rotate_left(start);
                cycle.push(cycle[0].clone());
                cycles.insert(cycle.iter().map(name).collect::<Vec<_>>().join(" -> "));
            }
        }
        let mut lines = vec![format!(
            "{} modules import each other in cycles; the shortest cycle through each import:",
            component.len()
        )];
        lines.extend(cycles.iter().map(|c| format!("    {c}")));
        lines.push("  the imports (cut enough of them to break every cycle):".to_owned());
        for ((from, to), places) in &edges {
            if set.contains(from) && set.contains(to) {
                lines.push(format!(
                    "    {} -> {} ({})",
                    name(from),
                    name(to),
                    places.iter().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
        }
        report.push(
            format!(
                "src/ui ({})",
                component.iter().map(name).collect::<Vec<_>>().join(", ")
            ),
            0,
            lines.join("\n"),
        );
    }
    report.finish();
}

/// `src/ui/plan/outline.rs` is `ui::plan::outline`; `…/mod.rs` is its folder.
fn module_path(rel: &str) -> Vec<String> {
    let rel = rel.strip_prefix("src/").unwrap_or(rel);
    let rel = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut segments: Vec<String> = rel.split('/').map(str::to_owned).collect();
    if segments.last().is_some_and(|s| s == "mod") {
        segments.pop();
    }
    segments
}

/// The deepest known module `path` reaches from `module`, if it is one of
/// the known modules.
fn resolve(
    module: &[String],
    path: &[String],
    known: impl Fn(&Vec<String>) -> bool,
) -> Option<Vec<String>> {
    let (mut current, rest): (Vec<String>, &[String]) = match path.first()?.as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" => (module.to_vec(), &path[1..]),
        "super" => {
            let mut current = module.to_vec();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                current.pop()?;
                rest = &rest[1..];
            }
            (current, rest)
        }
        first => {
            // A child module named without `self::` (2018 paths).
            let mut child = module.to_vec();
            child.push(first.to_owned());
            if !known(&child) {
                return None;
            }
            (module.to_vec(), path)
        }
    };
    for segment in rest {
        let mut next = current.clone();
        next.push(segment.clone());
        if !known(&next) {
            break;
        }
        current = next;
    }
    known(&current).then_some(current)
}

/// Tarjan's strongly connected components.
fn strongly_connected<N: Clone + Ord>(nodes: &[N], next: &impl Fn(&N) -> Vec<N>) -> Vec<Vec<N>> {
    struct State<N> {
        index: BTreeMap<N, usize>,
        low: BTreeMap<N, usize>,
        stack: Vec<N>,
        on_stack: BTreeSet<N>,
        out: Vec<Vec<N>>,
    }
    fn visit<N: Clone + Ord>(n: &N, next: &impl Fn(&N) -> Vec<N>, s: &mut State<N>) {
        let i = s.index.len();
        s.index.insert(n.clone(), i);
        s.low.insert(n.clone(), i);
        s.stack.push(n.clone());
        s.on_stack.insert(n.clone());
        for m in next(n) {
            if !s.index.contains_key(&m) {
                visit(&m, next, s);
                let low = s.low[n].min(s.low[&m]);
                s.low.insert(n.clone(), low);
            } else if s.on_stack.contains(&m) {
                let low = s.low[n].min(s.index[&m]);
                s.low.insert(n.clone(), low);
            }
        }
        if s.low[n] == s.index[n] {
            let mut component = Vec::new();
            while let Some(m) = s.stack.pop() {
                s.on_stack.remove(&m);
                let done = &m == n;
                component.push(m);
                if done {
                    break;
                }
            }
            component.sort();
            s.out.push(component);
        }
    }
    let mut state = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for n in nodes {
        if !state.index.contains_key(n) {
            visit(n, next, &mut state);
        }
    }
    state.out.sort();
    state.out
}

/// The shortest path from `start` to `goal` (both included), within `within`.
fn shortest_path<N: Clone + Ord>(
    start: &N,
    goal: &N,
    next: &impl Fn(&N) -> Vec<N>,
    within: &BTreeSet<&N>,
) -> Vec<N> {
    let mut from: BTreeMap<N, N> = BTreeMap::new();
    let mut queue = VecDeque::from([start.clone()]);
    while let Some(n) = queue.pop_front() {
        if &n == goal {
            let mut path = vec![n.clone()];
            let mut at = n;
            while &at != start {
                at = from[&at].clone();
                path.push(at.clone());
            }
            path.reverse();
            return path;
        }
        for m in next(&n) {
            if within.contains(&m) && !from.contains_key(&m) && &m != start {
                from.insert(m.clone(), n.clone());
                queue.push_back(m);
            }
        }
    }
    vec![start.clone(), goal.clone()]
}
