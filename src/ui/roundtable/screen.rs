//! The shared screen (`/tafel/:id/scherm`), for a projector at the table:
//! large type, no controls, the phase the facilitator set and the timer,
//! the cards of every column and the haalbaarheid × effect grid, all
//! following the table live as the partners work on their own devices.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::roundtable::{Section, Table};

use super::assessment::{Grid, scored_pistes};
use super::context::{TableCtx, phase_label, section_label};
use crate::platform::clock;
use crate::ui::common::text::{t, tr, tr_with};
use crate::ui::gate::{Shown, not_ready, open_document};

/// The page for `/tafel/:id/scherm`.
#[component]
pub fn ScreenPage() -> impl IntoView {
    let opened = open_document::<Table>();
    let (id, table) = (opened.id, opened.value);
    move || match (opened.shown.get(), id.get_untracked()) {
        (Shown::Ready, Some(id)) => view! { <Screen id table/> }.into_any(),
        (shown, _) => not_ready(shown, "gate.this_table", "gate.unknown_table"),
    }
}

#[component]
fn Screen(id: DocumentId, table: Memo<Option<Arc<Table>>>) -> impl IntoView {
    let ctx = TableCtx::provide(id, table);
    let now = clock::ticking_clock();
    let title = move || table.with(|t| t.as_ref().map(|t| t.title.clone()));
    let phase = move || table.with(|t| t.as_ref().map(|t| tr(phase_label(t.phase))));
    let timer = move || {
        let ends = table.with(|t| t.as_ref()?.timer_ends)?;
        let left = ((ends as f64 - now.get()) / 1000.0).max(0.0) as i64;
        Some(if left == 0 {
            tr("roundtable.time_up")
        } else {
            tr_with(
                "roundtable.time_left",
                &[("time", &format!("{}:{:02}", left / 60, left % 60))],
            )
        })
    };
    let cards = move |section: Section| {
        table.with(|t| {
            t.iter()
                .flat_map(|t| {
                    t.column(section)
                        .map(|c| c.text.0.clone())
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
    };
    let pistes = scored_pistes(ctx);
    view! {
        <article class="screen">
            <h1>{title}</h1>
            <p class="screen-phase" aria-live="polite">
                {t("roundtable.phase")} ": " <strong data-phase=move || table.with(|t| t.as_ref().map(|t| format!("{:?}", t.phase).to_lowercase()))>{phase}</strong>
                {move || timer().map(|left| view! { " · " <span class="screen-timer">{left}</span> })}
            </p>
            <div class="screen-board">
                {Section::ALL.into_iter().map(|section| view! {
                    <section class="screen-column" data-section=format!("{section:?}").to_lowercase()>
                        <h2>{t(section_label(section))}</h2>
                        <ul>{move || cards(section).into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}</ul>
                    </section>
                }).collect_view()}
            </div>
            <section class="screen-grid">
                <h2>{t("roundtable.assessment")}</h2>
                <Grid pistes/>
            </section>
        </article>
    }
}
