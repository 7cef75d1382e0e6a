//! Regie's web app: a Leptos (client-side rendered) app compiled to wasm.
//!
//! - [`platform`]: browser glue (IndexedDB, WebSocket, timers); the only
//!   module that touches browser APIs.
//! - [`ui`]: components; they read and edit documents through
//!   [`platform::Workspace`].
//!
//! The app is only built for `wasm32`; on other targets this crate is empty
//! so that native workspace builds stay quick.

#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Starts the app in the page's `<body>`.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    ui::install_panic_screen();
    platform::register_service_worker();
    leptos::mount::mount_to_body(ui::App);
}
