//! Decisions: those taken under an agenda item (and those carried over
//! from the previous meeting), ticked off when done; and the form that
//! records one. A decision about acties is also put on each of them as
//! opvolging, dated and attributed, in the same moment.

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::meeting::{self, DecisionForm as Form};
use regie_core::plan::Plan;

use super::context::{MeetingCtx, item_title, words};
use crate::platform::{Workspace, new_item_id};
use crate::ui::common::forms::{CheckList, Choice, Options, TextInput};
use crate::ui::common::text::{Notice, form_error, t};

/// The decisions under agenda item `item`.
#[component]
pub fn DecisionList(item: Option<String>) -> impl IntoView {
    let ctx = expect_context::<MeetingCtx>();
    let decisions = Memo::new(move |_| {
        ctx.meeting.with(|m| {
            m.iter()
                .flat_map(|m| &m.decisions)
                .filter(|d| d.item == item)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    move || {
        let list = decisions.get();
        (!list.is_empty()).then(|| {
            let plan = ctx.plan.get();
            view! {
                <ul class="decisions">
                    {list.into_iter().map(|d| {
                        let text = plan.as_deref().map_or_else(|| d.text.clone(), |p| words(&meeting::minutes::decision_pieces(&d, p)));
                        let id = d.id.clone();
                        let box_id = format!("done-{}", d.id);
                        let label_for = box_id.clone();
                        view! {
                            <li class="decision" class:done=d.done>
                                <p>{text}</p>
                                <label class="check" for=label_for>
                                    <input id=box_id type="checkbox" prop:checked=d.done prop:disabled=move || !ctx.writable()
                                        on:change=move |ev| {
                                            let done = event_target_checked(&ev);
                                            let _ = ctx.edit(|m| m.set_done(&id, done));
                                        }/>
                                    {t("meeting.done")}
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })
    }
}

/// Records a decision, and puts it on the acties it concerns.
#[component]
pub fn DecisionForm() -> impl IntoView {
    let ctx = expect_context::<MeetingCtx>();
    let workspace = expect_context::<Workspace>();
    let item = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let actions = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<Notice>);
    let items = Signal::derive(move || {
        ctx.meeting.with(|m| {
            m.iter()
                .flat_map(|m| &m.agenda)
                .map(|i| (i.id.clone(), item_title(i)))
                .collect::<Options>()
        })
    });
    let action_options = Signal::derive(move || {
        ctx.plan.with(|p| {
            p.iter()
                .flat_map(|p| &p.ambitions)
                .flat_map(|a| &a.actions)
                .map(|a| (a.id.clone(), a.title.clone()))
                .collect::<Options>()
        })
    });
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(plan) = ctx.plan.get_untracked() else {
            error.set(Some(Notice::Key("meeting.plan_missing")));
            return;
        };
        let by = workspace.me().map(|m| m.name).unwrap_or_default();
        let form = Form {
            item: item.get_untracked(),
            text: text.get_untracked(),
            actions: actions.get_untracked(),
            owner: owner.get_untracked(),
            due: due.get_untracked(),
        };
        let id = new_item_id();
        let today = crate::platform::today();
        if let Err(e) = ctx.edit(|m| m.decide(id.clone(), &form, &plan, &by, &today)) {
            error.set(Some(e.into()));
            return;
        }
        error.set(None);
        text.set(String::new());
        owner.set(String::new());
        due.set(String::new());
        actions.set(Vec::new());
        put_on_plan(ctx, workspace, &id);
    };
    view! {
        <form class="card decision-form" on:submit=record>
            <h3>{t("meeting.decide")}</h3>
            <Choice id="decision-item".into() label="meeting.decision_item" options=items value=item empty="meeting.no_item"/>
            <TextInput id="decision-text".into() label="meeting.decision_text" value=text/>
            <CheckList id_prefix="decision-action" legend="meeting.decision_actions" options=action_options chosen=actions/>
            <TextInput id="decision-owner".into() label="meeting.decision_owner" value=owner/>
            <TextInput id="decision-due".into() label="meeting.decision_due" kind="date" value=due/>
            <button type="submit" class="primary">{t("meeting.record")}</button>
            {form_error(error)}
        </form>
    }
}

/// Puts decision `id` on the acties it names, as opvolging on the
/// meeting's date (once: the note is keyed by the decision).
fn put_on_plan(ctx: MeetingCtx, workspace: Workspace, id: &str) {
    // Read from the document, not the page's memo: the decision was
    // written a moment ago.
    let Some(meeting) = workspace.read::<meeting::Meeting>(ctx.id).ready() else {
        return;
    };
    let Some(decision) = meeting.decisions.iter().find(|d| d.id == id) else {
        return;
    };
    if decision.actions.is_empty() {
        return;
    }
    let Ok(plan_id) = meeting.plan.parse::<DocumentId>() else {
        return;
    };
    let result = workspace.edit::<Plan>(plan_id, |p| {
        meeting::follow_up(p, decision, &meeting.date);
        Ok(())
    });
    if let Err(e) = result {
        leptos::logging::warn!("decision not put on its acties: {e}");
    }
}
