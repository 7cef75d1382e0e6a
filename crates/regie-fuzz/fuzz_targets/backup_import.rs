//! Fuzz target: bytes as a backup file, or as a document inside one, through
//! the app's import path (`backup::read`/`decode`, `Automerge::load`, merge,
//! reading as a plan). The checks live in the shared harness, which the
//! native regression test `crates/regie-core/tests/fuzz_regressions.rs` also
//! runs.

#![no_main]

#[path = "../../regie-core/tests/fuzz-regressions/harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::backup_import(data));
