//! The agenda: each item with what changed in the plan since the previous
//! meeting, its note (typed together on every tablet) and the decisions
//! taken under it; adding an item.

use leptos::prelude::*;
use regie_core::meeting::minutes::change_pieces;

use super::context::{MeetingCtx, item_title, words};
use super::decisions::{DecisionForm, DecisionList};
use crate::platform::{Workspace, new_item_id};
use crate::ui::common::forms::{LiveText, TextInput};
use crate::ui::common::text::{Notice, form_error, t};

#[component]
pub fn Agenda() -> impl IntoView {
    let ctx = expect_context::<MeetingCtx>();
    // The list re-renders only when items come or go; each item reads its
    // own note and decisions.
    let ids = Memo::new(move |_| {
        ctx.meeting.with(|m| {
            m.iter()
                .flat_map(|m| &m.agenda)
                .map(|i| i.id.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card agenda">
            <h2>{t("minutes.agenda")}</h2>
            {move || ids.get().is_empty().then(|| view! { <p class="muted">{t("meeting.agenda_empty")}</p> })}
            <ol class="agenda-items">
                <For each=move || ids.get() key=|id| id.clone() let:item>
                    <Item item/>
                </For>
            </ol>
            <Show when=move || ctx.writable()>
                <AddItem/>
                <DecisionForm/>
            </Show>
        </section>
    }
}

#[component]
fn Item(item: String) -> impl IntoView {
    let ctx = expect_context::<MeetingCtx>();
    let read = {
        let item = item.clone();
        Memo::new(move |_| {
            ctx.meeting
                .with(|m| m.as_ref().and_then(|m| m.item(&item).cloned()))
        })
    };
    let title = move || read.with(|i| i.as_ref().map(item_title));
    let changes = move || {
        read.with(|i| {
            i.iter()
                .flat_map(|i| &i.changes)
                .map(|c| words(&change_pieces(c)))
                .collect::<Vec<_>>()
        })
    };
    let note = Signal::derive(move || {
        read.with(|i| i.as_ref().map(|i| i.note.0.clone()).unwrap_or_default())
    });
    let write_note = {
        let item = item.clone();
        Callback::new(move |text: String| {
            ctx.edit(|m| {
                let entry = m
                    .agenda
                    .iter_mut()
                    .find(|i| i.id == item)
                    .ok_or(regie_core::kind::DocError::NotFound)?;
                entry.note.0 = text;
                Ok(())
            })
        })
    };
    let read_only = Signal::derive(move || !ctx.writable());
    let heading_id = format!("item-{item}");
    let labelled_by = heading_id.clone();
    view! {
        <li class="agenda-item" aria-labelledby=labelled_by>
            <h3 id=heading_id>{title}</h3>
            {move || {
                let lines = changes();
                (!lines.is_empty()).then(|| view! {
                    <ul class="changes">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                })
            }}
            <LiveText id=format!("note-{item}") label="meeting.note" value=note on_input=write_note disabled=read_only/>
            <DecisionList item=Some(item.clone())/>
        </li>
    }
}

#[component]
fn AddItem() -> impl IntoView {
    let ctx = expect_context::<MeetingCtx>();
    let workspace = expect_context::<Workspace>();
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let by = workspace.me().map(|m| m.name).unwrap_or_default();
        match ctx.edit(|m| m.add_item(new_item_id(), &title.get_untracked(), &by)) {
            Ok(()) => {
                title.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <form class="inline-form add-item" on:submit=add>
            <TextInput id="item-title".into() label="meeting.item_title" value=title/>
            <button type="submit">{t("meeting.add_item")}</button>
            {form_error(error)}
        </form>
    }
}
