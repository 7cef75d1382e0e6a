//! The actie editor: details (checked as a whole, then saved in one
//! change), description and evaluation typed live into Automerge text,
//! indicators, budget lines and dated follow-up notes.

use leptos::prelude::*;
use regie_core::plan::{
    Action, BudgetForm, Details, Field, IndicatorForm, NoteForm, PlanError, Problems, Status,
    TextField, euro_label,
};

use super::forms::{CheckList, Choice, LiveText, Options, TextInput};
use super::plan::PlanCtx;
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
    let close = move || {
        workspace.set_editing(None);
        ctx.open.set(None);
    };
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
            on:keydown=move |ev| if ev.key() == "Escape" { close() }
        >
            <header class="editor-head">
                <h2 id="editor-title" tabindex="-1" node_ref=heading>{title}</h2>
                <button type="button" class="close" on:click=move |_| close()>"Sluiten"</button>
            </header>
            {move || if exists.get() {
                view! { <EditorBody action_id=action_id.clone() action/> }.into_any()
            } else {
                view! {
                    <p role="alert">"Deze actie bestaat niet meer; misschien heeft iemand anders ze verwijderd."</p>
                }.into_any()
            }}
        </section>
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
        <LiveText id="action-description".into() label="Beschrijving"
            value=text_of(|a| a.description.0.clone()) on_input=description disabled=read_only/>
        <Indicators action_id=action_id.clone() action/>
        <Budget action_id=action_id.clone() action/>
        <Notes action_id=action_id.clone() action/>
        <LiveText id="action-evaluation".into() label="Evaluatie"
            value=text_of(|a| a.evaluation.0.clone()) on_input=evaluation disabled=read_only/>
        <Show when=move || workspace.can_write()>
            <RemoveAction action_id=action_id.clone()/>
        </Show>
    }
}

/// A form's outcome: field problems, another error, or saved.
#[derive(Clone, Copy)]
struct Outcome {
    problems: RwSignal<Option<Problems>>,
    error: RwSignal<Option<String>>,
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
                self.error.set(Some(e.to_string()));
                false
            }
        }
    }

    fn view(self, ok: &'static str) -> impl IntoView {
        view! {
            {move || self.error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {move || self.saved.get().then(|| view! { <p class="form-ok" role="status">{ok}</p> })}
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
    let statuses: Options = Status::ALL
        .into_iter()
        .map(|s| (s.slug().to_owned(), s.label().to_owned()))
        .collect();
    let default_hint = move || {
        Status::from_slug(&status.get()).map(|s| {
            format!(
                "Standaard {} % bij {}",
                s.default_progress(),
                s.label().to_lowercase()
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
                <legend>"Gegevens"</legend>
                <TextInput id="action-title".into() label="Titel" value=title problems field=Field::Title/>
                <div class="field-row">
                    <Choice id="action-status".into() label="Status" options=statuses value=status/>
                    <TextInput id="action-progress".into() label="Voortgang (%)" value=progress_text
                        problems field=Field::Progress placeholder=default_hint().unwrap_or_default()/>
                    <TextInput id="action-weight".into() label="Gewicht" value=weight problems field=Field::Weight/>
                </div>
                <p class="muted hint">{default_hint} ". Laat leeg om de standaard te volgen."</p>
                <div class="field-row">
                    <Choice id="action-thema".into() label="Thema" options=Signal::derive(move || ctx.themes()) value=thema empty="Geen thema"/>
                    <Choice id="action-trekker".into() label="Trekker" options=Signal::derive(move || ctx.organisations()) value=trekker empty="Geen trekker"/>
                </div>
                <div class="field-row">
                    <TextInput id="action-start".into() label="Startdatum" kind="date" value=start_date problems field=Field::Start/>
                    <TextInput id="action-end".into() label="Einddatum" kind="date" value=end_date problems field=Field::End/>
                </div>
                <CheckList id_prefix="partner" legend="Betrokken partners"
                    options=Signal::derive(move || ctx.organisations()) chosen=partners/>
                <button type="submit">"Gegevens bewaren"</button>
                {outcome.view("Gegevens bewaard.")}
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
    let number =
        |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v}").replace('.', ","));
    view! {
        <section class="sub">
            <h3>"Indicatoren"</h3>
            <ul class="indicators">
                {move || action.with(|a| a.as_ref().map(|a| a.indicators.clone()).unwrap_or_default()).into_iter().map(|i| {
                    let (action_id, item_id, label) = (action_id.clone(), i.id.clone(), i.text.clone());
                    view! {
                        <li>
                            <span>{i.text.clone()}</span>
                            <span class="muted">{format!("doel {} · gemeten {}", number(i.target), number(i.measured))}</span>
                            <Show when=move || workspace.can_write()>
                                <RemoveItem action_id=action_id.clone() item_id=item_id.clone() label=label.clone()/>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || workspace.can_write()>
                <form class="inline-form" on:submit=add.clone()>
                    <TextInput id="indicator-text".into() label="Indicator" value=text problems field=Field::Text/>
                    <TextInput id="indicator-target".into() label="Doel" value=target problems field=Field::Target/>
                    <TextInput id="indicator-measured".into() label="Gemeten" value=measured problems field=Field::Measured/>
                    <button type="submit">"Indicator toevoegen"</button>
                    {outcome.view("Indicator toegevoegd.")}
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
                format!(
                    "Totaal gepland {} · besteed {}",
                    euro_label(p),
                    euro_label(s)
                )
            })
        })
    };
    view! {
        <section class="sub">
            <h3>"Budget"</h3>
            <ul class="budget">
                {move || action.with(|a| a.as_ref().map(|a| a.budget.clone()).unwrap_or_default()).into_iter().map(|b| {
                    let (action_id, item_id, label) = (action_id.clone(), b.id.clone(), b.label.clone());
                    view! {
                        <li>
                            <span>{b.label.clone()}</span>
                            <span class="muted">{format!("gepland {} · besteed {}{}", euro_label(b.planned_cents), euro_label(b.spent_cents), if b.wijkbudget { " · wijkbudget" } else { "" })}</span>
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
                    <TextInput id="budget-label".into() label="Waarvoor" value=label problems field=Field::Text/>
                    <TextInput id="budget-planned".into() label="Gepland (€)" value=planned problems field=Field::Planned/>
                    <TextInput id="budget-spent".into() label="Besteed (€)" value=spent problems field=Field::Spent/>
                    <div class="field checkbox">
                        <input id="budget-wijkbudget" type="checkbox" prop:checked=move || wijkbudget.get()
                            on:change=move |ev| wijkbudget.set(event_target_checked(&ev))/>
                        <label for="budget-wijkbudget">"Uit het wijkbudget"</label>
                    </div>
                    <button type="submit">"Budgetlijn toevoegen"</button>
                    {outcome.view("Budgetlijn toegevoegd.")}
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
            <h3>"Opvolging"</h3>
            <ol class="notes">
                {move || action.with(|a| a.as_ref().map(|a| a.notes.clone()).unwrap_or_default()).into_iter().map(|n| {
                    view! {
                        <li>
                            <span class="muted">{format!("{} · {}", n.date, n.author)}</span>
                            <p>{n.text.0.clone()}</p>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <Show when=move || workspace.can_write()>
                <form class="inline-form" on:submit=add.clone()>
                    <TextInput id="note-date".into() label="Datum" kind="date" value=date problems field=Field::Date/>
                    <TextInput id="note-text".into() label="Wat gebeurde er?" value=text problems field=Field::Text/>
                    <button type="submit">"Opvolging toevoegen"</button>
                    {outcome.view("Opvolging toegevoegd.")}
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
        <button type="button" class="small danger" aria-label=format!("{label} verwijderen") on:click=move |_| {
            let _ = workspace.edit_plan(ctx.id, |p| p.remove_item(&action_id, &item_id));
        }>"Verwijderen"</button>
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
                    <p role="alert">"Deze actie en haar indicatoren, budget en opvolging verwijderen?"</p>
                    <button type="button" class="danger" on:click=move |_| {
                        if workspace.edit_plan(ctx.id, |p| p.remove_action(&action_id)).is_ok() {
                            ctx.open.set(None);
                        }
                    }>"Ja, verwijderen"</button>
                    <button type="button" on:click=move |_| asked.set(false)>"Nee"</button>
                }.into_any()
            } else {
                view! { <button type="button" class="danger" on:click=move |_| asked.set(true)>"Actie verwijderen"</button> }.into_any()
            }}
        </div>
    }
}
