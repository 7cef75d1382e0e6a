//! Who else is in a document, and which item they are working on.
//!
//! Each peer announces itself in ephemeral messages (never stored): on
//! opening a document, when it starts editing another item, and as a
//! heartbeat every [`HEARTBEAT_MS`]. A peer not heard from for
//! [`EXPIRE_MS`] is gone. Time is passed in (milliseconds), so expiry is
//! tested without waiting.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::PeerId;

/// How often a peer repeats its presence.
pub const HEARTBEAT_MS: f64 = 15_000.0;
/// After this long without a word, a peer is gone.
pub const EXPIRE_MS: f64 = 45_000.0;

/// What a peer says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceInfo {
    /// The person's name.
    pub name: String,
    /// Their organisation.
    pub organisation: String,
    /// A CSS colour for their marker.
    pub colour: String,
    /// The id of the item they are editing, if any.
    #[serde(default)]
    pub editing: Option<String>,
}

impl PresenceInfo {
    /// The ephemeral payload (CBOR, as automerge-repo peers expect).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::into_writer(self, &mut out).expect("writing CBOR to a Vec cannot fail");
        out
    }

    /// Reads a payload; `None` for anything that is not a presence message
    /// (other automerge-repo apps may send other ephemeral data).
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        ciborium::from_reader(bytes).ok()
    }
}

/// The people present in one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Presence {
    peers: BTreeMap<PeerId, (PresenceInfo, f64)>,
}

impl Presence {
    /// A peer spoke at `now`.
    pub fn heard(&mut self, peer: PeerId, info: PresenceInfo, now: f64) {
        self.peers.insert(peer, (info, now));
    }

    /// Forgets peers silent for too long; true if anyone left.
    pub fn expire(&mut self, now: f64) -> bool {
        let before = self.peers.len();
        self.peers.retain(|_, (_, seen)| now - *seen < EXPIRE_MS);
        self.peers.len() != before
    }

    /// Everyone present, in a stable order.
    pub fn present(&self) -> impl Iterator<Item = (&PeerId, &PresenceInfo)> {
        self.peers.iter().map(|(peer, (info, _))| (peer, info))
    }

    /// Who is editing a given item.
    pub fn editing<'a>(&'a self, item: &'a str) -> impl Iterator<Item = &'a PresenceInfo> + 'a {
        self.peers
            .values()
            .map(|(info, _)| info)
            .filter(move |info| info.editing.as_deref() == Some(item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anna(editing: Option<&str>) -> PresenceInfo {
        PresenceInfo {
            name: "Anna".into(),
            organisation: "WGC Rabot".into(),
            colour: "#0b5394".into(),
            editing: editing.map(str::to_owned),
        }
    }

    #[test]
    fn round_trips_and_ignores_other_payloads() {
        let info = anna(Some("x1"));
        assert_eq!(PresenceInfo::decode(&info.encode()), Some(info));
        assert_eq!(PresenceInfo::decode(b"\xa0"), None);
        assert_eq!(PresenceInfo::decode(b"not cbor"), None);
    }

    #[test]
    fn peers_stay_through_heartbeats_and_leave_after_silence() {
        let mut presence = Presence::default();
        presence.heard("a".into(), anna(None), 0.0);
        presence.heard("a".into(), anna(Some("x1")), HEARTBEAT_MS);
        assert!(!presence.expire(HEARTBEAT_MS + EXPIRE_MS - 1.0));
        assert_eq!(presence.editing("x1").count(), 1);
        assert_eq!(presence.editing("x2").count(), 0);
        assert!(presence.expire(HEARTBEAT_MS + EXPIRE_MS));
        assert_eq!(presence.present().count(), 0);
    }
}
