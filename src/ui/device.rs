//! "Dit toestel": storage, backup and the app's own updates. (To be written.)

use leptos::prelude::*;

/// The page about this device.
#[component]
pub fn DevicePage() -> impl IntoView {
    view! { <h1>"Dit toestel"</h1> }
}

/// Banners about this device shown on every page (a new version, space running out).
#[component]
pub fn DeviceBanners() -> impl IntoView {}
