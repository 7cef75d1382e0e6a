//! "Wat is ermee gedaan?" under each signal: the knelpunten that link it,
//! the ronde tafels and campagnes about it, and the acties it led to, in
//! this plan or another (`regie_core::cycle::chain::outcome`), each a link.

use leptos::prelude::*;
use leptos_router::components::A;
use regie_core::DocumentId;
use regie_core::cycle::chain;
use regie_core::register::SignalRef;

use crate::ui::common::cycle::{Held, wijk_name};
use crate::ui::common::text::{t, tr};

/// One step of what was done, as a line: what kind, its title, its page.
type Step = (&'static str, String, Option<String>);

/// The steps that followed signal `key`.
fn steps(held: &Held, key: &SignalRef) -> Vec<Step> {
    let out = held.with(|docs| chain::outcome(docs, key));
    let title = |list: &[(DocumentId, String)], id: &DocumentId| {
        list.iter()
            .find(|(i, _)| i == id)
            .map_or_else(|| tr("chain.not_here"), |(_, t)| t.clone())
    };
    let tables: Vec<(DocumentId, String)> = held
        .tables
        .iter()
        .map(|(i, t)| (*i, t.title.clone()))
        .collect();
    let campaigns: Vec<(DocumentId, String)> = held
        .campaigns
        .iter()
        .map(|(i, c)| (*i, c.title.clone()))
        .collect();
    let mut steps: Vec<Step> = Vec::new();
    for k in &out.knelpunten {
        let title = held
            .register
            .knelpunten
            .iter()
            .find(|x| &x.id == k)
            .map_or_else(|| k.clone(), |x| x.title.clone());
        steps.push(("chain.knelpunt", title, Some("/knelpunten".to_owned())));
    }
    for id in &out.tables {
        steps.push((
            "chain.table",
            title(&tables, id),
            Some(format!("/tafel/{id}")),
        ));
    }
    for id in &out.campaigns {
        steps.push((
            "chain.campaign",
            title(&campaigns, id),
            Some(format!("/campagne/{id}")),
        ));
    }
    for (plan, action) in &out.actions {
        let found = held
            .plans
            .iter()
            .find(|(i, _)| i == plan)
            .and_then(|(_, p)| {
                let a = p.action(action)?;
                Some(format!("{} ({})", a.title, wijk_name(&p.wijk)))
            });
        steps.push((
            "chain.action",
            found.unwrap_or_else(|| tr("chain.not_here")),
            Some(format!("/plan/{plan}?actie={action}")),
        ));
    }
    steps
}

/// The steps as a list, or "nothing yet".
pub fn step_list(steps: Vec<Step>) -> AnyView {
    view! {
        <ul class="chain">
            {steps.into_iter().map(|(kind, title, href)| view! {
                <li>
                    <span class="chain-kind">{t(kind)}</span> ": "
                    {match href {
                        Some(href) => view! { <A href=href>{title}</A> }.into_any(),
                        None => view! { <span>{title}</span> }.into_any(),
                    }}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn SignalOutcome(plan: DocumentId, signal: String, held: Memo<Held>) -> impl IntoView {
    let key = SignalRef::new(&plan, &signal);
    let steps = Memo::new(move |_| held.with(|h| steps(h, &key)));
    view! {
        <div class="signal-outcome">
            <span class="muted">{t("chain.done_with_it")}</span>
            {move || {
                let steps = steps.get();
                if steps.is_empty() {
                    view! { <span class="muted">{" "}{t("chain.nothing_yet")}</span> }.into_any()
                } else {
                    step_list(steps)
                }
            }}
        </div>
    }
}
