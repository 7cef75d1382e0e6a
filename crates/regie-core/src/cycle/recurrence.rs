//! Signals across the city: how often a thema, and a policy domain, comes
//! back, and in how many wijken — recurrence is what makes a signal
//! structural (seed 003: "regelmatig terugkomt").

use std::collections::{BTreeMap, BTreeSet};

use super::triage::domains_of_thema;
use crate::plan::Plan;

/// One thema or domain, counted over every plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    /// The thema or domain id.
    pub id: String,
    /// How many current signals.
    pub signals: usize,
    /// The wijken (slugs) they came from.
    pub wijken: BTreeSet<String>,
}

/// Current signals per thema and per domain over `plans`, most signals
/// first (then most wijken, then by id): (per thema, per domain).
pub fn across_city(plans: &[&Plan]) -> (Vec<Recurrence>, Vec<Recurrence>) {
    let mut themas: BTreeMap<String, Recurrence> = BTreeMap::new();
    let mut domains: BTreeMap<String, Recurrence> = BTreeMap::new();
    let count = |map: &mut BTreeMap<String, Recurrence>, id: &str, wijk: &str| {
        let entry = map.entry(id.to_owned()).or_insert_with(|| Recurrence {
            id: id.to_owned(),
            signals: 0,
            wijken: BTreeSet::new(),
        });
        entry.signals += 1;
        entry.wijken.insert(wijk.to_owned());
    };
    for plan in plans {
        for signal in plan.signals.iter().filter(|s| s.is_current()) {
            count(&mut themas, &signal.thema, &plan.wijk);
            for domain in domains_of_thema(&signal.thema) {
                count(&mut domains, domain, &plan.wijk);
            }
        }
    }
    let sorted = |map: BTreeMap<String, Recurrence>| {
        let mut list: Vec<Recurrence> = map.into_values().collect();
        list.sort_by(|a, b| {
            (b.signals, b.wijken.len())
                .cmp(&(a.signals, a.wijken.len()))
                .then_with(|| a.id.cmp(&b.id))
        });
        list
    };
    (sorted(themas), sorted(domains))
}
