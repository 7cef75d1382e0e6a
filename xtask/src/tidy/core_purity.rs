//! The rule `core_reads_no_clock_and_draws_no_randomness`: the shipped code
//! of `crates/regie-core/src/**` (leaving out test code and the files of
//! `#[cfg(test)] mod x;` modules) reads no clock, draws no randomness and
//! does no IO, and its `Cargo.toml` depends on none of the crates that would
//! (outside `[dev-dependencies]`).
//!
//! To satisfy it, take the time or the random bytes as a parameter (as
//! `Stamp`, `DocumentId::from_random_bytes`, `backoff::delay_ms` do) and do
//! IO in the relay or in `src/platform`.

use std::collections::{BTreeMap, BTreeSet};

use toml::de::{DeTable, DeValue};

use super::lexer::{Kind, Source};
use super::{Report, read, rust_files};

pub(super) fn check() {
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
                &source.rel,
                line,
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
                manifest,
                line,
                format!("depends on `{name}` (only [dev-dependencies] may)"),
            );
        }
    }
    report.finish();
}

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
/// name), the name a `package = "…"` gives when there is one. Dependency
/// tables are `dependencies` and `build-dependencies` at any depth (so also
/// `[target.'cfg(…)'.dependencies]`).
fn dependencies(manifest: &str) -> Vec<(usize, String)> {
    let document = DeTable::parse(manifest).unwrap_or_else(|e| panic!("invalid TOML: {e}"));
    let line = |at: usize| manifest[..at].matches('\n').count() + 1;
    let mut out = Vec::new();
    let mut tables = vec![document.get_ref()];
    while let Some(table) = tables.pop() {
        for (key, value) in table {
            let Some(inner) = value.get_ref().as_table() else {
                continue;
            };
            if !matches!(
                key.get_ref().as_ref(),
                "dependencies" | "build-dependencies"
            ) {
                tables.push(inner);
                continue;
            }
            for (name, spec) in inner {
                out.push((line(name.span().start), name.get_ref().to_string()));
                let package = spec.get_ref().as_table().and_then(|s| s.get("package"));
                if let Some(package) = package
                    && let DeValue::String(text) = package.get_ref()
                {
                    out.push((line(package.span().start), text.to_string()));
                }
            }
        }
    }
    out
}
