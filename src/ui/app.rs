//! The app shell: header with the sync indicator, and the routes.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use super::campaign::CampaignPage;
use super::device::{DeviceBanners, DevicePage};
use super::directory::DirectoryPage;
use super::home::Home;
use super::knelpunten::KnelpuntenPage;
use super::not_found::NotFound;
use super::plan::PlanPage;
use super::roundtable::TablePage;
use crate::platform::Workspace;

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let workspace = Workspace::start();
    provide_context(workspace);
    view! {
        <Router>
            <header class="topbar">
                <A href="/" attr:class="brand">"Regie"</A>
                <nav class="mainnav" aria-label="Hoofdmenu">
                    <A href="/">"Plannen"</A>
                    <A href="/knelpunten">"Knelpunten"</A>
                    <A href="/adresboek">"Adresboek"</A>
                    <A href="/toestel">"Dit toestel"</A>
                </nav>
                <SyncIndicator/>
            </header>
            <StorageWarning/>
            <DeviceBanners/>
            <main id="inhoud">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/plan/:id") view=PlanPage/>
                    <Route path=path!("/adresboek") view=DirectoryPage/>
                    <Route path=path!("/knelpunten") view=KnelpuntenPage/>
                    <Route path=path!("/tafel/:id") view=TablePage/>
                    <Route path=path!("/campagne/:id") view=CampaignPage/>
                    <Route path=path!("/toestel") view=DevicePage/>
                </Routes>
            </main>
        </Router>
    }
}

/// Online / offline / connecting, always visible.
#[component]
fn SyncIndicator() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let pending = move || workspace.unconfirmed_changes();
    let last_synced = move || {
        workspace.last_synced().map(|ms| {
            let time = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms))
                .to_locale_time_string("nl-BE");
            format!("Laatst gesynchroniseerd om {time}")
        })
    };
    view! {
        <div class="sync" title=last_synced>
            <span
                class="sync-status"
                role="status"
                aria-live="polite"
                data-state=move || workspace.status().slug()
            >
                {move || workspace.status().label()}
            </span>
            <span class="sync-pending" data-pending=pending>
                {move || match pending() {
                    0 => "Alles bewaard op de server".to_owned(),
                    1 => "1 wijziging nog niet op de server".to_owned(),
                    n => format!("{n} wijzigingen nog niet op de server"),
                }}
            </span>
            <span class="sync-last">{last_synced}</span>
        </div>
    }
}

/// Shown when the browser refuses to store documents.
#[component]
fn StorageWarning() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    move || {
        workspace.storage_error().map(|message| {
            view! {
                <p class="banner warning" role="alert">
                    {message} " Wat je nu wijzigt, blijft zichtbaar tot je de pagina sluit."
                </p>
            }
        })
    }
}
