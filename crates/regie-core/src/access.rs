//! What the peer on a connection may do: decided by whoever accepted the
//! connection (the relay checks a capability token; a device grants a
//! direct peer what the relay or a linked device vouched for). An access
//! combines a token's old shape (edit or read-only; one document or all)
//! with its scope in the regie (`crate::scope`) and the id of its link.
//! The engine asks [`Access::right`] for every document it would receive
//! or send.

use std::fmt;

use crate::DocumentId;
use crate::scope::{DocScope, LinkScope, Right};

/// The public id of a link (the relay's token record id: 10 hex digits),
/// which signals made through it carry so that it may change them later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkId(u64);

impl LinkId {
    /// Parses exactly 10 lowercase hex digits.
    pub fn parse(text: &str) -> Option<LinkId> {
        let digits =
            text.len() == 10 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !digits {
            return None;
        }
        u64::from_str_radix(text, 16).ok().map(LinkId)
    }
}

impl fmt::Display for LinkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:010x}", self.0)
    }
}

/// What the peer on a connection may do; see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// May send changes (within what the scope allows). A peer that sends
    /// changes it may not make is refused and disconnected; its changes are
    /// never applied, stored or passed on.
    pub write: bool,
    /// Only this document; `None` means every document.
    pub only: Option<DocumentId>,
    /// The part of the regie it is for; `None`: no scope (as the city).
    pub scope: Option<LinkScope>,
    /// The link it came with, when that is proven (the relay knows it).
    pub link: Option<LinkId>,
}

impl Access {
    /// Read and write every document.
    pub const FULL: Access = Access {
        write: true,
        only: None,
        scope: None,
        link: None,
    };

    /// Read every document.
    pub const READ_ONLY: Access = Access {
        write: false,
        ..Access::FULL
    };

    /// Nothing at all: only the all-zero document id, which no document
    /// has (what two accesses with no document in common leave).
    pub const NOTHING: Access = Access {
        write: false,
        only: Some(DocumentId::NONE),
        scope: None,
        link: None,
    };

    /// Whether this access may have a document at all, before anything is
    /// known of what it is (a scope may still refuse it once it is known).
    pub fn covers(&self, doc: &DocumentId) -> bool {
        self.only.is_none_or(|only| only == *doc)
    }

    /// Whether a scope limits what this access sees or writes (so every
    /// change through it is checked for its effect).
    pub fn is_scoped(&self) -> bool {
        self.scope.is_some_and(|s| s != LinkScope::Stad)
    }

    /// What this access may do with document `id`, which is `what`.
    pub fn right(&self, id: &DocumentId, what: DocScope) -> Right {
        if !self.covers(id) {
            return Right::Nothing;
        }
        let by_scope = self.scope.map_or(Right::Write, |s| s.right(what));
        let by_kind = if self.write {
            Right::Write
        } else {
            Right::Read
        };
        by_scope.min(by_kind)
    }

    /// What both accesses allow: writing only if both write, the narrower
    /// document and scope, a link both agree on; `None` when they share no
    /// document (two different documents, two wijken).
    pub fn meet(self, other: Access) -> Option<Access> {
        let only = match (self.only, other.only) {
            (Some(a), Some(b)) if a != b => return None,
            (a, b) => a.or(b),
        };
        let scope = match (self.scope, other.scope) {
            (Some(a), Some(b)) => Some(a.meet(b)?),
            (a, b) => a.or(b),
        };
        let link = match (self.link, other.link) {
            (Some(a), Some(b)) if a != b => None,
            (a, b) => a.or(b),
        };
        Some(Access {
            write: self.write && other.write,
            only,
            scope,
            link,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_ids_are_ten_hex_digits() {
        let id = LinkId::parse("0a1b2c3d4e").unwrap();
        assert_eq!(id.to_string(), "0a1b2c3d4e");
        for bad in [
            "",
            "0a1b2c3d4",
            "0a1b2c3d4e5",
            "0A1B2C3D4E",
            "0a1b2c3d4g",
            "+a1b2c3d4e",
        ] {
            assert_eq!(LinkId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn rights_are_the_lesser_of_kind_and_scope() {
        let plan = DocumentId::from_random_bytes([1; 16]);
        let netwerk = Access {
            scope: LinkScope::parse("netwerk:ledeberg"),
            ..Access::FULL
        };
        assert_eq!(
            netwerk.right(&plan, DocScope::Plan("ledeberg")),
            Right::SignalsOnly
        );
        assert_eq!(
            netwerk.right(&plan, DocScope::Plan("gentbrugge")),
            Right::Nothing
        );
        let reader = Access {
            write: false,
            ..netwerk
        };
        assert_eq!(reader.right(&plan, DocScope::Plan("ledeberg")), Right::Read);
        let elsewhere = Access {
            only: Some(DocumentId::from_random_bytes([2; 16])),
            ..Access::FULL
        };
        assert_eq!(elsewhere.right(&plan, DocScope::Unknown), Right::Nothing);
        assert_eq!(Access::FULL.right(&plan, DocScope::Unknown), Right::Write);
        assert!(netwerk.is_scoped());
        assert!(!Access::FULL.is_scoped());
    }

    #[test]
    fn meeting_never_widens() {
        let team = Access {
            scope: LinkScope::parse("team:ledeberg"),
            link: LinkId::parse("00000000aa"),
            ..Access::FULL
        };
        let netwerk = Access {
            scope: LinkScope::parse("netwerk:ledeberg"),
            link: LinkId::parse("00000000bb"),
            ..Access::READ_ONLY
        };
        let met = team.meet(netwerk).unwrap();
        assert_eq!(met.scope, netwerk.scope);
        assert!(!met.write);
        assert_eq!(met.link, None, "two links: neither is proven");
        assert_eq!(team.meet(Access::FULL), Some(team));
        let other_wijk = Access {
            scope: LinkScope::parse("team:gentbrugge"),
            ..Access::FULL
        };
        assert_eq!(team.meet(other_wijk), None);
    }
}
