//! The board: a column per section with its cards (each card a button that
//! selects it for the tools panel), adding cards, and the list of links.

use leptos::prelude::*;
use regie_core::kind::DocError;
use regie_core::roundtable::Section;

use super::context::{TableCtx, named_label, section_label, short};
use super::tools::{TOOLS_ID, select_button_id};
use crate::platform::{Workspace, new_item_id};
use crate::ui::common::forms::TextInput;
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// One column of the board: its cards and a form to add one.
#[component]
pub fn Column(section: Section) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    // Only the ids: each card reads its own text, so typing in one card
    // neither rebuilds it nor its neighbours.
    let cards = Memo::new(move |_| {
        ctx.table.with(|t| {
            t.iter()
                .flat_map(|t| t.column(section).map(|c| c.id.clone()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        })
    });
    let text = RwSignal::new(String::new());
    let organisation = RwSignal::new(String::new());
    let present = RwSignal::new(true);
    let error = RwSignal::new(None::<Notice>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let author = workspace.me().map(|m| m.name).unwrap_or_default();
        let (t, org) = (text.get_untracked(), organisation.get_untracked());
        let result = ctx.edit(|table| match section {
            Section::Actor => {
                table.add_actor(new_item_id(), &t, &org, present.get_untracked(), &author)
            }
            _ => table.add_card(new_item_id(), section, &t, &author),
        });
        match result {
            Ok(()) => {
                text.set(String::new());
                organisation.set(String::new());
                error.set(None);
            }
            Err(DocError::EmptyTitle) => error.set(Some(Notice::Key("roundtable.card_empty"))),
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <section class="table-column" data-section=section.slug() aria-label=t(section_label(section))>
            <h2>{t(section_label(section))} " " <span class="count">{move || format!("({})", cards.with(Vec::len))}</span></h2>
            <ul>
                <For each=move || cards.get() key=String::clone let:card_id>
                    <CardView card_id/>
                </For>
            </ul>
            <Show when=move || workspace.may_edit(ctx.id)>
                <form class="add-card" on:submit=add>
                    <TextInput id=format!("new-card-{}", section.slug()) label="roundtable.new_card" value=text/>
                    {(section == Section::Actor).then(|| view! {
                        <TextInput id="new-actor-organisation".into() label="roundtable.organisation" value=organisation/>
                        <div class="field checkbox">
                            <input id="new-actor-present" type="checkbox" prop:checked=move || present.get()
                                on:change=move |ev| present.set(event_target_checked(&ev))/>
                            <label for="new-actor-present">{t("roundtable.actor_present")}</label>
                        </div>
                    })}
                    <button type="submit">{t("roundtable.add_card")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}

/// One card: its text, who wrote it, and the button that selects it (opens
/// its tools in the one [`super::tools::CardTools`] panel).
#[component]
fn CardView(card_id: String) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    let card = {
        let id = card_id.clone();
        Memo::new(move |_| {
            ctx.table
                .with(|t| t.as_ref()?.cards.iter().find(|c| c.id == id).cloned())
        })
    };
    let text = move || card.with(|c| c.as_ref().map(|c| c.text.0.clone()).unwrap_or_default());
    let actor = move || {
        card.with(|c| {
            let c = c.as_ref().filter(|c| c.section == Section::Actor)?;
            let where_ = tr(if c.present {
                "roundtable.actor_at_table"
            } else {
                "roundtable.actor_missing"
            });
            Some(format!("{} · {where_}", c.organisation))
        })
    };
    let author = move || {
        card.with(|c| {
            c.as_ref()
                .filter(|c| !c.author.is_empty())
                .map(|c| tr_with("roundtable.by", &[("name", &c.author)]))
        })
    };
    let selected = {
        let id = card_id.clone();
        Memo::new(move |_| ctx.selected.with(|s| s.as_ref() == Some(&id)))
    };
    let select = {
        let id = card_id.clone();
        move |_| {
            ctx.selected.update(|s| {
                *s = if s.as_ref() == Some(&id) {
                    None
                } else {
                    Some(id.clone())
                }
            })
        }
    };
    let button_id = select_button_id(&card_id);
    view! {
        <li class="table-card" data-card=card_id class:selected=move || selected.get()>
            <p class="card-text">{text}</p>
            {move || actor().map(|a| view! { <p class="muted">{a}</p> })}
            <p class="muted small-text">{author}</p>
            <Show when=move || workspace.may_edit(ctx.id)>
                <button
                    type="button"
                    class="card-select"
                    id=button_id.clone()
                    aria-pressed=move || selected.get().to_string()
                    aria-controls=move || selected.get().then_some(TOOLS_ID)
                    on:click=select.clone()
                >
                    {t("roundtable.card_tools")}
                </button>
            </Show>
        </li>
    }
}

/// The typed links between cards, in words.
#[component]
pub fn Links() -> impl IntoView {
    let ctx = expect_context::<TableCtx>();
    let workspace = expect_context::<Workspace>();
    let links = Memo::new(move |_| {
        ctx.table.with(|t| {
            t.iter()
                .flat_map(|t| {
                    t.named_links()
                        .into_iter()
                        .map(|(from, to, r)| {
                            (short(&from.text.0), named_label(r), short(&to.text.0))
                        })
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card links">
            <h2>{t("roundtable.links")}</h2>
            {move || if links.with(Vec::is_empty) {
                view! { <p class="muted">{t("roundtable.no_links")}</p> }.into_any()
            } else {
                view! {
                    <ul class="link-list">
                        {links.get().into_iter().map(|(from, r, to)| view! {
                            <li><strong>{from}</strong> " — " <em>{r}</em> " → " <strong>{to}</strong></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <Show when=move || workspace.may_edit(ctx.id)>
                <AddRelationType/>
            </Show>
        </section>
    }
}

/// Adding a kind of relation to the seven of seed 003.
#[component]
fn AddRelationType() -> impl IntoView {
    let ctx = expect_context::<TableCtx>();
    let label = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match ctx.edit(|t| t.add_relation_type(new_item_id(), &label.get_untracked())) {
            Ok(()) => {
                label.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <form class="inline-form add-relation" on:submit=submit>
            <TextInput id="new-relation".into() label="roundtable.new_relation" value=label/>
            <button type="submit">{t("roundtable.add_relation")}</button>
            {form_error(error)}
        </form>
    }
}
