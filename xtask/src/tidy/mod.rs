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
//!
//! # Where the parts live
//!
//! This module holds the tests and what they share (walking the tree,
//! reporting); [`lexer`] and [`paths`] read Rust, [`locales`] the locale
//! files, [`css`] the stylesheets' class names, and each rule has its
//! module: [`browser_api`], [`core_purity`], [`ui_texts`],
//! [`import_cycles`], [`code_map`], [`docs_and_size`].
//!
//! [`UI_BROWSER_API_ALLOWED`]: browser_api::UI_BROWSER_API_ALLOWED
//! [`PROSE_ALLOWED`]: ui_texts::PROSE_ALLOWED
//! [`MAX_LINES`]: docs_and_size::MAX_LINES
//! [`LONG_FILES_ALLOWED`]: docs_and_size::LONG_FILES_ALLOWED

mod browser_api;
mod code_map;
mod core_purity;
mod css;
mod docs_and_size;
mod import_cycles;
mod lexer;
mod locales;
mod paths;
mod ui_texts;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lexer::{Kind, Source};
use locales::has_key;
use ui_texts::{is_class_list, is_prose};

// ---------------------------------------------------------------------------
// The rules, one test each.

#[test]
fn ui_touches_no_browser_api() {
    browser_api::check();
}

#[test]
fn core_reads_no_clock_and_draws_no_randomness() {
    core_purity::check();
}

#[test]
fn ui_texts_are_locale_keys() {
    ui_texts::check();
}

#[test]
fn ui_modules_have_no_import_cycles() {
    import_cycles::check();
}

#[test]
fn architecture_code_map_matches_the_files() {
    code_map::check();
}

#[test]
fn modules_have_docs() {
    docs_and_size::check_docs();
}

#[test]
fn files_stay_small() {
    docs_and_size::check_size();
}

// ---------------------------------------------------------------------------
// Reporting.

/// The offenders of one rule, reported together.
struct Report {
    rule: &'static str,
    fix: &'static str,
    /// (file, line, what), so that lines sort as numbers; line 0 is the file
    /// as a whole.
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

    /// An offender at `file:line`, or (line 0) at `file` as a whole.
    fn push(&mut self, file: impl Into<String>, line: usize, what: impl Into<String>) {
        self.offenders.insert((file.into(), line, what.into()));
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
/// as sorted paths from the root with `/` separators. Hidden files and
/// folders are left out; missing dirs are empty.
fn files(dirs: &[impl AsRef<str>], ext: &str) -> Vec<String> {
    let root = root();
    let mut out = BTreeSet::new();
    for dir in dirs {
        let dir = dir.as_ref();
        let start = root.join(dir);
        if !start.exists() {
            continue;
        }
        let visible = |e: &walkdir::DirEntry| !e.file_name().to_string_lossy().starts_with('.');
        for entry in walkdir::WalkDir::new(&start)
            .into_iter()
            .filter_entry(visible)
        {
            let entry = entry.unwrap_or_else(|e| panic!("walking {dir}: {e}"));
            let path = entry.path();
            let wanted = ext.is_empty() || path.extension().is_some_and(|e| e == ext);
            if entry.file_type().is_file() && wanted {
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

/// The folders `top` and, in each of the workspace's crates under `crates/`
/// (each folder with a `Cargo.toml`), the folders `in_crates`.
fn tree_dirs(top: &[&str], in_crates: &[&str]) -> Vec<String> {
    let root = root();
    let mut crates = Vec::new();
    for entry in std::fs::read_dir(root.join("crates")).expect("crates/ is readable") {
        let path = entry.expect("crates/ entry").path();
        if path.join("Cargo.toml").is_file() {
            crates.push(rel_of(&root, &path));
        }
    }
    crates.sort();
    let mut dirs: Vec<String> = top.iter().map(|d| (*d).to_owned()).collect();
    for krate in crates {
        dirs.extend(in_crates.iter().map(|sub| format!("{krate}/{sub}")));
    }
    dirs
}

/// The Rust files under `dirs`, read and lexed.
fn rust_files(dirs: &[impl AsRef<str>]) -> Vec<Source> {
    files(dirs, "rs")
        .into_iter()
        .map(|rel| {
            let text = read(&rel);
            Source::new(rel, text)
        })
        .collect()
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
