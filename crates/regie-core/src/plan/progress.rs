//! How progress rolls up: actie → ambitie → plan, weighted per actie.
//!
//! An actie's progress is its override, or else its status's default. A
//! stopped actie is left out (it will not be finished, and should not pull
//! the plan down or up). With nothing left to count, there is no progress.

use super::model::{Action, Ambition, Plan};
use super::status::Status;

/// The progress of one actie, in percent.
pub fn of_action(action: &Action) -> u64 {
    action
        .progress
        .unwrap_or_else(|| action.status.default_progress())
        .min(100)
}

/// The weighted average progress of some acties, in percent.
pub fn weighted<'a>(actions: impl IntoIterator<Item = &'a Action>) -> Option<f64> {
    let (sum, weights) = actions
        .into_iter()
        .filter(|a| a.status != Status::Stopgezet)
        .fold((0u64, 0u64), |(sum, weights), a| {
            (sum + of_action(a) * a.weight, weights + a.weight)
        });
    (weights > 0).then(|| sum as f64 / weights as f64)
}

/// The progress of an ambitie.
pub fn of_ambition(ambition: &Ambition) -> Option<f64> {
    weighted(&ambition.actions)
}

/// The progress of the whole plan: every actie counts with its own weight,
/// whichever ambitie it is under.
pub fn of_plan(plan: &Plan) -> Option<f64> {
    weighted(plan.ambitions.iter().flat_map(|a| &a.actions))
}

/// A percentage as people read it ("42 %"), or a dash when there is none.
pub fn label(progress: Option<f64>) -> String {
    progress.map_or_else(|| "–".to_owned(), |p| format!("{} %", p.round() as u64))
}
