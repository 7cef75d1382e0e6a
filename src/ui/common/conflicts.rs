//! Fields that two people set at the same time while apart: each value with
//! who wrote it, and one click to keep one. Shown where the field is (the
//! actie dialog) and as a list on the document's page, so nothing is decided
//! silently.

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::conflicts::Conflict;

use crate::platform::Workspace;
use crate::ui::common::history::{AuthorBadge, field_label, place, value_text};
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// The conflicts in document `id`, or only those of item `item` (an actie id).
#[component]
pub fn ConflictList(id: DocumentId, #[prop(optional, into)] item: Option<String>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let item = StoredValue::new(item);
    let conflicts = Memo::new(move |_| {
        let all = workspace.conflicts(id);
        match item.get_value() {
            Some(item) => all
                .into_iter()
                .filter(|c| c.item_id.as_deref() == Some(item.as_str()))
                .collect(),
            None => all,
        }
    });
    let error = RwSignal::new(None::<Notice>);
    move || {
        let list = conflicts.get();
        (!list.is_empty()).then(|| {
            view! {
                <section class="conflicts" role="region" aria-label=t("conflicts.title")>
                    <h2>{t("conflicts.title")}</h2>
                    <p>{t("conflicts.explain")}</p>
                    <ul>
                        {list
                            .into_iter()
                            .map(|conflict| view! { <ConflictRow id conflict error/> })
                            .collect_view()}
                    </ul>
                    {form_error(error)}
                </section>
            }
        })
    }
}

/// One field with its concurrent values.
#[component]
fn ConflictRow(
    id: DocumentId,
    conflict: Conflict,
    error: RwSignal<Option<Notice>>,
) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let field = conflict.field.clone();
    let heading = {
        let place = place(&conflict.item);
        let field = field_label(&conflict.field);
        if place.is_empty() {
            field
        } else {
            format!("{place} · {field}")
        }
    };
    let conflict = StoredValue::new(conflict);
    let values = conflict.with_value(|c| c.values.clone());
    view! {
        <li class="conflict">
            <h3>{heading}</h3>
            <ul class="candidates">
                {values
                    .into_iter()
                    .enumerate()
                    .map(|(choice, candidate)| {
                        let text = value_text(&field, &candidate.text);
                        let who = candidate
                            .author
                            .as_ref()
                            .map_or_else(|| tr("history.unknown_author"), |a| a.name.clone());
                        let label = {
                            let text = text.clone();
                            move || tr_with("conflicts.keep_named", &[("value", &text), ("who", &who)])
                        };
                        let keep = move |_| {
                            let result = conflict.with_value(|c| workspace.resolve(id, c, choice));
                            error.set(result.err().map(Notice::from));
                        };
                        view! {
                            <li class="candidate">
                                <span class="value">{if text.is_empty() { tr("conflicts.empty") } else { text }}</span>
                                <AuthorBadge author=candidate.author.clone()/>
                                {(choice == 0).then(|| view! { <span class="muted">{t("conflicts.shown_now")}</span> })}
                                <button on:click=keep aria-label=label>{t("conflicts.keep")}</button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </li>
    }
}
