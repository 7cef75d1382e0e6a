//! The documents every device and the relay seed identically (the
//! directory and the register): one list, so nobody seeds a different set.
//!
//! A seed is one change with a fixed actor and time ([`crate::typed::seed`]),
//! so independent seeds are one history; its hash is pinned by the tests of
//! its module.

use automerge::{Automerge, ChangeHash, ReadDoc as _};

use crate::{DocumentId, directory, register};

/// A document with a fixed id that everyone seeds the same way.
#[derive(Debug, Clone, Copy)]
pub struct Seeded {
    /// Its fixed id.
    pub id: DocumentId,
    /// The hash of the seed's change (hex).
    pub seed_hash: &'static str,
    /// Builds the seeded document (costly on a slow device: build it only
    /// when [`holds_seed`] says a stored copy lacks it).
    pub build: fn() -> Automerge,
}

/// The seeded documents: the directory and the register.
pub fn seeded() -> [Seeded; 2] {
    [
        Seeded {
            id: directory::directory_id(),
            seed_hash: directory::SEED_HASH,
            build: directory::seed_document,
        },
        Seeded {
            id: register::register_id(),
            seed_hash: register::SEED_HASH,
            build: register::seed_document,
        },
    ]
}

/// Whether `doc` already holds the seed's change.
pub fn holds_seed(doc: &Automerge, seed: &Seeded) -> bool {
    seed.seed_hash
        .parse::<ChangeHash>()
        .is_ok_and(|hash| doc.get_change_by_hash(&hash).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_seed_holds_its_own_change_only() {
        let [directory, register] = seeded();
        let built = (directory.build)();
        assert!(holds_seed(&built, &directory));
        assert!(!holds_seed(&built, &register));
        assert!(!holds_seed(&Automerge::new(), &directory));
        assert_eq!(built.get_heads()[0].to_string(), directory.seed_hash);
        assert_eq!(
            (register.build)().get_heads()[0].to_string(),
            register.seed_hash
        );
    }
}
