//! This device: persistent storage, used and available space, the service
//! worker and new versions of the app, saving and opening files, printing.
//!
//! Components read small signals and call small functions here; they never
//! touch `navigator`, the service worker or `Blob`s themselves. This module
//! only starts the watching; each job lives in its own submodule and is
//! re-exported here, so callers keep writing `device::save_file` and the like:
//!
//! - [`service_worker`]: the service worker, new versions and reloading into one;
//! - [`build`]: which build of the app this page runs;
//! - [`storage`]: persistence and used/available space;
//! - [`files`]: offering a download, reading a file the person chose;
//! - [`print`]: the print dialog;
//! - [`local_storage`]: strings this browser keeps in `localStorage`;
//! - [`camera`]: the camera as a QR scanner (pairing with a device nearby),
//!   with [`qr_worker`], the decoder worker where the browser has none;
//! - [`clipboard`]: copying a text.

use std::cell::Cell;

use wasm_bindgen::JsCast;

pub mod build;
pub mod camera;
pub mod clipboard;
pub mod export_worker;
pub mod files;
pub mod local_storage;
pub mod print;
pub mod qr_worker;
pub mod service_worker;
pub mod storage;

pub use build::version;
pub use files::{ChosenFile, chosen_file, save_file};
pub use print::print_page;
pub use service_worker::{check_for_update, reload_for_update, update_available, work_in_progress};
pub use storage::{
    StorageEstimate, WARN_AT, persisted, refresh_storage, request_persistence, storage_estimate,
};

thread_local! {
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

/// Starts watching this device: registers the service worker, follows new
/// versions, asks for persistent storage and measures the space used. Call
/// once, at start-up (a second call does nothing, so no listener or timer
/// runs twice).
pub fn start() {
    if STARTED.with(|started| started.replace(true)) {
        return;
    }
    service_worker::start();
    storage::start();
}

/// `navigator.<name>` (e.g. `serviceWorker`, `storage`), if this browser
/// offers it here. These APIs exist only in secure contexts, and a relay
/// on a meeting room's Wi-Fi serves plain `http://`: there the typed
/// `web-sys` getters would hand back `undefined` as if it were the object,
/// so the property is read and checked (`instanceof`) first.
fn navigator_api<T: JsCast>(name: &str) -> Option<T> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &name.into())
        .ok()?
        .dyn_into()
        .ok()
}
