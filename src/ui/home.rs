//! Home: pick a wijk and create its wijkactieplan; the plans on this device.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use regie_core::plan::Plan;
use regie_core::scope::Right;
use regie_core::wijken::{self, WIJKEN};

use crate::platform::Workspace;
use crate::ui::common::text::{t, tr, tr_with};
use crate::ui::identity::WhoAmI;

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
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
    let navigate = use_navigate();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = workspace.create_plan(&wijk.get_untracked());
        navigate(&format!("/plan/{id}"), Default::default());
    };
    let plans = move || {
        let mut plans: Vec<_> = workspace
            .all::<Plan>()
            .into_iter()
            .filter(|(id, _)| workspace.right(*id) != Right::Nothing)
            .map(|(id, plan)| {
                let name =
                    wijken::by_slug(&plan.wijk).map_or(plan.wijk.clone(), |w| w.name.to_owned());
                (id, name, plan.action_count())
            })
            .collect();
        plans.sort_by(|a, b| a.1.cmp(&b.1));
        plans
    };
    let notice = move || match (workspace.token().is_some(), workspace.can_write()) {
        (false, _) => Some(tr("home.no_link")),
        (true, false) => Some(tr("home.read_only")),
        (true, true) => None,
    };
    view! {
        <h1>{t("home.title")}</h1>
        <WhoAmI/>
        {move || notice().map(|text| view! { <p class="banner info" role="note">{text}</p> })}
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
            <button type="submit" class="primary">{t("home.create")}</button>
        </form>
        </Show>
        <section class="card">
            <h2>{t("home.on_device")}</h2>
            {move || {
                let plans = plans();
                if plans.is_empty() {
                    view! { <p class="muted">{t("home.none")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plan-list">
                            {plans
                                .into_iter()
                                .map(|(id, name, actions)| {
                                    view! {
                                        <li>
                                            <A href=format!("/plan/{id}")>{name}</A>
                                            <span class="muted">{move || {
                                                let count = actions.to_string();
                                                let key = if actions == 1 { "home.actions_one" } else { "home.actions_many" };
                                                tr_with(key, &[("n", &count)])
                                            }}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
