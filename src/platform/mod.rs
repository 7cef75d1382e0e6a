//! The browser glue: the only code that touches IndexedDB, the WebSocket,
//! timers and randomness. Components talk to [`Workspace`] and never to the
//! browser's APIs directly.
//!
//! - [`store`]: documents in IndexedDB.
//! - [`socket`]: the WebSocket to the relay, with reconnect and backoff.
//! - [`workspace`]: drives the core's sync engine and exposes signals to the UI.

pub mod socket;
pub mod store;
pub mod workspace;

pub use workspace::{SyncStatus, Workspace};

/// 16 random bytes from the browser's crypto source.
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the browser provides crypto.getRandomValues");
    bytes
}
