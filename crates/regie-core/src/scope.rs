//! Access that follows the regie (issue #15, first part): what each kind of
//! link may do with each kind of document. A link is for a wijk (its
//! wijkactieteam, or its netwerk SW&G), for a sociaal regisseur's cluster of
//! wijken, or for the city; documents belong to a wijk (plan, ronde tafel,
//! campagne) or to the city (the knelpunten register, the adresboek).
//!
//! | link ↓ document → | plan of its wijk | tafel, campagne of its wijk | another wijk's | register | adresboek |
//! |---|---|---|---|---|---|
//! | wijkactieteam | write | write | nothing | read | read |
//! | netwerk SW&G | signals only | read | nothing | nothing | read |
//! | regisseur (cluster) | write | write | nothing | write | read |
//! | stad | write | write | write | write | write |
//!
//! "Signals only" reads the document and may add signals (and change or
//! withdraw its own), nothing else. A link makes links only within its own
//! rights ([`may_make`]): never wider, for no other organisation.
//!
//! Pure: the relay and every device will ask this table; nothing here does IO.

use crate::wijken;

/// What a link may do with one document, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Right {
    /// The document never reaches the device.
    Nothing,
    /// Read only.
    Read,
    /// Read, and add signals (change or withdraw its own).
    SignalsOnly,
    /// Read and change.
    Write,
}

/// Whom a link is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkScope {
    /// The wijkactieteam of a wijk (its slug).
    Team(String),
    /// The netwerk SW&G of a wijk: reads, and passes on signals.
    Netwerk(String),
    /// A sociaal regisseur and the wijken of their cluster (by name).
    Regisseur(String),
    /// The city level: every document.
    Stad,
}

/// What a document is, for access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocScope {
    /// A wijkactieplan of a wijk.
    Plan(String),
    /// A ronde tafel or a campagne started from a wijk's plan.
    Derived(String),
    /// The knelpunten register.
    Register,
    /// The adresboek.
    Directory,
}

/// A link's scope and the organisation it was made for, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capability {
    /// Whom it is for.
    pub scope: LinkScope,
    /// Signatures, scores and claims through it are this organisation's.
    pub organisation: Option<String>,
}

impl LinkScope {
    /// Whether the wijk `slug` is within this link's scope.
    fn covers_wijk(&self, slug: &str) -> bool {
        match self {
            LinkScope::Team(w) | LinkScope::Netwerk(w) => w == slug,
            LinkScope::Regisseur(name) => {
                wijken::by_slug(slug).is_some_and(|w| w.regisseur == name)
            }
            LinkScope::Stad => true,
        }
    }

    /// What this link may do with a document.
    pub fn right(&self, doc: &DocScope) -> Right {
        match (self, doc) {
            (LinkScope::Stad, _) => Right::Write,
            (_, DocScope::Plan(w) | DocScope::Derived(w)) if !self.covers_wijk(w) => Right::Nothing,
            (LinkScope::Netwerk(_), DocScope::Plan(_)) => Right::SignalsOnly,
            (LinkScope::Netwerk(_), DocScope::Derived(_)) => Right::Read,
            (_, DocScope::Plan(_) | DocScope::Derived(_)) => Right::Write,
            (LinkScope::Regisseur(_), DocScope::Register) => Right::Write,
            (LinkScope::Team(_), DocScope::Register) => Right::Read,
            (LinkScope::Netwerk(_), DocScope::Register) => Right::Nothing,
            (_, DocScope::Directory) => Right::Read,
        }
    }

    /// Whether the scope names a wijk or regisseur that exists.
    pub fn is_known(&self) -> bool {
        match self {
            LinkScope::Team(w) | LinkScope::Netwerk(w) => wijken::by_slug(w).is_some(),
            LinkScope::Regisseur(name) => wijken::WIJKEN.iter().any(|w| w.regisseur == name),
            LinkScope::Stad => true,
        }
    }
}

/// Every kind of document of every wijk: what attenuation is checked over.
fn every_document() -> impl Iterator<Item = DocScope> {
    wijken::WIJKEN
        .iter()
        .flat_map(|w| {
            [
                DocScope::Plan(w.slug.to_owned()),
                DocScope::Derived(w.slug.to_owned()),
            ]
        })
        .chain([DocScope::Register, DocScope::Directory])
}

/// Whether a holder of `parent` may make a link `child`: the child may do no
/// more than the parent with any document, and is for the parent's
/// organisation when the parent has one.
pub fn may_make(parent: &Capability, child: &Capability) -> bool {
    let organisation_kept = parent
        .organisation
        .as_ref()
        .is_none_or(|org| child.organisation.as_ref() == Some(org));
    child.scope.is_known()
        && organisation_kept
        && every_document().all(|doc| child.scope.right(&doc) <= parent.scope.right(&doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_scope() -> Vec<LinkScope> {
        let mut scopes = vec![LinkScope::Stad];
        for w in &wijken::WIJKEN {
            scopes.push(LinkScope::Team(w.slug.into()));
            scopes.push(LinkScope::Netwerk(w.slug.into()));
            if !scopes.contains(&LinkScope::Regisseur(w.regisseur.into())) {
                scopes.push(LinkScope::Regisseur(w.regisseur.into()));
            }
        }
        scopes
    }

    fn cap(scope: LinkScope) -> Capability {
        Capability {
            scope,
            organisation: None,
        }
    }

    #[test]
    fn the_table_as_the_module_docs_give_it() {
        let (home, other) = ("rabot-blaisantvest".to_owned(), "zwijnaarde".to_owned());
        let rows = [
            (
                LinkScope::Team(home.clone()),
                [
                    Right::Write,
                    Right::Write,
                    Right::Nothing,
                    Right::Read,
                    Right::Read,
                ],
            ),
            (
                LinkScope::Netwerk(home.clone()),
                [
                    Right::SignalsOnly,
                    Right::Read,
                    Right::Nothing,
                    Right::Nothing,
                    Right::Read,
                ],
            ),
            (LinkScope::Stad, [Right::Write; 5]),
        ];
        for (scope, want) in rows {
            let got = [
                scope.right(&DocScope::Plan(home.clone())),
                scope.right(&DocScope::Derived(home.clone())),
                scope.right(&DocScope::Plan(other.clone())),
                scope.right(&DocScope::Register),
                scope.right(&DocScope::Directory),
            ];
            assert_eq!(got, want, "{scope:?}");
        }
        let regisseur = LinkScope::Regisseur(wijken::by_slug(&home).unwrap().regisseur.into());
        assert_eq!(regisseur.right(&DocScope::Plan(home)), Right::Write);
        assert_eq!(
            regisseur.right(&DocScope::Plan(other)),
            Right::Nothing,
            "not in the cluster"
        );
        assert_eq!(regisseur.right(&DocScope::Register), Right::Write);
    }

    #[test]
    fn a_link_makes_only_links_within_its_own_rights() {
        let make = |parent: LinkScope, child: LinkScope| may_make(&cap(parent), &cap(child));
        let team = |w: &str| LinkScope::Team(w.into());
        let netwerk = |w: &str| LinkScope::Netwerk(w.into());
        let lien = || LinkScope::Regisseur("Lien Baes".into());
        // A team makes netwerk links for its wijk, nothing wider.
        assert!(make(team("ledeberg"), netwerk("ledeberg")));
        assert!(make(team("ledeberg"), team("ledeberg")));
        assert!(!make(team("ledeberg"), netwerk("zwijnaarde")));
        assert!(!make(team("ledeberg"), lien()));
        assert!(!make(team("ledeberg"), LinkScope::Stad));
        // A netwerk link passes on signals; it makes no team link.
        assert!(!make(netwerk("ledeberg"), team("ledeberg")));
        assert!(make(netwerk("ledeberg"), netwerk("ledeberg")));
        // A regisseur makes team links for the wijken of the cluster only.
        assert!(make(lien(), team("zwijnaarde")));
        assert!(!make(lien(), team("oostakker")));
        assert!(!make(lien(), LinkScope::Regisseur("Johan Geldof".into())));
        // The city makes anything; nothing but the city makes the city.
        for scope in every_scope() {
            assert!(make(LinkScope::Stad, scope.clone()), "{scope:?}");
            if scope != LinkScope::Stad {
                assert!(!make(scope.clone(), LinkScope::Stad), "{scope:?}");
            }
        }
    }

    #[test]
    fn an_organisation_and_unknown_names_are_kept_out_of_made_links() {
        let parent = Capability {
            scope: LinkScope::Stad,
            organisation: Some("OCMW Gent".into()),
        };
        let mut child = cap(LinkScope::Team("ledeberg".into()));
        assert!(
            !may_make(&parent, &child),
            "no link for another organisation"
        );
        child.organisation = Some("OCMW Gent".into());
        assert!(may_make(&parent, &child));
        let unknown = cap(LinkScope::Team("atlantis".into()));
        assert!(!may_make(&cap(LinkScope::Stad), &unknown));
        assert!(!LinkScope::Regisseur("Nobody".into()).is_known());
    }
}
