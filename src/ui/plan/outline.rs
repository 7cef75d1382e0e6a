//! The plan outline: ambities with their progress and their acties; add
//! ambities and acties, change a status, open an actie to edit it.

use leptos::prelude::*;
use regie_core::plan::{Action, Plan, Status, progress};

use super::context::PlanCtx;
use super::placement::AmbitionTools;
use super::widgets::{AddAmbition, ProgressBar, StatusSelect, TitleForm};
use crate::platform::Workspace;
use crate::platform::new_item_id;
use crate::ui::common::text::tr_with;

/// What the outline shows of the plan: no long texts, so typing in a
/// description leaves it equal and re-renders nothing here.
#[derive(Debug, Clone, PartialEq)]
struct OutlineView(Vec<AmbitionRow>);

#[derive(Debug, Clone, PartialEq)]
struct AmbitionRow {
    id: String,
    title: String,
    progress: Option<f64>,
    actions: Vec<(String, RowView)>,
}

impl OutlineView {
    fn of(plan: &Plan) -> Self {
        OutlineView(
            plan.ambitions
                .iter()
                .map(|a| AmbitionRow {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    progress: progress::of_ambition(a),
                    actions: a
                        .actions
                        .iter()
                        .map(|x| (x.id.clone(), RowView::of(x)))
                        .collect(),
                })
                .collect(),
        )
    }
}

/// The outline view.
#[component]
pub fn Outline() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let outline = Memo::new(move |_| ctx.plan.with(|p| p.as_deref().map(OutlineView::of)));
    let ambition_ids = Memo::new(move |_| {
        outline.with(|o| {
            o.iter()
                .flat_map(|o| &o.0)
                .map(|a| a.id.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <For each=move || ambition_ids.get() key=String::clone let:ambition_id>
            <AmbitionView ambition_id outline/>
        </For>
        <Show when=move || workspace.may_edit(ctx.id)>
            <AddAmbition id=ctx.id/>
        </Show>
    }
}

/// Reads something from one ambitie of the outline.
fn with_ambition<T>(
    outline: Memo<Option<OutlineView>>,
    id: &str,
    read: impl FnOnce(&AmbitionRow) -> T,
) -> Option<T> {
    outline.with(|o| o.as_ref()?.0.iter().find(|a| a.id == id).map(read))
}

#[component]
fn AmbitionView(ambition_id: String, outline: Memo<Option<OutlineView>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let title = {
        let id = ambition_id.clone();
        Memo::new(move |_| with_ambition(outline, &id, |a| a.title.clone()).unwrap_or_default())
    };
    let done = {
        let id = ambition_id.clone();
        Memo::new(move |_| with_ambition(outline, &id, |a| a.progress).flatten())
    };
    let action_ids = {
        let id = ambition_id.clone();
        Memo::new(move |_| {
            with_ambition(outline, &id, |a| {
                a.actions.iter().map(|x| x.0.clone()).collect::<Vec<_>>()
            })
            .unwrap_or_default()
        })
    };
    let new_status = RwSignal::new(Status::Idee);
    let id = ctx.id;
    let parent = ambition_id.clone();
    let tools_id = ambition_id.clone();
    view! {
        <section class="ambition card">
            <h2>{move || title.get()}</h2>
            <Show when=move || workspace.may_edit(ctx.id)>
                <AmbitionTools ambition_id=tools_id.clone() title/>
            </Show>
            <ProgressBar label="outline.progress" value=done/>
            <ul class="actions">
                <For each=move || action_ids.get() key=String::clone let:action_id>
                    <ActionRow action_id ambition_id=parent.clone() outline/>
                </For>
            </ul>
            <Show when=move || workspace.may_edit(ctx.id)>
                <TitleForm
                    input_id=None
                    label="outline.new_action"
                    button="outline.add_action"
                    class="new-action"
                    status=new_status
                    submit={
                        let ambition_id = ambition_id.clone();
                        move |title, status| {
                            workspace.edit::<Plan>(id, |p| p.add_action(&ambition_id, new_item_id(), &title, status))
                        }
                    }
                />
            </Show>
        </section>
    }
}

/// What a row of the outline shows of an actie.
#[derive(Debug, Clone, PartialEq)]
struct RowView {
    title: String,
    status: Status,
    trekker: String,
    progress: u64,
}

impl RowView {
    fn of(action: &Action) -> Self {
        RowView {
            title: action.title.clone(),
            status: action.status,
            trekker: action.trekker.clone(),
            progress: progress::of_action(action),
        }
    }
}

#[component]
fn ActionRow(
    action_id: String,
    ambition_id: String,
    outline: Memo<Option<OutlineView>>,
) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let id = ctx.id;
    let key = action_id.clone();
    let row = Memo::new(move |_| {
        with_ambition(outline, &ambition_id, |a| {
            a.actions.iter().find(|x| x.0 == key).map(|x| x.1.clone())
        })
        .flatten()
    });
    let status =
        Signal::derive(move || row.with(|r| r.as_ref().map_or(Status::Idee, |r| r.status)));
    let title = move || row.with(|r| r.as_ref().map(|r| r.title.clone()).unwrap_or_default());
    let trekker = move || {
        row.with(|r| {
            r.as_ref()
                .filter(|r| !r.trekker.is_empty())
                .map(|r| tr_with("outline.trekker", &[("name", &ctx.name(&r.trekker))]))
        })
    };
    let percent = move || row.with(|r| r.as_ref().map(|r| format!("{} %", r.progress)));
    let item = action_id.clone();
    let change = {
        let action_id = action_id.clone();
        Callback::new(move |chosen: Status| {
            let _ = workspace.edit::<Plan>(id, |p| p.set_status(&action_id, chosen));
        })
    };
    let others = {
        let item = item.clone();
        move || workspace.editing_item(id, &item)
    };
    let open = {
        let action_id = action_id.clone();
        move |_| ctx.open.set(Some(action_id.clone()))
    };
    view! {
        <li
            class="action"
            data-status=move || status.get().slug()
            on:focusin=move |_| workspace.set_editing(Some(item.clone()))
            on:focusout=move |_| workspace.set_editing(None)
        >
            <button type="button" class="action-title link" on:click=open>{title}</button>
            <span class="muted action-meta">{trekker}</span>
            <span class="action-progress">{percent}</span>
            {move || {
                others()
                    .into_iter()
                    .map(|p| {
                        view! {
                            <span class="editing-badge" style=format!("border-color:{0};color:{0}", p.colour)>
                                {move || tr_with("outline.editing", &[("name", &p.name)])}
                            </span>
                        }
                    })
                    .collect_view()
            }}
            <StatusSelect
                disabled=Signal::derive(move || !workspace.may_edit(ctx.id))
                class="action-status".into()
                label=Signal::derive(move || tr_with("outline.status_of", &[("title", &title())]))
                status
                on_change=change
            />
        </li>
    }
}
