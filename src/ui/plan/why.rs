//! "Waarom bestaat deze actie?" in the actie editor: the chain back from
//! the actie to the campagne and piste it came from, its ronde tafel, its
//! knelpunt and every signal on the way (`regie_core::cycle::chain::why`),
//! each a link; a withdrawn signal stays, marked. Read once when the editor
//! opens: typing in the actie must not re-read every document of the cycle.

use leptos::prelude::*;
use leptos_router::components::A;
use regie_core::cycle::chain::{self, Why};

use super::context::PlanCtx;
use crate::platform::Workspace;
use crate::ui::common::cycle::{Held, signal_href};
use crate::ui::common::text::{t, tr, tr_with};

#[component]
pub fn WhyAction(action_id: String) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let held = untrack(|| Held::read(workspace));
    let why = StoredValue::new(Some(
        held.with(|docs| chain::why(docs, &ctx.id, &action_id)),
    ));
    let named = |title: Option<String>| title.unwrap_or_else(|| tr("chain.not_here"));
    view! {
        <details class="why">
            <summary>{t("chain.why")}</summary>
            {move || why.get_value().map(|why: Why| {
                if why.is_empty() {
                    return view! { <p class="muted">{t("chain.made_here")}</p> }.into_any();
                }
                view! {
                    <ol class="chain why-chain">
                        {why.campaign.clone().map(|(id, title)| view! {
                            <li><span class="chain-kind">{t("chain.campaign")}</span> ": " <A href=format!("/campagne/{id}")>{named(title)}</A></li>
                        })}
                        {why.piste.clone().map(|piste| view! {
                            <li><span class="chain-kind">{t("chain.piste")}</span> ": " {piste}</li>
                        })}
                        {why.table.clone().map(|(id, title)| view! {
                            <li><span class="chain-kind">{t("chain.table")}</span> ": " <A href=format!("/tafel/{id}")>{named(title)}</A></li>
                        })}
                        {why.knelpunt.clone().map(|(_, title)| view! {
                            <li><span class="chain-kind">{t("chain.knelpunt")}</span> ": " <A href="/knelpunten">{title}</A></li>
                        })}
                        {why.signals.iter().map(|s| {
                            let text = match (&s.what, s.withdrawn) {
                                (_, true) => tr("register.signal_withdrawn"),
                                (Some(what), false) => what.clone(),
                                (None, false) => tr("register.signal_elsewhere"),
                            };
                            let href = signal_href(&s.key).unwrap_or_default();
                            view! {
                                <li class:withdrawn=s.withdrawn>
                                    <span class="chain-kind">{t("chain.signal")}</span> ": " <A href=href>{text}</A>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <p class="muted">{tr_with("chain.count", &[("n", &why.signals.len().to_string())])}</p>
                }.into_any()
            })}
        </details>
    }
}
