//! The plan outline: ambities with their progress and their acties; add
//! ambities and acties, change a status, open an actie to edit it.

use leptos::prelude::*;
use regie_core::plan::{Action, Ambition, Status, progress};

use super::plan::{AddAmbition, PlanCtx, ProgressBar, StatusSelect, TitleForm};
use crate::platform::Workspace;
use crate::platform::workspace::new_item_id;

/// The outline view.
#[component]
pub fn Outline() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    view! {
        <For
            each=move || ctx.plan.get().map(|p| p.ambitions).unwrap_or_default()
            key=|a: &Ambition| a.id.clone()
            let:ambition
        >
            <AmbitionView ambition_id=ambition.id/>
        </For>
        <Show when=move || workspace.can_write()>
            <AddAmbition id=ctx.id/>
        </Show>
    }
}

#[component]
fn AmbitionView(ambition_id: String) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let key = ambition_id.clone();
    let ambition = Memo::new(move |_| {
        ctx.plan
            .with(|p| p.as_ref()?.ambitions.iter().find(|a| a.id == key).cloned())
    });
    let done =
        Signal::derive(move || ambition.with(|a| a.as_ref().and_then(progress::of_ambition)));
    let new_status = RwSignal::new(Status::Idee);
    let id = ctx.id;
    view! {
        <section class="ambition card">
            <h2>{move || ambition.with(|a| a.as_ref().map(|a| a.title.clone()))}</h2>
            <ProgressBar label="Voortgang".to_owned() value=done/>
            <ul class="actions">
                <For
                    each=move || ambition.get().map(|a| a.actions).unwrap_or_default()
                    key=|a: &Action| a.id.clone()
                    let:action
                >
                    <ActionRow action_id=action.id ambition/>
                </For>
            </ul>
            <Show when=move || workspace.can_write()>
                <TitleForm
                    input_id=None
                    label="Titel nieuwe actie"
                    button="Actie toevoegen"
                    class="new-action"
                    status=new_status
                    submit={
                        let ambition_id = ambition_id.clone();
                        move |title, status| {
                            workspace.edit_plan(id, |p| p.add_action(&ambition_id, new_item_id(), &title, status))
                        }
                    }
                />
            </Show>
        </section>
    }
}

#[component]
fn ActionRow(action_id: String, ambition: Memo<Option<Ambition>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let id = ctx.id;
    let key = action_id.clone();
    let action = Memo::new(move |_| {
        ambition.with(|a| a.as_ref()?.actions.iter().find(|x| x.id == key).cloned())
    });
    let status =
        Signal::derive(move || action.with(|a| a.as_ref().map_or(Status::Idee, |a| a.status)));
    let title = move || action.with(|a| a.as_ref().map(|a| a.title.clone()).unwrap_or_default());
    let trekker = move || {
        action.with(|a| {
            a.as_ref()
                .filter(|a| !a.trekker.is_empty())
                .map(|a| format!("Trekker: {}", ctx.name(&a.trekker)))
        })
    };
    let percent =
        move || action.with(|a| a.as_ref().map(|a| format!("{} %", progress::of_action(a))));
    let item = action_id.clone();
    let change = {
        let action_id = action_id.clone();
        Callback::new(move |chosen: Status| {
            let _ = workspace.edit_plan(id, |p| p.set_status(&action_id, chosen));
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
                                {format!("{} bewerkt dit", p.name)}
                            </span>
                        }
                    })
                    .collect_view()
            }}
            <StatusSelect
                disabled=Signal::derive(move || !workspace.can_write())
                class="action-status".into()
                label=Signal::derive(move || format!("Status van {}", title()))
                status
                on_change=change
            />
        </li>
    }
}
