//! The relay's shared state: one sync engine ([`regie_core::Repo`], share
//! policy OnRequest) behind a mutex, the outbox of every connection, and the
//! disk store.
//!
//! Effects are carried out in the order the engine returns them, and the
//! engine puts `Persist` before the replies to a change, so a change is on
//! disk before any peer hears that the relay has it.

use std::collections::HashMap;
use std::sync::Mutex;

use automerge::ChangeHash;
use regie_core::{Access, ConnId, DocumentId, Effect, PeerId, Repo, SharePolicy};
use tokio::sync::mpsc;

use crate::storage::DiskStore;

/// What the writer task of a connection must do.
#[derive(Debug, PartialEq, Eq)]
pub enum Outgoing {
    /// Send a binary frame.
    Frame(Vec<u8>),
    /// Send a close frame with this reason, then stop.
    Close(String),
}

struct Inner {
    repo: Repo,
    outboxes: HashMap<ConnId, mpsc::UnboundedSender<Outgoing>>,
    next_conn: u64,
    /// Per document written since the relay started: what its file holds.
    files: HashMap<DocumentId, OnDisk>,
}

/// A document's file: its heads, and the sizes of the snapshot and of the
/// chunks appended after it.
struct OnDisk {
    heads: Vec<ChangeHash>,
    snapshot: usize,
    appended: usize,
}

/// Appended chunks may grow to the snapshot's size (at least this much)
/// before the file is rewritten as one snapshot: writing stays linear in
/// the changes, and loading never reads much more than the document.
const MIN_APPENDED_BEFORE_REWRITE: usize = 64 * 1024;

/// See the module docs.
pub struct Hub {
    inner: Mutex<Inner>,
    store: DiskStore,
}

impl Hub {
    /// Loads every stored document. A damaged file is logged and skipped so
    /// one bad document cannot keep the others offline.
    pub fn open(store: DiskStore, peer_id: PeerId) -> std::io::Result<Self> {
        let mut repo = Repo::new(peer_id, SharePolicy::OnRequest);
        let mut loaded = 0usize;
        for (id, bytes) in store.load_all()? {
            match regie_core::stored::load_appended(&bytes) {
                Ok((doc, dropped)) => {
                    if dropped > 0 {
                        // A write cut off by a crash: nobody heard of that
                        // change. A clean file, so later appends can be read.
                        tracing::warn!(doc = %id, dropped, "dropping a torn last write");
                        store.save(&id, &doc.save())?;
                    }
                    repo.insert(id, doc);
                    loaded += 1;
                }
                Err(error) => tracing::error!(doc = %id, %error, "skipping a damaged document"),
            }
        }
        tracing::info!(documents = loaded, "storage loaded");
        // The relay holds the seeded documents (directory, register) from
        // the start, so a read-only device, which seeds the same changes,
        // has nothing to send.
        let seeded = [
            (
                regie_core::directory::directory_id(),
                regie_core::directory::seed_document(),
            ),
            (
                regie_core::register::register_id(),
                regie_core::register::seed_document(),
            ),
        ];
        for (id, seed) in seeded {
            if repo.doc(&id).is_none() {
                store.save(&id, &seed.save())?;
                repo.insert(id, seed);
            }
        }
        Ok(Self {
            inner: Mutex::new(Inner {
                repo,
                outboxes: HashMap::new(),
                next_conn: 0,
                files: HashMap::new(),
            }),
            store,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves the engine as consistent as
        // any single message can; keep serving rather than poisoning all.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a new connection whose peer has `access`; frames for it
    /// arrive on the receiver.
    pub fn connect(&self, access: Access) -> (ConnId, mpsc::UnboundedReceiver<Outgoing>) {
        let mut inner = self.lock();
        let conn = ConnId(inner.next_conn);
        inner.next_conn += 1;
        let (tx, rx) = mpsc::unbounded_channel();
        inner.outboxes.insert(conn, tx);
        let effects = inner.repo.connect_with(conn, false, access);
        self.apply(&mut inner, effects);
        (conn, rx)
    }

    /// Registers this relay's own connection to an upstream relay: every
    /// document is offered on it.
    pub fn connect_upstream(&self) -> (ConnId, mpsc::UnboundedReceiver<Outgoing>) {
        let mut inner = self.lock();
        let conn = ConnId(inner.next_conn);
        inner.next_conn += 1;
        let (tx, rx) = mpsc::unbounded_channel();
        inner.outboxes.insert(conn, tx);
        let effects = inner.repo.connect_upstream(conn);
        self.apply(&mut inner, effects);
        (conn, rx)
    }

    /// A binary frame arrived. If handling it panics (Automerge 0.12 can
    /// panic on some malformed change data instead of returning an error),
    /// only this connection is closed; the others keep being served.
    pub fn receive(&self, conn: ConnId, frame: &[u8]) {
        let mut inner = self.lock();
        let repo = &mut inner.repo;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| repo.receive(conn, frame))) {
            Ok(effects) => self.apply(&mut inner, effects),
            Err(_) => {
                tracing::error!(
                    conn = conn.0,
                    "a frame crashed the sync engine; closing that connection"
                );
                inner.repo.disconnect(conn);
                if let Some(outbox) = inner.outboxes.remove(&conn) {
                    let _ = outbox.send(Outgoing::Close("invalid data".to_owned()));
                }
            }
        }
    }

    /// Refuses a connection for a reason of the transport (e.g. a text frame).
    pub fn reject(&self, conn: ConnId, reason: &str) {
        let mut inner = self.lock();
        tracing::warn!(conn = conn.0, reason, "closing connection");
        inner.repo.disconnect(conn);
        if let Some(outbox) = inner.outboxes.remove(&conn) {
            let _ = outbox.send(Outgoing::Close(reason.to_owned()));
        }
    }

    /// The connection is gone.
    pub fn disconnect(&self, conn: ConnId) {
        let mut inner = self.lock();
        inner.repo.disconnect(conn);
        inner.outboxes.remove(&conn);
    }

    /// Number of documents held.
    pub fn document_count(&self) -> usize {
        self.lock().repo.doc_ids().count()
    }

    /// Writes what changed in a document: its new changes appended to the
    /// file, or the whole document when the file is new to this run or its
    /// appended part has grown to the snapshot's size.
    fn persist(&self, inner: &mut Inner, id: DocumentId) {
        let Some(doc) = inner.repo.doc(&id) else {
            return;
        };
        let heads = doc.get_heads();
        let outcome = match inner.files.get_mut(&id) {
            Some(file) if file.heads == heads => Ok(()),
            Some(file) if file.appended < file.snapshot.max(MIN_APPENDED_BEFORE_REWRITE) => {
                let changes = doc.save_after(&file.heads);
                self.store.append(&id, &changes).map(|()| {
                    file.heads = heads;
                    file.appended += changes.len();
                })
            }
            _ => {
                let snapshot = doc.save();
                self.store.save(&id, &snapshot).map(|()| {
                    let file = OnDisk {
                        heads,
                        snapshot: snapshot.len(),
                        appended: 0,
                    };
                    inner.files.insert(id, file);
                })
            }
        };
        if let Err(error) = outcome {
            tracing::error!(doc = %id, %error, "could not store document");
            // Whatever reached the file, the next write replaces it whole.
            inner.files.remove(&id);
        }
    }

    fn apply(&self, inner: &mut Inner, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } => {
                    if let Some(outbox) = inner.outboxes.get(&conn) {
                        // A closed writer means the socket is gone; the reader
                        // will notice and disconnect.
                        let _ = outbox.send(Outgoing::Frame(frame));
                    }
                }
                Effect::Close { conn, reason } => {
                    tracing::warn!(conn = conn.0, %reason, "closing connection");
                    if let Some(outbox) = inner.outboxes.remove(&conn) {
                        let _ = outbox.send(Outgoing::Close(reason));
                    }
                }
                Effect::Persist { doc } => self.persist(inner, doc),
                Effect::Connected { conn, peer } => {
                    tracing::info!(conn = conn.0, %peer, "peer joined");
                }
                Effect::DocChanged { .. }
                | Effect::DocUnavailable { .. }
                | Effect::Confirmed { .. }
                | Effect::Ephemeral { .. } => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::Automerge;
    use automerge::transaction::Transactable as _;

    fn file_of(dir: &std::path::Path, id: &DocumentId) -> Vec<u8> {
        std::fs::read(dir.join(format!("{id}.automerge"))).unwrap()
    }

    /// A hub on an empty directory, holding one small document.
    fn hub_with_document(dir: &std::path::Path) -> (Hub, DocumentId) {
        let hub = Hub::open(DiskStore::open(dir).unwrap(), PeerId("relay".into())).unwrap();
        let id = DocumentId::from_random_bytes([7; 16]);
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, "titel", "Plan")
        })
        .unwrap();
        let effects = hub.lock().repo.insert(id, doc);
        let mut inner = hub.lock();
        hub.apply(&mut inner, effects);
        hub.persist(&mut inner, id);
        drop(inner);
        (hub, id)
    }

    fn edit(hub: &Hub, id: DocumentId, n: usize) {
        let mut inner = hub.lock();
        let (_, effects) = inner
            .repo
            .change(id, |doc| {
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(automerge::ROOT, format!("veld{n}"), "x".repeat(200))
                })
                .unwrap();
            })
            .unwrap();
        hub.apply(&mut inner, effects);
    }

    #[test]
    fn changes_are_appended_until_they_outgrow_the_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let (hub, id) = hub_with_document(dir.path());
        let snapshot = file_of(dir.path(), &id);
        edit(&hub, id, 1);
        let after_one = file_of(dir.path(), &id);
        assert!(after_one.starts_with(&snapshot), "appended, not rewritten");
        assert_eq!(regie_core::stored::split_chunks(&after_one).0.len(), 2);

        // Appended chunks grow past the threshold: one fresh snapshot.
        let per_change = after_one.len() - snapshot.len();
        let to_rewrite = MIN_APPENDED_BEFORE_REWRITE / per_change + 2;
        for n in 2..=to_rewrite {
            edit(&hub, id, n);
        }
        let rewritten = file_of(dir.path(), &id);
        let chunks = regie_core::stored::split_chunks(&rewritten).0.len();
        assert!(
            chunks < to_rewrite / 2,
            "{chunks} chunks after {to_rewrite} changes"
        );
        let stored = Automerge::load(&rewritten).unwrap();
        assert_eq!(
            stored.get_heads(),
            hub.lock().repo.doc(&id).unwrap().get_heads()
        );
    }

    #[test]
    fn a_torn_last_write_is_dropped_and_the_file_made_whole_on_start() {
        let dir = tempfile::tempdir().unwrap();
        let (hub, id) = hub_with_document(dir.path());
        edit(&hub, id, 1);
        let heads_before_last = hub.lock().repo.doc(&id).unwrap().get_heads();
        edit(&hub, id, 2);
        drop(hub);
        // The last write cut off half-way, as a crash would leave it.
        let path = dir.path().join(format!("{id}.automerge"));
        let bytes = std::fs::read(&path).unwrap();
        let (chunks, _) = regie_core::stored::split_chunks(&bytes);
        let cut = bytes.len() - chunks.last().unwrap().len() / 2;
        std::fs::write(&path, &bytes[..cut]).unwrap();

        let hub = Hub::open(DiskStore::open(dir.path()).unwrap(), PeerId("relay".into())).unwrap();
        assert_eq!(
            hub.lock().repo.doc(&id).unwrap().get_heads(),
            heads_before_last
        );
        let healed = std::fs::read(&path).unwrap();
        assert!(
            regie_core::stored::split_chunks(&healed).1.is_empty(),
            "no torn tail left"
        );
        assert_eq!(
            Automerge::load(&healed).unwrap().get_heads(),
            heads_before_last
        );
    }
}
