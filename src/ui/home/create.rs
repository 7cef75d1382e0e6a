//! Making the plan of a wijk. The plan of a wijk is one document on every
//! device, so a plan that exists (here, or listed in the register) is
//! opened instead, and the button says so.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use regie_core::wijken::{self, WIJKEN};

use crate::platform::Workspace;
use crate::ui::common::text::{t, tr, tr_with};

#[component]
pub fn CreatePlan() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    // Only the wijken this link may make a plan for.
    let allowed = move || {
        WIJKEN
            .iter()
            .filter(|w| workspace.may_create_plan(w.slug))
            .collect::<Vec<_>>()
    };
    let first = allowed().first().map_or(WIJKEN[0].slug, |w| w.slug);
    let wijk = RwSignal::new(first.to_owned());
    let existing = move || workspace.plan_of_wijk(&wijk.get());
    let navigate = use_navigate();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = workspace.create_plan(&wijk.get_untracked());
        navigate(&format!("/plan/{id}"), Default::default());
    };
    let button = move || match existing() {
        Some(_) => {
            let name = wijken::by_slug(&wijk.get()).map_or_else(String::new, |w| w.name.to_owned());
            tr_with("home.open_plan", &[("wijk", &name)])
        }
        None => tr("home.create"),
    };
    view! {
        <Show when=move || workspace.can_write() && !allowed().is_empty()>
            <form class="card create-plan" on:submit=create.clone()>
                <h2>{t("home.new_plan")}</h2>
                <label for="wijk-select">{t("home.wijk")}</label>
                <select id="wijk-select" on:change=move |ev| wijk.set(event_target_value(&ev)) prop:value=move || wijk.get()>
                    {move || allowed()
                        .into_iter()
                        .map(|w| view! { <option value=w.slug>{w.name}</option> })
                        .collect_view()}
                </select>
                <button type="submit" class="primary">{button}</button>
                {move || existing().is_some().then(|| view! { <p class="muted" role="status">{t("home.exists")}</p> })}
            </form>
        </Show>
    }
}
