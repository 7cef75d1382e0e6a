//! [`PlanCtx`]: what the plan page shares with its tabs and the actie
//! editor through context (which plan, the plan and directory as they are
//! now, the open actie), with the names and choices the views list.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::directory::Directory;
use regie_core::plan::Plan;

use crate::ui::common::forms::{Options, organisation_options};

/// What the plan page shares with its views: which plan, the plan and
/// directory as they are now, and which actie is open in the editor.
#[derive(Clone, Copy)]
pub struct PlanCtx {
    /// The plan's document.
    pub id: DocumentId,
    /// The plan (re-read when anything changes).
    pub plan: Memo<Option<Arc<Plan>>>,
    /// The workspace directory.
    pub directory: Memo<Option<Arc<Directory>>>,
    /// The actie open in the editor.
    pub open: RwSignal<Option<String>>,
}

impl PlanCtx {
    /// The name people see for a thema or organisation id.
    pub fn name(&self, id: &str) -> String {
        self.directory
            .with(|d| d.as_ref().map_or_else(|| id.to_owned(), |d| d.name_of(id)))
    }

    /// Partner organisations, for selects: real ones (with their kind)
    /// first, then the kinds of the seed.
    pub fn organisations(&self) -> Options {
        self.directory
            .with(|d| d.as_deref().map(organisation_options).unwrap_or_default())
    }

    /// Thema's, for selects.
    pub fn themes(&self) -> Options {
        self.directory.with(|d| {
            d.iter()
                .flat_map(|d| &d.themes)
                .map(|t| (t.id.clone(), t.name.clone()))
                .collect()
        })
    }

    /// The plan's acties (id, title), for selects.
    pub fn actions(&self) -> Options {
        self.plan.with(|p| {
            p.iter()
                .flat_map(|p| &p.ambitions)
                .flat_map(|a| &a.actions)
                .map(|a| (a.id.clone(), a.title.clone()))
                .collect()
        })
    }
}
