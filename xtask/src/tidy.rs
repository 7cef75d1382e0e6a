//! Tidy tests: the rules of ARCHITECTURE.md, kept by reading the source tree.
//!
//! Each rule is one plain `#[test]` (run by `cargo test --workspace`, so by
//! `cargo xtask test`). A test reads the files, collects every offender and
//! fails once with the whole list: `file:line: what is wrong`, then how to
//! fix it. Rust files are read with a small lexer (comments, strings, raw
//! strings, chars and lifetimes), so text in comments and docs never counts
//! and code in strings is not code. Code under `#[cfg(test)]` or `#[test]`
//! (a test module, function or `use`, and a `#[cfg(test)] mod x;` file) is
//! skipped by every Rust rule: the rules are about the code that ships.
//!
//! - `ui_touches_no_browser_api`: nothing in `src/ui/**` names `web_sys`,
//!   `js_sys`, `wasm_bindgen*` or `gloo*`. Fix: move the browser call into
//!   `src/platform` and reach it through `Workspace` or a platform function.
//!   [`UI_BROWSER_API_ALLOWED`] lists (file, reason) exceptions; it is empty.
//! - `core_reads_no_clock_and_draws_no_randomness`: the shipped code of
//!   `crates/regie-core/src/**` reads no clock (`Instant::now`, `SystemTime`,
//!   `std::time::…::now`, `Utc::now`, `Local::now`), draws no randomness
//!   (`rand::`, `thread_rng`, `getrandom`, `OsRng`, `new_v4`) and does no IO
//!   (`std::fs`, `std::net`, `tokio`, `js_sys`, `web_sys`); its `Cargo.toml`
//!   has none of tokio, getrandom, rand, web-sys, js-sys, wasm-bindgen or
//!   leptos among its (also target-specific) `[dependencies]`. Fix: take the
//!   time or the random bytes as a parameter, do IO in the relay or platform.
//! - `ui_texts_are_locale_keys`: (a) every string literal in the key argument
//!   of `tr(`, `t(`, `tr_with(` or `Notice::Key(` in `src/**` is a key of both
//!   `locales/nl.yml` and `locales/en.yml` (nested keys joined by dots; a
//!   literal with `{…}` is a pattern, `{…}` standing for any text, and some
//!   key must match it); (b) a literal in `src/ui/**` shaped like a key
//!   (`section.name`, the section one of the locale files') is a key;
//!   (c) both files have the same keys; (d) no literal in `src/ui/**` is
//!   prose shown to people (heuristic below). Fix: add the key to both files,
//!   or show the text through a key.
//! - `ui_modules_have_no_import_cycles`: the modules of `src/ui` (one per
//!   file: `src/ui/mod.rs` is `ui`, `src/ui/plan.rs` and `src/ui/plan/mod.rs`
//!   are `ui::plan`) import each other without a cycle. An import is a `use`
//!   (also `pub use`) or a path in code (`super::x::f()`, `crate::ui::x`)
//!   that reaches another `ui` module; a parent's `mod child;` is not one.
//!   `super`, `self` and `crate` resolve from the importing module, and a
//!   path goes to the deepest module it names (`super::{a, b}` from
//!   `ui::plan::outline` is `ui::plan::a` when that module exists, else
//!   `ui::plan`, where the item lives). The failure lists, per set of
//!   modules caught in cycles, the shortest cycle through each import and
//!   every import with its lines. Fix: move what both sides need into a
//!   third module that imports neither.
//! - `architecture_code_map_matches_the_files`: every path named in the
//!   "## Code map" section of ARCHITECTURE.md exists, and every Rust file of
//!   the tree is named (format below). Fix: name the new file in the map, or
//!   correct the name.
//! - `modules_have_docs`: every `.rs` file in `src/`, `crates/*/src/` and
//!   `xtask/src/` begins (after blank lines) with `//!` docs saying what the
//!   module is for.
//! - `files_stay_small`: no file in `src/platform` or `src/ui` is over
//!   [`MAX_LINES`] lines. Fix: split it by what its parts are about.
//!   [`LONG_FILES_ALLOWED`] lists exceptions; it is empty.
//!
//! # Prose literals in `src/ui`
//!
//! A string literal in the shipped code of `src/ui/**` is reported as prose
//! when it is not a locale key, not in [`PROSE_ALLOWED`], not inside an
//! attribute (`#[…]`), a log or panic macro (`log!`, `println!`, `panic!`,
//! `assert!`…) or `.expect(…)`, and one of:
//!
//! - a text node of `view!` (`<p>"Opslaan"</p>`, `{x} " of " {y}`) with a
//!   letter in it: single words count here, punctuation (`" · "`) does not;
//! - the value of a `view!` attribute people read (`title`, `placeholder`,
//!   `alt`, `label`, `legend`, `aria-label`, `aria-description`,
//!   `aria-roledescription`, `aria-valuetext`, `aria-placeholder`, and the
//!   key-taking props `summary`, `button`, `empty` of this app's
//!   components) with a letter in it;
//! - anywhere else (Rust code, `format!` strings, other attributes) a
//!   literal with two words side by side (a word is two or more letters; a
//!   `{…}` placeholder next to a word counts as a word, so `"plan {}"` is
//!   prose and `"{} {:02}"` is not), unless every word is a CSS class name
//!   (one of `style/*.css`, or hyphenated lowercase like `inline-form`) or a
//!   placeholder, which makes it a class list. Values of attributes that
//!   are never read by people (`class`, `id`, `for`, `href`, `src`, `style`,
//!   `type`, `role`, `name`, `value`, `data-*`, other `aria-*`, SVG geometry)
//!   are not looked at.
//!
//! Single words in Rust code (slugs, event names such as `"Escape"`, units)
//! are not flagged: there are many and they are rarely shown.
//!
//! # The code map's format
//!
//! The section is a nested bullet list (`- ` at two spaces per level;
//! lines that continue a bullet are part of it). A bullet names paths as
//! backticked spans that look like paths: only letters, digits, `.`, `_`,
//! `-` and `/`, not starting with `/` (a route) and containing a `/` or
//! ending in a file extension (`.rs`, `.toml`, `.yml`, `.css`, `.js`,
//! `.json`, `.html`, `.md`, …); `.automerge` (an extension alone) is no path.
//! A trailing `/` names a folder. Any such span in the bullet counts, in its
//! head or in its description. A path is looked up where it first exists,
//! in this order:
//!
//! 1. the folders named before it in the same bullet, nearest first
//!    (`` `public/` — …, `sw.js` `` is `public/sw.js`);
//! 2. the bullet's folder: the folder named first by its parent bullet
//!    (the repository root for a top-level bullet), so under
//!    `` `src/platform/` `` a bullet names `` `workspace.rs` ``;
//! 3. the folders above those, nearest first, up to the root.
//!
//! In each of these a crate's folder (one with a `Cargo.toml`) also stands
//! for its `src/`: under `` `crates/regie-core/` `` a bullet names
//! `` `plan/` `` (`crates/regie-core/src/plan/`), under which one names
//! `` `model.rs` ``, and `` `tests/plan.rs` `` is the crate's test file.
//!
//! Files that must be named: every `.rs` file in `src/`, `tests/`,
//! `xtask/src/`, and in `crates/*/` under `src/`, `tests/`, `examples/` and
//! `benches/`. A folder covers only its `mod.rs`, `lib.rs` and `main.rs`
//! (a crate's folder also its `src/lib.rs` and `src/main.rs`); every other
//! file is named on its own, so a new file cannot hide in a named folder.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// Files of `src/ui` that may touch browser APIs: (file, reason). Empty: the
/// UI reaches the browser only through `src/platform`.
const UI_BROWSER_API_ALLOWED: &[(&str, &str)] = &[];

/// Literals of `src/ui` that look like prose and are right as they are:
/// (file, literal, reason).
const PROSE_ALLOWED: &[(&str, &str, &str)] = &[(
    "src/ui/app.rs",
    "Regie",
    "the product's name, the same in every language",
)];

/// The most lines a file of `src/platform` or `src/ui` may have.
const MAX_LINES: usize = 400;

/// Files of `src/platform` or `src/ui` that may be longer: (file, reason).
const LONG_FILES_ALLOWED: &[(&str, &str)] = &[];

// ---------------------------------------------------------------------------
// The rules.

#[test]
fn ui_touches_no_browser_api() {
    let mut report = Report::new(
        "ui_touches_no_browser_api",
        "components must not touch the browser: move the call into src/platform and \
         reach it through `Workspace` or a platform function (or, with a reason, add \
         the file to UI_BROWSER_API_ALLOWED in xtask/src/tidy.rs)",
    );
    for source in rust_files(&["src/ui"]) {
        if UI_BROWSER_API_ALLOWED
            .iter()
            .any(|(file, _)| *file == source.rel)
        {
            continue;
        }
        let shipped = source.shipped();
        for (i, token) in source.tokens.iter().enumerate() {
            if !shipped[i] || token.kind != Kind::Ident {
                continue;
            }
            let name = token.text.as_str();
            let browser = matches!(name, "web_sys" | "js_sys")
                || name.starts_with("wasm_bindgen")
                || name.starts_with("gloo");
            if browser {
                report.push(
                    format!("{}:{}", source.rel, token.line),
                    format!("`{name}` in `{}`", source.line_text(token.line)),
                );
            }
        }
    }
    report.finish();
}

#[test]
fn core_reads_no_clock_and_draws_no_randomness() {
    let mut report = Report::new(
        "core_reads_no_clock_and_draws_no_randomness",
        "regie-core is sans-IO: take the time or the random bytes as a parameter \
         (as `Stamp`, `DocumentId::from_random_bytes`, `backoff::delay_ms` do) and do \
         IO in the relay or in src/platform",
    );
    let sources = rust_files(&["crates/regie-core/src"]);
    let test_files = test_module_files(&sources);
    for source in &sources {
        if test_files.contains(&source.rel) {
            continue;
        }
        let shipped = source.shipped();
        let mut found: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
        for (i, token) in source.tokens.iter().enumerate() {
            if shipped[i]
                && token.kind == Kind::Ident
                && matches!(
                    token.text.as_str(),
                    "SystemTime"
                        | "UNIX_EPOCH"
                        | "thread_rng"
                        | "getrandom"
                        | "OsRng"
                        | "new_v4"
                        | "js_sys"
                        | "web_sys"
                        | "tokio"
                )
            {
                found
                    .entry(token.line)
                    .or_default()
                    .insert(format!("`{}`", token.text));
            }
        }
        for path in source.paths(&shipped) {
            let s = &path.segments;
            let has = |a: &str, b: &str| s.windows(2).any(|w| w[0] == a && w[1] == b);
            let starts = |a: &str, b: &str| s.len() >= 2 && s[0] == a && s[1] == b;
            let bad = has("Instant", "now")
                || has("Utc", "now")
                || has("Local", "now")
                || (starts("std", "time") && s.last().is_some_and(|l| l == "now"))
                || s.iter().rev().skip(1).any(|x| x == "rand")
                || starts("std", "fs")
                || starts("std", "net");
            if bad {
                found
                    .entry(path.line)
                    .or_default()
                    .insert(format!("`{}`", s.join("::")));
            }
        }
        for (line, what) in found {
            let what: Vec<String> = what.into_iter().collect();
            report.push(
                format!("{}:{line}", source.rel),
                format!("{} in `{}`", what.join(", "), source.line_text(line)),
            );
        }
    }
    let manifest = "crates/regie-core/Cargo.toml";
    let text = read(manifest);
    for (line, name) in dependencies(&text) {
        if matches!(
            name.as_str(),
            "tokio" | "getrandom" | "rand" | "web-sys" | "js-sys" | "wasm-bindgen" | "leptos"
        ) {
            report.push(
                format!("{manifest}:{line}"),
                format!("depends on `{name}` (only [dev-dependencies] may)"),
            );
        }
    }
    report.finish();
}

#[test]
fn ui_texts_are_locale_keys() {
    let mut report = Report::new(
        "ui_texts_are_locale_keys",
        "show every text through a key that both locales/nl.yml and locales/en.yml \
         have (tr, t, tr_with); add missing keys to both files; a literal that is \
         rightly no key goes into PROSE_ALLOWED in xtask/src/tidy.rs with a reason",
    );
    let nl = locale_keys("locales/nl.yml");
    let en = locale_keys("locales/en.yml");
    for (file, keys, other_file, other) in [
        ("locales/nl.yml", &nl, "locales/en.yml", &en),
        ("locales/en.yml", &en, "locales/nl.yml", &nl),
    ] {
        for key in keys.difference(other) {
            report.push(
                other_file.to_owned(),
                format!("no key `{key}`, which {file} has"),
            );
        }
    }
    let sections: BTreeSet<&str> = nl
        .iter()
        .chain(&en)
        .filter_map(|k| k.split('.').next())
        .collect();
    let missing = |literal: &str| -> Vec<&str> {
        [("nl.yml", &nl), ("en.yml", &en)]
            .into_iter()
            .filter(|(_, keys)| !has_key(keys, literal))
            .map(|(file, _)| file)
            .collect()
    };
    let classes = css_classes();
    let mut checked = 0;
    for source in rust_files(&["src"]) {
        let shipped = source.shipped();
        for (line, call, literal) in key_arguments(&source, &shipped) {
            checked += 1;
            let lacking = missing(&literal);
            if !lacking.is_empty() {
                report.push(
                    format!("{}:{line}", source.rel),
                    format!(
                        "`{call}(\"{literal}\")`: no such key in {}",
                        lacking.join(" and ")
                    ),
                );
            }
        }
        if !source.rel.starts_with("src/ui/") {
            continue;
        }
        for (i, token) in source.tokens.iter().enumerate() {
            if !shipped[i] || token.kind != Kind::Str || !looks_like_key(&token.text) {
                continue;
            }
            let section = token.text.split('.').next().unwrap_or_default();
            let lacking = missing(&token.text);
            if sections.contains(section) && !lacking.is_empty() {
                report.push(
                    format!("{}:{}", source.rel, token.line),
                    format!(
                        "\"{}\" looks like a key but {} lack it",
                        token.text,
                        lacking.join(" and ")
                    ),
                );
            }
        }
        let is_key = |s: &str| nl.contains(s) || en.contains(s);
        for (line, literal, why) in prose_literals(&source, &shipped, &classes) {
            let allowed = PROSE_ALLOWED
                .iter()
                .any(|(file, text, _)| *file == source.rel && *text == literal);
            if !allowed && !is_key(&literal) {
                report.push(
                    format!("{}:{line}", source.rel),
                    format!("{why} {literal:?} is not a locale key"),
                );
            }
        }
    }
    // A reader that lost track would find nothing and pass.
    assert!(
        checked > 200 && classes.len() > 50 && nl.len() > 300,
        "the tidy test read too little: {checked} key arguments, {} CSS classes, {} keys",
        classes.len(),
        nl.len()
    );
    report.finish();
}

#[test]
fn ui_modules_have_no_import_cycles() {
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
            lines.join("\n"),
        );
    }
    report.finish();
}

#[test]
fn architecture_code_map_matches_the_files() {
    let mut report = Report::new(
        "architecture_code_map_matches_the_files",
        "name each file in the \"## Code map\" of ARCHITECTURE.md (format: the docs \
         at the top of xtask/src/tidy.rs) and correct names that lead nowhere",
    );
    let root = root();
    let text = read("ARCHITECTURE.md");
    let map = code_map(&text);
    assert!(
        !map.is_empty(),
        "ARCHITECTURE.md has no \"## Code map\" bullets"
    );
    let mut named = BTreeSet::new();
    for (line, path, resolved) in resolve_code_map(&root, &map) {
        match resolved {
            Some(found) => {
                named.insert(found);
            }
            None => report.push(
                format!("ARCHITECTURE.md:{line}"),
                format!("`{path}` names nothing in the tree"),
            ),
        }
    }
    assert!(
        named.len() > 100,
        "the code map names only {} paths: is its format still the one described \
         at the top of xtask/src/tidy.rs?",
        named.len()
    );
    let covered = |file: &str| -> bool {
        if named.contains(file) {
            return true;
        }
        let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
        if !matches!(name, "mod.rs" | "lib.rs" | "main.rs") {
            return false;
        }
        named.contains(dir)
            || (matches!(name, "lib.rs" | "main.rs")
                && dir
                    .strip_suffix("/src")
                    .is_some_and(|krate| named.contains(krate)))
    };
    for file in code_map_files() {
        if !covered(&file) {
            report.push(file, "is not named in the code map".to_owned());
        }
    }
    report.finish();
}

#[test]
fn modules_have_docs() {
    let mut report = Report::new(
        "modules_have_docs",
        "begin the file with `//!` docs: what the module is for and what it holds",
    );
    let mut dirs = vec!["src".to_owned(), "xtask/src".to_owned()];
    dirs.extend(crate_dirs().into_iter().map(|c| format!("{c}/src")));
    let dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
    for rel in files(&dirs, "rs") {
        let text = read(&rel);
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        if !first.starts_with("//!") {
            report.push(
                format!("{rel}:1"),
                "has no `//!` docs at the top".to_owned(),
            );
        }
    }
    report.finish();
}

#[test]
fn files_stay_small() {
    let mut report = Report::new(
        "files_stay_small",
        "split the file into modules by what its parts are about (or, with a reason, \
         add it to LONG_FILES_ALLOWED in xtask/src/tidy.rs)",
    );
    for rel in files(&["src/platform", "src/ui"], "rs") {
        let lines = read(&rel).lines().count();
        let allowed = LONG_FILES_ALLOWED.iter().any(|(file, _)| *file == rel);
        if lines > MAX_LINES && !allowed {
            report.push(rel, format!("has {lines} lines, more than {MAX_LINES}"));
        }
    }
    report.finish();
}

// ---------------------------------------------------------------------------
// Reporting.

/// The offenders of one rule, reported together.
struct Report {
    rule: &'static str,
    fix: &'static str,
    /// (file, line, what), so that lines sort as numbers.
    offenders: BTreeSet<(String, usize, String)>,
}

impl Report {
    fn new(rule: &'static str, fix: &'static str) -> Self {
        Report {
            rule,
            fix,
            offenders: BTreeSet::new(),
        }
    }

    /// An offender at `place`: a file, or `file:line`.
    fn push(&mut self, place: String, what: String) {
        let (file, line) = match place.rsplit_once(':') {
            Some((file, line)) if line.parse::<usize>().is_ok() => {
                (file.to_owned(), line.parse().unwrap_or(0))
            }
            _ => (place, 0),
        };
        self.offenders.insert((file, line, what));
    }

    /// Fails with every offender, if there is one.
    fn finish(self) {
        if self.offenders.is_empty() {
            return;
        }
        let mut message = format!("\n{}: {} offender(s)\n", self.rule, self.offenders.len());
        for (file, line, what) in &self.offenders {
            let place = if *line == 0 {
                file.clone()
            } else {
                format!("{file}:{line}")
            };
            message.push_str(&format!("  {place}: {what}\n"));
        }
        message.push_str(&format!("fix: {}\n", self.fix));
        panic!("{message}");
    }
}

// ---------------------------------------------------------------------------
// The tree.

/// The repository root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository root")
        .to_path_buf()
}

/// A file's text, by its path from the root.
fn read(rel: &str) -> String {
    let path = root().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Files under `dirs` (from the root) whose names end in `ext` ("" for any),
/// as sorted paths from the root with `/` separators. Missing dirs are empty.
fn files(dirs: &[&str], ext: &str) -> Vec<String> {
    let root = root();
    let mut out = BTreeSet::new();
    for dir in dirs {
        let start = root.join(dir);
        if !start.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&start) {
            let entry = entry.unwrap_or_else(|e| panic!("walking {dir}: {e}"));
            let path = entry.path();
            let hidden = path
                .strip_prefix(&root)
                .into_iter()
                .flat_map(Path::components)
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            let wanted = ext.is_empty() || path.extension().is_some_and(|e| e == ext);
            if entry.file_type().is_file() && wanted && !hidden {
                out.insert(rel_of(&root, path));
            }
        }
    }
    out.into_iter().collect()
}

/// `path` relative to `root`, with `/` separators.
fn rel_of(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The workspace's crates under `crates/` (each folder with a `Cargo.toml`).
fn crate_dirs() -> Vec<String> {
    let root = root();
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root.join("crates")).expect("crates/ is readable") {
        let path = entry.expect("crates/ entry").path();
        if path.join("Cargo.toml").is_file() {
            out.push(rel_of(&root, &path));
        }
    }
    out.sort();
    out
}

/// The Rust files under `dirs`, read and lexed.
fn rust_files(dirs: &[&str]) -> Vec<Source> {
    files(dirs, "rs")
        .into_iter()
        .map(|rel| {
            let text = read(&rel);
            Source::new(rel, text)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// A small Rust lexer.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ident,
    /// A string literal of any kind; `text` is its value (escapes decoded).
    Str,
    Char,
    Lifetime,
    Number,
    Punct,
    Open,
    Close,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    text: String,
    line: usize,
}

impl Token {
    fn is(&self, kind: Kind, text: &str) -> bool {
        self.kind == kind && self.text == text
    }
}

/// A lexed Rust file.
struct Source {
    /// The path from the root, `/`-separated.
    rel: String,
    text: String,
    tokens: Vec<Token>,
    /// For an `Open` token the index of its `Close`; else the token itself.
    close: Vec<usize>,
}

impl Source {
    fn new(rel: String, text: String) -> Self {
        let tokens = lex(&text);
        let mut close: Vec<usize> = (0..tokens.len()).collect();
        let mut open = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            match t.kind {
                Kind::Open => open.push(i),
                Kind::Close => {
                    if let Some(o) = open.pop() {
                        close[o] = i;
                    }
                }
                _ => {}
            }
        }
        // An unclosed group (not valid Rust) runs to the end.
        for o in open {
            close[o] = tokens.len().saturating_sub(1);
        }
        Source {
            rel,
            text,
            tokens,
            close,
        }
    }

    /// Line `n` (from 1), trimmed.
    fn line_text(&self, n: usize) -> &str {
        self.text.lines().nth(n - 1).unwrap_or("").trim()
    }

    fn tok(&self, i: usize) -> Option<&Token> {
        self.tokens.get(i)
    }

    fn is(&self, i: usize, kind: Kind, text: &str) -> bool {
        self.tok(i).is_some_and(|t| t.is(kind, text))
    }

    /// `::` at `i`.
    fn path_sep(&self, i: usize) -> bool {
        self.is(i, Kind::Punct, ":") && self.is(i + 1, Kind::Punct, ":")
    }

    /// Which tokens are shipped code: false inside items under `#[cfg(test)]`
    /// or `#[test]` (the attribute included), everywhere after `#![cfg(test)]`.
    fn shipped(&self) -> Vec<bool> {
        let mut shipped = vec![true; self.tokens.len()];
        let mut i = 0;
        while i < self.tokens.len() {
            let Some((content, after, inner)) = self.attribute(i) else {
                i += 1;
                continue;
            };
            if !self.is_test_attribute(content) {
                i = after;
                continue;
            }
            let end = if inner {
                self.tokens.len()
            } else {
                self.item_end(after)
            };
            for s in &mut shipped[i..end] {
                *s = false;
            }
            i = end;
        }
        shipped
    }

    /// An attribute at `i`: (range of its content, index after it, inner).
    fn attribute(&self, i: usize) -> Option<(std::ops::Range<usize>, usize, bool)> {
        if !self.is(i, Kind::Punct, "#") {
            return None;
        }
        let (open, inner) = if self.is(i + 1, Kind::Punct, "!") {
            (i + 2, true)
        } else {
            (i + 1, false)
        };
        if !self.is(open, Kind::Open, "[") {
            return None;
        }
        let close = self.close[open];
        Some((open + 1..close, close + 1, inner))
    }

    /// `test`, `cfg(test)`, `cfg(all(test, …))`: anything naming `test` in a
    /// `cfg` without `not`.
    fn is_test_attribute(&self, content: std::ops::Range<usize>) -> bool {
        let tokens = &self.tokens[content];
        let ident = |t: &Token, s: &str| t.is(Kind::Ident, s);
        match tokens {
            [only] => ident(only, "test"),
            [first, ..] if ident(first, "cfg") => {
                tokens.iter().any(|t| ident(t, "test")) && !tokens.iter().any(|t| ident(t, "not"))
            }
            _ => false,
        }
    }

    /// The index after the item that starts at `i` (its attributes first).
    fn item_end(&self, mut i: usize) -> usize {
        while let Some((_, after, _)) = self.attribute(i) {
            i = after;
        }
        while i < self.tokens.len() {
            let t = &self.tokens[i];
            if t.is(Kind::Punct, ";") {
                return i + 1;
            }
            if t.kind == Kind::Open {
                let close = self.close[i];
                if t.text == "{" {
                    let semi = self.is(close + 1, Kind::Punct, ";");
                    return close + 1 + usize::from(semi);
                }
                i = close + 1;
                continue;
            }
            i += 1;
        }
        i
    }

    /// Every path in shipped code: `use` trees expanded (`a::{b, c::d}` is
    /// `a::b` and `a::c::d`; `a::{self}` is `a`), and paths in code
    /// (`super::x::f`), without generic arguments.
    fn paths(&self, shipped: &[bool]) -> Vec<PathRef> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            let t = &self.tokens[i];
            if !shipped[i] || t.kind != Kind::Ident {
                i += 1;
                continue;
            }
            if t.text == "use" {
                let mut end = i + 1;
                while end < self.tokens.len() && !self.is(end, Kind::Punct, ";") {
                    end = self.close[end] + 1;
                }
                self.use_tree(i + 1, end, &[], t.line, &mut out);
                i = end + 1;
                continue;
            }
            let starts_path = i == 0 || !(i >= 2 && self.path_sep(i - 2));
            if starts_path && self.path_sep(i + 1) {
                let mut segments = vec![t.text.clone()];
                let mut j = i + 1;
                while self.path_sep(j) && self.tok(j + 2).is_some_and(|t| t.kind == Kind::Ident) {
                    segments.push(self.tokens[j + 2].text.clone());
                    j += 3;
                }
                out.push(PathRef {
                    segments,
                    line: t.line,
                });
                i = j;
                continue;
            }
            i += 1;
        }
        out
    }

    /// Expands the use tree in `i..end` under `prefix`; returns where it ends.
    fn use_tree(
        &self,
        mut i: usize,
        end: usize,
        prefix: &[String],
        line: usize,
        out: &mut Vec<PathRef>,
    ) -> usize {
        let mut segments = prefix.to_vec();
        if self.path_sep(i) {
            i += 2;
        }
        while i < end {
            let t = &self.tokens[i];
            match t.kind {
                Kind::Ident => {
                    segments.push(t.text.clone());
                    i += 1;
                }
                Kind::Punct if t.text == "*" => {
                    i += 1;
                    break;
                }
                Kind::Open if t.text == "{" => {
                    let close = self.close[i];
                    let mut j = i + 1;
                    while j < close {
                        let next = self.use_tree(j, close, &segments, line, out);
                        j = next.max(j + 1);
                        if self.is(j, Kind::Punct, ",") {
                            j += 1;
                        }
                    }
                    return close + 1;
                }
                _ => break,
            }
            if self.path_sep(i) {
                i += 2;
            } else {
                break;
            }
        }
        if self.is(i, Kind::Ident, "as") {
            i += 2;
        }
        if segments.last().is_some_and(|s| s == "self") {
            segments.pop();
        }
        if !segments.is_empty() {
            out.push(PathRef { segments, line });
        }
        i
    }
}

/// A path as written, with the line it starts on.
struct PathRef {
    segments: Vec<String>,
    line: usize,
}

/// Tokens of Rust source; comments dropped.
fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        let start_line = line;
        let mut push = |kind, text: String| {
            tokens.push(Token {
                kind,
                text,
                line: start_line,
            })
        };
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if let Some((prefix, raw)) = string_start(&chars, i) {
            let (value, next, newlines) = if raw {
                raw_string(&chars, i + prefix)
            } else {
                string(&chars, i + prefix + 1, '"')
            };
            line += newlines;
            push(Kind::Str, value);
            i = next;
        } else if c == '\'' || (c == 'b' && at(i + 1) == '\'') {
            let q = if c == 'b' { i + 1 } else { i };
            let is_char = at(q + 1) == '\\' || (at(q + 2) == '\'' && at(q + 1) != '\'');
            if is_char {
                let (value, next, newlines) = string(&chars, q + 1, '\'');
                line += newlines;
                push(Kind::Char, value);
                i = next;
            } else {
                let mut j = q + 1;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                push(Kind::Lifetime, chars[q..j].iter().collect());
                i = j.max(q + 1);
            }
        } else if c.is_alphabetic() || c == '_' {
            let mut j = i;
            if c == 'r' && at(i + 1) == '#' {
                j += 2;
            }
            let name_start = j;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            push(Kind::Ident, chars[name_start..j].iter().collect());
            i = j;
        } else if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_alphanumeric()
                    || chars[j] == '_'
                    || (chars[j] == '.' && at(j + 1).is_ascii_digit()))
            {
                j += 1;
            }
            push(Kind::Number, chars[i..j].iter().collect());
            i = j;
        } else if "([{".contains(c) {
            push(Kind::Open, c.to_string());
            i += 1;
        } else if ")]}".contains(c) {
            push(Kind::Close, c.to_string());
            i += 1;
        } else {
            push(Kind::Punct, c.to_string());
            i += 1;
        }
    }
    tokens
}

/// A string literal starting at `i`: (length of its prefix before the quote
/// or the `#`s, raw).
fn string_start(chars: &[char], i: usize) -> Option<(usize, bool)> {
    let at = |k: usize| chars.get(i + k).copied().unwrap_or('\0');
    // A prefix is part of an identifier only at its start.
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let raw_after = |k: usize| {
        let mut j = k;
        while at(j) == '#' {
            j += 1;
        }
        at(j) == '"'
    };
    match at(0) {
        '"' => Some((0, false)),
        'b' | 'c' if at(1) == '"' => Some((1, false)),
        'b' | 'c' if at(1) == 'r' && raw_after(2) => Some((2, true)),
        'r' if raw_after(1) => Some((1, true)),
        _ => None,
    }
}

/// A quoted literal whose body starts at `i`: (value, index after the
/// closing quote, newlines inside).
fn string(chars: &[char], mut i: usize, quote: char) -> (String, usize, usize) {
    let mut value = String::new();
    let mut newlines = 0;
    while i < chars.len() && chars[i] != quote {
        let c = chars[i];
        if c == '\n' {
            newlines += 1;
        }
        if c != '\\' {
            value.push(c);
            i += 1;
            continue;
        }
        let e = chars.get(i + 1).copied().unwrap_or('\0');
        i += 2;
        match e {
            'n' => value.push('\n'),
            't' => value.push('\t'),
            'r' => value.push('\r'),
            '0' => value.push('\0'),
            '\n' => {
                newlines += 1;
                while i < chars.len() && chars[i].is_whitespace() {
                    if chars[i] == '\n' {
                        newlines += 1;
                    }
                    i += 1;
                }
            }
            'x' => {
                let hex: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                value.extend(u8::from_str_radix(&hex, 16).ok().map(char::from));
                i += 2;
            }
            'u' => {
                let end = (i..chars.len()).find(|&k| chars[k] == '}').unwrap_or(i);
                let hex: String = chars[(i + 1).min(end)..end].iter().collect();
                value.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                i = end + 1;
            }
            other => value.push(other),
        }
    }
    (value, i + 1, newlines)
}

/// A raw literal whose `#`s (or quote) start at `i`.
fn raw_string(chars: &[char], mut i: usize) -> (String, usize, usize) {
    let mut hashes = 0;
    while chars.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    i += 1;
    let start = i;
    while i < chars.len() {
        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            break;
        }
        i += 1;
    }
    let value: String = chars[start..i.min(chars.len())].iter().collect();
    let newlines = value.matches('\n').count();
    (value, i + 1 + hashes, newlines)
}

// ---------------------------------------------------------------------------
// Test modules and manifests.

/// Files that are `#[cfg(test)] mod x;` modules of other files (and the
/// files below them).
fn test_module_files(sources: &[Source]) -> BTreeSet<String> {
    let mut dirs = Vec::new();
    for source in sources {
        let shipped = source.shipped();
        for (i, shipped) in shipped.iter().enumerate() {
            let declares = !shipped
                && source.is(i, Kind::Ident, "mod")
                && source.tok(i + 1).is_some_and(|t| t.kind == Kind::Ident)
                && source.is(i + 2, Kind::Punct, ";");
            if declares {
                let (dir, name) = source.rel.rsplit_once('/').unwrap_or(("", &source.rel));
                let stem = name.trim_end_matches(".rs");
                let base = if matches!(name, "mod.rs" | "lib.rs" | "main.rs") {
                    dir.to_owned()
                } else {
                    format!("{dir}/{stem}")
                };
                dirs.push(format!("{base}/{}", source.tokens[i + 1].text));
            }
        }
    }
    sources
        .iter()
        .map(|s| s.rel.clone())
        .filter(|rel| {
            dirs.iter()
                .any(|d| *rel == format!("{d}.rs") || rel.starts_with(&format!("{d}/")))
        })
        .collect()
}

/// The crates a manifest depends on outside `[dev-dependencies]`: (line,
/// name), the name a `package = "…"` gives when there is one.
fn dependencies(manifest: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // Inside a dependency table; Some(name) inside `[dependencies.name]`.
    let mut table: Option<Option<String>> = None;
    for (n, raw) in manifest.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or("").trim();
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_start_matches('[').trim_end_matches(']').trim();
            let parts: Vec<&str> = header.split('.').map(str::trim).collect();
            table = parts
                .iter()
                .position(|p| matches!(*p, "dependencies" | "build-dependencies"))
                .map(|at| {
                    parts
                        .get(at + 1)
                        .map(|name| name.trim_matches('"').to_owned())
                });
            if let Some(Some(name)) = &table {
                out.push((n + 1, name.clone()));
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        match &table {
            Some(None) => {
                let name = key.split('.').next().unwrap_or(key).trim_matches('"');
                out.push((n + 1, name.to_owned()));
                if let Some(package) = package_rename(value) {
                    out.push((n + 1, package));
                }
            }
            Some(Some(_)) if key == "package" => {
                out.push((n + 1, value.trim().trim_matches('"').to_owned()));
            }
            _ => {}
        }
    }
    out
}

/// `package = "x"` inside an inline table.
fn package_rename(value: &str) -> Option<String> {
    let rest = value.split("package").nth(1)?;
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest.split('"').next()?.to_owned())
}

// ---------------------------------------------------------------------------
// Locale keys and prose.

/// Every key of a locale file, nested keys joined by dots. Parsed with the
/// YAML reader rust-i18n itself uses.
fn locale_keys(rel: &str) -> BTreeSet<String> {
    let value: serde_json::Value = serde_saphyr::from_str(&read(rel))
        .unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"));
    let mut keys = BTreeSet::new();
    flatten("", &value, &mut keys);
    keys
}

fn flatten(prefix: &str, value: &serde_json::Value, keys: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, keys);
            }
        }
        _ => {
            keys.insert(prefix.to_owned());
        }
    }
}

/// Whether `keys` has `literal`, or (when it holds `{…}`) a key it matches.
fn has_key(keys: &BTreeSet<String>, literal: &str) -> bool {
    if !literal.contains('{') {
        return keys.contains(literal);
    }
    let mut parts = Vec::new();
    let mut rest = literal;
    while let Some(open) = rest.find('{') {
        parts.push(&rest[..open]);
        rest = rest[open..].split_once('}').map_or("", |(_, after)| after);
    }
    parts.push(rest);
    keys.iter().any(|key| matches_parts(key, &parts))
}

/// `key` is `parts` joined by non-empty texts.
fn matches_parts(key: &str, parts: &[&str]) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return key.is_empty();
    };
    let Some(mut tail) = key.strip_prefix(first) else {
        return false;
    };
    if rest.is_empty() {
        return tail.is_empty();
    }
    // Each placeholder takes at least one character.
    while !tail.is_empty() {
        tail = &tail[tail.chars().next().map_or(1, char::len_utf8)..];
        if matches_parts(tail, rest) {
            return true;
        }
    }
    false
}

/// `section.name` (lowercase, digits, `_`, `-`; at least one dot).
fn looks_like_key(s: &str) -> bool {
    let mut segments = s.split('.');
    let first = segments.next().unwrap_or_default();
    let segment = |x: &str| {
        !x.is_empty()
            && x.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    };
    s.contains('.') && segment(first) && segments.all(segment)
}

/// The literal key arguments of `tr(`, `t(`, `tr_with(` and `Notice::Key(`
/// in shipped code: (line, call, literal). Every literal in the first
/// argument counts (`tr(if a { "x.a" } else { "x.b" })`).
fn key_arguments(source: &Source, shipped: &[bool]) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    for (i, t) in source.tokens.iter().enumerate() {
        if !shipped[i] || t.kind != Kind::Ident || !source.is(i + 1, Kind::Open, "(") {
            continue;
        }
        let before = i.checked_sub(1).and_then(|b| source.tok(b));
        let defined_or_method =
            before.is_some_and(|b| b.is(Kind::Ident, "fn") || b.is(Kind::Punct, "."));
        let notice_key = t.text == "Key"
            && i >= 3
            && source.path_sep(i - 2)
            && source.is(i - 3, Kind::Ident, "Notice");
        if defined_or_method || !(matches!(t.text.as_str(), "tr" | "t" | "tr_with") || notice_key) {
            continue;
        }
        // The first argument: up to a `,` outside any group.
        let close = source.close[i + 1];
        let mut arg_end = i + 2;
        while arg_end < close && !source.is(arg_end, Kind::Punct, ",") {
            arg_end = source.close[arg_end] + 1;
        }
        for token in &source.tokens[i + 2..arg_end.min(close)] {
            if token.kind == Kind::Str {
                out.push((token.line, t.text.clone(), token.text.clone()));
            }
        }
    }
    out
}

/// Class names in `style/*.css` (`.name` in selectors).
fn css_classes() -> BTreeSet<String> {
    let mut classes = BTreeSet::new();
    for rel in files(&["style"], "css") {
        let text = read(&rel);
        let mut rest = text.as_str();
        // Drop comments.
        let mut clean = String::new();
        while let Some(start) = rest.find("/*") {
            clean.push_str(&rest[..start]);
            rest = rest[start..]
                .split_once("*/")
                .map_or("", |(_, after)| after);
        }
        clean.push_str(rest);
        let chars: Vec<char> = clean.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            // `.a.b` chains classes; `1.5em` is a number.
            let in_number = i > 0 && chars[i - 1].is_ascii_digit();
            if *c != '.' || in_number || !chars.get(i + 1).is_some_and(|n| n.is_alphabetic()) {
                continue;
            }
            let name: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_alphanumeric() || **c == '-' || **c == '_')
                .collect();
            classes.insert(name);
        }
    }
    classes
}

/// Attributes whose values people read.
const PROSE_ATTRIBUTES: &[&str] = &[
    "title",
    "placeholder",
    "alt",
    "label",
    "legend",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "aria-placeholder",
    // Props of this app's components that take a locale key.
    "summary",
    "button",
    "empty",
];

/// Attributes whose values people never read.
const MACHINE_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "for",
    "href",
    "src",
    "style",
    "type",
    "role",
    "name",
    "value",
    "lang",
    "rel",
    "target",
    "accept",
    "autocomplete",
    "inputmode",
    "pattern",
    "viewBox",
    "transform",
    "d",
    "points",
    "fill",
    "stroke",
    "text-anchor",
    "font-size",
];

/// Macros whose strings are for developers, not people.
const DEVELOPER_MACROS: &[&str] = &[
    "print",
    "println",
    "eprint",
    "eprintln",
    "dbg",
    "log",
    "trace",
    "debug",
    "info",
    "warn",
    "error",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
];

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Rust,
    View,
}

/// Literals of shipped code that look like prose: (line, literal, why).
fn prose_literals(
    source: &Source,
    shipped: &[bool],
    classes: &BTreeSet<String>,
) -> Vec<(usize, String, &'static str)> {
    let mut out = Vec::new();
    walk_prose(
        source,
        shipped,
        classes,
        0,
        source.tokens.len(),
        Context::Rust,
        &mut out,
    );
    out
}

fn walk_prose(
    source: &Source,
    shipped: &[bool],
    classes: &BTreeSet<String>,
    start: usize,
    end: usize,
    context: Context,
    out: &mut Vec<(usize, String, &'static str)>,
) {
    let mut prev: Option<usize> = None;
    let mut i = start;
    while i < end {
        let t = &source.tokens[i];
        if !shipped[i] {
            i += 1;
            continue;
        }
        if let Some((_, after, _)) = source.attribute(i) {
            prev = Some(after - 1);
            i = after;
            continue;
        }
        let macro_call = t.kind == Kind::Ident
            && source.is(i + 1, Kind::Punct, "!")
            && source.tok(i + 2).is_some_and(|o| o.kind == Kind::Open);
        if macro_call {
            let close = source.close[i + 2];
            if !DEVELOPER_MACROS.contains(&t.text.as_str()) {
                let inner = if t.text == "view" {
                    Context::View
                } else {
                    Context::Rust
                };
                walk_prose(source, shipped, classes, i + 3, close, inner, out);
            }
            prev = Some(close);
            i = close + 1;
            continue;
        }
        if t.is(Kind::Punct, ".")
            && source.is(i + 1, Kind::Ident, "expect")
            && source.is(i + 2, Kind::Open, "(")
        {
            let close = source.close[i + 2];
            prev = Some(close);
            i = close + 1;
            continue;
        }
        if t.kind == Kind::Open {
            let close = source.close[i];
            walk_prose(source, shipped, classes, i + 1, close, Context::Rust, out);
            prev = Some(close);
            i = close + 1;
            continue;
        }
        if t.kind == Kind::Str {
            let text = t.text.as_str();
            let has_letter = text.chars().any(char::is_alphabetic);
            let found = match (context, view_position(source, prev)) {
                (Context::View, Position::Text) if has_letter => Some("text"),
                (Context::View, Position::Attribute(name)) => {
                    let name = name
                        .strip_prefix("attr:")
                        .or_else(|| name.strip_prefix("prop:"))
                        .unwrap_or(&name);
                    if PROSE_ATTRIBUTES.contains(&name) {
                        has_letter.then_some("attribute value")
                    } else if MACHINE_ATTRIBUTES.contains(&name)
                        || name.starts_with("data-")
                        || name.starts_with("aria-")
                        || name.starts_with("on:")
                    {
                        None
                    } else {
                        (is_prose(text) && !is_class_list(text, classes))
                            .then_some("attribute value")
                    }
                }
                _ => (is_prose(text) && !is_class_list(text, classes)).then_some("literal"),
            };
            if let Some(why) = found {
                out.push((t.line, t.text.clone(), why));
            }
        }
        prev = Some(i);
        i += 1;
    }
}

enum Position {
    /// A child of an element.
    Text,
    /// The value of the named attribute.
    Attribute(String),
    /// Part of a Rust expression.
    Expression,
}

/// Where a literal in `view!` stands, from the token before it.
fn view_position(source: &Source, prev: Option<usize>) -> Position {
    let Some(p) = prev else {
        return Position::Text;
    };
    let t = &source.tokens[p];
    if t.is(Kind::Punct, ">") || t.kind == Kind::Str || t.is(Kind::Close, "}") {
        return Position::Text;
    }
    if !t.is(Kind::Punct, "=") || p == 0 || source.tokens[p - 1].kind != Kind::Ident {
        return Position::Expression;
    }
    // The name: `a`, `aria-label`, `on:click`, `attr:class`.
    let mut k = p - 1;
    let mut name = source.tokens[k].text.clone();
    while k >= 2
        && (source.is(k - 1, Kind::Punct, "-") || source.is(k - 1, Kind::Punct, ":"))
        && source.tokens[k - 2].kind == Kind::Ident
    {
        name = format!(
            "{}{}{name}",
            source.tokens[k - 2].text,
            source.tokens[k - 1].text
        );
        k -= 2;
    }
    Position::Attribute(name)
}

#[derive(Clone, Copy, PartialEq)]
enum Word {
    /// Two or more letters (with `-`, `'` or `’` inside).
    Letters,
    /// A format placeholder, `{…}`.
    Placeholder,
    Other,
}

fn words(text: &str) -> Vec<(&str, Word)> {
    text.split_whitespace()
        .map(|raw| {
            let w = raw.trim_matches(|c: char| ",.;:!?…\"“”‘'()[]«»–—".contains(c));
            let kind = if w.starts_with('{') && w.ends_with('}') {
                Word::Placeholder
            } else if w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && w.chars().all(|c| c.is_alphabetic() || "-'’".contains(c))
            {
                Word::Letters
            } else {
                Word::Other
            };
            (w, kind)
        })
        .collect()
}

/// Two words side by side (a placeholder next to a word counts).
fn is_prose(text: &str) -> bool {
    words(text).windows(2).any(|pair| {
        matches!(
            (pair[0].1, pair[1].1),
            (Word::Letters, Word::Letters | Word::Placeholder) | (Word::Placeholder, Word::Letters)
        )
    })
}

/// Every word a CSS class (of the stylesheets, or hyphenated lowercase) or a
/// placeholder.
fn is_class_list(text: &str, classes: &BTreeSet<String>) -> bool {
    let hyphenated = |w: &str| {
        w.contains('-')
            && !w.starts_with('-')
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    text.split_whitespace()
        .all(|w| (w.starts_with('{') && w.ends_with('}')) || classes.contains(w) || hyphenated(w))
}

// ---------------------------------------------------------------------------
// Module graph.

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

// ---------------------------------------------------------------------------
// The code map.

/// A bullet of the code map: its line, depth and backticked paths.
struct Bullet {
    line: usize,
    indent: usize,
    paths: Vec<String>,
}

/// The bullets of the "## Code map" section.
fn code_map(text: &str) -> Vec<Bullet> {
    let mut bullets: Vec<Bullet> = Vec::new();
    let mut inside = false;
    let mut texts: Vec<String> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("## ") {
            inside = line.trim() == "## Code map";
            continue;
        }
        if !inside {
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("- ") {
            bullets.push(Bullet {
                line: n + 1,
                indent: line.len() - trimmed.len(),
                paths: Vec::new(),
            });
            texts.push(rest.to_owned());
        } else if !trimmed.is_empty()
            && line.starts_with(' ')
            && let Some(last) = texts.last_mut()
        {
            last.push(' ');
            last.push_str(trimmed);
        }
    }
    for (bullet, text) in bullets.iter_mut().zip(texts) {
        bullet.paths = text
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|span| path_like(span))
            .map(str::to_owned)
            .collect();
    }
    bullets
}

/// A backticked span that names a path (see the module docs).
fn path_like(span: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        "rs",
        "toml",
        "yml",
        "yaml",
        "css",
        "js",
        "mjs",
        "json",
        "html",
        "md",
        "webmanifest",
        "txt",
        "sh",
        "lock",
    ];
    let chars_ok = span
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
    let extension = span.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && !stem.ends_with('/') && EXTENSIONS.contains(&ext)
    });
    !span.is_empty() && chars_ok && !span.starts_with('/') && (span.contains('/') || extension)
}

/// Each path of the map: (line, as written, what it resolves to from the
/// root: a file or a folder without trailing `/`, "" for the root).
fn resolve_code_map(root: &Path, map: &[Bullet]) -> Vec<(usize, String, Option<String>)> {
    let mut out = Vec::new();
    // For each bullet, its folder for its children.
    let mut folders: Vec<(usize, String)> = Vec::new();
    for bullet in map {
        while folders
            .last()
            .is_some_and(|(indent, _)| *indent >= bullet.indent)
        {
            folders.pop();
        }
        let base = folders.last().map_or(String::new(), |(_, f)| f.clone());
        let mut named_dirs: Vec<String> = Vec::new();
        let mut first_dir: Option<String> = None;
        for (k, path) in bullet.paths.iter().enumerate() {
            let mut bases: Vec<String> = named_dirs.iter().rev().cloned().collect();
            bases.push(base.clone());
            let mut above = Vec::new();
            for b in &bases {
                let mut b = b.clone();
                while let Some((parent, _)) = b.rsplit_once('/') {
                    b = parent.to_owned();
                    above.push(b.clone());
                }
                if !b.is_empty() {
                    above.push(String::new());
                }
            }
            bases.extend(above);
            let found = lookup(root, &bases, path);
            if let Some(found) = &found
                && root.join(found).is_dir()
            {
                named_dirs.push(found.clone());
                if k == 0 {
                    first_dir = Some(found.clone());
                }
            }
            out.push((bullet.line, path.clone(), found));
        }
        folders.push((bullet.indent, first_dir.unwrap_or(base)));
    }
    out
}

/// The first of `base/path` (or `base/src/path` for a crate) that exists;
/// a path with a trailing `/` must be a folder.
fn lookup(root: &Path, bases: &[String], path: &str) -> Option<String> {
    let folder = path.ends_with('/');
    let path = path.trim_end_matches('/');
    let join = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_owned()
        } else {
            format!("{a}/{b}")
        }
    };
    for base in bases {
        let mut candidates = vec![join(base, path)];
        if root.join(base).join("Cargo.toml").is_file() {
            candidates.push(join(&join(base, "src"), path));
        }
        for candidate in candidates {
            let full = root.join(&candidate);
            let exists = if folder { full.is_dir() } else { full.exists() };
            if exists {
                return Some(candidate);
            }
        }
    }
    None
}

/// The Rust files the code map must name (see the module docs).
fn code_map_files() -> Vec<String> {
    let mut dirs = vec!["src".to_owned(), "tests".to_owned(), "xtask/src".to_owned()];
    for krate in crate_dirs() {
        for sub in ["src", "tests", "examples", "benches"] {
            dirs.push(format!("{krate}/{sub}"));
        }
    }
    let dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
    files(&dirs, "rs")
}

// ---------------------------------------------------------------------------
// Tests of the helpers.

#[test]
fn the_lexer_reads_strings_comments_and_lifetimes() {
    let source = Source::new(
        "x.rs".into(),
        "// \"no\"\nfn f<'a>(c: char) { let s = r#\"a \"b\"\"#; /* \"no\" */ \
         let t = \"x\\\n  y\"; '\"'; b\"z\" }"
            .into(),
    );
    let strings: Vec<&str> = source
        .tokens
        .iter()
        .filter(|t| t.kind == Kind::Str)
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(strings, ["a \"b\"", "xy", "z"]);
    assert!(source.tokens.iter().any(|t| t.is(Kind::Lifetime, "'a")));
}

#[test]
fn test_code_is_not_shipped() {
    let source = Source::new(
        "x.rs".into(),
        "use a::b;\n#[cfg(test)]\nmod tests { use super::*; }\n#[test] fn t() {}\nuse c::{d, e::{self, f}};"
            .into(),
    );
    let shipped = source.shipped();
    let paths: Vec<String> = source
        .paths(&shipped)
        .into_iter()
        .map(|p| p.segments.join("::"))
        .collect();
    assert_eq!(paths, ["a::b", "c::d", "c::e", "c::e::f"]);
}

#[test]
fn prose_is_told_from_classes_and_formats() {
    let classes: BTreeSet<String> = ["card", "muted"].map(String::from).into();
    assert!(is_prose("Er ging iets mis"));
    assert!(is_prose("wijkactieplan {}"));
    assert!(!is_prose("{} {:02}:{:02}"));
    assert!(!is_prose("rotate(-90 14 170)"));
    assert!(is_class_list("card muted", &classes));
    assert!(is_class_list("inline-form {class}", &classes));
    assert!(!is_class_list("ronde tafel {}", &classes));
    assert!(has_key(&["sync.online".to_owned()].into(), "sync.{}"));
    assert!(!has_key(
        &["sync.online".to_owned()].into(),
        "sync.online.{}"
    ));
}
