//! Encoding and decoding of single protocol messages.

use super::PeerId;
use crate::DocumentId;
use ciborium_ll::{Decoder, Header};
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
    /// A key, a field or a map is larger than we accept (see the `MAX_*`
    /// constants of this module); nothing of it was kept.
    #[error("{what} too large: {size}, at most {max} accepted")]
    TooLarge {
        /// What was too large (a field name, `key`, `map entries`, ...).
        what: &'static str,
        /// Its size in bytes or entries (as declared, or as far as read).
        size: usize,
        /// The most we accept.
        max: usize,
    },
    /// Values nested deeper than we walk.
    #[error("CBOR nested deeper than {max} levels")]
    TooDeep {
        /// The deepest nesting we walk.
        max: usize,
    },
}

/// Message types that automerge-repo sends but that a relay of ours may
/// safely ignore.
const IGNORED_TYPES: [&str; 3] = [
    "remote-subscription-change",
    "remote-heads-changed",
    "leave",
];

/// How deep containers under a map key we do not know (or in
/// `peerMetadata`) may nest; skipping walks them without allocating, and
/// this bounds the walk's recursion. automerge-repo's deepest, the heads in
/// `remote-heads-changed`, are 3 levels.
pub const MAX_SKIP_DEPTH: usize = 16;
/// Entries of the top-level map (and of `peerMetadata`). automerge-repo
/// messages have at most 8.
pub const MAX_MAP_ENTRIES: usize = 64;
/// Bytes of a map key. automerge-repo's longest is
/// `supportedProtocolVersions` (25).
pub const MAX_KEY_BYTES: usize = 64;
/// Bytes of a short text field: `type`, `senderId`, `targetId`,
/// `documentId` (then parsed by [`DocumentId`]), `sessionId`,
/// `selectedProtocolVersion`, `storageId` and each supported version.
/// Peer and storage ids are UUIDs or short random strings.
pub const MAX_SHORT_TEXT_BYTES: usize = 256;
/// Bytes of the human-readable `message` of an `error`.
pub const MAX_ERROR_MESSAGE_BYTES: usize = 4096;
/// Entries of `supportedProtocolVersions` (automerge-repo sends one).
pub const MAX_PROTOCOL_VERSIONS: usize = 16;

impl Message {
    /// Encodes to one CBOR frame.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::into_writer(self, &mut out).expect("writing CBOR to a Vec cannot fail");
        out
    }

    /// Decodes one CBOR frame. `Ok(None)` means a known automerge-repo
    /// message that carries nothing we act on.
    ///
    /// A pull parser reads the frame straight into the message: no value
    /// tree is built, values under unknown keys are walked and dropped
    /// without allocating, and every field is bounded (the `MAX_*`
    /// constants), so decoding allocates little more than the `data` it
    /// returns. Tags are skipped (cbor-x tags byte strings); trailing bytes
    /// after the map are ignored.
    pub fn decode(frame: &[u8]) -> Result<Option<Self>, DecodeError> {
        let mut reader = Reader::new(frame);
        let header = reader.pull_untagged()?;
        let Header::Map(len) = header else {
            reader.skip(header, 1)?;
            return Err(DecodeError::NoType);
        };
        reader.top_level(len)?.into_message()
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

/// A field as read: missing (`None`), read, or present but unusable (wrong
/// type, given twice), which only matters if the message type uses it.
type Slot<T> = Option<Result<T, String>>;

/// The fields of the top-level map, before the type says which it needs.
#[derive(Default)]
struct Fields {
    kind: Slot<String>,
    sender_id: Slot<String>,
    target_id: Slot<String>,
    document_id: Slot<String>,
    session_id: Slot<String>,
    selected_protocol_version: Slot<String>,
    supported_protocol_versions: Slot<Vec<String>>,
    peer_metadata: Slot<PeerMetadata>,
    message: Slot<String>,
    count: Slot<u64>,
    data: Slot<Vec<u8>>,
}

/// Stores a value read for `name`; a second value for the same key spoils it.
fn put<T>(slot: &mut Slot<T>, name: &str, value: Option<T>, expected: &str) {
    *slot = Some(match (slot.is_some(), value) {
        (true, _) => Err(format!("duplicate field `{name}`")),
        (false, Some(value)) => Ok(value),
        (false, None) => Err(format!("`{name}` is not {expected}")),
    });
}

fn required<T>(slot: Slot<T>, name: &str) -> Result<T, String> {
    slot.unwrap_or_else(|| Err(format!("missing field `{name}`")))
}

impl Fields {
    fn into_message(mut self) -> Result<Option<Message>, DecodeError> {
        let Some(Ok(kind)) = self.kind.take() else {
            return Err(DecodeError::NoType);
        };
        if IGNORED_TYPES.contains(&kind.as_str()) {
            return Ok(None);
        }
        let built = match kind.as_str() {
            "join" => self.join(),
            "peer" => self.peer(),
            "error" => required(self.message, "message").map(|message| Message::Error { message }),
            "request" => self.doc_message().map(Message::Request),
            "sync" => self.doc_message().map(Message::Sync),
            "doc-unavailable" => self.doc_unavailable(),
            "ephemeral" => self.ephemeral(),
            _ => return Err(DecodeError::UnknownType(kind)),
        };
        built
            .map(Some)
            .map_err(|reason| DecodeError::Invalid { kind, reason })
    }

    fn join(self) -> Result<Message, String> {
        Ok(Message::Join {
            sender_id: PeerId(required(self.sender_id, "senderId")?),
            supported_protocol_versions: required(
                self.supported_protocol_versions,
                "supportedProtocolVersions",
            )?,
            peer_metadata: self.peer_metadata.unwrap_or(Ok(PeerMetadata::default()))?,
        })
    }

    fn peer(self) -> Result<Message, String> {
        Ok(Message::Peer {
            sender_id: PeerId(required(self.sender_id, "senderId")?),
            selected_protocol_version: required(
                self.selected_protocol_version,
                "selectedProtocolVersion",
            )?,
            target_id: PeerId(required(self.target_id, "targetId")?),
            peer_metadata: self.peer_metadata.unwrap_or(Ok(PeerMetadata::default()))?,
        })
    }

    fn document_id(slot: Slot<String>) -> Result<DocumentId, String> {
        required(slot, "documentId")?
            .parse()
            .map_err(|e| format!("`documentId`: {e}"))
    }

    fn doc_message(self) -> Result<DocMessage, String> {
        Ok(DocMessage {
            sender_id: PeerId(required(self.sender_id, "senderId")?),
            target_id: PeerId(required(self.target_id, "targetId")?),
            document_id: Self::document_id(self.document_id)?,
            data: required(self.data, "data")?,
        })
    }

    fn doc_unavailable(self) -> Result<Message, String> {
        Ok(Message::DocUnavailable {
            sender_id: PeerId(required(self.sender_id, "senderId")?),
            target_id: PeerId(required(self.target_id, "targetId")?),
            document_id: Self::document_id(self.document_id)?,
        })
    }

    fn ephemeral(self) -> Result<Message, String> {
        Ok(Message::Ephemeral {
            sender_id: PeerId(required(self.sender_id, "senderId")?),
            target_id: PeerId(required(self.target_id, "targetId")?),
            document_id: Self::document_id(self.document_id)?,
            count: required(self.count, "count")?,
            session_id: required(self.session_id, "sessionId")?,
            data: required(self.data, "data")?,
        })
    }
}

/// Which kind of string an indefinite-length string's chunks must be.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Bytes,
    Text,
}

/// A bounded pull parser over one frame. Strings are borrowed from the
/// frame; only the fields kept are copied.
struct Reader<'a> {
    frame: &'a [u8],
    /// Where `decoder` started in `frame`.
    base: usize,
    decoder: Decoder<&'a [u8]>,
}

fn truncated() -> DecodeError {
    DecodeError::Cbor("unexpected end of frame".into())
}

impl<'a> Reader<'a> {
    fn new(frame: &'a [u8]) -> Self {
        Self {
            frame,
            base: 0,
            decoder: Decoder::from(frame),
        }
    }

    fn position(&mut self) -> usize {
        self.base + self.decoder.offset()
    }

    fn seek(&mut self, position: usize) {
        self.base = position;
        self.decoder = Decoder::from(&self.frame[position..]);
    }

    fn pull(&mut self) -> Result<Header, DecodeError> {
        let base = self.base;
        self.decoder.pull().map_err(|e| match e {
            ciborium_ll::Error::Io(_) => truncated(),
            ciborium_ll::Error::Syntax(at) => {
                DecodeError::Cbor(format!("invalid CBOR at byte {}", base + at))
            }
        })
    }

    /// The header after any tags (each tag is at least a byte of the frame).
    fn untag(&mut self, mut header: Header) -> Result<Header, DecodeError> {
        while let Header::Tag(_) = header {
            header = self.pull()?;
        }
        Ok(header)
    }

    fn pull_untagged(&mut self) -> Result<Header, DecodeError> {
        let header = self.pull()?;
        self.untag(header)
    }

    /// The next `len` bytes of the frame, borrowed.
    fn take(&mut self, len: usize) -> Result<&'a [u8], DecodeError> {
        let start = self.position();
        let end = start
            .checked_add(len)
            .filter(|end| *end <= self.frame.len())
            .ok_or_else(truncated)?;
        self.seek(end);
        Ok(&self.frame[start..end])
    }

    /// Walks the rest of a string whose header was `len`, definite or
    /// indefinite, handing each piece to `piece`; refuses more than `max`
    /// bytes in all. Returns the total length.
    fn string(
        &mut self,
        kind: Kind,
        len: Option<usize>,
        max: usize,
        what: &'static str,
        mut piece: impl FnMut(&'a [u8]),
    ) -> Result<usize, DecodeError> {
        let too_large = |size| DecodeError::TooLarge { what, size, max };
        if let Some(len) = len {
            if len > max {
                return Err(too_large(len));
            }
            piece(self.take(len)?);
            return Ok(len);
        }
        let mut total = 0usize;
        loop {
            let chunk = match (kind, self.pull()?) {
                (_, Header::Break) => return Ok(total),
                (Kind::Bytes, Header::Bytes(Some(n))) | (Kind::Text, Header::Text(Some(n))) => n,
                _ => {
                    return Err(DecodeError::Cbor(
                        "bad chunk in an indefinite string".into(),
                    ));
                }
            };
            total = total.saturating_add(chunk);
            if total > max {
                return Err(too_large(total));
            }
            piece(self.take(chunk)?);
        }
    }

    /// A text string of at most `max` bytes, copied.
    fn text(
        &mut self,
        len: Option<usize>,
        max: usize,
        what: &'static str,
    ) -> Result<String, DecodeError> {
        let mut bytes = Vec::new();
        self.string(Kind::Text, len, max, what, |piece| {
            bytes.extend_from_slice(piece)
        })?;
        String::from_utf8(bytes).map_err(|_| DecodeError::Cbor(format!("invalid UTF-8 in {what}")))
    }

    /// A text value of at most `max` bytes; `None` (value skipped) when the
    /// value is not text.
    fn text_value(
        &mut self,
        max: usize,
        what: &'static str,
        depth: usize,
    ) -> Result<Option<String>, DecodeError> {
        match self.pull_untagged()? {
            Header::Text(len) => self.text(len, max, what).map(Some),
            other => self.skip(other, depth).map(|()| None),
        }
    }

    /// Walks past a value whose header was just pulled, allocating nothing.
    /// `depth` is the value's own nesting level; containers deeper than
    /// [`MAX_SKIP_DEPTH`] are refused.
    fn skip(&mut self, header: Header, depth: usize) -> Result<(), DecodeError> {
        let (len, per_entry) = match self.untag(header)? {
            Header::Positive(_) | Header::Negative(_) | Header::Float(_) | Header::Simple(_) => {
                return Ok(());
            }
            Header::Tag(_) => unreachable!("untag removes tags"),
            Header::Break => return Err(DecodeError::Cbor("unexpected break".into())),
            Header::Bytes(len) => {
                return self
                    .string(Kind::Bytes, len, usize::MAX, "", |_| ())
                    .map(drop);
            }
            Header::Text(len) => {
                return self
                    .string(Kind::Text, len, usize::MAX, "", |_| ())
                    .map(drop);
            }
            Header::Array(len) => (len, 1),
            Header::Map(len) => (len, 2),
        };
        if depth > MAX_SKIP_DEPTH {
            return Err(DecodeError::TooDeep {
                max: MAX_SKIP_DEPTH,
            });
        }
        match len {
            // Every item takes at least one byte: a count beyond the frame
            // ends in "unexpected end".
            Some(len) => {
                for _ in 0..len {
                    for _ in 0..per_entry {
                        let item = self.pull()?;
                        self.skip(item, depth + 1)?;
                    }
                }
            }
            None => loop {
                let item = self.pull()?;
                if item == Header::Break {
                    break;
                }
                self.skip(item, depth + 1)?;
                if per_entry == 2 {
                    let value = self.pull()?;
                    self.skip(value, depth + 1)?;
                }
            },
        }
        Ok(())
    }

    /// Walks the entries of a map whose header said `len`, refusing more
    /// than [`MAX_MAP_ENTRIES`]. `entry` gets each text key (other keys are
    /// skipped with their values) and must read or skip its value.
    fn map(
        &mut self,
        len: Option<usize>,
        what: &'static str,
        depth: usize,
        mut entry: impl FnMut(&mut Self, &[u8]) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let too_many = |size| DecodeError::TooLarge {
            what,
            size,
            max: MAX_MAP_ENTRIES,
        };
        if let Some(len) = len
            && len > MAX_MAP_ENTRIES
        {
            return Err(too_many(len));
        }
        let mut seen = 0usize;
        while len.is_none_or(|len| seen < len) {
            let header = self.pull()?;
            if len.is_none() && header == Header::Break {
                break;
            }
            seen += 1;
            if seen > MAX_MAP_ENTRIES {
                return Err(too_many(seen));
            }
            let mut key = [0u8; MAX_KEY_BYTES];
            let mut key_len = 0;
            match self.untag(header)? {
                Header::Text(len) => {
                    self.string(Kind::Text, len, MAX_KEY_BYTES, "key", |piece| {
                        key[key_len..key_len + piece.len()].copy_from_slice(piece);
                        key_len += piece.len();
                    })?;
                    entry(self, &key[..key_len])?;
                }
                other => {
                    self.skip(other, depth)?;
                    let value = self.pull()?;
                    self.skip(value, depth)?;
                }
            }
        }
        Ok(())
    }

    /// The top-level map's fields.
    fn top_level(&mut self, len: Option<usize>) -> Result<Fields, DecodeError> {
        let mut f = Fields::default();
        self.map(len, "map entries", 1, |r, key| {
            const TEXT: &str = "text";
            let short = MAX_SHORT_TEXT_BYTES;
            match key {
                b"type" => {
                    let v = r.text_value(short, "type", 1)?;
                    put(&mut f.kind, "type", v, TEXT);
                }
                b"senderId" => {
                    let v = r.text_value(short, "senderId", 1)?;
                    put(&mut f.sender_id, "senderId", v, TEXT);
                }
                b"targetId" => {
                    let v = r.text_value(short, "targetId", 1)?;
                    put(&mut f.target_id, "targetId", v, TEXT);
                }
                b"documentId" => {
                    let v = r.text_value(short, "documentId", 1)?;
                    put(&mut f.document_id, "documentId", v, TEXT);
                }
                b"sessionId" => {
                    let v = r.text_value(short, "sessionId", 1)?;
                    put(&mut f.session_id, "sessionId", v, TEXT);
                }
                b"selectedProtocolVersion" => {
                    let v = r.text_value(short, "selectedProtocolVersion", 1)?;
                    put(
                        &mut f.selected_protocol_version,
                        "selectedProtocolVersion",
                        v,
                        TEXT,
                    );
                }
                b"message" => {
                    let v = r.text_value(MAX_ERROR_MESSAGE_BYTES, "message", 1)?;
                    put(&mut f.message, "message", v, TEXT);
                }
                b"supportedProtocolVersions" => {
                    let v = r.versions()?;
                    put(
                        &mut f.supported_protocol_versions,
                        "supportedProtocolVersions",
                        v,
                        "an array of text",
                    );
                }
                b"peerMetadata" => {
                    let v = r.peer_metadata()?;
                    put(&mut f.peer_metadata, "peerMetadata", Some(v), "");
                }
                b"count" => {
                    let v = match r.pull_untagged()? {
                        Header::Positive(n) => Some(n),
                        other => r.skip(other, 1).map(|()| None)?,
                    };
                    put(&mut f.count, "count", v, "an unsigned integer");
                }
                b"data" => {
                    let v = r.data()?;
                    put(&mut f.data, "data", v, "a byte string");
                }
                _ => {
                    let value = r.pull()?;
                    r.skip(value, 1)?;
                }
            }
            Ok(())
        })?;
        Ok(f)
    }

    /// `supportedProtocolVersions`: an array of at most
    /// [`MAX_PROTOCOL_VERSIONS`] short texts; `None` for anything else.
    fn versions(&mut self) -> Result<Option<Vec<String>>, DecodeError> {
        const WHAT: &str = "supportedProtocolVersions";
        let too_many = |size| DecodeError::TooLarge {
            what: WHAT,
            size,
            max: MAX_PROTOCOL_VERSIONS,
        };
        let len = match self.pull_untagged()? {
            Header::Array(len) => len,
            other => return self.skip(other, 1).map(|()| None),
        };
        if let Some(len) = len
            && len > MAX_PROTOCOL_VERSIONS
        {
            return Err(too_many(len));
        }
        let mut versions = Some(Vec::new());
        let mut seen = 0usize;
        while len.is_none_or(|len| seen < len) {
            let header = self.pull()?;
            if len.is_none() && header == Header::Break {
                break;
            }
            seen += 1;
            if seen > MAX_PROTOCOL_VERSIONS {
                return Err(too_many(seen));
            }
            match self.untag(header)? {
                Header::Text(len) => {
                    let version = self.text(len, MAX_SHORT_TEXT_BYTES, WHAT)?;
                    if let Some(versions) = &mut versions {
                        versions.push(version);
                    }
                }
                other => {
                    self.skip(other, 2)?;
                    versions = None;
                }
            }
        }
        Ok(versions)
    }

    /// `peerMetadata`, read leniently: what is not a map, and fields of
    /// the wrong type, read as their defaults; unknown keys are skipped.
    fn peer_metadata(&mut self) -> Result<PeerMetadata, DecodeError> {
        let mut metadata = PeerMetadata::default();
        let len = match self.pull_untagged()? {
            Header::Map(len) => len,
            other => return self.skip(other, 1).map(|()| metadata),
        };
        self.map(len, "peerMetadata entries", 2, |r, key| {
            match key {
                b"storageId" => {
                    metadata.storage_id = r.text_value(MAX_SHORT_TEXT_BYTES, "storageId", 2)?;
                }
                b"isEphemeral" => {
                    metadata.is_ephemeral = match r.pull_untagged()? {
                        Header::Simple(ciborium_ll::simple::TRUE) => true,
                        other => r.skip(other, 2).map(|()| false)?,
                    };
                }
                _ => {
                    let value = r.pull()?;
                    r.skip(value, 2)?;
                }
            }
            Ok(())
        })?;
        Ok(metadata)
    }

    /// `data`: a byte string (chunks of an indefinite one joined), copied
    /// once into a vector of exactly its size. An array of byte values is
    /// read too, as the serde decoder did; `None` for anything else.
    fn data(&mut self) -> Result<Option<Vec<u8>>, DecodeError> {
        match self.pull_untagged()? {
            Header::Bytes(Some(len)) => Ok(Some(self.take(len)?.to_vec())),
            Header::Bytes(None) => {
                let start = self.position();
                let total = self.string(Kind::Bytes, None, usize::MAX, "data", |_| ())?;
                self.seek(start);
                let mut data = Vec::with_capacity(total);
                self.string(Kind::Bytes, None, usize::MAX, "data", |piece| {
                    data.extend_from_slice(piece)
                })?;
                Ok(Some(data))
            }
            Header::Array(len) => {
                // Each item takes at least a byte of what is left.
                let left = self.frame.len() - self.position();
                let mut data = Some(Vec::with_capacity(len.unwrap_or(0).min(left)));
                let mut seen = 0usize;
                while len.is_none_or(|len| seen < len) {
                    let header = self.pull()?;
                    if len.is_none() && header == Header::Break {
                        break;
                    }
                    seen += 1;
                    match (self.untag(header)?, &mut data) {
                        (Header::Positive(byte @ 0..=255), Some(data)) => data.push(byte as u8),
                        (other, _) => {
                            self.skip(other, 2)?;
                            data = None;
                        }
                    }
                }
                Ok(data)
            }
            other => self.skip(other, 1).map(|()| None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ciborium::Value;

    fn message_type(value: &Value) -> Option<String> {
        value.as_map()?.iter().find_map(|(k, v)| {
            (k.as_text() == Some("type"))
                .then(|| v.as_text().map(str::to_owned))
                .flatten()
        })
    }

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

    fn cbor(value: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::into_writer(value, &mut out).unwrap();
        out
    }

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    /// A sync frame's entries, to which tests add or replace fields.
    fn sync_entries() -> Vec<(Value, Value)> {
        vec![
            (t("type"), t("sync")),
            (t("senderId"), t("a")),
            (t("targetId"), t("b")),
            (t("documentId"), t(&doc().to_string())),
            (t("data"), Value::Bytes(vec![1, 2, 3])),
        ]
    }

    fn with(mut entries: Vec<(Value, Value)>, key: &str, value: Value) -> Vec<u8> {
        entries.retain(|(k, _)| k.as_text() != Some(key));
        entries.push((t(key), value));
        cbor(&Value::Map(entries))
    }

    fn too_large(frame: &[u8]) -> (&'static str, usize, usize) {
        match Message::decode(frame) {
            Err(DecodeError::TooLarge { what, size, max }) => (what, size, max),
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    fn sync_data(frame: &[u8]) -> Vec<u8> {
        match Message::decode(frame) {
            Ok(Some(Message::Sync(m))) => m.data,
            other => panic!("expected a sync message, got {other:?}"),
        }
    }

    #[test]
    fn short_text_fields_are_bounded() {
        for field in ["senderId", "targetId", "documentId", "type"] {
            let frame = with(
                sync_entries(),
                field,
                t(&"x".repeat(MAX_SHORT_TEXT_BYTES + 1)),
            );
            assert_eq!(
                too_large(&frame),
                (field, MAX_SHORT_TEXT_BYTES + 1, MAX_SHORT_TEXT_BYTES)
            );
        }
        let ephemeral = Message::Ephemeral {
            sender_id: "a".into(),
            target_id: "b".into(),
            document_id: doc(),
            count: 1,
            session_id: "s".repeat(MAX_SHORT_TEXT_BYTES + 1),
            data: vec![],
        };
        assert_eq!(
            too_large(&ephemeral.encode()),
            ("sessionId", MAX_SHORT_TEXT_BYTES + 1, MAX_SHORT_TEXT_BYTES)
        );
        let peer = Message::Peer {
            sender_id: "b".into(),
            selected_protocol_version: "1".repeat(MAX_SHORT_TEXT_BYTES + 1),
            target_id: "a".into(),
            peer_metadata: PeerMetadata::default(),
        };
        assert_eq!(too_large(&peer.encode()).0, "selectedProtocolVersion");
        let storage = Message::Join {
            sender_id: "a".into(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: PeerMetadata {
                storage_id: Some("s".repeat(MAX_SHORT_TEXT_BYTES + 1)),
                is_ephemeral: false,
            },
        };
        assert_eq!(too_large(&storage.encode()).0, "storageId");
        // At the limit it reads; a long document id is then refused by
        // DocumentId itself.
        let long_id = with(
            sync_entries(),
            "documentId",
            t(&"2".repeat(MAX_SHORT_TEXT_BYTES)),
        );
        assert!(matches!(
            Message::decode(&long_id),
            Err(DecodeError::Invalid { reason, .. }) if reason.contains("at most 28")
        ));
    }

    #[test]
    fn error_messages_and_versions_are_bounded() {
        let error = |len| Message::Error {
            message: "e".repeat(len),
        };
        assert!(Message::decode(&error(MAX_ERROR_MESSAGE_BYTES).encode()).is_ok());
        assert_eq!(
            too_large(&error(MAX_ERROR_MESSAGE_BYTES + 1).encode()),
            (
                "message",
                MAX_ERROR_MESSAGE_BYTES + 1,
                MAX_ERROR_MESSAGE_BYTES
            )
        );
        let join = |n| Message::Join {
            sender_id: "a".into(),
            supported_protocol_versions: vec!["1".into(); n],
            peer_metadata: PeerMetadata::default(),
        };
        assert!(Message::decode(&join(MAX_PROTOCOL_VERSIONS).encode()).is_ok());
        assert_eq!(
            too_large(&join(MAX_PROTOCOL_VERSIONS + 1).encode()),
            (
                "supportedProtocolVersions",
                MAX_PROTOCOL_VERSIONS + 1,
                MAX_PROTOCOL_VERSIONS
            )
        );
        // Indefinite-length: counted as read.
        let mut frame = vec![0xa3];
        frame.extend(cbor(&t("type")));
        frame.extend(cbor(&t("join")));
        frame.extend(cbor(&t("senderId")));
        frame.extend(cbor(&t("a")));
        frame.extend(cbor(&t("supportedProtocolVersions")));
        frame.push(0x9f);
        for _ in 0..=MAX_PROTOCOL_VERSIONS {
            frame.extend(cbor(&t("1")));
        }
        frame.push(0xff);
        assert_eq!(
            too_large(&frame),
            (
                "supportedProtocolVersions",
                MAX_PROTOCOL_VERSIONS + 1,
                MAX_PROTOCOL_VERSIONS
            )
        );
    }

    #[test]
    fn maps_and_keys_are_bounded() {
        let mut entries = sync_entries();
        while entries.len() < MAX_MAP_ENTRIES {
            entries.push((t(&format!("extra{}", entries.len())), Value::Null));
        }
        assert!(Message::decode(&cbor(&Value::Map(entries.clone()))).is_ok());
        entries.push((t("one-more"), Value::Null));
        assert_eq!(
            too_large(&cbor(&Value::Map(entries))),
            ("map entries", MAX_MAP_ENTRIES + 1, MAX_MAP_ENTRIES)
        );
        // The same as an indefinite-length map.
        let mut frame = vec![0xbf];
        for i in 0..=MAX_MAP_ENTRIES {
            frame.extend(cbor(&t(&format!("k{i}"))));
            frame.push(0x00);
        }
        frame.push(0xff);
        assert_eq!(
            too_large(&frame),
            ("map entries", MAX_MAP_ENTRIES + 1, MAX_MAP_ENTRIES)
        );

        let key = |len| with(sync_entries(), &"k".repeat(len), Value::Null);
        assert!(Message::decode(&key(MAX_KEY_BYTES)).is_ok());
        assert_eq!(
            too_large(&key(MAX_KEY_BYTES + 1)),
            ("key", MAX_KEY_BYTES + 1, MAX_KEY_BYTES)
        );

        let metadata: Vec<_> = (0..=MAX_MAP_ENTRIES)
            .map(|i| (t(&format!("m{i}")), Value::Bool(true)))
            .collect();
        let join = cbor(&Value::Map(vec![
            (t("type"), t("join")),
            (t("senderId"), t("a")),
            (t("supportedProtocolVersions"), Value::Array(vec![t("1")])),
            (t("peerMetadata"), Value::Map(metadata)),
        ]));
        assert_eq!(
            too_large(&join),
            ("peerMetadata entries", MAX_MAP_ENTRIES + 1, MAX_MAP_ENTRIES)
        );
    }

    #[test]
    fn skipped_values_are_bounded_in_depth() {
        let nested = |depth: usize| {
            let mut value = Value::Integer(1.into());
            for _ in 0..depth {
                value = Value::Array(vec![value]);
            }
            value
        };
        assert!(sync_data(&with(sync_entries(), "deep", nested(MAX_SKIP_DEPTH))) == [1, 2, 3]);
        assert!(matches!(
            Message::decode(&with(sync_entries(), "deep", nested(MAX_SKIP_DEPTH + 1))),
            Err(DecodeError::TooDeep {
                max: MAX_SKIP_DEPTH
            })
        ));
        // Maps count as levels too, also inside peerMetadata.
        let mut deep_map = Value::Null;
        for _ in 0..MAX_SKIP_DEPTH {
            deep_map = Value::Map(vec![(t("k"), deep_map)]);
        }
        let join = |metadata| {
            cbor(&Value::Map(vec![
                (t("type"), t("join")),
                (t("senderId"), t("a")),
                (t("supportedProtocolVersions"), Value::Array(vec![t("1")])),
                (t("peerMetadata"), Value::Map(vec![(t("x"), metadata)])),
            ]))
        };
        assert!(matches!(
            Message::decode(&join(deep_map)),
            Err(DecodeError::TooDeep { .. })
        ));
        // A huge declared length ends with the frame, without allocating.
        let mut frame = cbor(&Value::Map(vec![(t("type"), t("sync"))]));
        frame[0] = 0xa2;
        frame.extend(cbor(&t("junk")));
        frame.extend([0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);
        assert!(matches!(Message::decode(&frame), Err(DecodeError::Cbor(_))));
        let mut frame = cbor(&Value::Map(vec![(t("type"), t("sync"))]));
        frame[0] = 0xa2;
        frame.extend(cbor(&t("data")));
        frame.extend([0x5b, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);
        assert!(matches!(Message::decode(&frame), Err(DecodeError::Cbor(_))));
    }

    #[test]
    fn indefinite_strings_are_joined_within_bounds() {
        let mut frame = vec![0xa5];
        for (key, value) in [("type", "sync"), ("targetId", "b")] {
            frame.extend(cbor(&t(key)));
            frame.extend(cbor(&t(value)));
        }
        frame.extend(cbor(&t("documentId")));
        frame.extend(cbor(&t(&doc().to_string())));
        frame.extend(cbor(&t("senderId")));
        frame.push(0x7f);
        frame.extend(cbor(&t("pe")));
        frame.extend(cbor(&t("er")));
        frame.push(0xff);
        frame.extend(cbor(&t("data")));
        frame.push(0x5f);
        frame.extend(cbor(&Value::Bytes(vec![1, 2])));
        frame.extend(cbor(&Value::Bytes(vec![3])));
        frame.push(0xff);
        let Ok(Some(Message::Sync(m))) = Message::decode(&frame) else {
            panic!("expected a sync message");
        };
        assert_eq!(
            (m.sender_id.0.as_str(), m.data.as_slice()),
            ("peer", &[1, 2, 3][..])
        );

        let mut long = vec![0xa1];
        long.extend(cbor(&t("type")));
        long.push(0x7f);
        for _ in 0..=MAX_SHORT_TEXT_BYTES / 16 {
            long.extend(cbor(&t(&"x".repeat(16))));
        }
        long.push(0xff);
        assert_eq!(
            too_large(&long),
            ("type", MAX_SHORT_TEXT_BYTES + 16, MAX_SHORT_TEXT_BYTES)
        );
        // Chunks must be definite strings of the same kind.
        let mut mixed = vec![0xa1];
        mixed.extend(cbor(&t("type")));
        mixed.push(0x7f);
        mixed.extend(cbor(&Value::Bytes(vec![b'x'])));
        mixed.push(0xff);
        assert!(matches!(Message::decode(&mixed), Err(DecodeError::Cbor(_))));
    }

    #[test]
    fn what_automerge_repo_clients_send_still_decodes() {
        // Type last, unknown keys, tagged fields, lenient peerMetadata.
        let join = cbor(&Value::Map(vec![
            (t("senderId"), Value::Tag(99, Box::new(t("a")))),
            (
                t("peerMetadata"),
                Value::Map(vec![
                    (t("storageId"), t("s1")),
                    (t("isEphemeral"), Value::Bool(true)),
                    (
                        t("future"),
                        Value::Map(vec![(t("x"), Value::Array(vec![]))]),
                    ),
                ]),
            ),
            (t("supportedProtocolVersions"), Value::Array(vec![t("1")])),
            (
                t("extra"),
                Value::Array(vec![Value::Float(1.5), Value::Null]),
            ),
            (Value::Integer(7.into()), t("non-text key")),
            (t("type"), t("join")),
        ]));
        assert_eq!(
            Message::decode(&join).unwrap(),
            Some(Message::Join {
                sender_id: "a".into(),
                supported_protocol_versions: vec!["1".into()],
                peer_metadata: PeerMetadata {
                    storage_id: Some("s1".into()),
                    is_ephemeral: true,
                },
            })
        );
        // Odd peerMetadata reads as the default.
        let odd = with(
            vec![
                (t("type"), t("peer")),
                (t("senderId"), t("b")),
                (t("targetId"), t("a")),
                (t("selectedProtocolVersion"), t("1")),
            ],
            "peerMetadata",
            Value::Map(vec![
                (t("storageId"), Value::Null),
                (t("isEphemeral"), t("yes")),
            ]),
        );
        assert!(matches!(
            Message::decode(&odd).unwrap(),
            Some(Message::Peer { peer_metadata, .. }) if peer_metadata == PeerMetadata::default()
        ));
        // Data as an array of byte values, as the serde decoder took it.
        let array = Value::Array(vec![Value::Integer(5.into()), Value::Integer(255.into())]);
        assert_eq!(sync_data(&with(sync_entries(), "data", array)), [5, 255]);
        // Fields the type does not use may have any type.
        assert_eq!(sync_data(&with(sync_entries(), "count", t("x"))), [1, 2, 3]);
        // Ignored types with fields of their own.
        let heads = cbor(&Value::Map(vec![
            (t("type"), t("remote-heads-changed")),
            (t("senderId"), t("a")),
            (t("documentId"), t("not-checked")),
            (
                t("newHeads"),
                Value::Map(vec![(
                    t("storage"),
                    Value::Map(vec![
                        (t("heads"), Value::Array(vec![t("h1")])),
                        (t("timestamp"), Value::Integer(1.into())),
                    ]),
                )]),
            ),
        ]));
        assert!(Message::decode(&heads).unwrap().is_none());
        for kind in ["remote-subscription-change", "leave"] {
            let frame = with(vec![(t("senderId"), t("a"))], "type", t(kind));
            assert!(Message::decode(&frame).unwrap().is_none());
        }
    }

    #[test]
    fn wrong_types_and_duplicates_are_invalid() {
        let invalid = |frame: &[u8]| match Message::decode(frame) {
            Err(DecodeError::Invalid { kind, reason }) => {
                assert_eq!(kind, "sync");
                reason
            }
            other => panic!("expected Invalid, got {other:?}"),
        };
        assert!(invalid(&with(sync_entries(), "data", t("x"))).contains("`data`"));
        assert!(
            invalid(&with(sync_entries(), "senderId", Value::Integer(1.into())))
                .contains("senderId")
        );
        let mut twice = sync_entries();
        twice.push((t("senderId"), t("c")));
        assert!(invalid(&cbor(&Value::Map(twice))).contains("duplicate"));
        let bad_bytes = Value::Array(vec![Value::Integer(256.into())]);
        assert!(invalid(&with(sync_entries(), "data", bad_bytes)).contains("`data`"));
        let type_not_text = with(sync_entries(), "type", Value::Integer(1.into()));
        assert!(matches!(
            Message::decode(&type_not_text),
            Err(DecodeError::NoType)
        ));
        assert!(matches!(
            Message::decode(&cbor(&Value::Array(vec![]))),
            Err(DecodeError::NoType)
        ));
    }

    #[test]
    fn every_cut_of_a_frame_is_an_error() {
        for m in all_kinds() {
            let frame = m.encode();
            for cut in 0..frame.len() {
                assert!(
                    Message::decode(&frame[..cut]).is_err(),
                    "{m:?} cut at {cut}"
                );
            }
        }
    }
}
