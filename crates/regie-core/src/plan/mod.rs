//! The wijkactieplan: ambities with their acties, the partners around the
//! plan, the signals of the wijk, and how all that is kept in one Automerge
//! document per wijk.
//!
//! The document root is `{ schema, kind, wijk, ambitions, members, signals }`.
//! List items carry a stable `id`, so concurrent edits to different items
//! merge instead of overwriting each other (autosurgeon matches list items
//! by that key when it reconciles).
//!
//! - [`model`]: the types and their document mapping (and schema defaults).
//! - [`status`]: an actie's status and its default progress.
//! - [`edit`]: every edit, checked before anything changes.
//! - [`validate`]: typed input to values, with Dutch messages.
//! - [`budget`]: the wijkbudget per round and the fund for acute needs.
//! - [`progress`]: the weighted roll-up actie → ambitie → plan.
//! - [`query`]: the table's filter and sort.
//! - [`signals`]: counts per thema and recurrences.
//! - [`document`]: reading, writing, upgrading and typing into documents.
//! - `fast_read`: reading a plan in one pass (opening a big plan quickly).

pub mod budget;
pub mod document;
pub mod edit;
mod fast_read;
pub mod model;
pub mod progress;
pub mod query;
pub mod signals;
pub mod status;
mod strings;
pub mod validate;

pub use document::{
    TextField, edit_plan, edit_text, is_empty, new_plan_document, read_plan, read_plan_by_fields,
    restore_action, restore_plan, write_plan, write_signals,
};
pub use edit::{BudgetForm, IndicatorForm, NoteForm, SignalForm, euro_label};
pub use model::{
    Action, Ambition, BudgetLine, Circle, FollowUp, Indicator, LongText, Member, Plan, Signal,
    SignalKind,
};
pub use status::Status;
pub use validate::{Details, DetailsForm, Field, Problems};

/// The schema version written by this code. Version 1 had only titles and
/// statuses; version 2 added everything else (read with defaults).
pub const SCHEMA_VERSION: u64 = 2;

/// The `kind` field of a plan document.
pub const PLAN_KIND: &str = "wijkactieplan";
