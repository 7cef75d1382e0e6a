//! Document ids in the automerge-repo form: the base58check encoding of a
//! UUID's 16 bytes, so that `automerge:<id>` URLs work across implementations.

use std::fmt;
use std::str::FromStr;

/// The prefix of an automerge-repo document URL.
pub const URL_PREFIX: &str = "automerge:";

/// The longest text a valid id has (without [`URL_PREFIX`]): 16 bytes and a
/// 4-byte checksum are 160 bits, at most 28 base58 characters. Longer text is
/// refused before decoding, since base58 decoding takes quadratic time.
pub const MAX_ID_CHARS: usize = 28;

/// A document id: 16 bytes, shown as base58check.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocumentId([u8; 16]);

impl DocumentId {
    /// The all-zero id, which no id made here has (a version 4 UUID has
    /// version bits set): an access that names only it covers nothing.
    pub const NONE: DocumentId = DocumentId([0; 16]);

    /// A new random (version 4) id from 16 random bytes. Randomness is passed
    /// in so that the core stays deterministic.
    pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
        Self(*uuid::Builder::from_random_bytes(bytes).as_uuid().as_bytes())
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The `automerge:<id>` URL of this document.
    pub fn url(&self) -> String {
        format!("{URL_PREFIX}{self}")
    }
}

/// Why a string is not a document id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseDocumentIdError {
    /// Not valid base58check (wrong alphabet or checksum).
    #[error("not a valid document id: {0}")]
    Encoding(String),
    /// Decoded, but not 16 bytes long.
    #[error("a document id has 16 bytes, this one has {0}")]
    Length(usize),
    /// Longer than any valid id ([`MAX_ID_CHARS`]); not decoded at all.
    #[error("a document id has at most {MAX_ID_CHARS} characters, this one has {0} bytes")]
    TooLong(usize),
}

impl FromStr for DocumentId {
    type Err = ParseDocumentIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.strip_prefix(URL_PREFIX).unwrap_or(s);
        if s.len() > MAX_ID_CHARS {
            return Err(ParseDocumentIdError::TooLong(s.len()));
        }
        let bytes = bs58::decode(s)
            .with_check(None)
            .into_vec()
            .map_err(|e| ParseDocumentIdError::Encoding(e.to_string()))?;
        let array: [u8; 16] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| ParseDocumentIdError::Length(bytes.len()))?;
        Ok(Self(array))
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

impl serde::Serialize for DocumentId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DocumentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text_and_url() {
        let id = DocumentId::from_random_bytes([7; 16]);
        let text = id.to_string();
        assert_eq!(text.parse::<DocumentId>(), Ok(id));
        assert_eq!(id.url().parse::<DocumentId>(), Ok(id));
        assert!(id.url().starts_with("automerge:"));
    }

    #[test]
    fn reads_an_id_written_by_automerge_repo() {
        // The document id from automerge-repo's own README example.
        let text = "4NMNnkMhL8jXrdJ9jamS58PAVdXu";
        let id: DocumentId = text.parse().expect("automerge-repo ids parse");
        assert_eq!(id.to_string(), text);
    }

    #[test]
    fn rejects_bad_checksums_and_lengths() {
        let id = DocumentId::from_random_bytes([1; 16]).to_string();
        let mut broken = id.clone();
        let last = broken.pop().unwrap();
        broken.push(if last == '2' { '3' } else { '2' });
        assert!(matches!(
            broken.parse::<DocumentId>(),
            Err(ParseDocumentIdError::Encoding(_))
        ));
        let short = bs58::encode([1u8; 8]).with_check().into_string();
        assert_eq!(
            short.parse::<DocumentId>(),
            Err(ParseDocumentIdError::Length(8))
        );
        assert!("0OIl".parse::<DocumentId>().is_err());
    }

    #[test]
    fn the_longest_ids_parse_and_longer_text_is_refused_undecoded() {
        let longest = DocumentId([0xff; 16]);
        let text = longest.to_string();
        assert!(text.len() <= MAX_ID_CHARS);
        assert_eq!(text.parse::<DocumentId>(), Ok(longest));
        assert_eq!(longest.url().parse::<DocumentId>(), Ok(longest));
        let huge = "2".repeat(100_000);
        assert_eq!(
            huge.parse::<DocumentId>(),
            Err(ParseDocumentIdError::TooLong(100_000))
        );
        let url = format!("{URL_PREFIX}{huge}");
        assert_eq!(
            url.parse::<DocumentId>(),
            Err(ParseDocumentIdError::TooLong(100_000))
        );
        let one_more = "2".repeat(MAX_ID_CHARS + 1);
        assert_eq!(
            one_more.parse::<DocumentId>(),
            Err(ParseDocumentIdError::TooLong(MAX_ID_CHARS + 1))
        );
    }
}
