//! The board: one column per status. Drag a card by its handle to another
//! column to change its status; without a pointer, each card's status
//! picker does the same (keyboard and screen readers).
//!
//! Dragging uses pointer events rather than HTML drag and drop, which
//! touch screens (the team's tablets) do not reliably support.

use leptos::prelude::*;
use regie_core::plan::{Plan, Status, progress};

use super::context::PlanCtx;
use super::widgets::StatusSelect;
use crate::platform::{Workspace, dom};
use crate::ui::common::text::{status_label, t, tr_with};

/// A card as shown.
#[derive(Debug, Clone, PartialEq)]
struct Card {
    id: String,
    title: String,
    trekker: String,
    progress: u64,
}

/// The board view.
#[component]
pub fn Board() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<PlanCtx>();
    let dragging = RwSignal::new(None::<String>);
    let over = RwSignal::new(None::<Status>);
    let move_to = move |action_id: String, status: Status| {
        let _ = workspace.edit::<Plan>(ctx.id, |p| p.set_status(&action_id, status));
    };
    let column_at = |ev: &leptos::ev::PointerEvent| -> Option<Status> {
        Status::from_slug(&dom::attribute_under_pointer(
            ev,
            ".board-column",
            "data-status",
        )?)
    };
    let column = move |status: Status| {
        let cards = Memo::new(move |_| {
            ctx.plan.with(|p| {
                p.iter()
                    .flat_map(|p| &p.ambitions)
                    .flat_map(|a| &a.actions)
                    .filter(|a| a.status == status)
                    .map(|a| Card {
                        id: a.id.clone(),
                        title: a.title.clone(),
                        trekker: ctx.name(&a.trekker),
                        progress: progress::of_action(a),
                    })
                    .collect::<Vec<_>>()
            })
        });
        view! {
            <section
                class="board-column"
                data-status=status.slug()
                class:drop-target=move || over.get() == Some(status)
                aria-label=move || tr_with("board.column", &[("status", &status_label(status))])
            >
                <h2>{move || status_label(status)} " " <span class="count">{move || format!("({})", cards.with(Vec::len))}</span></h2>
                <ul>
                    <For each=move || cards.get() key=|c: &Card| (c.id.clone(), c.title.clone(), c.trekker.clone(), c.progress) children=move |card: Card| {
                        let card_id = card.id.clone();
                        view! {
                        <li
                            class="board-card"
                            data-action=card.id.clone()
                            class:dragging={
                                let id = card.id.clone();
                                move || dragging.with(|d| d.as_ref() == Some(&id))
                            }
                        >
                            <Show when=move || workspace.may_edit(ctx.id)>
                                {
                                let card_id = card_id.clone();
                                view! {
                                <span
                                    class="drag-handle"
                                    aria-hidden="true"
                                    title=t("board.drag")
                                    on:pointerdown={
                                        let id = card_id.clone();
                                        move |ev: leptos::ev::PointerEvent| {
                                            ev.prevent_default();
                                            dom::capture_pointer(&ev);
                                            dragging.set(Some(id.clone()));
                                        }
                                    }
                                    on:pointermove=move |ev| {
                                        if dragging.with_untracked(Option::is_some) {
                                            over.set(column_at(&ev));
                                        }
                                    }
                                    on:pointerup=move |ev| {
                                        if let (Some(id), Some(status)) = (dragging.get_untracked(), column_at(&ev)) {
                                            move_to(id, status);
                                        }
                                        dragging.set(None);
                                        over.set(None);
                                    }
                                    on:pointercancel=move |_| {
                                        dragging.set(None);
                                        over.set(None);
                                    }
                                >"⠿"</span>
                                }
                                }
                            </Show>
                            <button type="button" class="link card-title" on:click={
                                let id = card.id.clone();
                                move |_| ctx.open.set(Some(id.clone()))
                            }>{card.title.clone()}</button>
                            <span class="muted">{(!card.trekker.is_empty()).then(|| card.trekker.clone())}</span>
                            <span class="action-progress">{format!("{} %", card.progress)}</span>
                            <StatusSelect
                                disabled=Signal::derive(move || !workspace.may_edit(ctx.id))
                                class="card-status".into()
                                label={
                                    let title = card.title.clone();
                                    Signal::derive(move || tr_with("board.move", &[("title", &title)]))
                                }
                                status
                                on_change=Callback::new({
                                    let id = card.id.clone();
                                    move |s| move_to(id.clone(), s)
                                })
                            />
                        </li>
                        }
                    }/>
                </ul>
            </section>
        }
    };
    view! {
        <div class="board">{Status::ALL.into_iter().map(column).collect_view()}</div>
    }
}
