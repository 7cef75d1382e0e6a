//! What the signals of a wijk add up to: counts per thema and recurrences.

use std::collections::BTreeMap;

use super::model::Signal;

/// How many signals there are per thema id, most first (ties by id).
pub fn count_by_thema(signals: &[Signal]) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in signals {
        *counts.entry(s.thema.as_str()).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> =
        counts.into_iter().map(|(t, n)| (t.to_owned(), n)).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

/// The first signal of the problem this signal repeats (itself if it
/// repeats none). Links to removed signals end the walk; a cycle, which
/// concurrent edits can make, is one problem named after its smallest id.
pub fn root<'a>(signals: &'a [Signal], id: &'a str) -> &'a str {
    let mut chain: Vec<&'a str> = vec![id];
    loop {
        let current = chain[chain.len() - 1];
        let next = signals
            .iter()
            .find(|s| s.id == current)
            .and_then(|s| s.same_as.as_deref())
            .filter(|next| signals.iter().any(|s| s.id == *next));
        match next {
            None => return current,
            Some(next) => match chain.iter().position(|seen| *seen == next) {
                Some(start) => return chain[start..].iter().min().copied().unwrap_or(next),
                None => chain.push(next),
            },
        }
    }
}

/// Problems seen more than once: the first signal's id and how many
/// signals (including it) report the same problem, most first.
pub fn recurrences(signals: &[Signal]) -> Vec<(String, usize)> {
    let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
    for s in signals {
        *groups.entry(root(signals, &s.id)).or_default() += 1;
    }
    let mut groups: Vec<(String, usize)> = groups
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, n)| (id.to_owned(), n))
        .collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    groups
}
