//! The signalenbundel as a page for A4 (`/signalenbundel`): every current
//! signal of the plans this link covers, in one table, with its wijk, kind,
//! thema, domains, doelgroep and the knelpunten it feeds. The print
//! stylesheet drops the app's chrome.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::cycle::bundle;
use regie_core::directory::Directory;

use crate::i18n;
use crate::platform::{Workspace, device};
use crate::ui::common::cycle::Held;
use crate::ui::common::print::PrintDate;
use crate::ui::common::text::{t, tr};

/// The page for `/signalenbundel`.
#[component]
pub fn BundlePage() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let held = Memo::new(move |_| Held::read(workspace));
    let rows = Memo::new(move |_| {
        let directory = workspace
            .fixed::<Directory>()
            .unwrap_or_else(|| Arc::new(Directory::seed()));
        held.with(|h| h.with(|docs| bundle::rows(docs, &directory)))
    });
    view! {
        <article class="bundle">
            <h1>{t("bundle.title")}</h1>
            <PrintDate/>
            <p class="muted">{move || {
                let n = rows.with(Vec::len);
                crate::ui::common::text::tr_with("bundle.count", &[("n", &n.to_string())])
            }}</p>
            <button type="button" class="secondary no-print" on:click=|_| device::print_page()>{t("export.print")}</button>
            // A table of ten columns scrolls inside its own box on a narrow screen.
            <div class="table-scroll" role="region" tabindex="0" aria-label=move || tr("bundle.title")>
            <table class="bundle-table">
                <thead>
                    <tr>{bundle::COLUMNS.map(|c| view! { <th scope="col">{move || tr(&format!("bundle.column.{c}"))}</th> }).into_iter().collect_view()}</tr>
                </thead>
                <tbody>
                    {move || rows.get().into_iter().map(|row| {
                        let mut cells = row.cells.clone();
                        cells[1] = i18n::date(&cells[1]);
                        if !cells[2].is_empty() {
                            cells[2] = tr(&format!("signal_kind.{}", cells[2]));
                        }
                        view! {
                            <tr data-signal=row.key.key.clone()>{cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </article>
    }
}
