//! The signalenbundel: every current signal of the city in one table for
//! the signal coordinator (seed 003: "de signalenbundels"), with its wijk,
//! kind, doelgroep, thema, policy domains and the knelpunten it feeds.
//! Written as [`crate::export`]'s CSV (`;`, UTF-8 with a byte-order mark).

use super::Documents;
use super::triage::domains_of_thema;
use crate::directory::Directory;
use crate::register::SignalRef;

/// Column headings of [`csv`], in order.
pub const COLUMNS: [&str; 10] = [
    "wijk",
    "date",
    "kind",
    "thema",
    "domains",
    "doelgroep",
    "what",
    "place",
    "source",
    "knelpunten",
];

/// One signal of the bundle, as the printed page and the CSV show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The wijk's slug.
    pub wijk: String,
    /// Which signal.
    pub key: SignalRef,
    /// The cells, in [`COLUMNS`] order (names, not ids).
    pub cells: [String; 10],
}

/// Every current signal of every plan, oldest first (then by wijk).
pub fn rows(docs: &Documents<'_>, directory: &Directory) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for (id, plan) in docs.plans {
        for signal in plan.signals.iter().filter(|s| s.is_current()) {
            let key = SignalRef::new(id, &signal.id);
            let knelpunten: Vec<&str> = docs
                .register
                .knelpunten
                .iter()
                .filter(|k| k.signals.contains(&key))
                .map(|k| k.title.as_str())
                .collect();
            let domains: Vec<String> = domains_of_thema(&signal.thema)
                .iter()
                .map(|d| docs.register.domain_name(d))
                .collect();
            rows.push(Row {
                wijk: plan.wijk.clone(),
                cells: [
                    crate::wijken::by_slug(&plan.wijk)
                        .map_or_else(|| plan.wijk.clone(), |w| w.name.to_owned()),
                    signal.date.clone(),
                    signal.kind.map(|k| k.slug().to_owned()).unwrap_or_default(),
                    directory.name_of(&signal.thema),
                    domains.join(", "),
                    signal.doelgroep.clone().unwrap_or_default(),
                    signal.what.clone(),
                    signal.place.clone(),
                    directory.name_of(&signal.source),
                    knelpunten.join(", "),
                ],
                key,
            });
        }
    }
    rows.sort_by(|a, b| (&a.cells[1], &a.wijk).cmp(&(&b.cells[1], &b.wijk)));
    rows
}

/// The bundle as CSV; `headings` title [`COLUMNS`].
pub fn csv(rows: &[Row], headings: &[String; 10]) -> String {
    crate::export::csv(headings, rows.iter().map(|r| r.cells.to_vec()).collect())
}
