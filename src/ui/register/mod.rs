//! The register page (`/knelpunten`): the regie cycle seen from the city.
//! Signals no knelpunt covers yet ("vragen aandacht", seed 003), every ronde
//! tafel and campagne, a regisseur's inbox, signals across the city with
//! the signalenbundel, the knelpunten each with its step, route, bereidheid
//! and boards, and new knelpunten and policy domains.
//!
//! - [`knelpunt`]: one knelpunt's card; [`readiness`] its "bereidheid polsen";
//! - [`boards`]: the list of ronde tafels and campagnes;
//! - [`inbox`]: what reaches one regisseur (triage by domain);
//! - [`city`]: signals across the city, the signalenbundel as CSV;
//! - [`forms`]: a new knelpunt, a new domain, a table about one signal;
//! - [`bundle`]: the printable signalenbundel (`/signalenbundel`).

pub mod boards;
pub mod bundle;
pub mod city;
pub mod forms;
pub mod inbox;
pub mod knelpunt;
pub mod readiness;

use leptos::prelude::*;
use regie_core::kind;
use regie_core::register::{self, Register, SignalRef};

use self::boards::BoardList;
use self::city::AcrossTheCity;
use self::forms::{AddDomain, AddKnelpunt, StartFromSignal};
use self::inbox::Inbox;
use self::knelpunt::KnelpuntCard;
use crate::platform::Workspace;
use crate::ui::common::conflicts::ConflictList;
use crate::ui::common::cycle::{Held, signal_rows};
use crate::ui::common::export::ExportMenu;
use crate::ui::common::history::HistoryDetails;
use crate::ui::common::text::t;

pub use self::bundle::BundlePage;

/// The register page.
#[component]
pub fn KnelpuntenPage() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let register = Memo::new(move |_| workspace.fixed::<Register>());
    let signals = Memo::new(move |_| signal_rows(workspace));
    // Everything of the cycle on this device: the boards, stages and chains.
    let held = Memo::new(move |_| Held::read(workspace));
    let attention = Memo::new(move |_| {
        let linked: Vec<SignalRef> = register.with(|r| {
            r.iter()
                .flat_map(|r| &r.knelpunten)
                .flat_map(|k| k.signals.clone())
                .collect()
        });
        signals.with(|all| {
            all.iter()
                .filter(|s| !s.withdrawn && !linked.contains(&s.key))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let knelpunt_ids = Memo::new(move |_| {
        register.with(|r| {
            r.iter()
                .flat_map(|r| &r.knelpunten)
                .map(|k| k.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let may_edit = move || workspace.may_edit(register::register_id());
    view! {
        <article class="register">
            <h1>{t("register.title")}</h1>
            <ExportMenu id=register::register_id() name=Signal::derive(|| "knelpunten".to_owned())/>
            <ConflictList id=register::register_id()/>
            <section class="card attention">
                <h2>{t("register.attention")}</h2>
                <p class="muted">{t("register.attention_text")}</p>
                {move || {
                    let rows = attention.get();
                    if rows.is_empty() {
                        view! { <p class="muted">{t("register.none")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="attention-list">
                                {rows.into_iter().map(|s| view! { <li>{s.label.clone()} <StartFromSignal signal=s/></li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
            </section>
            <BoardList held/>
            <Inbox held/>
            <AcrossTheCity held/>
            <h2 class="section-title">{t("register.knelpunten")}</h2>
            <For each=move || knelpunt_ids.get() key=String::clone let:knelpunt_id>
                <KnelpuntCard knelpunt_id register signals held/>
            </For>
            <Show when=may_edit>
                <AddKnelpunt register/>
                <AddDomain/>
            </Show>
            <HistoryDetails id=register::register_id() restore={kind::restore::<Register>} summary="history.title"/>
        </article>
    }
}
