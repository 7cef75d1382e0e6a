//! The history of a document or of one item in it: working sessions with
//! their author and time, what changed in words, the plan as it was on a
//! date (read-only), and restoring an actie or the whole document to such a
//! moment as a new change.

use automerge::ChangeHash;
use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::author::Author;
use regie_core::history::{Crumb, Edit, EditKind, Session};

use super::as_of::{AsOfPicker, PlanAsOf};
use super::text::{Notice, moment, status_label, t, tr, tr_with};
use crate::i18n;
use crate::platform::Workspace;

pub use super::as_of::Restore;

/// Sessions shown at first; more on request (a big plan has hundreds).
const FIRST_SESSIONS: usize = 15;

/// The history of document `id`, or of the item `item` (an actie id) in it.
/// `restore` sets the whole document back; plans also get the read-only
/// "as it was" view with per-actie restore.
#[component]
pub fn HistoryPanel(
    id: DocumentId,
    #[prop(optional, into)] item: Option<String>,
    #[prop(optional)] restore: Option<Restore>,
    #[prop(optional)] plan: bool,
) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let sessions = Memo::new(move |_| workspace.sessions(id));
    let shown = RwSignal::new(FIRST_SESSIONS);
    let viewing = RwSignal::new(None::<Vec<ChangeHash>>);
    let item = StoredValue::new(item);
    let relevant = move || {
        let item = item.get_value();
        sessions.with(|all| match &item {
            // Only sessions that touched the item (described lazily below,
            // but an item's history must not list unrelated sessions).
            Some(item) => all
                .iter()
                .filter(|s| !workspace.describe(id, &s.changes, Some(item)).is_empty())
                .cloned()
                .collect::<Vec<_>>(),
            None => all.clone(),
        })
    };
    let relevant = Memo::new(move |_| relevant());
    view! {
        <section class="history" aria-labelledby=format!("history-{id}")>
            <h2 id=format!("history-{id}")>
                {move || if item.get_value().is_some() { tr("history.item_title") } else { tr("history.title") }}
            </h2>
            {plan.then(|| view! { <AsOfPicker id viewing/> })}
            {move || {
                viewing
                    .get()
                    .map(|heads| {
                        view! { <PlanAsOf id heads viewing restore/> }
                    })
            }}
            <ol class="sessions">
                <For
                    each=move || {
                        relevant.get().into_iter().take(shown.get()).enumerate().collect::<Vec<_>>()
                    }
                    key=|(_, s)| s.changes.first().copied()
                    let((_, session))
                >
                    <SessionRow id session item=item.get_value() viewing plan restore/>
                </For>
            </ol>
            {move || {
                relevant
                    .with(|r| r.is_empty())
                    .then(|| view! { <p class="muted">{t("history.empty")}</p> })
            }}
            {move || {
                (relevant.with(Vec::len) > shown.get())
                    .then(|| {
                        view! {
                            <button class="secondary" on:click=move |_| shown.update(|n| *n += FIRST_SESSIONS)>
                                {t("history.more")}
                            </button>
                        }
                    })
            }}
        </section>
    }
}

/// The history behind a "Geschiedenis" disclosure, worked out only when
/// someone opens it (for a big document that reads every change).
#[component]
pub fn HistoryDetails(
    id: DocumentId,
    #[prop(optional, into)] item: Option<String>,
    #[prop(optional)] restore: Option<Restore>,
    summary: &'static str,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let item = StoredValue::new(item);
    let details = NodeRef::<leptos::html::Details>::new();
    view! {
        <details
            class="history-details"
            node_ref=details
            on:toggle=move |_| open.set(details.get_untracked().is_some_and(|d| d.open()))
        >
            <summary>{t(summary)}</summary>
            {move || {
                open.get()
                    .then(|| match (item.get_value(), restore) {
                        (Some(item), _) => view! { <HistoryPanel id item/> }.into_any(),
                        (None, Some(restore)) => view! { <HistoryPanel id restore/> }.into_any(),
                        (None, None) => view! { <HistoryPanel id/> }.into_any(),
                    })
            }}
        </details>
    }
}

/// One working session: who, when, how much; what changed on request.
#[component]
fn SessionRow(
    id: DocumentId,
    session: Session,
    item: Option<String>,
    viewing: RwSignal<Option<Vec<ChangeHash>>>,
    plan: bool,
    restore: Option<Restore>,
) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let open = RwSignal::new(false);
    let confirm = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Notice>);
    // Documents other than plans are set back to the state after a session
    // directly (a plan shows that state first, see `PlanAsOf`).
    let restore_here = restore.filter(|_| !plan && item.is_none());
    let session_last = session.changes.last().copied();
    let restore_after = move |_| {
        if !confirm.get_untracked() {
            confirm.set(true);
            return;
        }
        confirm.set(false);
        let (Some(restore), Some(last)) = (restore_here, session_last) else {
            return;
        };
        outcome.set(Some(
            match workspace.restore_document(id, &[last], restore) {
                Ok(()) => Notice::Key("history.document_restored"),
                Err(e) => e.into(),
            },
        ));
    };
    let changes = StoredValue::new(session.changes.clone());
    let last = session_last;
    let edits = move || {
        open.get().then(|| {
            let edits = workspace.describe(id, &changes.get_value(), item.as_deref());
            let truncated = changes.with_value(Vec::len) > regie_core::history::DESCRIBE_LIMIT;
            view! {
                <ul class="edits">
                    {edits.iter().map(|e| view! { <li>{edit_text(e)}</li> }).collect_view()}
                    {edits.is_empty().then(|| view! { <li class="muted">{t("history.no_visible_edits")}</li> })}
                    {truncated.then(|| view! { <li class="muted">{t("history.truncated")}</li> })}
                </ul>
            }
        })
    };
    let count = session.changes.len();
    let details = NodeRef::<leptos::html::Details>::new();
    view! {
        <li class="session">
            <AuthorBadge author=session.author.clone()/>
            <span class="when">{when(session.start, session.end)}</span>
            <span class="count">
                {move || {
                    if count == 1 {
                        tr("history.one_change")
                    } else {
                        tr_with("history.changes", &[("n", &count.to_string())])
                    }
                }}
            </span>
            <details node_ref=details on:toggle=move |_| open.set(details.get_untracked().is_some_and(|d| d.open()))>
                <summary>{t("history.what_changed")}</summary>
                {edits}
            </details>
            {(plan && last.is_some())
                .then(|| {
                    view! {
                        <button
                            class="secondary"
                            on:click=move |_| viewing.set(last.map(|h| vec![h]))
                        >
                            {t("history.view_after")}
                        </button>
                    }
                })}
            {restore_here
                .is_some()
                .then(|| {
                    view! {
                        <button class="secondary" on:click=restore_after>
                            {move || if confirm.get() { tr("history.restore_after_confirm") } else { tr("history.restore_after") }}
                        </button>
                    }
                })}
            {move || outcome.get().map(|n| view! { <p class="notice" role="status">{move || n.text()}</p> })}
        </li>
    }
}

/// A person's name with their colour and organisation; "unknown" when the
/// change came from somewhere without a name.
#[component]
pub fn AuthorBadge(author: Option<Author>) -> impl IntoView {
    match author {
        Some(a) => {
            let org = (!a.organisation.is_empty()).then(|| format!(" ({})", a.organisation));
            view! {
                <span class="author">
                    <span class="dot" style=format!("background:{}", a.colour) aria-hidden="true"></span>
                    <strong>{a.name}</strong>
                    {org}
                </span>
            }
            .into_any()
        }
        None => {
            view! { <span class="author muted">{t("history.unknown_author")}</span> }.into_any()
        }
    }
}

/// An edit in words, in the interface language.
pub fn edit_text(edit: &Edit) -> String {
    let place = place(&edit.item);
    let what = match &edit.kind {
        EditKind::Added { label } => tr_with(
            "history.added",
            &[("what", &item_noun(&edit.field)), ("label", label)],
        ),
        EditKind::Removed { label } => tr_with(
            "history.removed",
            &[("what", &item_noun(&edit.field)), ("label", label)],
        ),
        EditKind::Set {
            from: Some(from),
            to,
        } => tr_with(
            "history.set_from",
            &[
                ("field", &field_label(&edit.field)),
                ("from", &value_text(&edit.field, from)),
                ("to", &value_text(&edit.field, to)),
            ],
        ),
        EditKind::Set { from: None, to } => tr_with(
            "history.set",
            &[
                ("field", &field_label(&edit.field)),
                ("to", &value_text(&edit.field, to)),
            ],
        ),
        EditKind::Cleared => tr_with("history.cleared", &[("field", &field_label(&edit.field))]),
        EditKind::TextEdited => tr_with(
            "history.text_edited",
            &[("field", &field_label(&edit.field))],
        ),
    };
    if place.is_empty() {
        what
    } else {
        format!("{place}: {what}")
    }
}

/// Where an edit happened: "Actie “Buurtfeest”" (the innermost item).
pub fn place(item: &[Crumb]) -> String {
    item.last()
        .map(|c| {
            if c.label.is_empty() {
                item_noun(&c.list)
            } else {
                format!("{} “{}”", item_noun(&c.list), c.label)
            }
        })
        .unwrap_or_default()
}

/// The word for an item of a list, by the list's schema key ("actions" → "Actie").
pub fn item_noun(list: &str) -> String {
    known(&format!("history.item.{list}")).unwrap_or_else(|| list.to_owned())
}

/// The word for a field, by its schema key ("end" → "Einddatum").
pub fn field_label(key: &str) -> String {
    known(&format!("history.field.{key}")).unwrap_or_else(|| key.to_owned())
}

/// A value as people read it: statuses in the interface language, dates
/// written the Flemish way.
pub fn value_text(field: &str, value: &str) -> String {
    match field {
        // Stored as the variant's name, "Gepland".
        "status" => regie_core::plan::Status::from_slug(&value.to_lowercase())
            .map_or_else(|| value.to_owned(), status_label),
        "start" | "end" | "date" => i18n::date(value),
        _ => match value {
            "true" => tr("history.yes"),
            "false" => tr("history.no"),
            other => other.to_owned(),
        },
    }
}

/// The text of `key`, if the locale files have it.
fn known(key: &str) -> Option<String> {
    let text = tr(key);
    (text != key).then_some(text)
}

/// A session's time span: "23/11/2026 14:05–14:32".
fn when(start: i64, end: i64) -> String {
    if start <= 0 {
        return tr("history.unknown_time");
    }
    let (first, last) = (moment(start), moment(end));
    match (first.split_once(' '), last.split_once(' ')) {
        (Some((day, from)), Some((same_day, to))) if day == same_day => {
            if from == to {
                first
            } else {
                format!("{day} {from}–{to}")
            }
        }
        _ => format!("{first} – {last}"),
    }
}
