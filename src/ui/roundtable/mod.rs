//! The ronde tafel page (`/tafel/:id`): the knelpunt in the middle, the
//! insteek, and the table's parts. The page owns [`context::TableCtx`] and
//! provides it; the parts import their siblings and `common`, never this
//! module.
//!
//! - [`context`]: [`context::TableCtx`] and the names of phases, columns, relations.
//! - [`facilitation`]: phases and the timer, participants.
//! - [`board`]: the columns of cards and the list of links.
//! - [`tools`]: one panel with the tools of the selected card (text, move,
//!   merge, link).
//! - [`assessment`]: my scores and everyone's grid.
//! - [`compose`]: composing a campaign.
//! - [`screen`]: the shared screen for a projector (`/tafel/:id/scherm`).

pub mod assessment;
pub mod board;
pub mod compose;
pub mod context;
pub mod facilitation;
pub mod screen;
pub mod tools;

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::kind;
use regie_core::roundtable::{Section, Table};

use self::assessment::Assessment;
use self::board::{Column, Links};
use self::compose::ComposeCampaign;
use self::context::TableCtx;
use self::facilitation::{Facilitation, Participants};
use self::tools::CardTools;
use crate::platform::Workspace;
use crate::ui::common::conflicts::ConflictList;
use crate::ui::common::cycle;
use crate::ui::common::export::ExportMenu;
use crate::ui::common::forms::LiveText;
use crate::ui::common::history::HistoryDetails;
use crate::ui::common::print::PrintDate;
use crate::ui::common::share::SharePanel;
use crate::ui::common::text::{t, tr_with};
use crate::ui::gate::{Shown, not_ready, open_document};

pub use self::context::section_label;

/// The page for `/tafel/:id`.
#[component]
pub fn TablePage() -> impl IntoView {
    let opened = open_document::<Table>();
    let (id, table) = (opened.id, opened.value);
    move || match (opened.shown.get(), id.get_untracked()) {
        (Shown::Ready, Some(id)) => view! { <TableView id table/> }.into_any(),
        (shown, _) => not_ready(shown, "gate.this_table", "gate.unknown_table"),
    }
}

#[component]
fn TableView(id: DocumentId, table: Memo<Option<Arc<Table>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = TableCtx::provide(id, table);
    let title = move || table.with(|t| t.as_ref().map(|t| t.title.clone()));
    // Each part read from another document is a memo of what it needs from
    // the table, so typing in the table re-reads neither the register nor
    // the plans: only a change of the knelpunt or of the signals does.
    let knelpunt_id = Memo::new(move |_| table.with(|t| t.as_ref()?.knelpunt.clone()));
    let knelpunt = Memo::new(move |_| {
        knelpunt_id
            .get()
            .and_then(|k| cycle::knelpunt_title(workspace, &k))
    });
    let knelpunt = move || {
        knelpunt
            .get()
            .map(|title| tr_with("roundtable.knelpunt", &[("title", &title)]))
    };
    // The signals in the middle of the table, as their plans on this device say.
    let signal_keys = Memo::new(move |_| {
        table.with(|t| t.as_ref().map(|t| t.signals.clone()).unwrap_or_default())
    });
    let rows = Memo::new(move |_| cycle::signal_rows(workspace));
    let signals = move || {
        rows.with(|rows| {
            signal_keys.with(|keys| {
                keys.iter()
                    .map(|key| cycle::signal_label(rows, key))
                    .collect::<Vec<_>>()
            })
        })
    };
    let insteek = Signal::derive(move || {
        table.with(|t| t.as_ref().map(|t| t.insteek.0.clone()).unwrap_or_default())
    });
    let write_insteek = Callback::new(move |text: String| {
        ctx.edit(|t| {
            t.insteek.0 = text;
            Ok(())
        })
    });
    view! {
        <article class="roundtable">
            <h1>{t("roundtable.title")} ": " {title}</h1>
            <PrintDate/>
            <ExportMenu id name=Signal::derive(move || tr_with("export.file_table", &[("name", &title().unwrap_or_default())]))/>
            <ConflictList id/>
            <p class="back-link"><a href=format!("/tafel/{id}/scherm") target="_blank">{t("roundtable.open_screen")}</a></p>
            <p class="muted">{knelpunt}</p>
            {move || {
                let list = signals();
                (!list.is_empty()).then(|| view! {
                    <section class="card table-signals">
                        <h2>{t("roundtable.signals")}</h2>
                        <ul>{list.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                    </section>
                })
            }}
            <Facilitation/>
            <LiveText id="insteek".into() label="roundtable.insteek"
                value=insteek on_input=write_insteek disabled=Signal::derive(move || !workspace.may_edit(id))/>
            <Participants/>
            <div class="table-board">
                {Section::ALL.into_iter().map(|section| view! { <Column section/> }).collect_view()}
            </div>
            <CardTools/>
            <Links/>
            <Assessment/>
            <Show when=move || workspace.may_edit(id)>
                <ComposeCampaign/>
            </Show>
            <SharePanel id/>
            <HistoryDetails id restore={kind::restore::<Table>} summary="history.title"/>
        </article>
    }
}
