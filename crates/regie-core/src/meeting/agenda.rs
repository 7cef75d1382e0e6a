//! What changed in a plan since the previous meeting, as the agenda
//! proposes it: per ambitie the new and finished acties, status changes,
//! acties past their end date and budget moves, and the new signals.
//!
//! The plan "then" is read from the plan's own history
//! ([`plan_at`]: every change made up to a moment), so the agenda needs no
//! bookkeeping of its own and is the same on every device that holds the
//! same history.

use std::collections::HashMap;

use automerge::Automerge;
use autosurgeon::{Hydrate, Reconcile};

use crate::history;
use crate::plan::{Action, Plan, Status, read_plan};

/// What happened to one actie (or signal) since the previous meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Reconcile, Hydrate)]
pub enum ChangeKind {
    /// An actie that did not exist then.
    NewAction,
    /// An actie that is done now and was not then.
    Finished,
    /// Any other change of status.
    StatusChanged,
    /// An actie past its end date and not closed.
    Overdue,
    /// Money planned or spent moved.
    BudgetMoved,
    /// A signal captured since (not withdrawn).
    NewSignal,
}

impl ChangeKind {
    /// The locale key of the line that says it (`meeting.change.<name>`).
    pub fn key(self) -> &'static str {
        match self {
            ChangeKind::NewAction => "meeting.change.new_action",
            ChangeKind::Finished => "meeting.change.finished",
            ChangeKind::StatusChanged => "meeting.change.status",
            ChangeKind::Overdue => "meeting.change.overdue",
            ChangeKind::BudgetMoved => "meeting.change.budget",
            ChangeKind::NewSignal => "meeting.change.new_signal",
        }
    }
}

/// One line of "what changed": kept in the meeting as it was proposed, so
/// the minutes say what the team saw even after the plan moved on.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct ChangeNote {
    /// What happened.
    pub kind: ChangeKind,
    /// The actie's (or signal's) id in the plan.
    pub item: String,
    /// Its title (a signal: what was seen) when the agenda was made.
    pub title: String,
    /// The status before, for a change of status.
    pub from: Option<Status>,
    /// The status now.
    pub to: Option<Status>,
    /// Planned money moved, in cents (a budget move).
    pub planned_cents: Option<i64>,
    /// Spent money moved, in cents.
    pub spent_cents: Option<i64>,
    /// The end date, for an overdue actie.
    pub end: Option<String>,
}

impl ChangeNote {
    fn of(kind: ChangeKind, item: &str, title: &str) -> Self {
        ChangeNote {
            kind,
            item: item.to_owned(),
            title: title.to_owned(),
            from: None,
            to: None,
            planned_cents: None,
            spent_cents: None,
            end: None,
        }
    }
}

/// The changes under one ambitie.
#[derive(Debug, Clone, PartialEq)]
pub struct AmbitionChanges {
    /// The ambitie's id.
    pub ambition: String,
    /// Its title now.
    pub title: String,
    /// What changed, in the order of its acties.
    pub changes: Vec<ChangeNote>,
}

/// Everything that changed between `before` (the plan at the previous
/// meeting; `None`: it did not exist yet) and `now`, with acties past
/// their end on `today` (`YYYY-MM-DD`). Ambities without changes are left
/// out; new signals are returned apart.
pub fn changes(
    before: Option<&Plan>,
    now: &Plan,
    today: &str,
) -> (Vec<AmbitionChanges>, Vec<ChangeNote>) {
    let then: HashMap<&str, &Action> = before
        .into_iter()
        .flat_map(|p| p.ambitions.iter())
        .flat_map(|a| a.actions.iter())
        .map(|a| (a.id.as_str(), a))
        .collect();
    let mut per_ambition = Vec::new();
    for ambition in &now.ambitions {
        let mut notes = Vec::new();
        for action in &ambition.actions {
            notes.extend(action_changes(
                then.get(action.id.as_str()).copied(),
                action,
                today,
            ));
        }
        if !notes.is_empty() {
            per_ambition.push(AmbitionChanges {
                ambition: ambition.id.clone(),
                title: ambition.title.clone(),
                changes: notes,
            });
        }
    }
    let known: Vec<&str> = before
        .map(|p| p.signals.iter().map(|s| s.id.as_str()).collect())
        .unwrap_or_default();
    let signals = now
        .signals
        .iter()
        .filter(|s| s.withdrawn.is_none() && !known.contains(&s.id.as_str()))
        .map(|s| ChangeNote::of(ChangeKind::NewSignal, &s.id, &s.what))
        .collect();
    (per_ambition, signals)
}

fn action_changes(before: Option<&Action>, now: &Action, today: &str) -> Vec<ChangeNote> {
    let mut notes = Vec::new();
    match before {
        None => notes.push(ChangeNote {
            to: Some(now.status),
            ..ChangeNote::of(ChangeKind::NewAction, &now.id, &now.title)
        }),
        Some(then) if then.status != now.status => {
            let kind = if now.status == Status::Afgerond {
                ChangeKind::Finished
            } else {
                ChangeKind::StatusChanged
            };
            notes.push(ChangeNote {
                from: Some(then.status),
                to: Some(now.status),
                ..ChangeNote::of(kind, &now.id, &now.title)
            });
        }
        Some(_) => {}
    }
    let (planned, spent) = now.budget_totals();
    let (planned_then, spent_then) = before.map_or((0, 0), Action::budget_totals);
    if (planned, spent) != (planned_then, spent_then) {
        notes.push(ChangeNote {
            planned_cents: Some(planned - planned_then),
            spent_cents: Some(spent - spent_then),
            ..ChangeNote::of(ChangeKind::BudgetMoved, &now.id, &now.title)
        });
    }
    if let Some(end) = now.end.as_deref()
        && !now.status.is_closed()
        && end < today
    {
        notes.push(ChangeNote {
            end: Some(end.to_owned()),
            ..ChangeNote::of(ChangeKind::Overdue, &now.id, &now.title)
        });
    }
    notes
}

/// The plan as it was at `time` (seconds since the Unix epoch), read from
/// its history; `None` when nothing of it had been made by then, or it
/// does not read as a plan.
pub fn plan_at(doc: &Automerge, time: i64) -> Option<Plan> {
    let heads = history::heads_at(doc, time);
    if heads.is_empty() {
        return None;
    }
    read_plan(&history::as_of(doc, &heads)?).ok()
}
