//! Where things sit in a plan: an ambitie renamed, moved up or down, or
//! removed (only when empty, so no actie is lost by a slip); an actie moved
//! to another ambitie, keeping its id and everything that points to it.

use leptos::prelude::*;
use regie_core::kind::DocError;
use regie_core::plan::Plan;

use super::context::PlanCtx;
use crate::platform::Workspace;
use crate::ui::common::forms::{Choice, Options};
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// One edit of the plan, as the buttons hand it over.
type PlanEdit = dyn FnOnce(&mut Plan) -> Result<(), DocError>;

/// The tools of one ambitie, in a disclosure under its title.
#[component]
pub fn AmbitionTools(ambition_id: String, title: Memo<String>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let name = RwSignal::new(title.get_untracked());
    let error = RwSignal::new(None::<Notice>);
    let edit = move |change: Box<PlanEdit>| {
        error.set(
            workspace
                .edit::<Plan>(ctx.id, change)
                .err()
                .map(Notice::from),
        );
    };
    let id = ambition_id.clone();
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (id, text) = (id.clone(), name.get_untracked());
        edit(Box::new(move |p| p.rename_ambition(&id, &text)));
    };
    let mover = |by: isize| {
        let id = ambition_id.clone();
        move |_| {
            let id = id.clone();
            edit(Box::new(move |p| p.move_ambition(&id, by)));
        }
    };
    let id = ambition_id.clone();
    let remove = move |_| {
        let id = id.clone();
        edit(Box::new(move |p| p.remove_ambition(&id)));
    };
    let input_id = format!("ambition-name-{ambition_id}");
    view! {
        <details class="ambition-tools">
            <summary>{move || tr_with("ambition.tools", &[("title", &title.get())])}</summary>
            <form class="inline-form" on:submit=rename>
                <label for=input_id.clone()>{t("ambition.name")}</label>
                <input id=input_id type="text" bind:value=name/>
                <button type="submit">{t("ambition.rename")}</button>
            </form>
            <div class="button-row">
                <button type="button" class="secondary" on:click=mover(-1)>{t("ambition.up")}</button>
                <button type="button" class="secondary" on:click=mover(1)>{t("ambition.down")}</button>
                <button type="button" class="danger" on:click=remove>{t("ambition.remove")}</button>
            </div>
            {form_error(error)}
        </details>
    }
}

/// Moving an actie to another ambitie, in the actie editor.
#[component]
pub fn MoveAction(action_id: String) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let target = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let key = action_id.clone();
    let others = Signal::derive(move || {
        ctx.plan.with(|p| {
            p.iter()
                .flat_map(|p| &p.ambitions)
                .filter(|a| !a.actions.iter().any(|x| x.id == key))
                .map(|a| (a.id.clone(), a.title.clone()))
                .collect::<Options>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let to = target.get_untracked();
        if to.is_empty() {
            error.set(Some(Notice::Key("ambition.choose")));
            return;
        }
        let moved = workspace.edit::<Plan>(ctx.id, |p| p.move_action(&action_id, &to));
        error.set(moved.err().map(Notice::from));
        target.set(String::new());
    };
    view! {
        <Show when=move || !others.with(Vec::is_empty)>
            <form class="inline-form move-action" on:submit=submit.clone()>
                <Choice id="move-action-to".into() label="ambition.move_to" options=others value=target empty="ambition.choose_option"/>
                <button type="submit">{move || tr("ambition.move")}</button>
                {form_error(error)}
            </form>
        </Show>
    }
}
