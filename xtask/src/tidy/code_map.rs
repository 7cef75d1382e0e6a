//! The rule `architecture_code_map_matches_the_files`: every path named in
//! the "## Code map" section of ARCHITECTURE.md exists, and every Rust file
//! of the tree is named. The map's format, and which files must be named, is
//! in the docs of `mod.rs` ("The code map's format").
//!
//! To satisfy it, name the new file in the map, or correct the name.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Report, files, read, root, tree_dirs};

pub(super) fn check() {
    let mut report = Report::new(
        "architecture_code_map_matches_the_files",
        "name each file in the \"## Code map\" of ARCHITECTURE.md (format: the docs \
         at the top of xtask/src/tidy/mod.rs) and correct names that lead nowhere",
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
                "ARCHITECTURE.md",
                line,
                format!("`{path}` names nothing in the tree"),
            ),
        }
    }
    assert!(
        named.len() > 100,
        "the code map names only {} paths: is its format still the one described \
         at the top of xtask/src/tidy/mod.rs?",
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
            report.push(file, 0, "is not named in the code map");
        }
    }
    report.finish();
}

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
    let dirs = tree_dirs(
        &["src", "tests", "xtask/src"],
        &["src", "tests", "examples", "benches"],
    );
    files(&dirs, "rs")
}
