//! Triage by seed 003's own rule: a knelpunt that touches one policy
//! domain belongs on that domain's own overleg, with its regisseur ("dienen
//! geen plaats te krijgen binnen LWB, maar op 'hun' specifiek beleidsmatig
//! overleg"); one that crosses domains goes to a ronde tafel. Thema's of
//! the directory map to policy domains, so a signal reaches the regisseur
//! of its domain: each regisseur has an inbox of the knelpunten and
//! signals of their domains.

use crate::DocumentId;
use crate::plan::Signal;
use crate::register::{Domain, Knelpunt, Register};

/// Where a knelpunt goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Route<'a> {
    /// No domain chosen yet: nobody can route it.
    Undecided,
    /// One domain: its own overleg and regisseur.
    Overleg(&'a Domain),
    /// Several domains: a ronde tafel of the regie.
    RondeTafel,
}

/// Routes a knelpunt by the number of its known domains.
pub fn route<'a>(register: &'a Register, knelpunt: &Knelpunt) -> Route<'a> {
    let domains: Vec<&Domain> = knelpunt
        .domains
        .iter()
        .filter_map(|id| register.domains.iter().find(|d| &d.id == id))
        .collect();
    match domains.as_slice() {
        [] => Route::Undecided,
        [one] => Route::Overleg(one),
        _ => Route::RondeTafel,
    }
}

/// The directory's thema's (ids) and the policy domains (register ids)
/// each belongs to.
const THEMA_DOMAINS: [(&str, &[&str]); 14] = [
    ("wonen", &["wonen"]),
    ("gezondheid", &["gezondheid"]),
    ("armoede", &["inkomen", "armoedebestrijding"]),
    ("ouderen", &["ouderen"]),
    ("jeugd", &["jeugd"]),
    ("kinderopvang", &["kinderopvang", "gezinsondersteuning"]),
    ("onderwijs", &["onderwijs"]),
    ("werk", &["tewerkstelling"]),
    ("handicap", &["handicap"]),
    ("sociale-cohesie", &["sociale-cohesie"]),
    ("diversiteit", &["gelijke-kansen", "ecd"]),
    ("dakloosheid", &["dakloosheid"]),
    ("vrije-tijd", &["cultuurparticipatie", "sport"]),
    ("welzijn", &["welzijn"]),
];

/// The policy domains a thema belongs to (none for a thema added later,
/// whose signals the welzijn regisseur then sees).
pub fn domains_of_thema(thema: &str) -> &'static [&'static str] {
    THEMA_DOMAINS
        .iter()
        .find(|(t, _)| *t == thema)
        .map_or(&["welzijn"][..], |(_, domains)| domains)
}

/// What one regisseur's inbox holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Inbox<'a> {
    /// The domains they are regisseur of.
    pub domains: Vec<&'a Domain>,
    /// The knelpunten that touch one of them.
    pub knelpunten: Vec<&'a Knelpunt>,
    /// The current signals whose thema belongs to one of them.
    pub signals: Vec<(DocumentId, &'a Signal)>,
}

/// The inbox of the regisseur named `regisseur` (as the register names them).
pub fn inbox<'a>(
    register: &'a Register,
    regisseur: &str,
    signals: &[(DocumentId, &'a Signal)],
) -> Inbox<'a> {
    let domains: Vec<&Domain> = register
        .domains
        .iter()
        .filter(|d| d.regisseur == regisseur)
        .collect();
    let theirs = |id: &str| domains.iter().any(|d| d.id == id);
    Inbox {
        knelpunten: register
            .knelpunten
            .iter()
            .filter(|k| k.domains.iter().any(|d| theirs(d)))
            .collect(),
        signals: signals
            .iter()
            .filter(|(_, s)| s.is_current() && domains_of_thema(&s.thema).iter().any(|d| theirs(d)))
            .copied()
            .collect(),
        domains,
    }
}

/// Every regisseur the register names, each once, in the register's order.
pub fn regisseurs(register: &Register) -> Vec<&str> {
    let mut seen = Vec::new();
    for domain in &register.domains {
        if !seen.contains(&domain.regisseur.as_str()) {
            seen.push(domain.regisseur.as_str());
        }
    }
    seen
}
