//! This site's storage on the device: whether the browser keeps it for
//! sure (persistence) and how much of the allowed space it uses.
//!
//! Documents live only on devices, so a browser that clears them when the
//! disk runs short loses work: the app asks for persistence once per
//! start and warns before the space runs out. `navigator.storage` exists
//! only in secure contexts; elsewhere both stay unknown (`None`).

use leptos::prelude::*;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::StorageManager;

/// Above this share of the quota the app warns that space runs out.
pub const WARN_AT: f64 = 0.8;

/// How often the used space is measured again (ms).
const ESTIMATE_EVERY_MS: u32 = 60_000;

/// Used and available space for this site, as the browser estimates it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StorageEstimate {
    /// Bytes used (IndexedDB, the app's cache, ...).
    pub usage: f64,
    /// Bytes this site may use at most.
    pub quota: f64,
}

impl StorageEstimate {
    /// The used share of the quota, 0..=1.
    pub fn fraction(&self) -> f64 {
        if self.quota > 0.0 {
            (self.usage / self.quota).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// Whether space is running out.
    pub fn nearly_full(&self) -> bool {
        self.quota > 0.0 && self.usage / self.quota > WARN_AT
    }
}

/// What this module keeps for the page's lifetime. `Arc` signals are not
/// owned by any component, so they outlive the page that first reads them.
struct State {
    estimate: ArcRwSignal<Option<StorageEstimate>>,
    persisted: ArcRwSignal<Option<bool>>,
}

thread_local! {
    static STATE: State = State {
        estimate: ArcRwSignal::new(None),
        persisted: ArcRwSignal::new(None),
    };
}

fn state<R>(f: impl FnOnce(&State) -> R) -> R {
    STATE.with(f)
}

/// Measures now and every minute, and asks for persistence if the browser
/// does not persist yet. Called once by [`super::start`].
pub(super) fn start() {
    spawn_local(async {
        refresh_storage().await;
        // Ask once per start: browsers that decide by themselves (Chromium)
        // grant it to installed or much-used apps, others may ask the person.
        if state(|s| s.persisted.get_untracked()) == Some(false) {
            request_persistence().await;
        }
    });
    gloo_timers::callback::Interval::new(ESTIMATE_EVERY_MS, || spawn_local(refresh_storage()))
        .forget();
}

/// Used and available space, if the browser tells (reactive).
pub fn storage_estimate() -> Option<StorageEstimate> {
    state(|s| s.estimate.get())
}

/// Whether the browser keeps this site's data even when the device runs
/// short of space (reactive; `None`: unknown or not supported).
pub fn persisted() -> Option<bool> {
    state(|s| s.persisted.get())
}

/// Measures the used space and the persistence again.
pub async fn refresh_storage() {
    let Some(storage) = storage_manager() else {
        return;
    };
    if let Ok(promise) = storage.persisted()
        && let Ok(value) = JsFuture::from(promise).await
    {
        state(|s| s.persisted.set(value.as_bool()));
    }
    if let Ok(promise) = storage.estimate()
        && let Ok(value) = JsFuture::from(promise).await
    {
        // A dictionary, not a class: nothing to check it against.
        let estimate: web_sys::StorageEstimate = value.unchecked_into();
        if let (Some(usage), Some(quota)) = (estimate.get_usage(), estimate.get_quota()) {
            state(|s| s.estimate.set(Some(StorageEstimate { usage, quota })));
        }
    }
}

/// Asks the browser to keep this site's data (`navigator.storage.persist`);
/// returns whether it now does (`None`: not supported).
pub async fn request_persistence() -> Option<bool> {
    let storage = storage_manager()?;
    let granted = JsFuture::from(storage.persist().ok()?)
        .await
        .ok()?
        .as_bool();
    state(|s| s.persisted.set(granted));
    granted
}

/// `navigator.storage`, where this browser has it here.
fn storage_manager() -> Option<StorageManager> {
    super::navigator_api("storage")
}
