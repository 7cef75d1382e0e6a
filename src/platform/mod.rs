//! The browser glue: the only code that touches IndexedDB, the WebSocket,
//! timers and randomness. Components talk to [`Workspace`] and never to the
//! browser's APIs directly.
//!
//! - [`access`]: share-link tokens and what they allow.
//! - [`device`]: this device: storage space and persistence, the service
//!   worker and new versions, saving and opening files.
//! - [`identity`]: who uses this browser (for presence).
//! - [`store`]: documents in IndexedDB.
//! - [`links`]: connections to other peers (the relay's WebSocket, other
//!   tabs over a BroadcastChannel) in one table.
//! - [`probe`]: read-only functions on `window` for the tests.
//! - [`workspace`]: drives the core's sync engine and exposes signals to the UI.

pub mod access;
pub mod device;
pub mod identity;
pub mod language;
pub mod links;
pub mod probe;
pub mod store;
pub mod workspace;

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

/// Today's date on this device, `YYYY-MM-DD` (local time), for defaults and
/// the "overdue" filter; the core takes it as input.
pub fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

/// Sets a performance mark (read by the benchmarks; visible in DevTools).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// The time now (ms since the epoch), as a signal that ticks every second
/// while the calling component lives (for countdowns).
pub fn ticking_clock() -> leptos::prelude::ReadSignal<f64> {
    use leptos::prelude::*;
    let (now, set_now) = signal(js_sys::Date::now());
    let interval =
        gloo_timers::callback::Interval::new(1_000, move || set_now.set(js_sys::Date::now()));
    let interval = StoredValue::new_local(Some(interval));
    on_cleanup(move || {
        interval.update_value(|i| {
            i.take();
        })
    });
    now
}

/// The time now (ms since the epoch), passed into the core where it needs a clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
