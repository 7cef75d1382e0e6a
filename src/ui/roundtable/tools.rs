//! The tools of the selected card, in one panel under the board: its text,
//! moving it to another column, merging it into another card, linking it to
//! another card. Selecting a card moves focus into the panel; Escape or the
//! close button closes it and gives focus back to the card's button.

use leptos::prelude::*;
use regie_core::roundtable::{Relation, Section};

use super::context::{ADDED, TableCtx, relation_label, section_label, short};
use crate::platform::{dom, new_item_id};
use crate::ui::common::forms::{Choice, LiveText, Options};
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

/// The panel's element id (the cards' buttons control it).
pub const TOOLS_ID: &str = "card-tools";

/// The id of the button that selects card `card_id`.
pub fn select_button_id(card_id: &str) -> String {
    format!("select-{card_id}")
}

/// The panel for the selected card, while that card is on the board.
#[component]
pub fn CardTools() -> impl IntoView {
    let ctx = expect_context::<TableCtx>();
    // Only the choice of card rebuilds the panel, not edits to the table
    // (typing in the card's text must keep its place).
    let shown = Memo::new(move |_| {
        let id = ctx.selected.get()?;
        ctx.table
            .with(|t| {
                t.as_ref()?
                    .cards
                    .iter()
                    .any(|c| c.id == id && c.on_board())
                    .then_some(())
            })
            .map(|()| id)
    });
    move || shown.get().map(|card_id| view! { <Tools card_id/> })
}

#[component]
fn Tools(card_id: String) -> impl IntoView {
    let ctx = expect_context::<TableCtx>();
    let id = StoredValue::new(card_id.clone());
    let card = Memo::new(move |_| {
        ctx.table.with(|t| {
            t.as_ref()?
                .cards
                .iter()
                .find(|c| id.with_value(|id| c.id == *id))
                .cloned()
        })
    });
    let section = card.with_untracked(|c| c.as_ref().map_or(Section::Probleem, |c| c.section));
    let move_to = RwSignal::new(section.slug().to_owned());
    let merge_into = RwSignal::new(String::new());
    let link_to = RwSignal::new(String::new());
    let relation = RwSignal::new(Relation::ProbleemOplossing.slug().to_owned());
    let error = RwSignal::new(None::<Notice>);
    let sections = Signal::derive(|| {
        Section::ALL
            .into_iter()
            .map(|s| (s.slug().to_owned(), tr(section_label(s))))
            .collect::<Options>()
    });
    // Seed 003's relations, then the kinds this table added.
    let relations = Signal::derive(move || {
        let mut options: Options = Relation::ALL
            .into_iter()
            .map(|r| (r.slug().to_owned(), relation_label(r)))
            .collect();
        ctx.table.with(|t| {
            options.extend(
                t.iter()
                    .flat_map(|t| &t.relation_types)
                    .map(|k| (format!("{ADDED}{}", k.id), k.label.clone())),
            );
        });
        options
    });
    // The other cards, listed once for both selects.
    let others = Memo::new(move |_| {
        ctx.cards()
            .into_iter()
            .filter(|(c, _)| id.with_value(|id| c != id))
            .collect::<Options>()
    });
    let others = Signal::derive(move || others.get());
    Effect::new(move |previous: Option<String>| {
        let chosen = move_to.get();
        if previous.is_some_and(|p| p != chosen)
            && let Some(section) = Section::from_slug(&chosen)
        {
            let _ = ctx.edit(|t| t.move_card(&id.get_value(), section));
        }
        chosen
    });
    let close = move || {
        ctx.selected.set(None);
        dom::focus_id(&select_button_id(&id.get_value()));
    };
    let merge = move |_| {
        let into = merge_into.get_untracked();
        if into.is_empty() {
            error.set(Some(Notice::Key("roundtable.choose_merge")));
            return;
        }
        match ctx.edit(|t| t.merge_cards(&id.get_value(), &into)) {
            Ok(()) => {
                // This card is gone from the board: on to the card it went into.
                ctx.selected.set(None);
                dom::focus_id(&select_button_id(&into));
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    // Removing asks once more: the card leaves every device's board.
    let confirm_remove = RwSignal::new(false);
    let remove = move |_| {
        if !confirm_remove.get_untracked() {
            confirm_remove.set(true);
            return;
        }
        match ctx.edit(|t| t.remove_card(&id.get_value())) {
            Ok(()) => ctx.selected.set(None),
            Err(e) => error.set(Some(e.into())),
        }
    };
    let link = move |_| {
        let (to, chosen) = (link_to.get_untracked(), relation.get_untracked());
        let from = id.get_value();
        let linked = match (chosen.strip_prefix(ADDED), Relation::from_slug(&chosen)) {
            _ if to.is_empty() => None,
            (Some(kind), _) => Some(ctx.edit(|t| t.link_added(new_item_id(), &from, &to, kind))),
            (None, Some(rel)) => Some(ctx.edit(|t| t.link(new_item_id(), &from, &to, rel))),
            (None, None) => None,
        };
        match linked {
            Some(result) => {
                error.set(result.err().map(Notice::from));
                link_to.set(String::new());
            }
            None => error.set(Some(Notice::Key("roundtable.choose_link"))),
        }
    };
    let text = Signal::derive(move || {
        card.with(|c| c.as_ref().map(|c| c.text.0.clone()).unwrap_or_default())
    });
    let write_text =
        Callback::new(move |value: String| ctx.edit(|t| t.set_card_text(&id.get_value(), &value)));
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let title = move || {
        let label = card.with(|c| {
            c.as_ref()
                .map(|c| format!("{}: {}", tr(section_label(c.section)), short(&c.text.0)))
        });
        tr_with(
            "roundtable.tools_title",
            &[("card", &label.unwrap_or_default())],
        )
    };
    view! {
        <section
            class="card card-tools"
            id=TOOLS_ID
            data-card=card_id.clone()
            aria-labelledby="card-tools-title"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    close();
                }
            }
        >
            <header class="card-tools-head">
                <h2 id="card-tools-title" tabindex="-1" node_ref=heading>{title}</h2>
                <button type="button" class="close" on:click=move |_| close()>{t("roundtable.close_tools")}</button>
            </header>
            <LiveText id=format!("card-text-{card_id}") label="roundtable.card_text" value=text on_input=write_text/>
            <Choice id=format!("move-{card_id}") label="roundtable.column" options=sections value=move_to/>
            <Choice id=format!("merge-{card_id}") label="roundtable.merge_with" options=others value=merge_into empty="roundtable.choose_card"/>
            <button type="button" on:click=merge>{t("roundtable.merge")}</button>
            <Choice id=format!("relation-{card_id}") label="roundtable.relation" options=relations value=relation/>
            <Choice id=format!("link-{card_id}") label="roundtable.with_card" options=others value=link_to empty="roundtable.choose_card"/>
            <button type="button" on:click=link>{t("roundtable.link")}</button>
            <button type="button" class="danger" on:click=remove>
                {move || if confirm_remove.get() { tr("roundtable.remove_confirm") } else { tr("roundtable.remove_card") }}
            </button>
            {form_error(error)}
        </section>
    }
}
