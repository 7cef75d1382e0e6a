//! Fuzz target: bytes as WebSocket frames arriving at the relay's sync
//! engine (`Message::decode` and `Repo::receive`, as the relay's hub calls
//! them). The checks live in the shared harness, which the native regression
//! test `crates/regie-core/tests/fuzz_regressions.rs` also runs.

#![no_main]

#[path = "../../regie-core/tests/fuzz-regressions/harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::relay_frames(data));
