//! The relay's shared state: one sync engine ([`regie_core::Repo`], share
//! policy OnRequest) behind a mutex, the outbox of every connection, and the
//! disk store.
//!
//! Effects are carried out in the order the engine returns them, and the
//! engine puts `Persist` before the replies to a change, so a change is on
//! disk before any peer hears that the relay has it.

use std::collections::HashMap;
use std::sync::Mutex;

use automerge::Automerge;
use regie_core::{Access, ConnId, Effect, PeerId, Repo, SharePolicy};
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
}

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
            match Automerge::load(&bytes) {
                Ok(doc) => {
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
                Effect::Persist { doc } => {
                    let Some(bytes) = inner.repo.save(&doc) else {
                        continue;
                    };
                    if let Err(error) = self.store.save(&doc, &bytes) {
                        tracing::error!(%doc, %error, "could not store document");
                    }
                }
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
