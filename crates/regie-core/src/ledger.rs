//! Decides how to store a document's new state, the same way on the relay
//! (one file per document) and in the app (IndexedDB records).
//!
//! A stored document is a snapshot followed by appended change chunks
//! ([`crate::stored`]). Appending costs only the new changes; a snapshot
//! costs the whole document but keeps loading cheap. The [`Ledger`] knows,
//! per document, what its storage holds (heads, snapshot and appended
//! bytes, appended chunks) and answers [`Ledger::next_write`] with one rule:
//! a snapshot when nothing is stored yet, or when the appended part would
//! reach the snapshot's size (at least [`MIN_APPENDED_BEFORE_SNAPSHOT`]) or
//! [`MAX_APPENDED_CHUNKS`] chunks; otherwise the new changes, appended.
//! Writing stays linear in the changes made, and loading never reads much
//! more than the document (nor more than a few hundred chunks).
//!
//! The ledger updates its record when it decides, not when the write is
//! done: writes of one document are carried out in the order they were
//! decided, so the next decision may build on the previous one. A write
//! that fails is reported with [`Ledger::failed`]; whatever reached storage,
//! the next write is then a whole snapshot.

use std::collections::BTreeMap;

use automerge::{Automerge, ChangeHash};

use crate::DocumentId;

/// The appended part may grow to the snapshot's size, and at least to this
/// many bytes, before the next write is a snapshot: small documents are not
/// rewritten on every few changes.
pub const MIN_APPENDED_BEFORE_SNAPSHOT: usize = 64 * 1024;

/// At most this many chunks are appended after a snapshot. One keystroke in
/// the app is one chunk of a few hundred bytes, so for the app this bound,
/// not the bytes, usually decides; it keeps loading (one chunk parsed after
/// another) quick.
pub const MAX_APPENDED_CHUNKS: usize = 256;

/// How to store a document's new state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// Append these bytes (the changes since what is stored).
    Append(Vec<u8>),
    /// Store the whole document, replacing what is stored, the caller's own
    /// way; then report its size with [`Ledger::snapshot_written`].
    Snapshot,
}

/// What storage holds of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    heads: Vec<ChangeHash>,
    snapshot: usize,
    appended: usize,
    chunks: usize,
}

/// What is stored of every document; see the module docs.
#[derive(Debug, Default)]
pub struct Ledger {
    stored: BTreeMap<DocumentId, Stored>,
}

impl Ledger {
    /// A ledger that knows of nothing stored.
    pub fn new() -> Self {
        Self::default()
    }

    /// Storage was read at start-up: it holds `doc` at `heads`, as a
    /// snapshot of `snapshot_bytes` and `chunks` chunks of `appended_bytes`
    /// after it. Only call this for storage that later appends can follow
    /// (no torn or damaged tail).
    pub fn loaded(
        &mut self,
        doc: DocumentId,
        heads: Vec<ChangeHash>,
        snapshot_bytes: usize,
        appended_bytes: usize,
        chunks: usize,
    ) {
        let stored = Stored {
            heads,
            snapshot: snapshot_bytes,
            appended: appended_bytes,
            chunks,
        };
        self.stored.insert(doc, stored);
    }

    /// How to store `current`, the document's state now; `None` when storage
    /// already holds it. The ledger counts the write as done (see the module
    /// docs).
    pub fn next_write(&mut self, doc: DocumentId, current: &Automerge) -> Option<Write> {
        let heads = current.get_heads();
        let Some(stored) = self.stored.get_mut(&doc) else {
            if heads.is_empty() {
                return None; // an empty document is not worth a record
            }
            self.stored.insert(doc, Stored::snapshot_at(heads));
            return Some(Write::Snapshot);
        };
        if stored.heads == heads {
            return None;
        }
        let changes = current.save_after(&stored.heads);
        if stored.outgrown_by(changes.len()) {
            *stored = Stored::snapshot_at(heads);
            return Some(Write::Snapshot);
        }
        stored.heads = heads;
        stored.appended += changes.len();
        stored.chunks += 1;
        Some(Write::Append(changes))
    }

    /// The snapshot last decided for `doc` is written and takes `bytes`.
    pub fn snapshot_written(&mut self, doc: DocumentId, bytes: usize) {
        if let Some(stored) = self.stored.get_mut(&doc) {
            stored.snapshot = bytes;
        }
    }

    /// A write of `doc` failed: what storage holds is no longer known, so
    /// the next write is a whole snapshot.
    pub fn failed(&mut self, doc: DocumentId) {
        self.stored.remove(&doc);
    }

    /// The heads storage holds of `doc`, as far as the ledger knows.
    pub fn stored_heads(&self, doc: &DocumentId) -> Option<&[ChangeHash]> {
        self.stored.get(doc).map(|s| s.heads.as_slice())
    }
}

impl Stored {
    /// Just decided to write a snapshot at `heads`; its size is counted as
    /// 0 until [`Ledger::snapshot_written`] says.
    fn snapshot_at(heads: Vec<ChangeHash>) -> Self {
        Stored {
            heads,
            snapshot: 0,
            appended: 0,
            chunks: 0,
        }
    }

    /// Whether appending `more` bytes as one more chunk would make the
    /// appended part too big to keep.
    fn outgrown_by(&self, more: usize) -> bool {
        let limit = self.snapshot.max(MIN_APPENDED_BEFORE_SNAPSHOT);
        self.appended + more >= limit || self.chunks + 1 >= MAX_APPENDED_CHUNKS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ROOT;
    use automerge::transaction::Transactable as _;

    fn id() -> DocumentId {
        DocumentId::from_random_bytes([9; 16])
    }

    fn put(doc: &mut Automerge, key: &str, bytes: usize) {
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, key, "x".repeat(bytes))?;
            Ok(())
        })
        .unwrap();
    }

    /// A ledger that just wrote a snapshot of a one-change document.
    fn written() -> (Ledger, Automerge) {
        let mut ledger = Ledger::new();
        let mut doc = Automerge::new();
        put(&mut doc, "titel", 10);
        assert_eq!(ledger.next_write(id(), &doc), Some(Write::Snapshot));
        ledger.snapshot_written(id(), doc.save().len());
        (ledger, doc)
    }

    #[test]
    fn nothing_is_written_when_storage_holds_the_heads() {
        let (mut ledger, doc) = written();
        assert_eq!(ledger.next_write(id(), &doc), None);
        assert_eq!(ledger.next_write(id(), &doc.clone()), None, "twice");
        assert_eq!(
            Ledger::new().next_write(id(), &Automerge::new()),
            None,
            "an empty document is not written"
        );
    }

    #[test]
    fn new_changes_are_appended_exactly() {
        let (mut ledger, mut doc) = written();
        let before = doc.get_heads();
        put(&mut doc, "wijk", 10);
        let Some(Write::Append(bytes)) = ledger.next_write(id(), &doc) else {
            panic!("appended");
        };
        assert_eq!(bytes, doc.save_after(&before));
        assert_eq!(ledger.stored_heads(&id()), Some(&doc.get_heads()[..]));
        assert_eq!(ledger.next_write(id(), &doc), None);
    }

    #[test]
    fn a_snapshot_once_the_appended_bytes_reach_the_limit() {
        let (mut ledger, mut doc) = written();
        let mut appended = 0;
        let mut n = 0;
        let last = loop {
            n += 1;
            let before = doc.get_heads();
            put(&mut doc, &format!("veld{n}"), 4000);
            match ledger.next_write(id(), &doc).unwrap() {
                Write::Append(bytes) => appended += bytes.len(),
                Write::Snapshot => break doc.save_after(&before).len(),
            }
        };
        assert!(n > 2, "appended first");
        assert!(appended < MIN_APPENDED_BEFORE_SNAPSHOT, "{appended}");
        assert!(
            appended + last >= MIN_APPENDED_BEFORE_SNAPSHOT,
            "not before the limit: {appended} + {last} after {n} changes"
        );
        // Fresh from the snapshot, the next change is appended again.
        put(&mut doc, "daarna", 10);
        assert!(matches!(
            ledger.next_write(id(), &doc),
            Some(Write::Append(_))
        ));
    }

    #[test]
    fn the_limit_grows_with_the_snapshot() {
        let mut ledger = Ledger::new();
        let mut doc = Automerge::new();
        put(&mut doc, "titel", 10);
        ledger.loaded(id(), doc.get_heads(), 1024 * 1024, 0, 0);
        for n in 0..100 {
            put(&mut doc, &format!("veld{n}"), 4000);
            assert!(
                matches!(ledger.next_write(id(), &doc), Some(Write::Append(_))),
                "change {n} is appended to a 1 MiB snapshot"
            );
        }
    }

    #[test]
    fn a_snapshot_once_the_appended_chunks_reach_the_limit() {
        let (mut ledger, mut doc) = written();
        for n in 1..MAX_APPENDED_CHUNKS {
            put(&mut doc, &format!("veld{n}"), 1);
            assert!(
                matches!(ledger.next_write(id(), &doc), Some(Write::Append(_))),
                "chunk {n} is appended"
            );
        }
        put(&mut doc, "een te veel", 1);
        assert_eq!(ledger.next_write(id(), &doc), Some(Write::Snapshot));
    }

    #[test]
    fn after_a_failed_write_the_next_one_is_a_snapshot() {
        let (mut ledger, mut doc) = written();
        put(&mut doc, "wijk", 10);
        assert!(matches!(
            ledger.next_write(id(), &doc),
            Some(Write::Append(_))
        ));
        ledger.failed(id());
        assert_eq!(ledger.stored_heads(&id()), None);
        assert_eq!(ledger.next_write(id(), &doc), Some(Write::Snapshot));
    }

    #[test]
    fn what_was_loaded_is_appended_to() {
        let mut ledger = Ledger::new();
        let mut doc = Automerge::new();
        put(&mut doc, "titel", 10);
        ledger.loaded(id(), doc.get_heads(), doc.save().len(), 0, 0);
        assert_eq!(ledger.next_write(id(), &doc), None);
        put(&mut doc, "wijk", 10);
        assert!(matches!(
            ledger.next_write(id(), &doc),
            Some(Write::Append(_))
        ));
        ledger.loaded(id(), doc.get_heads(), 10, 0, MAX_APPENDED_CHUNKS - 1);
        put(&mut doc, "status", 10);
        assert_eq!(ledger.next_write(id(), &doc), Some(Write::Snapshot));
    }
}
