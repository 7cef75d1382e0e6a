//! The audit trail: which link delivered which change to which document,
//! and when. It answers "who really changed this" beyond the name a person
//! typed: a change's hash (as the app's history shows it) leads to the link
//! it came through, and `tokens.json` gives that link's label. The token is
//! never written, nor is anything of the change's content.
//!
//! One JSON object per line in `audit.jsonl` in the data directory,
//! appended by the engine thread as changes are accepted (private to the
//! relay's user like the rest of the directory). Reading takes at most the
//! last [`MAX_READ_BYTES`] of the file, so a long-running relay's trail
//! costs a reader bounded memory; `regie-relay audit` and the city's page
//! read it this way.

use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use automerge::ChangeHash;
use regie_core::{DocumentId, LinkId};
use serde::{Deserialize, Serialize};

const FILE: &str = "audit.jsonl";

/// The most of the file's end one read looks at.
pub const MAX_READ_BYTES: u64 = 4 * 1024 * 1024;

/// One accepted change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Seconds since the Unix epoch, when the relay accepted it.
    pub at: u64,
    /// The id of the link it came through; none for a link without one
    /// (an upstream relay, or a peer the relay trusts fully).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The document.
    pub doc: String,
    /// The change's hash (hex).
    pub change: String,
}

/// Which entries a reader wants.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this document.
    pub doc: Option<DocumentId>,
    /// Only this link.
    pub link: Option<String>,
    /// Only this change (a hash or its start).
    pub change: Option<String>,
}

impl Filter {
    fn keeps(&self, entry: &Entry) -> bool {
        self.doc.is_none_or(|d| entry.doc == d.to_string())
            && self
                .link
                .as_ref()
                .is_none_or(|l| entry.link.as_ref() == Some(l))
            && self
                .change
                .as_ref()
                .is_none_or(|c| !c.is_empty() && entry.change.starts_with(c.as_str()))
    }
}

/// The trail in a data directory.
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    /// The trail in `data_dir` (the file is made, private, at the first
    /// entry; the directory is private already).
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(FILE),
        }
    }

    /// Appends one entry per change.
    pub fn record(
        &self,
        at: u64,
        link: Option<LinkId>,
        doc: DocumentId,
        changes: &[ChangeHash],
    ) -> std::io::Result<()> {
        let mut lines = String::new();
        for change in changes {
            let entry = Entry {
                at,
                link: link.map(|l| l.to_string()),
                doc: doc.to_string(),
                change: change.to_string(),
            };
            lines.push_str(&serde_json::to_string(&entry).expect("an entry serialises"));
            lines.push('\n');
        }
        let mut file = crate::storage::private_options()
            .create(true)
            .append(true)
            .open(&self.path)?;
        // One write per delivery: lines of two deliveries never interleave.
        file.write_all(lines.as_bytes())
    }

    /// The newest `limit` entries that `filter` keeps, newest first, from
    /// the last [`MAX_READ_BYTES`] of the trail.
    pub fn read(&self, filter: &Filter, limit: usize) -> std::io::Result<Vec<Entry>> {
        let mut file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let length = file.metadata()?.len();
        let start = length.saturating_sub(MAX_READ_BYTES);
        file.seek(SeekFrom::Start(start))?;
        let mut text = String::new();
        file.take(MAX_READ_BYTES).read_to_string(&mut text)?;
        let mut lines = text.lines();
        if start > 0 {
            lines.next(); // most likely cut in the middle
        }
        let kept: Vec<Entry> = lines
            .rev()
            .filter_map(|line| serde_json::from_str::<Entry>(line).ok())
            .filter(|entry| filter.keeps(entry))
            .take(limit)
            .collect();
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_newest_first_and_filtered() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(dir.path());
        let (a, b) = (
            DocumentId::from_random_bytes([1; 16]),
            DocumentId::from_random_bytes([2; 16]),
        );
        let link = LinkId::parse("00000000aa");
        let hash = |n: u8| ChangeHash([n; 32]);
        log.record(10, link, a, &[hash(1), hash(2)]).unwrap();
        log.record(11, None, b, &[hash(3)]).unwrap();
        let all = log.read(&Filter::default(), 10).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].change, hash(3).to_string());
        assert_eq!(all[2].link.as_deref(), Some("00000000aa"));
        let of_a = Filter {
            doc: Some(a),
            ..Filter::default()
        };
        assert_eq!(log.read(&of_a, 10).unwrap().len(), 2);
        let by_link = Filter {
            link: Some("00000000aa".into()),
            change: Some(hash(2).to_string()[..8].to_owned()),
            ..Filter::default()
        };
        let found = log.read(&by_link, 10).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].at, 10);
        assert_eq!(log.read(&Filter::default(), 1).unwrap().len(), 1);
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert_eq!(text.lines().count(), 3);
    }
}
