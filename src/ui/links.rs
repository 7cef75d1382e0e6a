//! "Deellinks" (`/links`): links for other people within this link's scope
//! (a regisseur makes wijkactieteam links for the wijken of the cluster; a
//! team makes netwerk links for its wijk), each with a name and, where it
//! matters, an organisation; the list of links made with this one; and
//! revoking one. The relay checks every link made against the maker's.

use leptos::prelude::*;
use leptos::task::spawn_local;
use regie_core::scope::LinkScope;
use regie_core::wijken;

use crate::platform::Workspace;
use crate::platform::share_links::{LinkInfo, NewLink};
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// A scope in words: "Wijkactieteam Ledeberg", "Netwerk SW&G Ledeberg".
pub fn scope_name(scope: &str) -> String {
    let wijk = |slug: &str| wijken::by_slug(slug).map_or(slug.to_owned(), |w| w.name.to_owned());
    match LinkScope::parse(scope) {
        Some(LinkScope::Team(w)) => tr_with("links.kind_team", &[("wijk", &wijk(w))]),
        Some(LinkScope::Netwerk(w)) => tr_with("links.kind_netwerk", &[("wijk", &wijk(w))]),
        Some(LinkScope::Regisseur(name)) => tr_with("links.kind_regisseur", &[("name", name)]),
        Some(LinkScope::Stad) | None => tr("links.kind_stad"),
    }
}

/// The page.
#[component]
pub fn LinksPage() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let list = RwSignal::new(None::<Vec<LinkInfo>>);
    let error = RwSignal::new(None::<Notice>);
    let reload = move || {
        spawn_local(async move {
            match workspace.links().await {
                Ok(links) => list.set(Some(links)),
                Err(said) => error.set(Some(Notice::Said(said))),
            }
        });
    };
    reload();
    view! {
        <h1>{t("links.title")}</h1>
        <p class="muted">{t("links.intro")}</p>
        <Show
            when=move || workspace.may_make_links()
            fallback=|| view! { <p class="banner info" role="note">{t("links.none_allowed")}</p> }
        >
            <MakeLink on_made=Callback::new(move |()| reload())/>
        </Show>
        <section class="card links" aria-labelledby="links-made">
            <h2 id="links-made">{t("links.made")}</h2>
            {form_error(error)}
            {move || match list.get() {
                None => view! { <p class="muted">{t("links.loading")}</p> }.into_any(),
                Some(links) if links.is_empty() => {
                    view! { <p class="muted">{t("links.empty")}</p> }.into_any()
                }
                Some(links) => view! {
                    <ul class="link-list">
                        {links
                            .into_iter()
                            .map(|link| view! { <LinkRow link on_revoked=Callback::new(move |()| reload())/> })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

/// The form that makes a link.
#[component]
fn MakeLink(on_made: Callback<()>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let scopes = workspace.makeable_scopes();
    let scope = RwSignal::new(scopes.first().map(|s| s.text()).unwrap_or_default());
    let label = RwSignal::new(String::new());
    let organisation = RwSignal::new(workspace.link_organisation().unwrap_or_default());
    let made = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<Notice>);
    let busy = RwSignal::new(false);
    let fixed_organisation = workspace.link_organisation().is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if label.get_untracked().trim().is_empty() {
            error.set(Some(Notice::Key("links.name_needed")));
            return;
        }
        busy.set(true);
        error.set(None);
        let organisation = organisation.get_untracked();
        let new = NewLink {
            scope: scope.get_untracked(),
            label: label.get_untracked(),
            organisation: (!organisation.trim().is_empty()).then_some(organisation),
        };
        spawn_local(async move {
            match workspace.make_link(new).await {
                Ok(link) => {
                    made.set(Some(link));
                    label.set(String::new());
                    on_made.run(());
                }
                Err(said) => error.set(Some(Notice::Said(said))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card make-link" on:submit=submit>
            <h2>{t("links.new")}</h2>
            <label for="link-scope">{t("links.for")}</label>
            <select id="link-scope" prop:value=move || scope.get() on:change=move |ev| scope.set(event_target_value(&ev))>
                {scopes
                    .into_iter()
                    .map(|s| view! { <option value=s.text()>{scope_name(&s.text())}</option> })
                    .collect_view()}
            </select>
            <label for="link-label">{t("links.label")}</label>
            <input id="link-label" type="text" maxlength="120" prop:value=move || label.get()
                on:input=move |ev| label.set(event_target_value(&ev))/>
            <label for="link-organisation">{t("links.organisation")}</label>
            <input id="link-organisation" type="text" maxlength="120" prop:value=move || organisation.get()
                readonly=fixed_organisation on:input=move |ev| organisation.set(event_target_value(&ev))/>
            <button type="submit" class="primary" disabled=move || busy.get()>
                {move || tr(if busy.get() { "links.making" } else { "links.make" })}
            </button>
            {form_error(error)}
            {move || made.get().map(|link| view! {
                <label for="made-link">{t("links.hand_on")}</label>
                <input id="made-link" type="text" readonly prop:value=link/>
            })}
        </form>
    }
}

/// One link made: who it is for, its state, and revoking it.
#[component]
fn LinkRow(link: LinkInfo, on_revoked: Callback<()>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let error = RwSignal::new(None::<Notice>);
    let active = link.status == "active";
    let id = link.id.clone();
    let revoke = move |_| {
        let id = id.clone();
        spawn_local(async move {
            match workspace.revoke_link(&id).await {
                Ok(()) => on_revoked.run(()),
                Err(said) => error.set(Some(Notice::Said(said))),
            }
        });
    };
    let status = match link.status.as_str() {
        "active" => tr("links.active"),
        "expired" => tr("links.expired"),
        _ => tr("links.revoked"),
    };
    view! {
        <li class="link-row" data-link=link.id.clone() data-status=link.status.clone()>
            <strong>{link.label.clone().unwrap_or_default()}</strong>
            <span>{scope_name(&link.scope)}</span>
            {link.organisation.clone().map(|o| view! { <span class="muted">{o}</span> })}
            <span class="muted link-status">{status}</span>
            <Show when=move || active>
                <button type="button" class="danger" on:click=revoke.clone()>{t("links.revoke")}</button>
            </Show>
            {form_error(error)}
        </li>
    }
}
