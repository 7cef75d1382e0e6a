//! A backup: every local document in one file, to carry to another device
//! and merge there. Pure: the caller reads and writes the file and passes
//! in the time.
//!
//! # Format (version 1)
//!
//! A UTF-8 JSON object:
//!
//! ```json
//! {
//!   "format": "regie-backup",
//!   "version": 1,
//!   "created": 1767225600000,
//!   "documents": [
//!     { "id": "2V7c…", "sha256": "9f86d0…", "data": "hW9KgwBv…" }
//!   ]
//! }
//! ```
//!
//! - `created`: when the backup was made, ms since the epoch.
//! - `id`: the automerge-repo document id (base58check).
//! - `data`: the document's `Automerge::save()`, standard base64 with padding.
//! - `sha256`: the SHA-256 of the decoded `data`, lowercase hex.
//!
//! Every record is checked on its own, so one damaged record (cut off,
//! edited, bad id, not a document) is reported and skipped while the others
//! load. Only a file that is not a Regie backup at all, or one written by a
//! newer version of this format, is refused as a whole. Readers ignore
//! fields they do not know, so later versions may add fields without
//! bumping `version`; `version` changes only when version-1 readers would
//! misread the file.

use automerge::Automerge;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::DocumentId;
use crate::text::Text;

/// The value of the `format` field.
pub const FORMAT: &str = "regie-backup";
/// The format version written, and the newest one read.
pub const VERSION: u64 = 1;
/// The file name extension (without the dot).
pub const EXTENSION: &str = "regie";
/// The MIME type a backup file is offered with.
pub const MIME_TYPE: &str = "application/json";

/// Why a file cannot be read as a backup at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    /// Not JSON, or not the JSON of a backup.
    #[error("Dit bestand is geen reservekopie van Regie.")]
    NotABackup,
    /// Written by a newer Regie.
    #[error(
        "Deze reservekopie is gemaakt met een nieuwere versie van Regie (formaat {0}). Werk de app bij en probeer opnieuw."
    )]
    NewerVersion(u64),
}

/// Why one record of a backup was skipped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Damage {
    /// The record is not an object with the expected fields.
    #[error("onvolledig record (veld \"{0}\" ontbreekt)")]
    Incomplete(&'static str),
    /// The id is not a document id.
    #[error("ongeldige documentcode")]
    BadId,
    /// The data is not base64.
    #[error("gegevens niet leesbaar (geen base64)")]
    BadEncoding,
    /// The data does not match its checksum: changed or cut off.
    #[error("gegevens beschadigd (controlesom klopt niet)")]
    ChecksumMismatch,
    /// The data matches its checksum but is not an Automerge document.
    #[error("geen leesbaar document ({0})")]
    NotADocument(String),
}

impl BackupError {
    /// What to tell people, by locale key.
    pub fn text(&self) -> Text {
        match self {
            BackupError::NotABackup => Text::key("backup.not_a_backup"),
            BackupError::NewerVersion(version) => {
                Text::key("backup.newer_version").with("version", version)
            }
        }
    }
}

impl Damage {
    /// What to tell people, by locale key.
    pub fn text(&self) -> Text {
        match self {
            Damage::Incomplete(field) => Text::key("backup.damage.incomplete").with("field", field),
            Damage::BadId => Text::key("backup.damage.bad_id"),
            Damage::BadEncoding => Text::key("backup.damage.bad_encoding"),
            Damage::ChecksumMismatch => Text::key("backup.damage.checksum"),
            Damage::NotADocument(detail) => {
                Text::key("backup.damage.not_a_document").with("detail", detail)
            }
        }
    }
}

/// A record that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    /// Its position in the file (from 0).
    pub index: usize,
    /// The id as written in the file, if there was one (it may be the
    /// damaged part).
    pub id: Option<String>,
    /// Why it was skipped.
    pub damage: Damage,
}

impl Damaged {
    /// How to name the record to people: its id, or its position.
    pub fn label(&self) -> String {
        match &self.id {
            Some(id) if !id.is_empty() => id.clone(),
            _ => format!("record {}", self.index + 1),
        }
    }
}

/// One record as found in the file, not yet checked. Checking loads the
/// document, which is the slow part, so callers can check records one by
/// one and show progress.
#[derive(Debug, Clone)]
pub struct Entry {
    index: usize,
    value: Value,
}

impl Entry {
    /// Its position in the file (from 0).
    pub fn index(&self) -> usize {
        self.index
    }

    /// Checks the record and loads its document.
    pub fn check(&self) -> Result<(DocumentId, Automerge), Damaged> {
        let raw_id = self
            .value
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let damaged = |damage| Damaged {
            index: self.index,
            id: raw_id.clone(),
            damage,
        };
        let field = |name: &'static str| {
            self.value
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| damaged(Damage::Incomplete(name)))
        };
        let id: DocumentId = field("id")?.parse().map_err(|_| damaged(Damage::BadId))?;
        let checksum = field("sha256")?;
        let data = BASE64
            .decode(field("data")?)
            .map_err(|_| damaged(Damage::BadEncoding))?;
        if !checksum.eq_ignore_ascii_case(&sha256_hex(&data)) {
            return Err(damaged(Damage::ChecksumMismatch));
        }
        crate::untrusted::check_storage(&data)
            .map_err(|refused| damaged(Damage::NotADocument(refused.to_string())))?;
        let doc =
            Automerge::load(&data).map_err(|e| damaged(Damage::NotADocument(e.to_string())))?;
        Ok((id, doc))
    }
}

/// A backup file, read but its records not yet checked.
#[derive(Debug, Clone)]
pub struct Backup {
    /// When it was made (ms since the epoch), if the file says.
    pub created: Option<i64>,
    /// Its records, in file order.
    pub entries: Vec<Entry>,
}

/// A backup with every record checked.
#[derive(Debug)]
pub struct Decoded {
    /// When it was made (ms since the epoch), if the file says.
    pub created: Option<i64>,
    /// The documents that loaded, in file order.
    pub documents: Vec<(DocumentId, Automerge)>,
    /// The records that were skipped.
    pub damaged: Vec<Damaged>,
}

/// What merging a backup into a device did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Documents the device did not have.
    pub added: Vec<DocumentId>,
    /// Documents it had, now merged with the backup's copy.
    pub merged: Vec<DocumentId>,
    /// Documents it already had entirely.
    pub unchanged: Vec<DocumentId>,
    /// Records that were skipped, and why.
    pub damaged: Vec<Damaged>,
}

#[derive(Serialize)]
struct FileOut {
    format: &'static str,
    version: u64,
    created: i64,
    documents: Vec<RecordOut>,
}

#[derive(Serialize)]
struct RecordOut {
    id: String,
    sha256: String,
    data: String,
}

/// Writes a backup of `documents` (each id with its `Automerge::save()`),
/// made at `created` (ms since the epoch).
pub fn encode(created: i64, documents: &[(DocumentId, Vec<u8>)]) -> Vec<u8> {
    let file = FileOut {
        format: FORMAT,
        version: VERSION,
        created,
        documents: documents
            .iter()
            .map(|(id, bytes)| RecordOut {
                id: id.to_string(),
                sha256: sha256_hex(bytes),
                data: BASE64.encode(bytes),
            })
            .collect(),
    };
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_vec_pretty(&file).expect("a backup serialises")
}

/// Reads a backup's outline: refuses what is no backup at all, and leaves
/// checking each record to [`Entry::check`].
pub fn read(bytes: &[u8]) -> Result<Backup, BackupError> {
    let mut file: Value = serde_json::from_slice(bytes).map_err(|_| BackupError::NotABackup)?;
    if file.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(BackupError::NotABackup);
    }
    let version = file
        .get("version")
        .and_then(Value::as_u64)
        .ok_or(BackupError::NotABackup)?;
    if version > VERSION {
        return Err(BackupError::NewerVersion(version));
    }
    let created = file.get("created").and_then(Value::as_i64);
    let Some(Value::Array(records)) = file.get_mut("documents").map(Value::take) else {
        return Err(BackupError::NotABackup);
    };
    Ok(Backup {
        created,
        entries: records
            .into_iter()
            .enumerate()
            .map(|(index, value)| Entry { index, value })
            .collect(),
    })
}

/// Reads a backup and checks every record.
pub fn decode(bytes: &[u8]) -> Result<Decoded, BackupError> {
    let backup = read(bytes)?;
    let mut documents = Vec::new();
    let mut damaged = Vec::new();
    for entry in &backup.entries {
        match entry.check() {
            Ok(doc) => documents.push(doc),
            Err(d) => damaged.push(d),
        }
    }
    Ok(Decoded {
        created: backup.created,
        documents,
        damaged,
    })
}

/// The file name for a backup made on `date` (`YYYY-MM-DD`).
pub fn file_name(date: &str) -> String {
    format!("regie-reservekopie-{date}.{EXTENSION}")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable as _;
    use automerge::{ROOT, ReadDoc as _};

    fn id(n: u8) -> DocumentId {
        DocumentId::from_random_bytes([n; 16])
    }

    fn doc(title: &str) -> Automerge {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        tx.put(ROOT, "title", title).unwrap();
        tx.commit();
        doc
    }

    fn title(doc: &Automerge) -> String {
        doc.get(ROOT, "title")
            .unwrap()
            .unwrap()
            .0
            .into_string()
            .unwrap()
    }

    fn three() -> Vec<(DocumentId, Vec<u8>)> {
        vec![
            (id(1), doc("een").save()),
            (id(2), doc("twee").save()),
            (id(3), doc("drie").save()),
        ]
    }

    /// Rewrites one field of one record of an encoded backup.
    fn tamper(bytes: &[u8], index: usize, field: &str, value: Value) -> Vec<u8> {
        let mut file: Value = serde_json::from_slice(bytes).unwrap();
        file["documents"][index][field] = value;
        serde_json::to_vec(&file).unwrap()
    }

    #[test]
    fn round_trip_keeps_every_document() {
        let bytes = encode(1_767_225_600_000, &three());
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.created, Some(1_767_225_600_000));
        assert!(decoded.damaged.is_empty());
        let got: Vec<(DocumentId, String)> = decoded
            .documents
            .iter()
            .map(|(id, doc)| (*id, title(doc)))
            .collect();
        assert_eq!(
            got,
            vec![
                (id(1), "een".to_owned()),
                (id(2), "twee".to_owned()),
                (id(3), "drie".to_owned())
            ]
        );
    }

    #[test]
    fn the_file_says_what_it_is() {
        let bytes = encode(5, &three()[..1]);
        let file: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(file["format"], "regie-backup");
        assert_eq!(file["version"], 1);
        assert_eq!(file["documents"][0]["id"], id(1).to_string());
        assert_eq!(file["documents"][0]["sha256"].as_str().unwrap().len(), 64);
    }

    #[test]
    fn a_changed_record_is_reported_and_the_rest_loads() {
        let bytes = encode(0, &three());
        let other = BASE64.encode(doc("anders").save());
        let bytes = tamper(&bytes, 1, "data", Value::String(other));
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.documents.len(), 2);
        assert_eq!(
            decoded.damaged,
            vec![Damaged {
                index: 1,
                id: Some(id(2).to_string()),
                damage: Damage::ChecksumMismatch
            }]
        );
        assert_eq!(decoded.damaged[0].label(), id(2).to_string());
    }

    #[test]
    fn every_kind_of_damage_is_named() {
        let bytes = encode(0, &three());
        let garbage = b"not automerge";
        let cases = [
            (
                tamper(&bytes, 0, "id", Value::String("0OIl".into())),
                Damage::BadId,
            ),
            (
                tamper(&bytes, 0, "data", Value::String("***".into())),
                Damage::BadEncoding,
            ),
            (
                tamper(&bytes, 0, "sha256", Value::Null),
                Damage::Incomplete("sha256"),
            ),
            (
                tamper(
                    &tamper(&bytes, 0, "data", Value::String(BASE64.encode(garbage))),
                    0,
                    "sha256",
                    Value::String(sha256_hex(garbage)),
                ),
                Damage::NotADocument(String::new()),
            ),
        ];
        for (file, expected) in cases {
            let decoded = decode(&file).unwrap();
            assert_eq!(decoded.documents.len(), 2, "{expected:?}");
            let damage = &decoded.damaged[0].damage;
            match (damage, &expected) {
                (Damage::NotADocument(_), Damage::NotADocument(_)) => {}
                _ => assert_eq!(damage, &expected),
            }
            assert!(!damage.to_string().is_empty());
        }
    }

    #[test]
    fn a_record_that_is_not_an_object_is_skipped() {
        let mut file: Value = serde_json::from_slice(&encode(0, &three())).unwrap();
        file["documents"][2] = Value::from(42);
        let decoded = decode(&serde_json::to_vec(&file).unwrap()).unwrap();
        assert_eq!(decoded.documents.len(), 2);
        assert_eq!(decoded.damaged[0].label(), "record 3");
        assert_eq!(decoded.damaged[0].damage, Damage::Incomplete("id"));
    }

    #[test]
    fn a_cut_off_file_is_refused_as_a_whole() {
        let bytes = encode(0, &three());
        assert_eq!(
            decode(&bytes[..bytes.len() / 2]).unwrap_err(),
            BackupError::NotABackup
        );
        assert_eq!(
            decode(b"{\"format\":\"iets\"}").unwrap_err(),
            BackupError::NotABackup
        );
        assert_eq!(decode(b"\x00\x01").unwrap_err(), BackupError::NotABackup);
    }

    #[test]
    fn a_newer_format_is_refused_with_a_reason() {
        let mut file: Value = serde_json::from_slice(&encode(0, &three())).unwrap();
        file["version"] = Value::from(2);
        let error = decode(&serde_json::to_vec(&file).unwrap()).unwrap_err();
        assert_eq!(error, BackupError::NewerVersion(2));
        assert!(error.to_string().contains("nieuwere versie"));
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let bytes = tamper(&encode(0, &three()), 0, "label", Value::from("Rabot"));
        assert_eq!(decode(&bytes).unwrap().documents.len(), 3);
    }

    #[test]
    fn file_name_has_the_date() {
        assert_eq!(
            file_name("2026-03-01"),
            "regie-reservekopie-2026-03-01.regie"
        );
    }
}
