//! A plan as it was: choosing a date, the plan at the end of that day
//! (read-only), restoring one actie or the whole document from it as a new
//! change.

use std::sync::Arc;

use automerge::{Automerge, ChangeHash};
use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::author::Stamp;
use regie_core::directory::Directory;
use regie_core::kind::DocError;
use regie_core::plan::{Plan, progress};

use super::text::{Notice, form_error, moment, status_label, t, tr, tr_with};
use crate::i18n;
use crate::platform::{Workspace, clock};

/// How a document of this kind is set back to an earlier state: a core
/// function such as `kind::restore::<Table>` or `plan::restore_plan`,
/// run through [`Workspace::restore_document`] as one stamped change.
pub type Restore = fn(&mut Automerge, &Stamp, &[ChangeHash]) -> Result<(), DocError>;

/// Choose a date to see the plan as it was at the end of that day.
#[component]
pub fn AsOfPicker(id: DocumentId, viewing: RwSignal<Option<Vec<ChangeHash>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let date = RwSignal::new(clock::today());
    let error = RwSignal::new(None::<Notice>);
    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match clock::end_of_local_day(&date.get_untracked()) {
            Some(time) => {
                let heads = workspace.heads_at(id, time);
                if heads.is_empty() {
                    error.set(Some(Notice::Key("history.not_yet")));
                } else {
                    error.set(None);
                    viewing.set(Some(heads));
                }
            }
            None => error.set(Some(Notice::Key("history.bad_date"))),
        }
    };
    view! {
        <form class="as-of" on:submit=show>
            <label>
                {t("history.as_of_label")}
                <input
                    type="date"
                    prop:value=move || date.get()
                    on:input=move |ev| date.set(event_target_value(&ev))
                    required
                />
            </label>
            <button type="submit">{t("history.as_of_show")}</button>
            {form_error(error)}
        </form>
    }
}

/// The plan as it was at `heads`: read-only, with restore buttons.
#[component]
pub fn PlanAsOf(
    id: DocumentId,
    heads: Vec<ChangeHash>,
    viewing: RwSignal<Option<Vec<ChangeHash>>>,
    restore: Option<Restore>,
) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let heads = StoredValue::new(heads);
    let then: Option<Arc<Plan>> = workspace.plan_as_of(id, &heads.get_value());
    let error = RwSignal::new(None::<Notice>);
    let done = RwSignal::new(None::<Notice>);
    let confirm_all = RwSignal::new(false);
    let names = move |ids: &str| {
        workspace
            .fixed::<Directory>()
            .map_or_else(|| ids.to_owned(), |d| d.name_of(ids))
    };
    let restore_action =
        move |action: String| match workspace.restore_action(id, &heads.get_value(), &action) {
            Ok(()) => {
                error.set(None);
                done.set(Some(Notice::Key("history.action_restored")));
            }
            Err(e) => error.set(Some(e.into())),
        };
    let restore_all = move |_| {
        if !confirm_all.get_untracked() {
            confirm_all.set(true);
            return;
        }
        confirm_all.set(false);
        let result = restore.map_or(Err(DocError::NotFound), |r| {
            workspace.restore_document(id, &heads.get_value(), r)
        });
        match result {
            Ok(()) => {
                error.set(None);
                done.set(Some(Notice::Key("history.plan_restored")));
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    let Some(plan) = then else {
        return view! { <p class="form-error" role="alert">{t("history.unreadable")}</p> }
            .into_any();
    };
    let when = workspace
        .sessions(id)
        .iter()
        .flat_map(|s| s.changes.iter().map(move |h| (h, s.end)))
        .filter(|(h, _)| heads.with_value(|hs| hs.contains(h)))
        .map(|(_, end)| end)
        .max();
    view! {
        <section class="as-of-view" aria-label=t("history.as_of_view")>
            <header>
                <h3>
                    {move || match when {
                        Some(time) => tr_with("history.as_it_was_at", &[("when", &moment(time))]),
                        None => tr("history.as_it_was"),
                    }}
                </h3>
                <button class="secondary" on:click=move |_| viewing.set(None)>{t("history.close_view")}</button>
            </header>
            <p class="muted">{t("history.read_only")}</p>
            {plan
                .ambitions
                .iter()
                .map(|ambition| {
                    view! {
                        <h4>{ambition.title.clone()}</h4>
                        <ul class="as-of-actions">
                            {ambition
                                .actions
                                .iter()
                                .map(|action| {
                                    let action_id = action.id.clone();
                                    let title = action.title.clone();
                                    let status = action.status;
                                    let percent = progress::of_action(action);
                                    let trekker = names(&action.trekker);
                                    let dates = [action.start.as_deref(), action.end.as_deref()]
                                        .iter()
                                        .map(|d| d.map(i18n::date).unwrap_or_default())
                                        .collect::<Vec<_>>()
                                        .join(" – ");
                                    let description = action.description.0.clone();
                                    let label = title.clone();
                                    view! {
                                        <li class="as-of-action">
                                            <strong>{title}</strong>
                                            " · "
                                            {move || status_label(status)}
                                            " · "
                                            {format!("{percent}%")}
                                            {(!trekker.is_empty()).then(|| format!(" · {trekker}"))}
                                            {(dates.trim() != "–").then(|| format!(" · {dates}"))}
                                            {(!description.is_empty()).then(|| view! { <p>{description}</p> })}
                                            <button
                                                class="secondary"
                                                aria-label=move || tr_with("history.restore_action_named", &[("title", &label)])
                                                on:click=move |_| restore_action(action_id.clone())
                                            >
                                                {t("history.restore_action")}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })
                .collect_view()}
            {restore
                .is_some()
                .then(|| {
                    view! {
                        <button class="danger" on:click=restore_all>
                            {move || if confirm_all.get() { tr("history.restore_all_confirm") } else { tr("history.restore_all") }}
                        </button>
                    }
                })}
            {form_error(error)}
            {move || done.get().map(|n| view! { <p class="notice" role="status">{move || n.text()}</p> })}
        </section>
    }
    .into_any()
}
