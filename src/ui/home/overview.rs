//! What the home page lists: "mijn wijken" (the plans this link covers),
//! the ronde tafels still open and campagnes running, and how many signals
//! no knelpunt covers yet (with a link to the register).

use leptos::prelude::*;
use leptos_router::components::A;
use regie_core::register::SignalRef;

use crate::ui::common::cycle::{BoardSection, Held, wijk_name};
use crate::ui::common::text::{t, tr_with};

#[component]
pub fn MyWijken(held: Memo<Held>) -> impl IntoView {
    let plans = Memo::new(move |_| {
        let mut plans: Vec<_> = held.with(|h| {
            h.plans
                .iter()
                .map(|(id, plan)| (*id, wijk_name(&plan.wijk), plan.action_count()))
                .collect()
        });
        plans.sort_by(|a, b| a.1.cmp(&b.1));
        plans
    });
    view! {
        <section class="card my-wijken">
            <h2>{t("home.on_device")}</h2>
            {move || {
                let plans = plans.get();
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

#[component]
pub fn OpenBoards(held: Memo<Held>) -> impl IntoView {
    let rows = Memo::new(move |_| {
        held.with(|h| {
            h.boards()
                .into_iter()
                .filter(|b| b.open)
                .collect::<Vec<_>>()
        })
    });
    view! { <BoardSection class="card open-boards" heading="home.open_boards" empty="home.no_open_boards" rows/> }
}

#[component]
pub fn Attention(held: Memo<Held>) -> impl IntoView {
    let count = Memo::new(move |_| {
        held.with(|h| {
            let linked: Vec<&SignalRef> = h
                .register
                .knelpunten
                .iter()
                .flat_map(|k| &k.signals)
                .collect();
            h.plans
                .iter()
                .flat_map(|(id, p)| {
                    p.signals
                        .iter()
                        .filter(|s| s.is_current())
                        .map(move |s| SignalRef::new(id, &s.id))
                })
                .filter(|key| !linked.contains(&key))
                .count()
        })
    });
    view! {
        <section class="card home-attention">
            <h2>{t("register.attention")}</h2>
            <p>
                <span class="count" data-attention=move || count.get().to_string()>{move || count.get()}</span>
                " "
                {move || tr_with("home.attention", &[("n", &count.get().to_string())])}
            </p>
            <A href="/knelpunten">{t("home.to_register")}</A>
        </section>
    }
}
