//! Access that follows the regie (issue #15): what each kind of link may do
//! with each kind of document. A link is for a wijk (its wijkactieteam, or
//! its netwerk SW&G), for a sociaal regisseur's cluster of wijken, or for
//! the city; documents belong to a wijk (plan, ronde tafel, campagne) or to
//! the city (the knelpunten register, tafels and campagnes started from a
//! knelpunt, the adresboek).
//!
//! | link ↓ document → | plan of its wijk | tafel, campagne of its wijk | another wijk's | register, city tafels | adresboek | unknown |
//! |---|---|---|---|---|---|---|
//! | wijkactieteam | write | write | nothing | read | read | nothing |
//! | netwerk SW&G | signals only | read | nothing | nothing | read | nothing |
//! | regisseur (cluster) | write | write | nothing | write | read | nothing |
//! | stad | write | write | write | write | write | write |
//!
//! "Signals only" reads the document and may add signals (and change or
//! withdraw its own), nothing else; [`signals_only`] checks a change's
//! effect. A link makes links only within its own rights ([`may_make`]):
//! never wider, for no other organisation.
//!
//! Pure: the relay and every device ask this table; nothing here does IO.

pub mod document;
pub mod signals_only;
pub mod signatures;

pub use document::DocScope;

use crate::wijken;

/// What a link may do with one document, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

/// Whom a link is for. Names point into [`wijken::WIJKEN`], so a scope is
/// small, `Copy`, and names only wijken and regisseurs that exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkScope {
    /// The wijkactieteam of a wijk (its slug).
    Team(&'static str),
    /// The netwerk SW&G of a wijk: reads, and passes on signals.
    Netwerk(&'static str),
    /// A sociaal regisseur and the wijken of their cluster (by name).
    Regisseur(&'static str),
    /// The city level: every document.
    Stad,
}

/// A link's scope and the organisation it was made for, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capability {
    /// Whom it is for.
    pub scope: LinkScope,
    /// Signatures, scores and claims through it are this organisation's.
    pub organisation: Option<String>,
}

/// The regisseur whose name is `name`, ignoring case, or whose name as a
/// slug (`lien-baes`) is `name`.
fn regisseur(name: &str) -> Option<&'static str> {
    let slug = |s: &str| s.to_lowercase().replace(' ', "-");
    wijken::WIJKEN
        .iter()
        .map(|w| w.regisseur)
        .find(|r| r.eq_ignore_ascii_case(name) || slug(r) == slug(name))
}

impl LinkScope {
    /// Parses `team:<wijk>`, `netwerk:<wijk>`, `regisseur:<name>` or
    /// `stad`; `None` for anything else, and for wijken and regisseurs that
    /// do not exist.
    pub fn parse(text: &str) -> Option<LinkScope> {
        let text = text.trim();
        if text == "stad" {
            return Some(LinkScope::Stad);
        }
        let (kind, name) = text.split_once(':')?;
        let wijk = || wijken::by_slug(name.trim()).map(|w| w.slug);
        match kind.trim() {
            "team" => wijk().map(LinkScope::Team),
            "netwerk" => wijk().map(LinkScope::Netwerk),
            "regisseur" => regisseur(name.trim()).map(LinkScope::Regisseur),
            _ => None,
        }
    }

    /// The text [`LinkScope::parse`] reads.
    pub fn text(self) -> String {
        match self {
            LinkScope::Team(w) => format!("team:{w}"),
            LinkScope::Netwerk(w) => format!("netwerk:{w}"),
            LinkScope::Regisseur(r) => format!("regisseur:{r}"),
            LinkScope::Stad => "stad".to_owned(),
        }
    }

    /// Whether the wijk `slug` is within this link's scope.
    pub fn covers_wijk(self, slug: &str) -> bool {
        match self {
            LinkScope::Team(w) | LinkScope::Netwerk(w) => w == slug,
            LinkScope::Regisseur(name) => {
                wijken::by_slug(slug).is_some_and(|w| w.regisseur == name)
            }
            LinkScope::Stad => true,
        }
    }

    /// What this link may do with a document.
    pub fn right(self, doc: DocScope) -> Right {
        match (self, doc) {
            (LinkScope::Stad, _) => Right::Write,
            (_, DocScope::Unknown) => Right::Nothing,
            (_, DocScope::Plan(w) | DocScope::Derived(w)) if !self.covers_wijk(w) => Right::Nothing,
            (LinkScope::Netwerk(_), DocScope::Plan(_)) => Right::SignalsOnly,
            (LinkScope::Netwerk(_), DocScope::Derived(_)) => Right::Read,
            (_, DocScope::Plan(_) | DocScope::Derived(_)) => Right::Write,
            (LinkScope::Regisseur(_), DocScope::Register | DocScope::CityDerived) => Right::Write,
            (LinkScope::Team(_), DocScope::Register | DocScope::CityDerived) => Right::Read,
            (LinkScope::Netwerk(_), DocScope::Register | DocScope::CityDerived) => Right::Nothing,
            (_, DocScope::Directory) => Right::Read,
        }
    }

    /// What two scopes both allow, when one of them is within the other
    /// (the narrower one); `None` when neither is (two wijken): then
    /// nothing is allowed.
    pub fn meet(self, other: LinkScope) -> Option<LinkScope> {
        let within =
            |a: LinkScope, b: LinkScope| every_document().all(|doc| a.right(doc) <= b.right(doc));
        if within(self, other) {
            Some(self)
        } else if within(other, self) {
            Some(other)
        } else {
            None
        }
    }
}

/// Every kind of document of every wijk: what attenuation is checked over.
fn every_document() -> impl Iterator<Item = DocScope> {
    wijken::WIJKEN
        .iter()
        .flat_map(|w| [DocScope::Plan(w.slug), DocScope::Derived(w.slug)])
        .chain([
            DocScope::Register,
            DocScope::CityDerived,
            DocScope::Directory,
            DocScope::Unknown,
        ])
}

/// Whether a holder of `parent` may make a link `child`: the child may do no
/// more than the parent with any document, and is for the parent's
/// organisation when the parent has one.
pub fn may_make(parent: &Capability, child: &Capability) -> bool {
    let organisation_kept = parent
        .organisation
        .as_ref()
        .is_none_or(|org| child.organisation.as_ref() == Some(org));
    organisation_kept && child.scope.meet(parent.scope) == Some(child.scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_scope() -> Vec<LinkScope> {
        let mut scopes = vec![LinkScope::Stad];
        for w in &wijken::WIJKEN {
            scopes.push(LinkScope::Team(w.slug));
            scopes.push(LinkScope::Netwerk(w.slug));
            if !scopes.contains(&LinkScope::Regisseur(w.regisseur)) {
                scopes.push(LinkScope::Regisseur(w.regisseur));
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
        let (home, other) = ("rabot-blaisantvest", "zwijnaarde");
        let rows = [
            (
                LinkScope::Team(home),
                [
                    Right::Write,
                    Right::Write,
                    Right::Nothing,
                    Right::Read,
                    Right::Read,
                ],
            ),
            (
                LinkScope::Netwerk(home),
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
                scope.right(DocScope::Plan(home)),
                scope.right(DocScope::Derived(home)),
                scope.right(DocScope::Plan(other)),
                scope.right(DocScope::Register),
                scope.right(DocScope::Directory),
            ];
            assert_eq!(got, want, "{scope:?}");
        }
        let regisseur = LinkScope::Regisseur(wijken::by_slug(home).unwrap().regisseur);
        assert_eq!(regisseur.right(DocScope::Plan(home)), Right::Write);
        assert_eq!(
            regisseur.right(DocScope::Plan(other)),
            Right::Nothing,
            "not in the cluster"
        );
        assert_eq!(regisseur.right(DocScope::Register), Right::Write);
    }

    #[test]
    fn a_link_makes_only_links_within_its_own_rights() {
        let make = |parent: LinkScope, child: LinkScope| may_make(&cap(parent), &cap(child));
        let team = |w: &str| LinkScope::parse(&format!("team:{w}")).unwrap();
        let netwerk = |w: &str| LinkScope::parse(&format!("netwerk:{w}")).unwrap();
        let lien = || LinkScope::Regisseur("Lien Baes");
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
        assert!(!make(lien(), LinkScope::Regisseur("Johan Geldof")));
        // The city makes anything; nothing but the city makes the city.
        for scope in every_scope() {
            assert!(make(LinkScope::Stad, scope), "{scope:?}");
            if scope != LinkScope::Stad {
                assert!(!make(scope, LinkScope::Stad), "{scope:?}");
            }
        }
    }

    #[test]
    fn attenuation_and_meeting_never_widen() {
        for parent in every_scope() {
            for child in every_scope() {
                let made = may_make(&cap(parent), &cap(child));
                let within = every_document().all(|d| child.right(d) <= parent.right(d));
                assert_eq!(made, within, "{parent:?} makes {child:?}");
                if let Some(met) = parent.meet(child) {
                    for doc in every_document() {
                        assert!(met.right(doc) <= parent.right(doc).min(child.right(doc)));
                    }
                }
            }
        }
    }

    #[test]
    fn scopes_read_back_as_written() {
        for scope in every_scope() {
            assert_eq!(LinkScope::parse(&scope.text()), Some(scope));
        }
        assert_eq!(
            LinkScope::parse("regisseur:lien-baes"),
            Some(LinkScope::Regisseur("Lien Baes"))
        );
        assert_eq!(
            LinkScope::Team("ledeberg").right(DocScope::CityDerived),
            Right::Read
        );
        assert_eq!(
            LinkScope::Netwerk("ledeberg").right(DocScope::CityDerived),
            Right::Nothing
        );
        assert_eq!(
            LinkScope::Team("ledeberg").right(DocScope::Unknown),
            Right::Nothing
        );
    }

    #[test]
    fn an_organisation_and_unknown_names_are_kept_out_of_made_links() {
        let parent = Capability {
            scope: LinkScope::Stad,
            organisation: Some("OCMW Gent".into()),
        };
        let mut child = cap(LinkScope::Team("ledeberg"));
        assert!(
            !may_make(&parent, &child),
            "no link for another organisation"
        );
        child.organisation = Some("OCMW Gent".into());
        assert!(may_make(&parent, &child));
        assert_eq!(LinkScope::parse("team:atlantis"), None, "no such wijk");
        assert_eq!(LinkScope::parse("regisseur:Nobody"), None);
        assert_eq!(LinkScope::parse("netwerk"), None);
    }
}
