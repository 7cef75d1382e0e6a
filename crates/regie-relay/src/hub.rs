//! The relay's shared state: one sync engine ([`regie_core::Repo`], share
//! policy OnRequest) on a thread of its own, the outbox of every
//! connection, and the disk store.
//!
//! The engine runs on its own OS thread and is reached through a command
//! channel ([`Hub`]): Automerge work and `fdatasync` never block tokio's
//! workers, so plain HTTP (and `/healthz`) stays served while the engine is
//! busy. Each connection has at most one frame in the engine at a time (its
//! reader waits for the answer), so the queue is bounded by the number of
//! connections, and the reader learns how much engine time its frame cost.
//!
//! Effects are carried out in the order the engine returns them, and the
//! engine puts `Persist` before the replies to a change, so a change is on
//! disk before any peer hears that the relay has it. A write that fails
//! holds back everything after it: the document is put back to what is
//! stored, and the connections taking part in it are closed with a reason,
//! so their clients keep the change as unconfirmed and send it again.
//!
//! Outboxes are bounded in bytes: a peer that does not read while frames
//! for it pile up is disconnected with a reason rather than growing the
//! relay's memory.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use automerge::{Automerge, ChangeHash};
use regie_core::{Access, ConnId, DocumentId, Effect, PeerId, Repo, SharePolicy};
use tokio::sync::{mpsc, oneshot};

use crate::logsafe::LogSafe;
use crate::storage::DiskStore;

/// What the writer task of a connection must do.
#[derive(Debug, PartialEq, Eq)]
pub enum Outgoing {
    /// Send a binary frame.
    Frame(Vec<u8>),
    /// Send a close frame with this code and reason, then stop.
    Close {
        /// WebSocket close code.
        code: u16,
        /// Why, for the peer.
        reason: String,
    },
}

/// WebSocket close code for a policy violation (RFC 6455).
pub const CLOSE_POLICY: u16 = 1008;
/// WebSocket close code for a message too big to process (RFC 6455).
pub const CLOSE_TOO_BIG: u16 = 1009;
/// WebSocket close code for a server that cannot go on (RFC 6455).
pub const CLOSE_SERVER_ERROR: u16 = 1011;

/// The sending half of a connection's outbox, held by the engine.
struct Outbox {
    tx: mpsc::UnboundedSender<Outgoing>,
    queued: Arc<AtomicUsize>,
}

/// The receiving half, read by the connection's writer.
pub struct OutboxReceiver {
    rx: mpsc::UnboundedReceiver<Outgoing>,
    queued: Arc<AtomicUsize>,
}

impl OutboxReceiver {
    /// The next thing to send; `None` once the engine dropped the outbox.
    pub async fn recv(&mut self) -> Option<Outgoing> {
        let out = self.rx.recv().await?;
        if let Outgoing::Frame(frame) = &out {
            self.queued.fetch_sub(frame.len(), Ordering::Relaxed);
        }
        Some(out)
    }
}

fn outbox() -> (Outbox, OutboxReceiver) {
    let (tx, rx) = mpsc::unbounded_channel();
    let queued = Arc::new(AtomicUsize::new(0));
    (
        Outbox {
            tx,
            queued: queued.clone(),
        },
        OutboxReceiver { rx, queued },
    )
}

/// Limits the engine enforces on its connections.
#[derive(Debug, Clone, Copy)]
pub struct HubLimits {
    /// Bytes waiting in one outbox at most (one frame larger than this is
    /// let through when the outbox is empty).
    pub max_outbox: usize,
}

impl Default for HubLimits {
    fn default() -> Self {
        Self {
            max_outbox: 8 * 1024 * 1024,
        }
    }
}

enum Command {
    Connect {
        access: Access,
        upstream: bool,
        outbox: Outbox,
        reply: oneshot::Sender<ConnId>,
    },
    Receive {
        conn: ConnId,
        frame: Vec<u8>,
        reply: oneshot::Sender<Duration>,
    },
    Reject {
        conn: ConnId,
        code: u16,
        reason: String,
    },
    Disconnect {
        conn: ConnId,
    },
    Joined {
        conn: ConnId,
        reply: oneshot::Sender<bool>,
    },
}

/// A handle on the engine thread; see the module docs. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    commands: mpsc::UnboundedSender<Command>,
    documents: usize,
}

impl Hub {
    /// Loads every stored document and starts the engine thread.
    pub fn open(store: DiskStore, peer_id: PeerId, limits: HubLimits) -> std::io::Result<Self> {
        let engine = Engine::open(store, peer_id, limits)?;
        let documents = engine.repo.doc_ids().count();
        let (commands, mut rx) = mpsc::unbounded_channel();
        std::thread::Builder::new()
            .name("regie-engine".into())
            .spawn(move || {
                let mut engine = engine;
                while let Some(command) = rx.blocking_recv() {
                    // A frame's panic is caught closer to it (and costs its
                    // connection); anything else must not stop the relay.
                    let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        engine.handle(command);
                    }));
                    if handled.is_err() {
                        tracing::error!("the sync engine panicked; serving on");
                    }
                }
            })?;
        Ok(Self {
            commands,
            documents,
        })
    }

    /// Number of documents held when the relay started.
    pub fn document_count(&self) -> usize {
        self.documents
    }

    fn send(&self, command: Command) {
        // The engine thread lives as long as any handle; a send can only
        // fail while the process is going down.
        let _ = self.commands.send(command);
    }

    async fn connect_as(&self, access: Access, upstream: bool) -> (ConnId, OutboxReceiver) {
        let (outbox, receiver) = outbox();
        let (reply, answer) = oneshot::channel();
        self.send(Command::Connect {
            access,
            upstream,
            outbox,
            reply,
        });
        let conn = answer.await.expect("the engine thread answers");
        (conn, receiver)
    }

    /// Registers a new connection whose peer has `access`; frames for it
    /// arrive on the receiver.
    pub async fn connect(&self, access: Access) -> (ConnId, OutboxReceiver) {
        self.connect_as(access, false).await
    }

    /// Registers this relay's own connection to an upstream relay: every
    /// document is offered on it.
    pub async fn connect_upstream(&self) -> (ConnId, OutboxReceiver) {
        self.connect_as(Access::FULL, true).await
    }

    /// A binary frame arrived; returns how much engine time it took.
    pub async fn receive(&self, conn: ConnId, frame: Vec<u8>) -> Duration {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Receive { conn, frame, reply });
        answer.await.unwrap_or_default()
    }

    /// Refuses a connection for a reason of the transport (e.g. a text
    /// frame), with close code `code`.
    pub fn reject(&self, conn: ConnId, code: u16, reason: &str) {
        self.send(Command::Reject {
            conn,
            code,
            reason: reason.to_owned(),
        });
    }

    /// The connection is gone.
    pub fn disconnect(&self, conn: ConnId) {
        self.send(Command::Disconnect { conn });
    }

    /// Whether the peer on a connection has completed the handshake.
    pub async fn is_joined(&self, conn: ConnId) -> bool {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Joined { conn, reply });
        answer.await.unwrap_or(false)
    }
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

/// What the clients of a document whose change could not be stored are told.
const NOT_STORED: &str = "the relay could not store this change; it will be sent again";

/// The engine and everything it owns; runs on the engine thread.
struct Engine {
    repo: Repo,
    outboxes: HashMap<ConnId, Outbox>,
    next_conn: u64,
    /// Per document written since the relay started: what its file holds.
    files: HashMap<DocumentId, OnDisk>,
    store: DiskStore,
    limits: HubLimits,
    /// The engine's steady clock, for ephemeral rates.
    started: Instant,
}

impl Engine {
    /// Loads every stored document. A damaged file is logged and skipped so
    /// one bad document cannot keep the others offline.
    fn open(store: DiskStore, peer_id: PeerId, limits: HubLimits) -> std::io::Result<Self> {
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
            repo,
            outboxes: HashMap::new(),
            next_conn: 0,
            files: HashMap::new(),
            store,
            limits,
            started: Instant::now(),
        })
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Connect {
                access,
                upstream,
                outbox,
                reply,
            } => {
                let conn = ConnId(self.next_conn);
                self.next_conn += 1;
                self.outboxes.insert(conn, outbox);
                let effects = if upstream {
                    self.repo.connect_upstream(conn)
                } else {
                    self.repo.connect_with(conn, false, access)
                };
                self.apply(effects);
                let _ = reply.send(conn);
            }
            Command::Receive { conn, frame, reply } => {
                let start = Instant::now();
                self.receive(conn, &frame);
                let _ = reply.send(start.elapsed());
            }
            Command::Reject { conn, code, reason } => self.close(conn, code, reason),
            Command::Disconnect { conn } => {
                self.repo.disconnect(conn);
                self.outboxes.remove(&conn);
            }
            Command::Joined { conn, reply } => {
                let _ = reply.send(self.repo.is_connected(conn));
            }
        }
    }

    /// A binary frame arrived. If handling it panics (Automerge 0.12 can
    /// panic on some malformed change data instead of returning an error),
    /// only this connection is closed; the others keep being served.
    fn receive(&mut self, conn: ConnId, frame: &[u8]) {
        let now_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let repo = &mut self.repo;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            repo.receive_at(conn, frame, now_ms)
        })) {
            Ok(effects) => self.apply(effects),
            Err(_) => {
                tracing::error!(
                    conn = conn.0,
                    "a frame crashed the sync engine; closing that connection"
                );
                self.close(conn, CLOSE_POLICY, "invalid data".to_owned());
            }
        }
    }

    /// Closes a connection with a code and reason sent to its peer.
    fn close(&mut self, conn: ConnId, code: u16, reason: String) {
        tracing::warn!(conn = conn.0, reason = %LogSafe(&reason), "closing connection");
        self.repo.disconnect(conn);
        if let Some(outbox) = self.outboxes.remove(&conn) {
            let _ = outbox.tx.send(Outgoing::Close { code, reason });
        }
    }

    /// Queues a frame; a peer whose outbox is over its bound is closed.
    fn push(&mut self, conn: ConnId, frame: Vec<u8>) {
        let Some(outbox) = self.outboxes.get(&conn) else {
            return;
        };
        let queued = outbox.queued.load(Ordering::Relaxed);
        if queued > 0 && queued + frame.len() > self.limits.max_outbox {
            return self.close(
                conn,
                CLOSE_POLICY,
                format!("too slow: {queued} bytes waiting to be read; reconnect"),
            );
        }
        outbox.queued.fetch_add(frame.len(), Ordering::Relaxed);
        // A closed writer means the socket is gone; the reader will notice
        // and disconnect.
        let _ = outbox.tx.send(Outgoing::Frame(frame));
    }

    /// Writes what changed in a document: its new changes appended to the
    /// file, or the whole document when the file is new to this run or its
    /// appended part has grown to the snapshot's size.
    fn persist(&mut self, id: DocumentId) -> std::io::Result<()> {
        let Some(doc) = self.repo.doc(&id) else {
            return Ok(());
        };
        let heads = doc.get_heads();
        let outcome = match self.files.get_mut(&id) {
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
                    self.files.insert(id, file);
                })
            }
        };
        if outcome.is_err() {
            // Whatever reached the file, the next write replaces it whole.
            self.files.remove(&id);
        }
        outcome
    }

    /// A change to `id` could not be stored: the document goes back to
    /// what its file holds, and everyone taking part in it is told and
    /// disconnected, so no reply can confirm the change.
    fn unstored(&mut self, id: DocumentId) {
        let conns = self.repo.remove(&id);
        for conn in conns {
            self.close(conn, CLOSE_SERVER_ERROR, NOT_STORED.to_owned());
        }
        let on_disk = self
            .store
            .load(&id)
            .ok()
            .flatten()
            .and_then(|bytes| regie_core::stored::load_appended(&bytes).ok())
            .map(|(doc, _)| doc);
        if let Some(doc) = on_disk.filter(|d: &Automerge| !d.get_heads().is_empty()) {
            let effects = self.repo.insert(id, doc);
            self.apply(effects);
        }
    }

    fn apply(&mut self, effects: Vec<Effect>) {
        let mut effects = effects.into_iter();
        while let Some(effect) = effects.next() {
            match effect {
                Effect::Send { conn, frame } => self.push(conn, frame),
                Effect::Close { conn, reason } => self.close(conn, CLOSE_POLICY, reason),
                Effect::Persist { doc } => {
                    if let Err(error) = self.persist(doc) {
                        tracing::error!(%doc, %error, "could not store document");
                        // Nothing after a failed write goes out: those are
                        // the replies that would confirm it.
                        effects.by_ref().for_each(drop);
                        self.unstored(doc);
                    }
                }
                Effect::Connected { conn, peer } => {
                    tracing::info!(conn = conn.0, peer = %LogSafe(&peer.0), "peer joined");
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
    use automerge::transaction::Transactable as _;

    fn file_of(dir: &std::path::Path, id: &DocumentId) -> Vec<u8> {
        std::fs::read(dir.join(format!("{id}.automerge"))).unwrap()
    }

    fn engine(dir: &std::path::Path) -> Engine {
        Engine::open(
            DiskStore::open(dir).unwrap(),
            PeerId("relay".into()),
            HubLimits::default(),
        )
        .unwrap()
    }

    /// An engine on an empty directory, holding one small document.
    fn engine_with_document(dir: &std::path::Path) -> (Engine, DocumentId) {
        let mut engine = engine(dir);
        let id = DocumentId::from_random_bytes([7; 16]);
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, "titel", "Plan")
        })
        .unwrap();
        let effects = engine.repo.insert(id, doc);
        engine.apply(effects);
        engine.persist(id).unwrap();
        (engine, id)
    }

    fn edit(engine: &mut Engine, id: DocumentId, n: usize) {
        let (_, effects) = engine
            .repo
            .change(id, |doc| {
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(automerge::ROOT, format!("veld{n}"), "x".repeat(200))
                })
                .unwrap();
            })
            .unwrap();
        engine.apply(effects);
    }

    #[test]
    fn changes_are_appended_until_they_outgrow_the_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let (mut engine, id) = engine_with_document(dir.path());
        let snapshot = file_of(dir.path(), &id);
        edit(&mut engine, id, 1);
        let after_one = file_of(dir.path(), &id);
        assert!(after_one.starts_with(&snapshot), "appended, not rewritten");
        assert_eq!(regie_core::stored::split_chunks(&after_one).0.len(), 2);

        // Appended chunks grow past the threshold: one fresh snapshot.
        let per_change = after_one.len() - snapshot.len();
        let to_rewrite = MIN_APPENDED_BEFORE_REWRITE / per_change + 2;
        for n in 2..=to_rewrite {
            edit(&mut engine, id, n);
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
            engine.repo.doc(&id).unwrap().get_heads()
        );
    }

    #[test]
    fn a_torn_last_write_is_dropped_and_the_file_made_whole_on_start() {
        let dir = tempfile::tempdir().unwrap();
        let (mut engine, id) = engine_with_document(dir.path());
        edit(&mut engine, id, 1);
        let heads_before_last = engine.repo.doc(&id).unwrap().get_heads();
        edit(&mut engine, id, 2);
        drop(engine);
        // The last write cut off half-way, as a crash would leave it.
        let path = dir.path().join(format!("{id}.automerge"));
        let bytes = std::fs::read(&path).unwrap();
        let (chunks, _) = regie_core::stored::split_chunks(&bytes);
        let cut = bytes.len() - chunks.last().unwrap().len() / 2;
        std::fs::write(&path, &bytes[..cut]).unwrap();

        let engine = self::engine(dir.path());
        assert_eq!(engine.repo.doc(&id).unwrap().get_heads(), heads_before_last);
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

    #[test]
    fn a_peer_that_does_not_read_is_closed_once_its_outbox_is_full() {
        let dir = tempfile::tempdir().unwrap();
        let mut engine = engine(dir.path());
        engine.limits.max_outbox = 1000;
        let (outbox, mut receiver) = outbox();
        engine.outboxes.insert(ConnId(5), outbox);
        engine.push(ConnId(5), vec![0; 2000]);
        assert!(
            engine.outboxes.contains_key(&ConnId(5)),
            "one large frame fits an empty outbox"
        );
        engine.push(ConnId(5), vec![0; 10]);
        assert!(
            !engine.outboxes.contains_key(&ConnId(5)),
            "closed once over"
        );
        let mut got = Vec::new();
        while let Ok(out) = receiver.rx.try_recv() {
            got.push(out);
        }
        assert_eq!(got.len(), 2);
        assert!(
            matches!(&got[1], Outgoing::Close { code: CLOSE_POLICY, reason } if reason.starts_with("too slow"))
        );
    }
}
