//! Encoding and decoding of single protocol messages.

use super::PeerId;
use crate::DocumentId;
use ciborium::Value;
use serde::{Deserialize, Serialize};

/// What a peer says about itself in `join` and `peer`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeerMetadata {
    /// The peer's storage id, when it stores documents durably.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_id: Option<String>,
    /// True for peers that keep nothing (e.g. a one-off script).
    #[serde(default)]
    pub is_ephemeral: bool,
}

/// The body shared by `request` and `sync`: an Automerge sync message for
/// one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocMessage {
    /// Who sends it.
    pub sender_id: PeerId,
    /// Who it is for.
    pub target_id: PeerId,
    /// Which document it is about.
    pub document_id: DocumentId,
    /// An encoded `automerge::sync::Message`.
    #[serde(with = "serde_bytes")]
    pub data: Vec<u8>,
}

/// One protocol message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Message {
    /// First message of the connecting side.
    Join {
        /// The connecting peer.
        sender_id: PeerId,
        /// Versions it speaks; we need "1".
        supported_protocol_versions: Vec<String>,
        /// What it says about itself.
        #[serde(default)]
        peer_metadata: PeerMetadata,
    },
    /// The accepting side's answer to `join`.
    Peer {
        /// The accepting peer.
        sender_id: PeerId,
        /// The version both will speak.
        selected_protocol_version: String,
        /// The joining peer.
        target_id: PeerId,
        /// What the accepting peer says about itself.
        #[serde(default)]
        peer_metadata: PeerMetadata,
    },
    /// Something went wrong; the connection is closed after it.
    Error {
        /// Human-readable reason.
        message: String,
    },
    /// A sync message from a peer that does not have the document yet.
    Request(DocMessage),
    /// A sync message.
    Sync(DocMessage),
    /// The sender does not have the document and knows no one who does.
    DocUnavailable {
        /// Who sends it.
        sender_id: PeerId,
        /// Who asked.
        target_id: PeerId,
        /// The unknown document.
        document_id: DocumentId,
    },
    /// A message that is passed on but never stored (presence and the like).
    Ephemeral {
        /// Who sends it.
        sender_id: PeerId,
        /// Who it is for.
        target_id: PeerId,
        /// Which document it is about.
        document_id: DocumentId,
        /// Sender's sequence number, to drop duplicates.
        count: u64,
        /// Sender's session, to tell restarts apart.
        session_id: String,
        /// Opaque payload (CBOR in automerge-repo).
        #[serde(with = "serde_bytes")]
        data: Vec<u8>,
    },
}

/// Why a frame is not a message we can act on.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Not CBOR at all, or truncated.
    #[error("malformed CBOR: {0}")]
    Cbor(String),
    /// CBOR, but not a map with a string `type`.
    #[error("not a protocol message (no type field)")]
    NoType,
    /// A `type` we do not know.
    #[error("unknown message type {0:?}")]
    UnknownType(String),
    /// A known type with missing or wrong fields.
    #[error("invalid {kind} message: {reason}")]
    Invalid {
        /// The message type.
        kind: String,
        /// What is wrong.
        reason: String,
    },
}

/// Message types that automerge-repo sends but that a relay of ours may
/// safely ignore.
const IGNORED_TYPES: [&str; 3] = [
    "remote-subscription-change",
    "remote-heads-changed",
    "leave",
];

impl Message {
    /// Encodes to one CBOR frame.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::into_writer(self, &mut out).expect("writing CBOR to a Vec cannot fail");
        out
    }

    /// Decodes one CBOR frame. `Ok(None)` means a known automerge-repo
    /// message that carries nothing we act on.
    pub fn decode(frame: &[u8]) -> Result<Option<Self>, DecodeError> {
        let value: Value =
            ciborium::from_reader(frame).map_err(|e| DecodeError::Cbor(e.to_string()))?;
        let value = strip_tags(value);
        let kind = message_type(&value).ok_or(DecodeError::NoType)?;
        if IGNORED_TYPES.contains(&kind.as_str()) {
            return Ok(None);
        }
        const KNOWN: [&str; 7] = [
            "join",
            "peer",
            "error",
            "request",
            "sync",
            "doc-unavailable",
            "ephemeral",
        ];
        if !KNOWN.contains(&kind.as_str()) {
            return Err(DecodeError::UnknownType(kind));
        }
        value
            .deserialized()
            .map(Some)
            .map_err(|e| DecodeError::Invalid {
                kind,
                reason: e.to_string(),
            })
    }

    /// The document this message is about, if any.
    pub fn document_id(&self) -> Option<DocumentId> {
        match self {
            Message::Request(m) | Message::Sync(m) => Some(m.document_id),
            Message::DocUnavailable { document_id, .. }
            | Message::Ephemeral { document_id, .. } => Some(*document_id),
            _ => None,
        }
    }
}

fn message_type(value: &Value) -> Option<String> {
    value.as_map()?.iter().find_map(|(k, v)| {
        (k.as_text() == Some("type"))
            .then(|| v.as_text().map(str::to_owned))
            .flatten()
    })
}

/// CBOR encoders may tag byte strings (cbor-x tags typed arrays); the tags
/// carry nothing we need.
fn strip_tags(value: Value) -> Value {
    match value {
        Value::Tag(_, inner) => strip_tags(*inner),
        Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (strip_tags(k), strip_tags(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_tags).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DocumentId {
        DocumentId::from_random_bytes([3; 16])
    }

    fn all_kinds() -> Vec<Message> {
        let dm = DocMessage {
            sender_id: "a".into(),
            target_id: "b".into(),
            document_id: doc(),
            data: vec![1, 2, 3],
        };
        vec![
            Message::Join {
                sender_id: "a".into(),
                supported_protocol_versions: vec!["1".into()],
                peer_metadata: PeerMetadata::default(),
            },
            Message::Peer {
                sender_id: "b".into(),
                selected_protocol_version: "1".into(),
                target_id: "a".into(),
                peer_metadata: PeerMetadata {
                    storage_id: Some("s".into()),
                    is_ephemeral: false,
                },
            },
            Message::Error {
                message: "nee".into(),
            },
            Message::Request(dm.clone()),
            Message::Sync(dm),
            Message::DocUnavailable {
                sender_id: "b".into(),
                target_id: "a".into(),
                document_id: doc(),
            },
            Message::Ephemeral {
                sender_id: "a".into(),
                target_id: "b".into(),
                document_id: doc(),
                count: 4,
                session_id: "s1".into(),
                data: vec![9],
            },
        ]
    }

    #[test]
    fn every_kind_round_trips() {
        for m in all_kinds() {
            assert_eq!(Message::decode(&m.encode()).unwrap(), Some(m));
        }
    }

    #[test]
    fn wire_shape_is_automerge_repo_shape() {
        let m = &all_kinds()[5];
        let value: Value = ciborium::from_reader(m.encode().as_slice()).unwrap();
        let keys: Vec<_> = value
            .as_map()
            .unwrap()
            .iter()
            .map(|(k, _)| k.as_text().unwrap().to_owned())
            .collect();
        assert_eq!(keys, ["type", "senderId", "targetId", "documentId"]);
        assert_eq!(message_type(&value).as_deref(), Some("doc-unavailable"));
        // Sync data must be a CBOR byte string, not an array of numbers.
        let sync: Value = ciborium::from_reader(all_kinds()[4].encode().as_slice()).unwrap();
        let data = sync
            .as_map()
            .unwrap()
            .iter()
            .find(|(k, _)| k.as_text() == Some("data"));
        assert!(matches!(data, Some((_, Value::Bytes(b))) if b == &[1, 2, 3]));
    }

    #[test]
    fn tagged_byte_strings_are_accepted() {
        let frame = Value::Map(vec![
            (Value::Text("type".into()), Value::Text("sync".into())),
            (Value::Text("senderId".into()), Value::Text("a".into())),
            (Value::Text("targetId".into()), Value::Text("b".into())),
            (
                Value::Text("documentId".into()),
                Value::Text(doc().to_string()),
            ),
            (
                Value::Text("data".into()),
                Value::Tag(64, Box::new(Value::Bytes(vec![5]))),
            ),
        ]);
        let mut bytes = Vec::new();
        ciborium::into_writer(&frame, &mut bytes).unwrap();
        let Some(Message::Sync(m)) = Message::decode(&bytes).unwrap() else {
            panic!("expected a sync message");
        };
        assert_eq!(m.data, vec![5]);
    }

    #[test]
    fn bad_frames_get_precise_errors() {
        assert!(matches!(
            Message::decode(&[0xff, 0x00]),
            Err(DecodeError::Cbor(_))
        ));
        let mut no_type = Vec::new();
        ciborium::into_writer(&Value::Map(vec![]), &mut no_type).unwrap();
        assert!(matches!(
            Message::decode(&no_type),
            Err(DecodeError::NoType)
        ));
        let mut unknown = Vec::new();
        ciborium::into_writer(
            &Value::Map(vec![(
                Value::Text("type".into()),
                Value::Text("gossip".into()),
            )]),
            &mut unknown,
        )
        .unwrap();
        assert!(matches!(
            Message::decode(&unknown),
            Err(DecodeError::UnknownType(t)) if t == "gossip"
        ));
        let mut missing = Vec::new();
        ciborium::into_writer(
            &Value::Map(vec![(
                Value::Text("type".into()),
                Value::Text("sync".into()),
            )]),
            &mut missing,
        )
        .unwrap();
        assert!(matches!(
            Message::decode(&missing),
            Err(DecodeError::Invalid { kind, .. }) if kind == "sync"
        ));
        let mut heads = Vec::new();
        ciborium::into_writer(
            &Value::Map(vec![(
                Value::Text("type".into()),
                Value::Text("remote-heads-changed".into()),
            )]),
            &mut heads,
        )
        .unwrap();
        assert!(Message::decode(&heads).unwrap().is_none());
    }
}
