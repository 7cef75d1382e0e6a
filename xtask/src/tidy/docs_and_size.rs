//! The rules `modules_have_docs` and `files_stay_small`: every `.rs` file in
//! `src/`, `crates/*/src/` and `xtask/src/` begins (after blank lines) with
//! `//!` docs, and no file in `src/platform` or `src/ui` is over
//! [`MAX_LINES`] lines.
//!
//! To satisfy them, begin the file with `//!` docs saying what the module is
//! for and what it holds, and split a long file into modules by what its
//! parts are about (a file that is rightly longer goes into
//! [`LONG_FILES_ALLOWED`] with a reason).

use super::{Report, files, read, tree_dirs};

/// The most lines a file of `src/platform` or `src/ui` may have.
pub(super) const MAX_LINES: usize = 400;

/// Files of `src/platform` or `src/ui` that may be longer: (file, reason).
pub(super) const LONG_FILES_ALLOWED: &[(&str, &str)] = &[];

pub(super) fn check_docs() {
    let mut report = Report::new(
        "modules_have_docs",
        "begin the file with `//!` docs: what the module is for and what it holds",
    );
    for rel in files(&tree_dirs(&["src", "xtask/src"], &["src"]), "rs") {
        let text = read(&rel);
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        if !first.starts_with("//!") {
            report.push(rel, 1, "has no `//!` docs at the top");
        }
    }
    report.finish();
}

pub(super) fn check_size() {
    let mut report = Report::new(
        "files_stay_small",
        "split the file into modules by what its parts are about (or, with a reason, \
         add it to LONG_FILES_ALLOWED in xtask/src/tidy/docs_and_size.rs)",
    );
    for rel in files(&["src/platform", "src/ui"], "rs") {
        let lines = read(&rel).lines().count();
        let allowed = LONG_FILES_ALLOWED.iter().any(|(file, _)| *file == rel);
        if lines > MAX_LINES && !allowed {
            report.push(rel, 0, format!("has {lines} lines, more than {MAX_LINES}"));
        }
    }
    report.finish();
}
