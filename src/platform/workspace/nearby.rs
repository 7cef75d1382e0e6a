//! What the header and the presence bar show of direct links: how many
//! devices are linked, who is reached directly, and how many hold every
//! change the server has not confirmed yet ("ook op 2 toestellen in de
//! buurt").

use std::collections::BTreeSet;

use leptos::prelude::*;
use regie_core::{ConnId, DocumentId, PeerId};

use super::Workspace;

impl Workspace {
    /// Devices linked directly now (reactive).
    pub fn direct_peers(&self) -> usize {
        self.direct.with(BTreeSet::len)
    }

    /// Whether a peer (of the presence bar) is reached directly (reactive).
    pub fn is_direct(&self, peer: &PeerId) -> bool {
        self.direct.with(|d| d.contains(peer))
    }

    /// Devices linked directly that hold every change this device has not
    /// yet seen confirmed by the server (reactive; counted each second).
    pub fn held_nearby(&self) -> usize {
        self.held_nearby.get()
    }

    pub(super) fn count_held_nearby(self) -> usize {
        let engine = self.engine();
        let repo = engine.repo.borrow();
        let direct = engine.direct.borrow();
        let unconfirmed: Vec<DocumentId> = repo
            .doc_ids()
            .filter(|id| repo.unconfirmed_changes(id) > 0)
            .copied()
            .collect();
        if unconfirmed.is_empty() {
            return 0;
        }
        let mut holders: Option<BTreeSet<ConnId>> = None;
        for doc in &unconfirmed {
            let held: BTreeSet<ConnId> = repo
                .held_by(doc)
                .into_iter()
                .filter(|c| direct.links.contains_key(c))
                .collect();
            holders = Some(match holders {
                None => held,
                Some(h) => h.intersection(&held).copied().collect(),
            });
        }
        holders.map_or(0, |h| h.len())
    }
}
