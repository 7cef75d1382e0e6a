//! Signals across the city: how often each thema and policy domain comes
//! back, in how many wijken, and the signalenbundel for the signal
//! coordinator (CSV here, the printable A4 page at `/signalenbundel`).

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use regie_core::cycle::{bundle, recurrence};
use regie_core::directory::Directory;
use regie_core::plan::Plan;

use crate::platform::{Workspace, device};
use crate::ui::common::cycle::Held;
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// How many themas and domains the table shows.
const SHOWN: usize = 8;

/// The bundle's CSV, with headings in the interface language.
pub fn bundle_csv(held: &Held, directory: &Directory) -> String {
    let rows = held.with(|docs| bundle::rows(docs, directory));
    bundle::csv(
        &rows,
        &bundle::COLUMNS.map(|c| tr(&format!("bundle.column.{c}"))),
    )
}

#[component]
pub fn AcrossTheCity(held: Memo<Held>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let directory = Memo::new(move |_| workspace.fixed::<Directory>());
    let counts = Memo::new(move |_| {
        held.with(|h| {
            let plans: Vec<&Plan> = h.plans.iter().map(|(_, p)| &**p).collect();
            let (themas, domains) = recurrence::across_city(&plans);
            let name = |id: &str| {
                directory.with(|d| {
                    d.as_ref()
                        .map_or_else(|| id.to_owned(), |d| d.thema_name(id))
                })
            };
            let line = |label: String, r: &recurrence::Recurrence| {
                tr_with(
                    "city.line",
                    &[
                        ("name", &label),
                        ("n", &r.signals.to_string()),
                        ("wijken", &r.wijken.len().to_string()),
                    ],
                )
            };
            (
                themas
                    .iter()
                    .take(SHOWN)
                    .map(|r| line(name(&r.id), r))
                    .collect::<Vec<_>>(),
                domains
                    .iter()
                    .take(SHOWN)
                    .map(|r| line(h.register.domain_name(&r.id), r))
                    .collect::<Vec<_>>(),
            )
        })
    });
    let error = RwSignal::new(None::<Notice>);
    let download = move |_| {
        let directory = directory
            .get_untracked()
            .unwrap_or_else(|| Arc::new(Directory::seed()));
        let csv = held.with_untracked(|h| bundle_csv(h, &directory));
        let name = format!("signalenbundel-{}.csv", crate::platform::today());
        let saved = device::save_file(&name, "text/csv;charset=utf-8", csv.as_bytes());
        error.set(saved.err().map(Notice::Said));
    };
    let list = |lines: Vec<String>| {
        if lines.is_empty() {
            view! { <p class="muted">{tr("register.none")}</p> }.into_any()
        } else {
            view! { <ol class="recurrence">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ol> }.into_any()
        }
    };
    view! {
        <section class="card city">
            <h2>{t("city.title")}</h2>
            <p class="muted">{t("city.text")}</p>
            <div class="two-columns">
                <div>
                    <h3>{t("city.by_thema")}</h3>
                    {move || list(counts.get().0)}
                </div>
                <div>
                    <h3>{t("city.by_domain")}</h3>
                    {move || list(counts.get().1)}
                </div>
            </div>
            <div class="export-buttons">
                <button type="button" class="secondary" on:click=download>{t("city.bundle_csv")}</button>
                <A href="/signalenbundel">{t("city.bundle_print")}</A>
            </div>
            {form_error(error)}
        </section>
    }
}
