//! The wijkbudget as seed 004 describes it: an envelope per wijk and per
//! round ("elke wijk komt aan bod, in 2 rondes"), and a separate fund to
//! react quickly to acute needs of people in a vulnerable position. The
//! acties' budget lines are counted against them: planned, committed
//! (vastgelegd), spent, and what remains of the envelope.

use super::model::{BudgetLine, Plan};

/// Which fund a line is paid from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fund {
    /// The wijkbudget, in rounds.
    Wijkbudget,
    /// The fund for acute needs.
    AcuteNood,
}

impl Fund {
    /// Both funds.
    pub const ALL: [Fund; 2] = [Fund::Wijkbudget, Fund::AcuteNood];

    /// A stable machine name (the envelope key's first part).
    pub fn slug(self) -> &'static str {
        match self {
            Fund::Wijkbudget => "wijkbudget",
            Fund::AcuteNood => "acuut",
        }
    }

    /// Parses [`Fund::slug`].
    pub fn from_slug(slug: &str) -> Option<Fund> {
        Fund::ALL.into_iter().find(|f| f.slug() == slug)
    }
}

/// Highest round a wijkbudget has (the seed names two).
pub const MAX_ROUND: u64 = 9;

/// The envelope key of a fund and round.
pub fn envelope_key(fund: Fund, round: u64) -> String {
    format!("{}/{round}", fund.slug())
}

/// The fund and round a line counts against, if any.
pub fn charged_to(line: &BudgetLine) -> Option<(Fund, u64)> {
    let round = line.round.unwrap_or(1);
    if line.acute {
        Some((Fund::AcuteNood, round))
    } else if line.wijkbudget {
        Some((Fund::Wijkbudget, round))
    } else {
        None
    }
}

/// One envelope (or a fund and round that lines use without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundUse {
    /// Which fund.
    pub fund: Fund,
    /// Which round.
    pub round: u64,
    /// The envelope, in cents, if one was set.
    pub envelope: Option<i64>,
    /// Planned on the lines, in cents.
    pub planned: i64,
    /// Committed, in cents.
    pub committed: i64,
    /// Spent, in cents.
    pub spent: i64,
}

impl FundUse {
    /// What is left of the envelope: each line uses the most of what is
    /// planned, committed or spent on it.
    pub fn remaining(&self, used: i64) -> Option<i64> {
        self.envelope.map(|e| e - used)
    }
}

/// Every envelope and every fund and round in use, with the lines' sums,
/// wijkbudget first, by round; and per entry what the lines use (for
/// [`FundUse::remaining`]).
pub fn summary(plan: &Plan) -> Vec<(FundUse, i64)> {
    let mut uses: Vec<(FundUse, i64)> = Vec::new();
    let entry = |fund: Fund, round: u64, uses: &mut Vec<(FundUse, i64)>| -> usize {
        if let Some(at) = uses
            .iter()
            .position(|(u, _)| u.fund == fund && u.round == round)
        {
            return at;
        }
        uses.push((
            FundUse {
                fund,
                round,
                envelope: None,
                planned: 0,
                committed: 0,
                spent: 0,
            },
            0,
        ));
        uses.len() - 1
    };
    for (key, cents) in &plan.envelopes {
        let Some((fund, round)) = key
            .split_once('/')
            .and_then(|(f, r)| Some((Fund::from_slug(f)?, r.parse::<u64>().ok()?)))
        else {
            continue;
        };
        let at = entry(fund, round, &mut uses);
        uses[at].0.envelope = Some(*cents);
    }
    for line in plan
        .ambitions
        .iter()
        .flat_map(|a| &a.actions)
        .flat_map(|a| &a.budget)
    {
        let Some((fund, round)) = charged_to(line) else {
            continue;
        };
        let at = entry(fund, round, &mut uses);
        let (fund_use, used) = &mut uses[at];
        fund_use.planned += line.planned_cents;
        fund_use.committed += line.committed_cents;
        fund_use.spent += line.spent_cents;
        *used += line
            .planned_cents
            .max(line.committed_cents)
            .max(line.spent_cents);
    }
    uses.sort_by_key(|(u, _)| (u.fund, u.round));
    uses
}
