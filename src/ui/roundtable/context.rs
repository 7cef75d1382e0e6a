//! [`TableCtx`]: what the ronde tafel page shares with its parts through
//! context (which table, the table as it is now, who I am, the selected
//! card), and the names of phases, columns and relations.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::kind::DocError;
use regie_core::roundtable::{Named, Phase, Relation, Section, Table};

use crate::platform::Workspace;
use crate::ui::common::forms::Options;
use crate::ui::common::text::tr;

/// What the table's views share.
#[derive(Clone, Copy)]
pub struct TableCtx {
    /// The table's document.
    pub id: DocumentId,
    /// The table (re-read when anything changes).
    pub table: Memo<Option<Arc<Table>>>,
    /// This person's participant id.
    pub me: StoredValue<String>,
    /// The card whose tools are open (on this device only).
    pub selected: RwSignal<Option<String>>,
}

impl TableCtx {
    /// The context of table `id` for this person, provided to the page's parts.
    pub fn provide(id: DocumentId, table: Memo<Option<Arc<Table>>>) -> Self {
        let ctx = TableCtx {
            id,
            table,
            me: StoredValue::new(crate::platform::identity::person_id()),
            selected: RwSignal::new(None),
        };
        provide_context(ctx);
        ctx
    }

    /// Whether this person has joined the table.
    pub fn joined(&self) -> bool {
        self.table.with(|t| {
            t.as_ref()
                .is_some_and(|t| t.participants.iter().any(|p| p.id == self.me.get_value()))
        })
    }

    /// Edits the table in one stamped change.
    pub fn edit(
        &self,
        edit: impl FnOnce(&mut Table) -> Result<(), DocError>,
    ) -> Result<(), DocError> {
        let workspace = expect_context::<Workspace>();
        workspace.edit::<Table>(self.id, edit)
    }

    /// The cards still on the board (not merged away or removed), for selects.
    pub fn cards(&self) -> Options {
        self.table.with(|t| {
            t.iter()
                .flat_map(|t| t.cards.iter().filter(|c| c.on_board()))
                .map(|c| {
                    (
                        c.id.clone(),
                        format!("{}: {}", tr(section_label(c.section)), short(&c.text.0)),
                    )
                })
                .collect()
        })
    }
}

/// The first line of a card's text, at most 50 characters.
pub fn short(text: &str) -> String {
    let first = text.lines().next().unwrap_or_default();
    if first.chars().count() > 50 {
        format!("{}…", first.chars().take(50).collect::<String>())
    } else {
        first.to_owned()
    }
}

/// The locale key of a phase's name.
pub fn phase_label(phase: Phase) -> &'static str {
    match phase {
        Phase::Verkennen => "phase.verkennen",
        Phase::Analyseren => "phase.analyseren",
        Phase::Pistes => "phase.pistes",
        Phase::Beoordelen => "phase.beoordelen",
        Phase::Afspraken => "phase.afspraken",
    }
}

/// The locale key of a column's name.
pub fn section_label(section: Section) -> &'static str {
    match section {
        Section::Probleem => "section.probleem",
        Section::Actor => "section.actor",
        Section::Oorzaak => "section.oorzaak",
        Section::Effect => "section.effect",
        Section::Piste => "section.piste",
    }
}

/// A relation's name in the interface language (tracked).
pub fn relation_label(relation: Relation) -> String {
    tr(&format!("relation.{}", relation.slug()))
}

/// What a link's relation is called: seed 003's in the interface language,
/// an added kind as the partners named it.
pub fn named_label(named: Named<'_>) -> String {
    match named {
        Named::Relation(r) => relation_label(r),
        Named::Added(label) => label.to_owned(),
    }
}

/// Prefix of an added kind's value in the relation select.
pub const ADDED: &str = "eigen:";
