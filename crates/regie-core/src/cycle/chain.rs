//! The chain both ways. Backwards, "waarom bestaat deze actie?": the
//! actie's origin names a campaign and its piste; the campaign names its
//! table; the table its knelpunt and signals; the knelpunt more signals,
//! and signals of the plan may point at the actie directly. Forwards, "wat
//! is er met dit signaal gedaan?": the knelpunten that link it, the tables
//! about it or them, the campaigns of those tables, and the acties those
//! campaigns became (or that the plan links it to).
//!
//! Merged cards resolve to the card they went into (`Table::resolve`), an
//! actie moved to another ambitie keeps its id, and a withdrawn signal is
//! still found but marked, so a chain never breaks on an edit.

use super::Documents;
use crate::DocumentId;
use crate::campaign::Campaign;
use crate::register::{Knelpunt, SignalRef};
use crate::roundtable::Table;

/// An actie's origin as its plan stores it: `<campaign id>/<card id>`.
pub fn origin(campaign: &DocumentId, card: &str) -> String {
    format!("{campaign}/{card}")
}

/// The campaign and card an origin names, if it is well formed.
pub fn parse_origin(origin: &str) -> Option<(DocumentId, &str)> {
    let (campaign, card) = origin.split_once('/')?;
    Some((campaign.parse().ok()?, card))
}

/// A signal in a chain: which one, and whether it was withdrawn since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainSignal {
    /// Which signal.
    pub key: SignalRef,
    /// Its text, if its plan is on this device and it is current.
    pub what: Option<String>,
    /// It was withdrawn (it stays in the chain, marked).
    pub withdrawn: bool,
}

/// Why an actie exists: each step back that this device can see.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Why {
    /// The campaign it came from (id, title if the campaign is here).
    pub campaign: Option<(DocumentId, Option<String>)>,
    /// The piste's text, from the campaign (as composed) or the table.
    pub piste: Option<String>,
    /// The ronde tafel (id, title if here).
    pub table: Option<(DocumentId, Option<String>)>,
    /// The knelpunt (register id, title).
    pub knelpunt: Option<(String, String)>,
    /// Every signal on the way, each once.
    pub signals: Vec<ChainSignal>,
}

impl Why {
    /// Whether nothing leads to this actie (it was made in the plan itself).
    pub fn is_empty(&self) -> bool {
        self.campaign.is_none() && self.signals.is_empty()
    }
}

fn find<'a, T>(list: &'a [(DocumentId, &'a T)], id: &DocumentId) -> Option<&'a T> {
    list.iter().find(|(i, _)| i == id).map(|(_, t)| *t)
}

fn knelpunt<'a>(docs: &Documents<'a>, id: Option<&str>) -> Option<&'a Knelpunt> {
    docs.register
        .knelpunten
        .iter()
        .find(|k| Some(k.id.as_str()) == id)
}

impl Documents<'_> {
    fn signal(&self, key: &SignalRef) -> ChainSignal {
        let found = key.key.split_once('/').and_then(|(plan, signal)| {
            let plan = find(self.plans, &plan.parse().ok()?)?;
            plan.signals.iter().find(|s| s.id == signal)
        });
        ChainSignal {
            key: key.clone(),
            what: found.filter(|s| s.is_current()).map(|s| s.what.clone()),
            withdrawn: found.is_some_and(|s| !s.is_current()),
        }
    }
}

/// Why actie `action` of plan `plan` exists.
pub fn why(docs: &Documents<'_>, plan: &DocumentId, action: &str) -> Why {
    let mut why = Why::default();
    let mut keys: Vec<SignalRef> = Vec::new();
    let the_plan = find(docs.plans, plan);
    // Signals of the plan that point at the actie.
    for signal in the_plan.iter().flat_map(|p| &p.signals) {
        if signal.actions.iter().any(|a| a == action) {
            keys.push(SignalRef::new(plan, &signal.id));
        }
    }
    let origin = the_plan
        .and_then(|p| p.action(action))
        .and_then(|a| a.origin.as_deref())
        .and_then(parse_origin);
    if let Some((campaign_id, card)) = origin {
        let campaign = find(docs.campaigns, &campaign_id);
        why.campaign = Some((campaign_id, campaign.map(|c| c.title.clone())));
        if let Some(campaign) = campaign {
            why.piste = campaign
                .parts
                .iter()
                .find(|p| p.card == card)
                .map(|p| p.text.clone());
            let table_id = campaign.table.parse::<DocumentId>().ok();
            let table = table_id.and_then(|id| find(docs.tables, &id));
            if let Some(table) = table
                && let Some(resolved) = table.resolve(card)
                && why.piste.is_none()
            {
                why.piste = Some(resolved.text.0.clone());
            }
            why.table = table_id.map(|id| (id, table.map(|t| t.title.clone())));
            keys.extend(campaign.signals.iter().cloned());
            let k = knelpunt(docs, campaign.knelpunt.as_deref())
                .or_else(|| knelpunt(docs, table.and_then(|t| t.knelpunt.as_deref())));
            if let Some(k) = k {
                why.knelpunt = Some((k.id.clone(), k.title.clone()));
                keys.extend(k.signals.iter().cloned());
            }
        }
    }
    let mut seen = Vec::new();
    for key in keys {
        if !seen.contains(&key) {
            why.signals.push(docs.signal(&key));
            seen.push(key);
        }
    }
    why
}

/// What became of a signal: every step forward this device can see.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// Knelpunten that link it (register ids).
    pub knelpunten: Vec<String>,
    /// Ronde tafels about it or its knelpunten.
    pub tables: Vec<DocumentId>,
    /// Campagnes about it, its knelpunten or from those tables.
    pub campaigns: Vec<DocumentId>,
    /// Acties (plan, actie id) those campaigns became, or that the signal's
    /// own plan links it to.
    pub actions: Vec<(DocumentId, String)>,
}

impl Outcome {
    /// Whether nothing was done with it yet.
    pub fn is_empty(&self) -> bool {
        self.knelpunten.is_empty()
            && self.tables.is_empty()
            && self.campaigns.is_empty()
            && self.actions.is_empty()
    }
}

fn push<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// What became of signal `key`.
pub fn outcome(docs: &Documents<'_>, key: &SignalRef) -> Outcome {
    let mut out = Outcome::default();
    for k in &docs.register.knelpunten {
        if k.signals.contains(key) {
            push(&mut out.knelpunten, k.id.clone());
        }
    }
    let about = |knelpunt: &Option<String>, signals: &[SignalRef]| {
        signals.contains(key)
            || knelpunt
                .as_ref()
                .is_some_and(|k| out.knelpunten.contains(k))
    };
    let tables: Vec<DocumentId> = docs
        .tables
        .iter()
        .filter(|(_, t): &&(DocumentId, &Table)| about(&t.knelpunt, &t.signals))
        .map(|(id, _)| *id)
        .collect();
    let campaigns: Vec<DocumentId> = docs
        .campaigns
        .iter()
        .filter(|(_, c): &&(DocumentId, &Campaign)| {
            about(&c.knelpunt, &c.signals)
                || c.table
                    .parse::<DocumentId>()
                    .is_ok_and(|t| tables.contains(&t))
        })
        .map(|(id, _)| *id)
        .collect();
    out.tables = tables;
    for id in campaigns {
        push(&mut out.campaigns, id);
        if let Some(campaign) = find(docs.campaigns, &id) {
            for action in &campaign.actions {
                if let Some((plan, action)) = action.target() {
                    push(&mut out.actions, (plan, action.to_owned()));
                }
            }
        }
    }
    // Acties whose origin names one of those campaigns (also when the
    // campaign's own list missed it, as when two devices made it apart).
    for (plan_id, plan) in docs.plans {
        for action in plan.ambitions.iter().flat_map(|a| &a.actions) {
            let from = action.origin.as_deref().and_then(parse_origin);
            if from.is_some_and(|(c, _)| out.campaigns.contains(&c)) {
                push(&mut out.actions, (*plan_id, action.id.clone()));
            }
        }
    }
    // The signal's own plan may link it to acties directly.
    if let Some((plan, signal)) = key.key.split_once('/')
        && let Ok(plan_id) = plan.parse::<DocumentId>()
        && let Some(plan) = find(docs.plans, &plan_id)
        && let Some(signal) = plan.signals.iter().find(|s| s.id == signal)
    {
        for action in &signal.actions {
            push(&mut out.actions, (plan_id, action.clone()));
        }
    }
    out
}
