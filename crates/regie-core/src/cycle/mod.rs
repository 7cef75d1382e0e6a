//! The regie cycle of seed 003 as one chain that can be followed both ways:
//! a signal in a wijk plan → a knelpunt in the register → a ronde tafel →
//! a campagne → an actie in one or more wijkactieplannen.
//!
//! Each link of the chain is an id kept in the later document (a knelpunt
//! names its signals, a table its knelpunt and signals, a campaign its
//! table, an actie its campaign and piste), so nothing is copied and a
//! merged card or a moved actie still resolves. This module only reads:
//! - [`wijk_plan`]: the one plan of a wijk, the same document on every device;
//! - [`stage`]: where a knelpunt stands, from a person's step and the documents;
//! - [`triage`]: one policy domain goes to its own overleg, several to a ronde tafel; inboxes;
//! - [`chain`]: why an actie exists, and what became of a signal;
//! - [`follow_through`]: a campaign's piste as an actie that keeps its origin;
//! - [`recurrence`]: signals counted across the city per thema and domain;
//! - [`bundle`]: the signalenbundel (CSV) for the signal coordinator.

pub mod bundle;
pub mod chain;
pub mod follow_through;
pub mod recurrence;
pub mod stage;
pub mod triage;
pub mod wijk_plan;

use crate::DocumentId;
use crate::campaign::Campaign;
use crate::plan::Plan;
use crate::register::Register;
use crate::roundtable::Table;

/// Every document of the cycle a device holds, read: what the functions of
/// this module look through. A document that is not here is simply not
/// found, never an error.
#[derive(Debug, Clone, Copy)]
pub struct Documents<'a> {
    /// The register.
    pub register: &'a Register,
    /// The plans, with their ids.
    pub plans: &'a [(DocumentId, &'a Plan)],
    /// The ronde tafels, with their ids.
    pub tables: &'a [(DocumentId, &'a Table)],
    /// The campagnes, with their ids.
    pub campaigns: &'a [(DocumentId, &'a Campaign)],
}
