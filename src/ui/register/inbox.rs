//! A regisseur's inbox (triage, seed 003): the knelpunten of their policy
//! domains and the signals whose thema belongs to one of them. The person
//! at this browser sees their own inbox first when their name is a
//! regisseur's.

use leptos::prelude::*;
use regie_core::cycle::triage;
use regie_core::register::SignalRef;

use crate::platform::Workspace;
use crate::ui::common::cycle::{Held, wijk_name};
use crate::ui::common::forms::{Choice, Options};
use crate::ui::common::text::{t, tr, tr_with};

#[component]
pub fn Inbox(held: Memo<Held>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let regisseurs = Memo::new(move |_| {
        held.with(|h| {
            triage::regisseurs(&h.register)
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
    });
    let mine = workspace
        .me()
        .map(|m| m.name)
        .filter(|name| regisseurs.with_untracked(|r| r.contains(name)))
        .unwrap_or_default();
    let chosen = RwSignal::new(mine);
    let options = Signal::derive(move || {
        regisseurs.with(|r| {
            r.iter()
                .map(|n| (n.clone(), n.clone()))
                .collect::<Options>()
        })
    });
    // (knelpunt titles, signal lines, domain names) of the chosen regisseur.
    let inbox = Memo::new(move |_| {
        let name = chosen.get();
        if name.is_empty() {
            return None;
        }
        Some(held.with(|h| {
            let signals: Vec<_> = h
                .plans
                .iter()
                .flat_map(|(id, p)| p.signals.iter().map(move |s| (*id, s)))
                .collect();
            let inbox = triage::inbox(&h.register, &name, &signals);
            let wijk_of = |plan: &regie_core::DocumentId| {
                h.plans
                    .iter()
                    .find(|(id, _)| id == plan)
                    .map(|(_, p)| wijk_name(&p.wijk))
                    .unwrap_or_default()
            };
            (
                inbox
                    .knelpunten
                    .iter()
                    .map(|k| k.title.clone())
                    .collect::<Vec<_>>(),
                inbox
                    .signals
                    .iter()
                    .map(|(plan, s)| {
                        (
                            SignalRef::new(plan, &s.id),
                            format!("{}: {}", wijk_of(plan), s.what),
                        )
                    })
                    .collect::<Vec<_>>(),
                inbox
                    .domains
                    .iter()
                    .map(|d| d.name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        }))
    });
    view! {
        <section class="card inbox">
            <h2>{t("inbox.title")}</h2>
            <p class="muted">{t("inbox.text")}</p>
            <Choice id="inbox-regisseur".into() label="inbox.regisseur" options value=chosen empty="inbox.choose"/>
            {move || inbox.get().map(|(knelpunten, signals, domains)| view! {
                <p class="inbox-domains">{tr_with("inbox.domains", &[("domains", &domains)])}</p>
                <h3>{tr_with("inbox.knelpunten", &[("n", &knelpunten.len().to_string())])}</h3>
                <ul class="inbox-knelpunten">{knelpunten.into_iter().map(|k| view! { <li>{k}</li> }).collect_view()}</ul>
                <h3>{tr_with("inbox.signals", &[("n", &signals.len().to_string())])}</h3>
                {if signals.is_empty() {
                    view! { <p class="muted">{tr("register.none")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="inbox-signals">{signals.into_iter().map(|(key, line)| view! { <li data-signal=key.key>{line}</li> }).collect_view()}</ul>
                    }.into_any()
                }}
            })}
        </section>
    }
}
