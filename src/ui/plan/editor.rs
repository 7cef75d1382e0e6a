//! The actie editor: one actie in a [`Dialog`] over the plan, with its
//! details ([`super::details`]), description and evaluation typed live into
//! Automerge text, its lists ([`super::lists`]), its history and removal.

use leptos::prelude::*;
use regie_core::plan::{Action, TextField};

use super::context::PlanCtx;
use super::details::DetailsSection;
use super::lists::{Budget, Indicators, Notes, RemoveAction};
use super::placement::MoveAction;
use super::why::WhyAction;
use crate::platform::Workspace;
use crate::ui::common::conflicts::ConflictList;
use crate::ui::common::dialog::Dialog;
use crate::ui::common::forms::LiveText;
use crate::ui::common::history::HistoryDetails;
use crate::ui::common::text::t;

/// The editor for one actie, shown as a dialog over the plan.
#[component]
pub fn ActionEditor(action_id: String) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let key = action_id.clone();
    let action = Memo::new(move |_| ctx.plan.with(|p| p.as_ref()?.action(&key).cloned()));
    // Only appearing or disappearing rebuilds the body, not every edit.
    let exists = Memo::new(move |_| action.with(Option::is_some));
    workspace.set_editing(Some(action_id.clone()));
    let title = Signal::derive(move || {
        action.with(|a| a.as_ref().map(|a| a.title.clone()).unwrap_or_default())
    });
    // Focus goes back where it came from (the actie's title) on close.
    let on_close = Callback::new(move |()| {
        workspace.set_editing(None);
        ctx.open.set(None);
    });
    view! {
        <Dialog class="editor" title_id="editor-title" title close_label="editor.close" on_close>
            <ConflictList id=ctx.id item=action_id.clone()/>
            {move || if exists.get() {
                view! { <EditorBody action_id=action_id.clone() action/> }.into_any()
            } else {
                view! {
                    <p role="alert">{t("editor.gone")}</p>
                }.into_any()
            }}
        </Dialog>
    }
}

#[component]
fn EditorBody(action_id: String, action: Memo<Option<Action>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let read_only = Signal::derive(move || !workspace.may_edit(ctx.id));
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
    let acute = Signal::derive(move || action.with(|a| a.as_ref().is_some_and(|a| a.acute)));
    let set_acute = {
        let action_id = action_id.clone();
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            let _ = workspace.edit::<regie_core::plan::Plan>(id, |p| p.set_acute(&action_id, on));
        }
    };
    view! {
        <div class="field checkbox acute-flag">
            <input id="action-acute" type="checkbox" prop:checked=move || acute.get() prop:disabled=move || read_only.get() on:change=set_acute/>
            <label for="action-acute">{t("budget.acute_flag")}</label>
        </div>
        <DetailsSection action_id=action_id.clone() action/>
        <LiveText id="action-description".into() label="editor.description"
            value=text_of(|a| a.description.0.clone()) on_input=description disabled=read_only/>
        <Indicators action_id=action_id.clone() action/>
        <Budget action_id=action_id.clone() action/>
        <Notes action_id=action_id.clone() action/>
        <LiveText id="action-evaluation".into() label="editor.evaluation"
            value=text_of(|a| a.evaluation.0.clone()) on_input=evaluation disabled=read_only/>
        <WhyAction action_id=action_id.clone()/>
        <HistoryDetails id item=action_id.clone() summary="history.item_title"/>
        <Show when=move || workspace.may_edit(ctx.id)>
            <MoveAction action_id=action_id.clone()/>
            <RemoveAction action_id=action_id.clone()/>
        </Show>
    }
}
