//! The browser glue: the only code that touches IndexedDB, the WebSocket,
//! timers and randomness. Components talk to [`Workspace`] and never to the
//! browser's APIs directly.
//!
//! - [`access`]: share-link tokens and what they allow.
//! - [`clock`]: the time now, today, local dates and times, a ticking clock.
//! - [`device`]: this device: storage space and persistence, the service
//!   worker and new versions, saving and opening files.
//! - [`dom`]: focus, dialogs' focus trap, pointers, the crash screen.
//! - [`identity`]: who uses this browser (for presence).
//! - [`language`]: the interface language chosen on this browser.
//! - [`store`]: documents in IndexedDB.
//! - [`links`]: connections to other peers (the relay's WebSocket, other
//!   tabs over a BroadcastChannel) in one table.
//! - [`probe`]: read-only functions on `window` for the tests.
//! - [`workspace`]: drives the core's sync engine and exposes signals to the UI.

pub mod access;
pub mod clock;
pub mod device;
pub mod dom;
pub mod identity;
pub mod language;
pub mod links;
pub mod probe;
pub mod share_links;
pub mod store;
pub mod workspace;

pub use clock::{now_ms, ticking_clock, today};
pub use workspace::{SyncStatus, Workspace, new_item_id};

/// Registers the service worker that keeps the app on this device (so it
/// opens without the server) and starts watching the device: new versions,
/// persistent storage, space used. See [`device`]. Failure only costs
/// offline start-up.
pub fn register_service_worker() {
    device::start();
}

/// 16 random bytes from the browser's crypto source.
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the browser provides crypto.getRandomValues");
    bytes
}

/// Sets a performance mark (read by the benchmarks; visible in DevTools).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
