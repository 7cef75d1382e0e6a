//! The app shell: header with the sync indicator and the language switch,
//! and the routes.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::i18n::Lang;
use crate::platform::{SyncStatus, Workspace};
use crate::ui::audit::AuditPage;
use crate::ui::campaign::CampaignPage;
use crate::ui::common::nearby::NearbyButton;
use crate::ui::common::text::{lang, said_text, set_lang, t, time_of_day, tr, tr_with};
use crate::ui::common::wipe::RevokedBanner;
use crate::ui::device::{DeviceBanners, DevicePage};
use crate::ui::directory::DirectoryPage;
use crate::ui::home::Home;
use crate::ui::links::LinksPage;
use crate::ui::meeting::MeetingPage;
use crate::ui::meeting::minutes::MinutesPage;
use crate::ui::not_found::NotFound;
use crate::ui::plan::PlanPage;
use crate::ui::register::{BundlePage, KnelpuntenPage};
use crate::ui::roundtable::TablePage;
use crate::ui::roundtable::screen::ScreenPage;

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let workspace = Workspace::start();
    provide_context(workspace);
    crate::platform::language::mark_page(lang());
    view! {
        <Router>
            <header class="topbar">
                <A href="/" attr:class="brand">"Regie"</A>
                <nav class="mainnav" aria-label=t("nav.label")>
                    <A href="/">{t("nav.plans")}</A>
                    <A href="/knelpunten">{t("nav.knelpunten")}</A>
                    <A href="/adresboek">{t("nav.directory")}</A>
                    <Show when=move || workspace.may_make_links()>
                        <A href="/links">{t("nav.links")}</A>
                    </Show>
                    <Show when=move || workspace.is_city_link()>
                        <A href="/audit">{t("nav.audit")}</A>
                    </Show>
                    <A href="/toestel">{t("nav.device")}</A>
                </nav>
                <SyncIndicator/>
                <NearbyButton/>
                <LanguageSwitch/>
            </header>
            <StorageWarning/>
            <DeviceBanners/>
            <RevokedBanner/>
            <main id="inhoud">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/plan/:id") view=PlanPage/>
                    <Route path=path!("/adresboek") view=DirectoryPage/>
                    <Route path=path!("/knelpunten") view=KnelpuntenPage/>
                    <Route path=path!("/signalenbundel") view=BundlePage/>
                    <Route path=path!("/tafel/:id") view=TablePage/>
                    <Route path=path!("/tafel/:id/scherm") view=ScreenPage/>
                    <Route path=path!("/campagne/:id") view=CampaignPage/>
                    <Route path=path!("/vergadering/:id") view=MeetingPage/>
                    <Route path=path!("/vergadering/:id/verslag") view=MinutesPage/>
                    <Route path=path!("/toestel") view=DevicePage/>
                    <Route path=path!("/links") view=LinksPage/>
                    <Route path=path!("/audit") view=AuditPage/>
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
            let time = time_of_day(ms);
            tr_with("app.last_synced", &[("time", &time)])
        })
    };
    view! {
        <div class="sync" title=last_synced>
            <span
                class="sync-status"
                role="status"
                aria-live="polite"
                data-state=move || workspace.status().slug()
                data-direct=move || workspace.direct_peers()
            >
                {move || connection_text(workspace.status(), workspace.direct_peers())}
            </span>
            <span class="sync-pending" data-pending=pending>
                {move || match pending() {
                    0 => tr("app.pending_none"),
                    1 => tr("app.pending_one"),
                    n => tr_with("app.pending_many", &[("n", &n.to_string())]),
                }}
            </span>
            <span class="sync-nearby" data-held=move || workspace.held_nearby()>
                {move || match (pending(), workspace.held_nearby()) {
                    (0, _) | (_, 0) => String::new(),
                    (_, 1) => tr("direct.held_one"),
                    (_, n) => tr_with("direct.held_many", &[("n", &n.to_string())]),
                }}
            </span>
            <span class="sync-last">{last_synced}</span>
            <span class="sync-local" data-unsaved=move || workspace.unsaved_writes()>
                {t("app.saving_locally")}
            </span>
        </div>
    }
}

/// How this device is connected: through the server, directly to devices
/// nearby, both, or neither.
fn connection_text(status: SyncStatus, direct: usize) -> String {
    let n = direct.to_string();
    match (status, direct) {
        (status, 0) => tr(&format!("sync.{}", status.slug())),
        (SyncStatus::Online, 1) => tr("direct.and_server_one"),
        (SyncStatus::Online, _) => tr_with("direct.and_server_many", &[("n", &n)]),
        (_, 1) => tr("direct.only_one"),
        (_, _) => tr_with("direct.only_many", &[("n", &n)]),
    }
}

/// Shown when the browser refuses to store documents.
#[component]
fn StorageWarning() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    move || {
        workspace.storage_error().map(|error| {
            view! {
                <p class="banner warning" role="alert">
                    {move || said_text(&error.text())} " " {t("app.storage_warning")}
                </p>
            }
        })
    }
}

/// Nederlands / English: two buttons, the current one pressed. Switching
/// re-renders every text in place; nothing is reloaded or lost.
#[component]
fn LanguageSwitch() -> impl IntoView {
    view! {
        <div class="language-switch" role="group" aria-label=t("app.language")>
            {Lang::ALL
                .into_iter()
                .map(|l| {
                    view! {
                        <button
                            type="button"
                            class="small"
                            lang=l.html_lang()
                            aria-pressed=move || (lang() == l).to_string()
                            on:click=move |_| set_lang(l)
                        >
                            {l.own_name()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
