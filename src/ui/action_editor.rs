//! The actie editor: details (checked as a whole, then saved in one
//! change), description and evaluation typed live into Automerge text,
//! indicators, budget lines and dated follow-up notes.

use leptos::prelude::*;
use regie_core::plan::{
    Action, BudgetForm, Details, Field, IndicatorForm, NoteForm, PlanError, Problems, Status,
    TextField,
};
use wasm_bindgen::JsCast as _;

use super::conflicts::ConflictList;
use super::forms::{CheckList, Choice, LiveText, Options, TextInput};
use super::history::HistoryDetails;
use super::plan::PlanCtx;
use super::{Notice, form_error, status_label, t, tr, tr_with};
use crate::i18n;
use crate::platform::Workspace;
use crate::platform::workspace::new_item_id;

/// The editor for one actie, shown as a dialog over the plan.
#[component]
pub fn ActionEditor(action_id: String) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let key = action_id.clone();
    let action = Memo::new(move |_| ctx.plan.with(|p| p.as_ref()?.action(&key).cloned()));
    // Only appearing or disappearing rebuilds the body, not every edit.
    let exists = Memo::new(move |_| action.with(Option::is_some));
    // Focus goes back where it came from (the actie's title) on close.
    let opener = StoredValue::new_local(
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element()),
    );
    let close = move || {
        workspace.set_editing(None);
        ctx.open.set(None);
        opener.with_value(|el| {
            if let Some(el) = el
                .as_ref()
                .and_then(|e| e.dyn_ref::<web_sys::HtmlElement>())
                && el.is_connected()
            {
                let _ = el.focus();
            }
        });
    };
    let dialog = NodeRef::<leptos::html::Section>::new();
    workspace.set_editing(Some(action_id.clone()));
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let title = move || action.with(|a| a.as_ref().map(|a| a.title.clone()).unwrap_or_default());
    view! {
        <div class="editor-backdrop" on:click=move |_| close()></div>
        <section
            class="editor"
            role="dialog"
            aria-modal="true"
            aria-labelledby="editor-title"
            node_ref=dialog
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    close();
                } else if ev.key() == "Tab" && let Some(dialog) = dialog.get() {
                    keep_focus_inside(&dialog, &ev);
                }
            }
        >
            <header class="editor-head">
                <h2 id="editor-title" tabindex="-1" node_ref=heading>{title}</h2>
                <button type="button" class="close" on:click=move |_| close()>{t("editor.close")}</button>
            </header>
            <ConflictList id=ctx.id item=action_id.clone()/>
            {move || if exists.get() {
                view! { <EditorBody action_id=action_id.clone() action/> }.into_any()
            } else {
                view! {
                    <p role="alert">{t("editor.gone")}</p>
                }.into_any()
            }}
        </section>
    }
}

/// Tab and Shift+Tab cycle through the dialog's controls instead of
/// leaving it for the page behind (a modal dialog, WCAG 2.4.3).
fn keep_focus_inside(dialog: &web_sys::HtmlElement, ev: &leptos::ev::KeyboardEvent) {
    const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
        select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let visible: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|el| el.offset_parent().is_some())
        .collect();
    let (Some(first), Some(last)) = (visible.first(), visible.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let at = |el: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>())
    };
    let inside = active.as_ref().is_some_and(|a| dialog.contains(Some(a)));
    if ev.shift_key() && (at(first) || !inside) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && (at(last) || !inside) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

#[component]
fn EditorBody(action_id: String, action: Memo<Option<Action>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let read_only = Signal::derive(move || !workspace.can_write());
    let id = ctx.id;
    let text_of = move |pick: fn(&Action) -> String| {
        Signal::derive(move || action.with(|a| a.as_ref().map(pick).unwrap_or_default()))
    };
    let description = {
        let action_id = action_id.clone();
        Callback::new(move |text: String| {
            workspace.edit_text(id, TextField::Description(&action_id), &text)
        })
    };
    let evaluation = {
        let action_id = action_id.clone();
        Callback::new(move |text: String| {
            workspace.edit_text(id, TextField::Evaluation(&action_id), &text)
        })
    };
    view! {
        <DetailsSection action_id=action_id.clone() action/>
        <LiveText id="action-description".into() label="editor.description"
            value=text_of(|a| a.description.0.clone()) on_input=description disabled=read_only/>
        <Indicators action_id=action_id.clone() action/>
        <Budget action_id=action_id.clone() action/>
        <Notes action_id=action_id.clone() action/>
        <LiveText id="action-evaluation".into() label="editor.evaluation"
            value=text_of(|a| a.evaluation.0.clone()) on_input=evaluation disabled=read_only/>
        <HistoryDetails id item=action_id.clone() summary="history.item_title"/>
        <Show when=move || workspace.can_write()>
            <RemoveAction action_id=action_id.clone()/>
        </Show>
    }
}

/// A form's outcome: field problems, another error, or saved.
#[derive(Clone, Copy)]
struct Outcome {
    problems: RwSignal<Option<Problems>>,
    error: RwSignal<Option<Notice>>,
    saved: RwSignal<bool>,
}

impl Outcome {
    fn new() -> Self {
        Outcome {
            problems: RwSignal::new(None),
            error: RwSignal::new(None),
            saved: RwSignal::new(false),
        }
    }

    /// Shows what happened; true when it was saved.
    fn show(&self, result: Result<(), PlanError>) -> bool {
        self.saved.set(result.is_ok());
        match result {
            Ok(()) => {
                self.problems.set(None);
                self.error.set(None);
                true
            }
            Err(PlanError::Invalid(problems)) => {
                self.problems.set(Some(problems));
                self.error.set(None);
                false
            }
            Err(e) => {
                self.problems.set(None);
                self.error.set(Some(e.into()));
                false
            }
        }
    }

    /// The error or the `ok` message (a locale key).
    fn view(self, ok: &'static str) -> impl IntoView {
        view! {
            {form_error(self.error)}
            {move || self.saved.get().then(|| view! { <p class="form-ok" role="status">{t(ok)}</p> })}
        }
    }
}

#[component]
fn DetailsSection(action_id: String, action: Memo<Option<Action>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let start = action
        .get_untracked()
        .map(|a| a.details_form())
        .unwrap_or_default();
    // What the form showed when it opened: only fields changed since are written.
    let before = StoredValue::new(action.get_untracked().map(|a| a.details()));
    let title = RwSignal::new(start.title);
    let thema = RwSignal::new(start.thema);
    let trekker = RwSignal::new(start.trekker);
    let partners = RwSignal::new(start.partners);
    let status = RwSignal::new(start.status.unwrap_or(Status::Idee).slug().to_owned());
    let progress_text = RwSignal::new(start.progress);
    let weight = RwSignal::new(start.weight);
    let start_date = RwSignal::new(start.start);
    let end_date = RwSignal::new(start.end);
    let outcome = Outcome::new();
    let statuses = Signal::derive(|| {
        Status::ALL
            .into_iter()
            .map(|s| (s.slug().to_owned(), status_label(s)))
            .collect::<Options>()
    });
    let default_hint = move || {
        Status::from_slug(&status.get()).map(|s| {
            tr_with(
                "editor.default_progress",
                &[
                    ("percent", &s.default_progress().to_string()),
                    ("status", &status_label(s).to_lowercase()),
                ],
            )
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = regie_core::plan::DetailsForm {
            title: title.get_untracked(),
            thema: thema.get_untracked(),
            trekker: trekker.get_untracked(),
            partners: partners.get_untracked(),
            status: Status::from_slug(&status.get_untracked()),
            progress: progress_text.get_untracked(),
            weight: weight.get_untracked(),
            start: start_date.get_untracked(),
            end: end_date.get_untracked(),
        };
        let result = form
            .check()
            .map_err(PlanError::from)
            .and_then(|details: Details| {
                let Some(was) = before.get_value() else {
                    return Err(PlanError::NotFound);
                };
                workspace
                    .edit_plan(ctx.id, |p| p.set_details(&action_id, details.clone(), &was))?;
                before.set_value(Some(details));
                Ok(())
            });
        outcome.show(result);
    };
    let problems = outcome.problems;
    view! {
        <form class="details" on:submit=submit>
            <fieldset prop:disabled=move || !workspace.can_write()>
                <legend>{t("editor.details")}</legend>
                <TextInput id="action-title".into() label="editor.title" value=title problems field=Field::Title/>
                <div class="field-row">
                    <Choice id="action-status".into() label="editor.status" options=statuses value=status/>
                    <TextInput id="action-progress".into() label="editor.progress" value=progress_text
                        problems field=Field::Progress placeholder=default_hint().unwrap_or_default()/>
                    <TextInput id="action-weight".into() label="editor.weight" value=weight problems field=Field::Weight/>
                </div>
                <p class="muted hint">{default_hint} ". " {t("editor.default_hint")}</p>
                <div class="field-row">
                    <Choice id="action-thema".into() label="editor.thema" options=Signal::derive(move || ctx.themes()) value=thema empty="editor.no_thema"/>
                    <Choice id="action-trekker".into() label="editor.trekker" options=Signal::derive(move || ctx.organisations()) value=trekker empty="editor.no_trekker"/>
                </div>
                <div class="field-row">
                    <TextInput id="action-start".into() label="editor.start" kind="date" value=start_date problems field=Field::Start/>
                    <TextInput id="action-end".into() label="editor.end" kind="date" value=end_date problems field=Field::End/>
                </div>
                <CheckList id_prefix="partner" legend="editor.partners"
                    options=Signal::derive(move || ctx.organisations()) chosen=partners/>
                <button type="submit">{t("editor.save_details")}</button>
                {outcome.view("editor.details_saved")}
            </fieldset>
        </form>
    }
}

#[component]
fn Indicators(action_id: String, action: Memo<Option<Action>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let text = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let measured = RwSignal::new(String::new());
    let outcome = Outcome::new();
    let problems = outcome.problems;
    let add = {
        let action_id = action_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let form = IndicatorForm {
                text: text.get_untracked(),
                target: target.get_untracked(),
                measured: measured.get_untracked(),
            };
            if outcome.show(workspace.edit_plan(ctx.id, |p| {
                p.add_indicator(&action_id, new_item_id(), &form)
            })) {
                text.set(String::new());
                target.set(String::new());
                measured.set(String::new());
            }
        }
    };
    let number = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), i18n::number);
    view! {
        <section class="sub">
            <h3>{t("editor.indicators")}</h3>
            <ul class="indicators">
                {move || action.with(|a| a.as_ref().map(|a| a.indicators.clone()).unwrap_or_default()).into_iter().map(|i| {
                    let (action_id, item_id, label) = (action_id.clone(), i.id.clone(), i.text.clone());
                    view! {
                        <li>
                            <span>{i.text.clone()}</span>
                            <span class="muted">{move || tr_with("editor.indicator_values", &[("target", &number(i.target)), ("measured", &number(i.measured))])}</span>
                            <Show when=move || workspace.can_write()>
                                <RemoveItem action_id=action_id.clone() item_id=item_id.clone() label=label.clone()/>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || workspace.can_write()>
                <form class="inline-form" on:submit=add.clone()>
                    <TextInput id="indicator-text".into() label="editor.indicator" value=text problems field=Field::Text/>
                    <TextInput id="indicator-target".into() label="editor.target" value=target problems field=Field::Target/>
                    <TextInput id="indicator-measured".into() label="editor.measured" value=measured problems field=Field::Measured/>
                    <button type="submit">{t("editor.add_indicator")}</button>
                    {outcome.view("editor.indicator_added")}
                </form>
            </Show>
        </section>
    }
}

#[component]
fn Budget(action_id: String, action: Memo<Option<Action>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let label = RwSignal::new(String::new());
    let planned = RwSignal::new(String::new());
    let spent = RwSignal::new(String::new());
    let wijkbudget = RwSignal::new(false);
    let outcome = Outcome::new();
    let problems = outcome.problems;
    let add = {
        let action_id = action_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let form = BudgetForm {
                label: label.get_untracked(),
                planned: planned.get_untracked(),
                spent: spent.get_untracked(),
                wijkbudget: wijkbudget.get_untracked(),
            };
            if outcome.show(workspace.edit_plan(ctx.id, |p| {
                p.add_budget_line(&action_id, new_item_id(), &form)
            })) {
                label.set(String::new());
                planned.set(String::new());
                spent.set(String::new());
                wijkbudget.set(false);
            }
        }
    };
    let totals = move || {
        action.with(|a| {
            a.as_ref().map(|a| {
                let (p, s) = a.budget_totals();
                tr_with(
                    "editor.budget_total",
                    &[("planned", &i18n::euro(p)), ("spent", &i18n::euro(s))],
                )
            })
        })
    };
    view! {
        <section class="sub">
            <h3>{t("editor.budget")}</h3>
            <ul class="budget">
                {move || action.with(|a| a.as_ref().map(|a| a.budget.clone()).unwrap_or_default()).into_iter().map(|b| {
                    let (action_id, item_id, label) = (action_id.clone(), b.id.clone(), b.label.clone());
                    view! {
                        <li>
                            <span>{b.label.clone()}</span>
                            <span class="muted">{move || {
                                let amounts = tr_with("editor.budget_line", &[("planned", &i18n::euro(b.planned_cents)), ("spent", &i18n::euro(b.spent_cents))]);
                                if b.wijkbudget { format!("{amounts} · {}", tr("editor.wijkbudget")) } else { amounts }
                            }}</span>
                            <Show when=move || workspace.can_write()>
                                <RemoveItem action_id=action_id.clone() item_id=item_id.clone() label=label.clone()/>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="budget-total">{totals}</p>
            <Show when=move || workspace.can_write()>
                <form class="inline-form" on:submit=add.clone()>
                    <TextInput id="budget-label".into() label="editor.budget_label" value=label problems field=Field::Text/>
                    <TextInput id="budget-planned".into() label="editor.planned" value=planned problems field=Field::Planned/>
                    <TextInput id="budget-spent".into() label="editor.spent" value=spent problems field=Field::Spent/>
                    <div class="field checkbox">
                        <input id="budget-wijkbudget" type="checkbox" prop:checked=move || wijkbudget.get()
                            on:change=move |ev| wijkbudget.set(event_target_checked(&ev))/>
                        <label for="budget-wijkbudget">{t("editor.from_wijkbudget")}</label>
                    </div>
                    <button type="submit">{t("editor.add_budget")}</button>
                    {outcome.view("editor.budget_added")}
                </form>
            </Show>
        </section>
    }
}

#[component]
fn Notes(action_id: String, action: Memo<Option<Action>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let date = RwSignal::new(crate::platform::today());
    let text = RwSignal::new(String::new());
    let outcome = Outcome::new();
    let problems = outcome.problems;
    let add = {
        let action_id = action_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let form = NoteForm {
                date: date.get_untracked(),
                author: workspace.me().map(|m| m.name).unwrap_or_default(),
                text: text.get_untracked(),
            };
            if outcome
                .show(workspace.edit_plan(ctx.id, |p| p.add_note(&action_id, new_item_id(), &form)))
            {
                text.set(String::new());
            }
        }
    };
    view! {
        <section class="sub">
            <h3>{t("editor.notes")}</h3>
            <ol class="notes">
                {move || action.with(|a| a.as_ref().map(|a| a.notes.clone()).unwrap_or_default()).into_iter().map(|n| {
                    view! {
                        <li>
                            <span class="muted">{format!("{} · {}", i18n::date(&n.date), n.author)}</span>
                            <p>{n.text.0.clone()}</p>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <Show when=move || workspace.can_write()>
                <form class="inline-form" on:submit=add.clone()>
                    <TextInput id="note-date".into() label="editor.date" kind="date" value=date problems field=Field::Date/>
                    <TextInput id="note-text".into() label="editor.what_happened" value=text problems field=Field::Text/>
                    <button type="submit">{t("editor.add_note")}</button>
                    {outcome.view("editor.note_added")}
                </form>
            </Show>
        </section>
    }
}

#[component]
fn RemoveItem(action_id: String, item_id: String, label: String) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    view! {
        <button type="button" class="small danger" aria-label=move || tr_with("editor.remove_named", &[("name", &label)]) on:click=move |_| {
            let _ = workspace.edit_plan(ctx.id, |p| p.remove_item(&action_id, &item_id));
        }>{t("editor.remove")}</button>
    }
}

#[component]
fn RemoveAction(action_id: String) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let asked = RwSignal::new(false);
    view! {
        <div class="remove-action">
            {move || if asked.get() {
                let action_id = action_id.clone();
                view! {
                    <p role="alert">{t("editor.remove_action_question")}</p>
                    <button type="button" class="danger" on:click=move |_| {
                        if workspace.edit_plan(ctx.id, |p| p.remove_action(&action_id)).is_ok() {
                            ctx.open.set(None);
                        }
                    }>{t("editor.remove_yes")}</button>
                    <button type="button" on:click=move |_| asked.set(false)>{t("editor.remove_no")}</button>
                }.into_any()
            } else {
                view! { <button type="button" class="danger" on:click=move |_| asked.set(true)>{t("editor.remove_action")}</button> }.into_any()
            }}
        </div>
    }
}
