//! The automerge-repo sync protocol, version 1, as it travels on the wire.
//!
//! Every WebSocket binary frame holds one CBOR map with a `type` field
//! (`join`, `peer`, `error`, `request`, `sync`, `doc-unavailable`,
//! `ephemeral`, ...). Field names are the camelCase ones automerge-repo uses,
//! so stock automerge-repo clients and servers understand us.
//!
//! Frames come from the open internet: decoding is a bounded pull parser
//! (every field, key, map and nesting has a `MAX_*` limit), so a frame
//! costs about its own size in memory, whatever it holds.

mod message;

pub use message::{
    DecodeError, DocMessage, MAX_ERROR_MESSAGE_BYTES, MAX_KEY_BYTES, MAX_MAP_ENTRIES,
    MAX_PROTOCOL_VERSIONS, MAX_SHORT_TEXT_BYTES, MAX_SKIP_DEPTH, Message, PeerMetadata,
};

/// The protocol version this implementation speaks.
pub const PROTOCOL_VERSION: &str = "1";

/// A peer's id as chosen by that peer (automerge-repo uses free-form strings).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct PeerId(pub String);

impl std::fmt::Display for PeerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for PeerId {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}
