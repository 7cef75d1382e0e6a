//! The actie's lists: indicators, budget lines and dated follow-up notes
//! (each added through a checked form, removed one by one), and removing
//! the actie itself.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use regie_core::kind::DocError;
use regie_core::plan::budget;
use regie_core::plan::{Action, BudgetForm, Field, IndicatorForm, NoteForm, Plan};

use super::context::PlanCtx;
use super::widgets::Outcome;
use super::wijkbudget::fund_label;
use crate::i18n;
use crate::platform::{Workspace, new_item_id};
use crate::ui::common::forms::TextInput;
use crate::ui::common::text::{t, tr, tr_with};

/// The submit handler of a form that adds an item to an actie: `add` makes
/// the change from what the form holds (given the plan and the actie's id);
/// once it is made, `reset` empties the form. Problems show in `outcome`.
fn adder(
    action_id: String,
    outcome: Outcome,
    add: impl Fn(&mut Plan, &str) -> Result<(), DocError> + Clone + 'static,
    reset: impl Fn() + Clone + 'static,
) -> impl Fn(SubmitEvent) + Clone + 'static {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    move |ev: SubmitEvent| {
        ev.prevent_default();
        if outcome.show(workspace.edit::<Plan>(ctx.id, |p| add(p, &action_id))) {
            reset();
        }
    }
}

#[component]
pub fn Indicators(action_id: String, action: Memo<Option<Action>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let text = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let measured = RwSignal::new(String::new());
    let outcome = Outcome::new();
    let problems = outcome.problems;
    let add = adder(
        action_id.clone(),
        outcome,
        move |p, action| {
            let form = IndicatorForm {
                text: text.get_untracked(),
                target: target.get_untracked(),
                measured: measured.get_untracked(),
            };
            p.add_indicator(action, new_item_id(), &form)
        },
        move || {
            text.set(String::new());
            target.set(String::new());
            measured.set(String::new());
        },
    );
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
                            <Show when=move || workspace.may_edit(ctx.id)>
                                <RemoveItem action_id=action_id.clone() item_id=item_id.clone() label=label.clone()/>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || workspace.may_edit(ctx.id)>
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
pub fn Budget(action_id: String, action: Memo<Option<Action>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let label = RwSignal::new(String::new());
    let planned = RwSignal::new(String::new());
    let spent = RwSignal::new(String::new());
    let committed = RwSignal::new(String::new());
    let round = RwSignal::new(String::new());
    let wijkbudget = RwSignal::new(false);
    let acute = RwSignal::new(false);
    let outcome = Outcome::new();
    let problems = outcome.problems;
    let add = adder(
        action_id.clone(),
        outcome,
        move |p, action| {
            let form = BudgetForm {
                label: label.get_untracked(),
                planned: planned.get_untracked(),
                spent: spent.get_untracked(),
                wijkbudget: wijkbudget.get_untracked(),
                committed: committed.get_untracked(),
                round: round.get_untracked(),
                acute: acute.get_untracked(),
            };
            p.add_budget_line(action, new_item_id(), &form)
        },
        move || {
            label.set(String::new());
            planned.set(String::new());
            spent.set(String::new());
            committed.set(String::new());
            round.set(String::new());
            wijkbudget.set(false);
            acute.set(false);
        },
    );
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
                                let mut amounts = tr_with("editor.budget_line", &[("planned", &i18n::euro(b.planned_cents)), ("spent", &i18n::euro(b.spent_cents))]);
                                if b.committed_cents != 0 {
                                    amounts = format!("{amounts} · {}", tr_with("editor.committed_amount", &[("amount", &i18n::euro(b.committed_cents))]));
                                }
                                match budget::charged_to(&b) {
                                    Some((fund, round)) => format!("{amounts} · {}", tr_with("budget.fund_round", &[("fund", &tr(fund_label(fund))), ("round", &round.to_string())])),
                                    None => amounts,
                                }
                            }}</span>
                            <Show when=move || workspace.may_edit(ctx.id)>
                                <RemoveItem action_id=action_id.clone() item_id=item_id.clone() label=label.clone()/>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="budget-total">{totals}</p>
            <Show when=move || workspace.may_edit(ctx.id)>
                <form class="inline-form" on:submit=add.clone()>
                    <TextInput id="budget-label".into() label="editor.budget_label" value=label problems field=Field::Text/>
                    <TextInput id="budget-planned".into() label="editor.planned" value=planned problems field=Field::Planned/>
                    <TextInput id="budget-committed".into() label="budget.committed" value=committed problems field=Field::Committed/>
                    <TextInput id="budget-spent".into() label="editor.spent" value=spent problems field=Field::Spent/>
                    <div class="field checkbox">
                        <input id="budget-wijkbudget" type="checkbox" prop:checked=move || wijkbudget.get()
                            on:change=move |ev| wijkbudget.set(event_target_checked(&ev))/>
                        <label for="budget-wijkbudget">{t("editor.from_wijkbudget")}</label>
                    </div>
                    <div class="field checkbox">
                        <input id="budget-acute" type="checkbox" prop:checked=move || acute.get()
                            on:change=move |ev| acute.set(event_target_checked(&ev))/>
                        <label for="budget-acute">{t("budget.from_acute")}</label>
                    </div>
                    <TextInput id="budget-round".into() label="budget.round" value=round problems field=Field::Round/>
                    <button type="submit">{t("editor.add_budget")}</button>
                    {outcome.view("editor.budget_added")}
                </form>
            </Show>
        </section>
    }
}

#[component]
pub fn Notes(action_id: String, action: Memo<Option<Action>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let date = RwSignal::new(crate::platform::today());
    let text = RwSignal::new(String::new());
    let outcome = Outcome::new();
    let problems = outcome.problems;
    let add = adder(
        action_id.clone(),
        outcome,
        move |p, action| {
            let form = NoteForm {
                date: date.get_untracked(),
                author: workspace.me().map(|m| m.name).unwrap_or_default(),
                text: text.get_untracked(),
            };
            p.add_note(action, new_item_id(), &form)
        },
        move || text.set(String::new()),
    );
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
            <Show when=move || workspace.may_edit(ctx.id)>
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
            let _ = workspace.edit::<Plan>(ctx.id, |p| p.remove_item(&action_id, &item_id));
        }>{t("editor.remove")}</button>
    }
}

#[component]
pub fn RemoveAction(action_id: String) -> impl IntoView {
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
                        if workspace.edit::<Plan>(ctx.id, |p| p.remove_action(&action_id)).is_ok() {
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
