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
use crate::author::{MAX_NAME_CHARS, MAX_ORGANISATION_CHARS, clean_text, is_clean, is_hex_colour};

/// How often a peer repeats its presence.
pub const HEARTBEAT_MS: f64 = 15_000.0;
/// After this long without a word, a peer is gone.
pub const EXPIRE_MS: f64 = 45_000.0;
/// Bytes of the id of the item a peer edits; a longer id is dropped
/// (ours are at most 32).
pub const MAX_EDITING_BYTES: usize = 64;

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
    /// (other automerge-repo apps may send other ephemeral data), and for a
    /// colour that is not `#rrggbb` (it goes into a `style` attribute).
    /// Name and organisation lose control characters and are bounded
    /// (as authors are, see [`crate::author::Author::sanitised`]); an
    /// `editing` id longer than [`MAX_EDITING_BYTES`] or with control
    /// characters is dropped.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let info: Self = ciborium::from_reader(bytes).ok()?;
        if !is_hex_colour(&info.colour) {
            return None;
        }
        Some(Self {
            name: clean_text(&info.name, MAX_NAME_CHARS),
            organisation: clean_text(&info.organisation, MAX_ORGANISATION_CHARS),
            colour: info.colour,
            editing: info
                .editing
                .filter(|id| id.len() <= MAX_EDITING_BYTES && is_clean(id)),
        })
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
    fn forged_presence_is_refused_or_cleaned() {
        let styled = PresenceInfo {
            colour: "red;position:fixed;inset:0;background:url(http://evil.example/x.png)".into(),
            ..anna(None)
        };
        assert_eq!(PresenceInfo::decode(&styled.encode()), None);
        let short = PresenceInfo {
            colour: "#fff".into(),
            ..anna(None)
        };
        assert_eq!(PresenceInfo::decode(&short.encode()), None);
        let upper = PresenceInfo {
            colour: "#0B5394".into(),
            ..anna(None)
        };
        assert_eq!(PresenceInfo::decode(&upper.encode()), Some(upper));

        let noisy = PresenceInfo {
            name: "Anna\n\u{1b}[31mRood".into(),
            organisation: format!("WGC\r\n{}", "x".repeat(300)),
            ..anna(Some(&"i".repeat(MAX_EDITING_BYTES)))
        };
        let read = PresenceInfo::decode(&noisy.encode()).unwrap();
        assert_eq!(read.name, "Anna[31mRood");
        assert_eq!(read.organisation.chars().count(), MAX_ORGANISATION_CHARS);
        assert!(read.organisation.starts_with("WGCxxx"));
        assert_eq!(read.editing, noisy.editing);
        let long_name = PresenceInfo {
            name: "é".repeat(200),
            ..anna(None)
        };
        let read = PresenceInfo::decode(&long_name.encode()).unwrap();
        assert_eq!(read.name, "é".repeat(MAX_NAME_CHARS));

        for editing in ["i".repeat(MAX_EDITING_BYTES + 1), "x1\n".into()] {
            let odd = anna(Some(&editing));
            assert_eq!(PresenceInfo::decode(&odd.encode()), Some(anna(None)));
        }
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
