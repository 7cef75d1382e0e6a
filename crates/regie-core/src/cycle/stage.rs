//! Where a knelpunt stands (seed 003): nieuw → bereidheid polsen → ronde
//! tafel gepland → gehouden → campagne lopend → afgerond. A person sets a
//! step; the documents can only move it on, never back: a table about it
//! means a table is planned, a table that reached its agreements was held,
//! a composed campaign means a campaign runs, and when every campaign that
//! was not stopped is done, so is the knelpunt.

use crate::campaign::{Campaign, CampaignStatus};
use crate::register::{Knelpunt, KnelpuntStatus};
use crate::roundtable::{Phase, Table};

/// How many people, from at least as many policy domains (or organisations,
/// for those who answer for none), must say they would join before a
/// ronde tafel is proposed: a knelpunt of the cycle needs one domain that
/// shows the problem and another that helps solve it (seed 003 f).
pub const ENOUGH_READINESS: usize = 2;

/// The step shown for a knelpunt: the person's step or what the tables and
/// campaigns about it say, whichever is further.
pub fn stage(knelpunt: &Knelpunt, tables: &[&Table], campaigns: &[&Campaign]) -> KnelpuntStatus {
    let mine = |k: &Option<String>| k.as_deref() == Some(knelpunt.id.as_str());
    let tables: Vec<&&Table> = tables.iter().filter(|t| mine(&t.knelpunt)).collect();
    let live: Vec<&&Campaign> = campaigns
        .iter()
        .filter(|c| mine(&c.knelpunt) && c.status != CampaignStatus::Stopgezet)
        .collect();
    let derived = if !live.is_empty() && live.iter().all(|c| c.status == CampaignStatus::Afgerond) {
        KnelpuntStatus::Afgesloten
    } else if !live.is_empty() {
        KnelpuntStatus::Campagne
    } else if tables.iter().any(|t| t.phase == Phase::Afspraken) {
        KnelpuntStatus::Gehouden
    } else if !tables.is_empty() {
        KnelpuntStatus::RondeTafel
    } else if !knelpunt.readiness.is_empty() {
        KnelpuntStatus::Bereidheid
    } else {
        KnelpuntStatus::Nieuw
    };
    derived.max(knelpunt.status)
}

/// Whether enough people said they would join to propose a ronde tafel
/// ([`ENOUGH_READINESS`]).
pub fn proposes_table(knelpunt: &Knelpunt) -> bool {
    let joining: Vec<_> = knelpunt.readiness.iter().filter(|r| r.joins).collect();
    let mut sides: Vec<&str> = joining
        .iter()
        .map(|r| r.domain.as_deref().unwrap_or(r.organisation.as_str()))
        .collect();
    sides.sort_unstable();
    sides.dedup();
    joining.len() >= ENOUGH_READINESS && sides.len() >= ENOUGH_READINESS
}
