//! Attacks on the relay from outside, each kept as a test that fails when
//! the hole it found comes back. Every attack runs against the real binary
//! (or real sockets) on loopback, bounded in time and count.
//!
//! - [`tokens`]: concurrent link making and revoking; tokens at rest.
//! - [`engine`]: frames that cost the sync engine time or the relay memory;
//!   a change confirmed only once it is stored.
//! - [`transport`]: connection caps, slow and silent clients, closes that
//!   carry their reason, what reaches the log.

#[path = "../support/mod.rs"]
mod support;

/// One attack at a time: they measure the relay's memory and latency, which
/// other attacks running alongside on the same cores would distort.
async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    SERIAL.lock().await
}

mod engine;
mod tokens;
mod transport;
