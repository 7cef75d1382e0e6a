//! The board: one column per status. Drag a card to another column to
//! change its status; without a mouse, each card's status picker does the
//! same (keyboard and screen readers).

use leptos::prelude::*;
use regie_core::plan::{Status, progress};

use super::plan::{PlanCtx, StatusSelect};
use crate::platform::Workspace;

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
        let _ = workspace.edit_plan(ctx.id, |p| p.set_status(&action_id, status));
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
                aria-label=format!("{}: acties", status.label())
                on:dragover=move |ev| {
                    // Allows dropping here.
                    ev.prevent_default();
                    over.set(Some(status));
                }
                on:dragleave=move |_| over.set(None)
                on:drop=move |ev| {
                    ev.prevent_default();
                    over.set(None);
                    let dropped = ev
                        .data_transfer()
                        .and_then(|d| d.get_data("text/plain").ok())
                        .filter(|id| !id.is_empty())
                        .or_else(|| dragging.get_untracked());
                    if let Some(id) = dropped {
                        move_to(id, status);
                    }
                    dragging.set(None);
                }
            >
                <h2>{status.label()} " " <span class="count">{move || format!("({})", cards.with(Vec::len))}</span></h2>
                <ul>
                    <For each=move || cards.get() key=|c: &Card| (c.id.clone(), c.title.clone(), c.trekker.clone(), c.progress) let:card>
                        <li
                            class="board-card"
                            data-action=card.id.clone()
                            draggable=move || workspace.can_write().to_string()
                            on:dragstart={
                                let id = card.id.clone();
                                move |ev: leptos::ev::DragEvent| {
                                    if let Some(data) = ev.data_transfer() {
                                        let _ = data.set_data("text/plain", &id);
                                    }
                                    dragging.set(Some(id.clone()));
                                }
                            }
                        >
                            <button type="button" class="link card-title" on:click={
                                let id = card.id.clone();
                                move |_| ctx.open.set(Some(id.clone()))
                            }>{card.title.clone()}</button>
                            <span class="muted">{(!card.trekker.is_empty()).then(|| card.trekker.clone())}</span>
                            <span class="action-progress">{format!("{} %", card.progress)}</span>
                            <StatusSelect
                                disabled=Signal::derive(move || !workspace.can_write())
                                class="card-status".into()
                                label=format!("Verplaats {} naar", card.title)
                                status
                                on_change=Callback::new({
                                    let id = card.id.clone();
                                    move |s| move_to(id.clone(), s)
                                })
                            />
                        </li>
                    </For>
                </ul>
            </section>
        }
    };
    view! {
        <div class="board">{Status::ALL.into_iter().map(column).collect_view()}</div>
    }
}
