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
//! Persist before acknowledge is the engine's rule: while a write of a
//! document is outstanding, the engine holds back every sync message for
//! it. The hub carries out `Effect::Persist { doc, id }` by asking the
//! [`Ledger`] how to write (append the new changes, or rewrite the file as
//! one snapshot), writing, and reporting `persisted(id)`, which releases
//! the held replies. A write that fails is reported as `persist_failed(id)`:
//! the engine drops the held replies and the document, the connections
//! taking part in it are closed with a reason (their clients keep the
//! change as unconfirmed and send it again), and the document is loaded
//! again from its file. Writes happen on the engine thread, in order.
//!
//! Outboxes are bounded in bytes: a peer that does not read while frames
//! for it pile up is disconnected with a reason rather than growing the
//! relay's memory.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use automerge::{Automerge, ChangeHash};
use regie_core::ledger::{Ledger, Write};
use regie_core::{Access, ConnId, DocumentId, Effect, PeerId, PersistId, Repo, SharePolicy};
use tokio::sync::{mpsc, oneshot};

use crate::audit::AuditLog;
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
        organisation: Option<String>,
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
    Covered {
        access: Access,
        reply: oneshot::Sender<Vec<DocumentId>>,
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

    async fn connect_as(
        &self,
        access: Access,
        organisation: Option<String>,
        upstream: bool,
    ) -> (ConnId, OutboxReceiver) {
        let (outbox, receiver) = outbox();
        let (reply, answer) = oneshot::channel();
        self.send(Command::Connect {
            access,
            organisation,
            upstream,
            outbox,
            reply,
        });
        let conn = answer.await.expect("the engine thread answers");
        (conn, receiver)
    }

    /// Registers a new connection whose peer has `access` (with a link made
    /// for `organisation`, if any); frames for it arrive on the receiver.
    pub async fn connect(
        &self,
        access: Access,
        organisation: Option<String>,
    ) -> (ConnId, OutboxReceiver) {
        self.connect_as(access, organisation, false).await
    }

    /// Registers this relay's own connection to an upstream relay: every
    /// document is offered on it.
    pub async fn connect_upstream(&self) -> (ConnId, OutboxReceiver) {
        self.connect_as(Access::FULL, None, true).await
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

    /// The documents held here that `access` may have (at most
    /// [`MAX_LISTED`]), so a device with a scoped link asks for those only.
    pub async fn covered(&self, access: Access) -> Vec<DocumentId> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Covered { access, reply });
        answer.await.unwrap_or_default()
    }

    /// Whether the peer on a connection has completed the handshake.
    pub async fn is_joined(&self, conn: ConnId) -> bool {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Joined { conn, reply });
        answer.await.unwrap_or(false)
    }
}

/// Most document ids one answer lists (a wijk has a plan and a few dozen
/// tafels and campagnes; the city's link hears of every document, up to this).
pub const MAX_LISTED: usize = 2_000;

/// What the clients of a document whose change could not be stored are told.
const NOT_STORED: &str = "the relay could not store this change; it will be sent again";

/// The engine and everything it owns; runs on the engine thread.
struct Engine {
    repo: Repo,
    outboxes: HashMap<ConnId, Outbox>,
    next_conn: u64,
    /// What each document's file holds, and how the next write goes.
    ledger: Ledger,
    store: DiskStore,
    limits: HubLimits,
    /// The engine's steady clock, for ephemeral rates.
    started: Instant,
    /// Which link delivered which change.
    audit: AuditLog,
}

impl Engine {
    /// Loads every stored document. A damaged file is logged and skipped so
    /// one bad document cannot keep the others offline.
    fn open(store: DiskStore, peer_id: PeerId, limits: HubLimits) -> std::io::Result<Self> {
        let audit = AuditLog::new(store.dir());
        let mut engine = Self {
            audit,
            repo: Repo::new(peer_id, SharePolicy::OnRequest),
            outboxes: HashMap::new(),
            next_conn: 0,
            ledger: Ledger::new(),
            store,
            limits,
            started: Instant::now(),
        };
        let mut loaded = 0usize;
        for (id, bytes) in engine.store.load_all()? {
            match engine.load_file(id, &bytes) {
                Ok(()) => loaded += 1,
                Err(error) => tracing::error!(doc = %id, %error, "skipping a damaged document"),
            }
        }
        tracing::info!(documents = loaded, "storage loaded");
        engine.seed()?;
        Ok(engine)
    }

    /// Takes in one document's file, and tells the ledger what it holds.
    fn load_file(&mut self, id: DocumentId, bytes: &[u8]) -> Result<(), automerge::AutomergeError> {
        let (doc, dropped) = regie_core::stored::load_appended(bytes)?;
        let heads = doc.get_heads();
        if dropped > 0 {
            // A write cut off by a crash: nobody heard of that change. A
            // clean file, so later appends can be read.
            tracing::warn!(doc = %id, dropped, "dropping a torn last write");
            let snapshot = doc.save();
            match self.store.save(&id, &snapshot) {
                Ok(()) => self.ledger.loaded(id, heads, snapshot.len(), 0, 0),
                // Not known to be clean: the next write replaces it whole.
                Err(error) => tracing::error!(doc = %id, %error, "could not rewrite a torn file"),
            }
        } else {
            let (chunks, _) = regie_core::stored::split_chunks(bytes);
            let snapshot = chunks.first().map_or(0, |c| c.len());
            let appended = bytes.len() - snapshot;
            let count = chunks.len().saturating_sub(1);
            self.ledger.loaded(id, heads, snapshot, appended, count);
        }
        self.repo.insert(id, doc);
        Ok(())
    }

    /// The relay holds the seeded documents (directory, register) from the
    /// start, so a read-only device, which seeds the same changes, has
    /// nothing to send. Failing to store them stops the start.
    fn seed(&mut self) -> std::io::Result<()> {
        for seed in regie_core::seeds::seeded() {
            let held = self
                .repo
                .doc(&seed.id)
                .is_some_and(|doc| regie_core::seeds::holds_seed(doc, &seed));
            if held {
                continue;
            }
            for effect in self.repo.create(seed.id, (seed.build)()) {
                if let Effect::Persist { doc, id } = effect {
                    self.write(doc)?;
                    // Nobody is connected yet: nothing was held.
                    let released = self.repo.persisted(id);
                    debug_assert!(released.is_empty());
                }
            }
        }
        Ok(())
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Connect {
                access,
                organisation,
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
                self.repo.set_organisation(conn, organisation);
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
            Command::Covered { access, reply } => {
                let _ = reply.send(self.repo.covered(&access, MAX_LISTED));
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

    /// Writes what changed in a document, as the ledger decides: its new
    /// changes appended to the file, or the whole document as a fresh
    /// snapshot (atomically replacing the file).
    fn write(&mut self, id: DocumentId) -> std::io::Result<()> {
        let Some(doc) = self.repo.doc(&id) else {
            return Ok(()); // removed since: nothing of it to store
        };
        let written = match self.ledger.next_write(id, doc) {
            None => Ok(()),
            Some(Write::Append(changes)) => self.store.append(&id, &changes),
            Some(Write::Snapshot) => {
                let snapshot = doc.save();
                self.store
                    .save(&id, &snapshot)
                    .map(|()| self.ledger.snapshot_written(id, snapshot.len()))
            }
        };
        if written.is_err() {
            // Whatever reached the file, the next write replaces it whole.
            self.ledger.failed(id);
        }
        written
    }

    /// Carries out one persist and reports it to the engine; returns what
    /// the engine released (the replies that waited for this write).
    fn persist(&mut self, doc: DocumentId, id: PersistId) -> Vec<Effect> {
        match self.write(doc) {
            Ok(()) => self.repo.persisted(id),
            Err(error) => {
                tracing::error!(%doc, %error, "could not store document");
                self.unstored(doc, id);
                Vec::new()
            }
        }
    }

    /// A change to `doc` could not be stored: the engine drops the replies
    /// it held and the document; everyone taking part in it is told and
    /// disconnected, and the document goes back to what its file holds.
    fn unstored(&mut self, doc: DocumentId, id: PersistId) {
        for conn in self.repo.persist_failed(id) {
            self.close(conn, CLOSE_SERVER_ERROR, NOT_STORED.to_owned());
        }
        let on_disk = self
            .store
            .load(&doc)
            .ok()
            .flatten()
            .and_then(|bytes| regie_core::stored::load_appended(&bytes).ok())
            .map(|(doc, _)| doc);
        if let Some(stored) = on_disk.filter(|d: &Automerge| !d.get_heads().is_empty()) {
            let effects = self.repo.insert(doc, stored);
            self.apply(effects);
        }
    }

    /// Writes the audit trail's entries for changes a peer delivered. A
    /// trail that cannot be written is logged loudly; sync goes on.
    fn audited(&mut self, conn: ConnId, doc: DocumentId, changes: &[ChangeHash]) {
        let link = self.repo.access_of(conn).and_then(|a| a.link);
        let at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        if let Err(error) = self.audit.record(at, link, doc, changes) {
            tracing::error!(%doc, %error, "could not write the audit trail");
        }
    }

    /// Carries out effects in order; replies released by a write join the
    /// end of the queue.
    fn apply(&mut self, effects: Vec<Effect>) {
        let mut queue = VecDeque::from(effects);
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Send { conn, frame } => self.push(conn, frame),
                Effect::Close { conn, reason } => self.close(conn, CLOSE_POLICY, reason),
                Effect::Persist { doc, id } => queue.extend(self.persist(doc, id)),
                Effect::Connected { conn, peer } => {
                    tracing::info!(conn = conn.0, peer = %LogSafe(&peer.0), "peer joined");
                }
                Effect::Delivered { conn, doc, changes } => self.audited(conn, doc, &changes),
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
    use regie_core::ledger::{MAX_APPENDED_CHUNKS, MIN_APPENDED_BEFORE_SNAPSHOT};

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
        let effects = engine.repo.create(id, doc);
        engine.apply(effects);
        assert!(!engine.repo.is_persisting(&id), "written at once");
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
        let to_rewrite = (MIN_APPENDED_BEFORE_SNAPSHOT / per_change).min(MAX_APPENDED_CHUNKS) + 2;
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
    fn after_a_restart_changes_are_appended_to_the_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let (mut engine, id) = engine_with_document(dir.path());
        edit(&mut engine, id, 1);
        drop(engine);
        let before = file_of(dir.path(), &id);

        let mut engine = self::engine(dir.path());
        edit(&mut engine, id, 2);
        let after = file_of(dir.path(), &id);
        assert!(after.starts_with(&before), "appended, not rewritten");
        assert_eq!(regie_core::stored::split_chunks(&after).0.len(), 3);
        assert_eq!(
            Automerge::load(&after).unwrap().get_heads(),
            engine.repo.doc(&id).unwrap().get_heads()
        );
    }

    /// The frames among a client's effects (it stores nothing, so it has
    /// no persists to report here).
    fn sends(effects: Vec<Effect>) -> Vec<Vec<u8>> {
        effects
            .into_iter()
            .filter_map(|e| match e {
                Effect::Send { frame, .. } => Some(frame),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_change_that_cannot_be_stored_is_not_confirmed_and_its_peer_is_closed() {
        let dir = tempfile::tempdir().unwrap();
        let (mut engine, id) = engine_with_document(dir.path());
        let stored = engine.repo.doc(&id).unwrap().get_heads();
        let conn = ConnId(3);
        let (outbox, mut receiver) = outbox();
        engine.outboxes.insert(conn, outbox);
        let effects = engine.repo.connect_with(conn, false, Access::FULL);
        engine.apply(effects);

        // A client with one more change; the file can no longer be written.
        let mut doc = engine.repo.doc(&id).unwrap().clone();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, "wijk", "Ledeberg")
        })
        .unwrap();
        let mut client = Repo::new(PeerId("client".into()), SharePolicy::Announce);
        client.insert(id, doc);
        let path = dir.path().join(format!("{id}.automerge"));
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("blocker"), "x").unwrap();

        let mut to_relay = sends(client.connect_upstream(ConnId(0)));
        let mut closed = None;
        for _ in 0..10 {
            for frame in to_relay.drain(..) {
                engine.receive(conn, &frame);
            }
            while let Ok(out) = receiver.rx.try_recv() {
                match out {
                    Outgoing::Frame(frame) => {
                        to_relay.extend(sends(client.receive(ConnId(0), &frame)));
                    }
                    Outgoing::Close { code, reason } => closed = Some((code, reason)),
                }
            }
        }
        assert_eq!(closed, Some((CLOSE_SERVER_ERROR, NOT_STORED.to_owned())));
        assert_eq!(
            client.unconfirmed_changes(&id),
            1,
            "the change the relay could not store is not confirmed"
        );
        assert!(
            engine.repo.doc(&id).is_none_or(|d| d.get_heads() == stored),
            "memory does not run ahead of the disk"
        );
        assert!(!engine.repo.is_persisting(&id));
    }

    #[test]
    fn the_seeded_documents_are_stored_once() {
        let dir = tempfile::tempdir().unwrap();
        let engine = self::engine(dir.path());
        let seeds = regie_core::seeds::seeded();
        let files: Vec<Vec<u8>> = seeds.iter().map(|s| file_of(dir.path(), &s.id)).collect();
        for seed in &seeds {
            assert!(regie_core::seeds::holds_seed(
                engine.repo.doc(&seed.id).unwrap(),
                seed
            ));
        }
        drop(engine);
        let _again = self::engine(dir.path());
        let again: Vec<Vec<u8>> = seeds.iter().map(|s| file_of(dir.path(), &s.id)).collect();
        assert_eq!(files, again, "a restart does not seed again");
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
