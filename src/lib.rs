//! Regie's web app: a Leptos (client-side rendered) app compiled to wasm.
//!
//! - [`i18n`]: the interface languages (Dutch, English), their texts and
//!   how euro and dates are written; plain Rust, tested natively.
//! - [`platform`]: browser glue (IndexedDB, WebSocket, timers); the only
//!   module that touches browser APIs.
//! - [`ui`]: components; they read and edit documents through
//!   [`platform::Workspace`].
//!
//! The app is only built for `wasm32`; on other targets only [`i18n`] is
//! built, so that native workspace builds stay quick.

// Every interface text: `locales/<language>.yml`, compiled in. Dutch fills
// any gap in another language.
rust_i18n::i18n!("locales", fallback = "nl");

// The macro reads the locale files without telling Cargo; including them
// makes an edited text rebuild the crate.
const _: [&str; 2] = [
    include_str!("../locales/nl.yml"),
    include_str!("../locales/en.yml"),
];

pub mod i18n;
#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Starts the app in the page's `<body>`.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    ui::install_panic_screen();
    platform::register_service_worker();
    // Tasks run in the order spawned: the database's opening request goes
    // out first, and the browser opens it while the page is drawn.
    platform::store::open_early();
    wasm_bindgen_futures::spawn_local(async { leptos::mount::mount_to_body(ui::App) });
}
