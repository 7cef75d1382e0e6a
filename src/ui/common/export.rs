//! Getting a document out: print (the print stylesheet makes clean A4
//! pages), JSON, Automerge's own `.automerge` file, and for a plan CSV
//! tables of its acties and signals.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::directory::Directory;
use regie_core::export::{self, ACTION_COLUMNS, SIGNAL_COLUMNS};
use regie_core::plan::Plan;
use regie_core::text::Text;

use crate::platform::{Workspace, device};
use crate::ui::common::text::{Notice, form_error, t, tr};

/// What a plan adds to the exports (its CSV tables).
#[derive(Clone, Copy)]
pub struct PlanExport {
    /// The plan as shown.
    pub plan: Memo<Option<std::sync::Arc<Plan>>>,
    /// The directory, for names instead of ids.
    pub directory: Memo<Option<Arc<Directory>>>,
}

/// Print and export buttons for document `id`; files are named after `name`.
#[component]
pub fn ExportMenu(
    id: DocumentId,
    #[prop(into)] name: Signal<String>,
    #[prop(optional)] plan: Option<PlanExport>,
) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let error = RwSignal::new(None::<Notice>);
    // `wijkactieplan-ledeberg-acties-2026-11-23.csv`: sorts by name, then date.
    let file = move |what: &str, extension: &str| {
        let what = if what.is_empty() {
            String::new()
        } else {
            format!("-{what}")
        };
        format!(
            "{}{what}-{}.{extension}",
            slug(&name.get_untracked()),
            crate::platform::today()
        )
    };
    let save = move |name: String, mime: &str, bytes: Option<Vec<u8>>| {
        let result = match bytes {
            Some(bytes) => device::save_file(&name, mime, &bytes),
            None => Err(Text::key("export.not_loaded")),
        };
        error.set(result.err().map(Notice::Said));
    };
    let json = move |_| {
        save(
            file("", "json"),
            "application/json",
            workspace.document_json(id).map(String::into_bytes),
        )
    };
    let automerge = move |_| {
        save(
            file("", "automerge"),
            "application/octet-stream",
            workspace.document_bytes(id),
        )
    };
    let csv = move |which: &'static str| {
        let Some(PlanExport { plan, directory }) = plan else {
            return;
        };
        let text = plan.with_untracked(|plan| {
            let plan = plan.as_ref()?;
            let directory = directory
                .get_untracked()
                .unwrap_or_else(|| Arc::new(Directory::seed()));
            Some(match which {
                "acties" => export::actions_csv(
                    plan,
                    &directory,
                    &ACTION_COLUMNS.map(|c| tr(&format!("export.column.{c}"))),
                    &tr("history.yes"),
                ),
                _ => export::signals_csv(
                    plan,
                    &directory,
                    &SIGNAL_COLUMNS.map(|c| tr(&format!("export.column.{c}"))),
                ),
            })
        });
        save(
            file(which, "csv"),
            "text/csv;charset=utf-8",
            text.map(String::into_bytes),
        );
    };
    view! {
        <details class="export">
            <summary>{t("export.title")}</summary>
            <div class="export-buttons">
                <button class="secondary" on:click=|_| device::print_page()>{t("export.print")}</button>
                {plan
                    .is_some()
                    .then(|| {
                        view! {
                            <button class="secondary" on:click=move |_| csv("acties")>{t("export.actions_csv")}</button>
                            <button class="secondary" on:click=move |_| csv("signalen")>{t("export.signals_csv")}</button>
                        }
                    })}
                <button class="secondary" on:click=json>{t("export.json")}</button>
                <button class="secondary" on:click=automerge>{t("export.automerge")}</button>
            </div>
            {form_error(error)}
        </details>
    }
}

/// A name fit for a file: lower case, letters and digits, dashes between.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        "regie".to_owned()
    } else {
        slug
    }
}
