//! The sans-IO sync engine, shared by the browser app and the relay.
//!
//! A [`Repo`] holds Automerge documents and the connections to other peers.
//! The caller feeds it events (a connection opened, a frame arrived, the user
//! changed a document) and carries out the [`Effect`]s it returns: send a
//! frame, close a connection, persist a document, re-render a view. It never
//! touches a socket, a disk or a clock itself.
//!
//! Who gets which document is decided by the [`SharePolicy`]: a client
//! *announces* every document it holds to the relay; the relay only syncs a
//! document with the peers that asked for it, so nobody learns of documents
//! they have no link to.
//!
//! # Persist before acknowledge
//!
//! Every change that reaches a document (made here, received from a peer,
//! merged in) comes out as an [`Effect::Persist`] with a fresh
//! [`PersistId`]. Until the shell reports that write with
//! [`Repo::persisted`], the engine holds back every sync message (`sync`
//! and `request` frames) it makes for that document, to any connection:
//! such a message tells the peer which heads we have, and a relay must
//! never say it has a change its disk does not hold yet. A held frame waits
//! for every persist of its document that was issued before it was made,
//! and frames of one document leave in the order they were made; a persist
//! issued later does not hold back a frame made earlier, so a stream of
//! changes (someone typing) cannot starve the sync of the ones already
//! written. Everything else (join and peer, errors, `doc-unavailable`,
//! ephemeral messages) is never held: it says nothing about what is stored.
//!
//! The invariant is the engine's, whatever order or thread the shell writes
//! on. A write that fails is reported with [`Repo::persist_failed`]: the
//! held frames are dropped and the document leaves memory with every sync
//! state for it, so nothing in memory runs ahead of storage; the shell
//! closes the connections returned and loads the document again from what
//! it stored. Nothing deadlocks as long as every persist is eventually
//! reported one way or the other (the app reports a failed IndexedDB write
//! as persisted: on a device whose storage fails, getting the change to the
//! relay is the only way to keep it).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use automerge::sync::{self, SyncDoc as _};
use automerge::{Automerge, ChangeHash, ReadDoc as _};

use crate::DocumentId;
pub use crate::access::Access;
use crate::direct::signal::{self, Signal};
use crate::protocol::{DocMessage, Message, PROTOCOL_VERSION, PeerId, PeerMetadata};
use crate::scope::{DocScope, Right, signals_only, signatures};

/// Documents one connection may take part in at once. The app announces
/// every document it holds (a workspace has a few hundred); past this a
/// peer is only making the relay hold sync states.
pub const MAX_DOCS_PER_CONN: usize = 10_000;
/// Largest ephemeral payload passed on (presence is well under 1 KiB).
pub const MAX_EPHEMERAL_BYTES: usize = 16 * 1024;
/// Ephemeral messages per second one connection may have passed on; more
/// are dropped (presence sends one every few seconds at most).
pub const MAX_EPHEMERAL_PER_SECOND: u32 = 20;
/// Signals remembered to drop repeats (a mesh of a room's devices sends a
/// few per device and minute).
const SEEN_SIGNALS: usize = 512;

/// A connection, numbered by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConnId(pub u64);

/// Which documents a repo offers on its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharePolicy {
    /// Sync every document held with every peer (a client towards its relay).
    Announce,
    /// Sync a document only with peers that asked for it (the relay).
    OnRequest,
}

/// One write the engine asked for ([`Effect::Persist`]), numbered by the
/// engine; the shell reports it back when it is durable (or failed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersistId(pub u64);

/// What the caller must do after an event, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send one binary frame on a connection.
    Send {
        /// Where to.
        conn: ConnId,
        /// The encoded [`Message`].
        frame: Vec<u8>,
    },
    /// Close a connection (after sending what came before).
    Close {
        /// Which one.
        conn: ConnId,
        /// Why, for the logs.
        reason: String,
    },
    /// A document changed: store it durably, then report
    /// [`Repo::persisted`] (or [`Repo::persist_failed`]) with `id`. Until
    /// then every sync message for the document is held back.
    Persist {
        /// Which document.
        doc: DocumentId,
        /// What to report when the write is done.
        id: PersistId,
    },
    /// A document changed because of a peer: show the new state.
    DocChanged {
        /// Which document.
        doc: DocumentId,
    },
    /// A document we asked for exists nowhere we can reach.
    DocUnavailable {
        /// Which document.
        doc: DocumentId,
    },
    /// The handshake on a connection completed.
    Connected {
        /// Which connection.
        conn: ConnId,
        /// The peer on the other side.
        peer: PeerId,
    },
    /// A peer confirmed having more of a document (see
    /// [`Repo::unconfirmed_changes`]); worth remembering across restarts.
    Confirmed {
        /// Which document.
        doc: DocumentId,
    },
    /// Changes from the peer on `conn` reached a document (a relay only:
    /// its audit trail says which link delivered which change).
    Delivered {
        /// Whose peer sent them.
        conn: ConnId,
        /// Which document.
        doc: DocumentId,
        /// The new changes' hashes.
        changes: Vec<ChangeHash>,
    },
    /// An ephemeral message for this peer (presence and the like).
    Ephemeral {
        /// About which document.
        doc: DocumentId,
        /// From whom.
        from: PeerId,
        /// The payload.
        data: Vec<u8>,
    },
}

#[derive(Debug)]
struct Conn {
    /// Whether we opened it (and so send `join`).
    initiator: bool,
    /// What the peer may do.
    access: Access,
    /// The relay: only its confirmations count as "stored elsewhere".
    upstream: bool,
    /// The peer on the other side, once the handshake is done.
    remote: Option<PeerId>,
    /// Per document this connection takes part in: its sync state.
    docs: BTreeMap<DocumentId, sync::State>,
    /// Ephemeral messages passed on in the current second: (second, count).
    ephemeral_window: (u64, u32),
    /// The organisation the peer's link was made for: its changes sign
    /// campagnes for that organisation only.
    organisation: Option<String>,
}

/// A sync frame held back until the persists before it are durable.
#[derive(Debug)]
struct Held {
    conn: ConnId,
    frame: Vec<u8>,
    /// The last persist of its document issued when it was made: it may go
    /// once no persist up to this one is outstanding.
    after: PersistId,
}

/// An ephemeral message being passed on: everything but its target.
#[derive(Debug)]
struct Forward {
    sender_id: PeerId,
    document_id: DocumentId,
    count: u64,
    session_id: String,
    data: Vec<u8>,
}

impl Forward {
    /// The frame for the next hop.
    fn to(&self, target: PeerId) -> Vec<u8> {
        Message::Ephemeral {
            sender_id: self.sender_id.clone(),
            target_id: target,
            document_id: self.document_id,
            count: self.count,
            session_id: self.session_id.clone(),
            data: self.data.clone(),
        }
        .encode()
    }
}

/// The sync state a new connection starts from. Towards the relay it
/// resumes from the heads the relay last confirmed (what automerge persists
/// of a sync state), so a reconnect sends only what changed since; any other
/// connection starts from nothing, which is always safe.
///
/// Towards a peer that may only read, the state is Automerge's read-only
/// one: nothing the peer sends is applied, and the flag it carries tells
/// the peer not to offer changes at all. That matters on direct links: a
/// reader in a mesh holds changes it got from other writers, and must not
/// be refused (and cut off) for passing them on.
fn resumed_state(
    upstream: bool,
    may_write: bool,
    confirmed: Option<&Vec<ChangeHash>>,
) -> sync::State {
    let mut state = if may_write {
        sync::State::new()
    } else {
        sync::State::new_read_only()
    };
    if upstream && let Some(heads) = confirmed {
        state.shared_heads = heads.clone();
    }
    state
}

/// Whether the changes in a sync message parse. Automerge's own loading
/// ignores damaged data; a peer that sends it is misbehaving and is told so.
fn changes_are_well_formed(message: &sync::Message) -> bool {
    if message.changes.is_empty() {
        return true;
    }
    let joined: Vec<u8> = message.changes.iter().flatten().copied().collect();
    let strict = automerge::LoadOptions::new()
        .on_partial_load(automerge::OnPartialLoad::Error)
        .verification_mode(automerge::VerificationMode::DontCheck);
    // Loading alone misses the document's earlier changes; that is fine,
    // only data that does not parse is refused.
    matches!(
        Automerge::load_with_options(&joined, strict),
        Ok(_) | Err(automerge::AutomergeError::MissingDeps)
    )
}

/// Documents and connections; see the module docs.
#[derive(Debug)]
pub struct Repo {
    me: PeerId,
    policy: SharePolicy,
    docs: BTreeMap<DocumentId, Automerge>,
    /// Documents asked for that have not arrived yet.
    wanted: BTreeSet<DocumentId>,
    /// Per document, the heads the relay (an upstream connection) last
    /// confirmed sharing with us.
    confirmed: BTreeMap<DocumentId, Vec<ChangeHash>>,
    conns: BTreeMap<ConnId, Conn>,
    /// Sequence number of our ephemeral messages.
    ephemeral_count: u64,
    /// Signals recently handled (sender, session, count), so one that
    /// arrives again by another path of the mesh is neither used nor passed
    /// on twice.
    seen_signals: VecDeque<(PeerId, String, u64)>,
    /// The next [`PersistId`] to hand out.
    next_persist: u64,
    /// Persists issued and not yet reported, with their document.
    persisting: BTreeMap<PersistId, DocumentId>,
    /// Per document with an outstanding persist: the sync frames held back,
    /// in the order they were made.
    held: BTreeMap<DocumentId, VecDeque<Held>>,
}

impl Repo {
    /// An empty repo for peer `me`.
    pub fn new(me: PeerId, policy: SharePolicy) -> Self {
        Self {
            me,
            policy,
            docs: BTreeMap::new(),
            wanted: BTreeSet::new(),
            confirmed: BTreeMap::new(),
            conns: BTreeMap::new(),
            ephemeral_count: 0,
            seen_signals: VecDeque::new(),
            next_persist: 0,
            persisting: BTreeMap::new(),
            held: BTreeMap::new(),
        }
    }

    /// This peer's id.
    pub fn peer_id(&self) -> &PeerId {
        &self.me
    }

    /// A document, if held (it may be empty while it is still wanted).
    pub fn doc(&self, id: &DocumentId) -> Option<&Automerge> {
        self.docs.get(id)
    }

    /// Ids of all documents held.
    pub fn doc_ids(&self) -> impl Iterator<Item = &DocumentId> {
        self.docs.keys()
    }

    /// The document's full saved form, for storage.
    pub fn save(&self, id: &DocumentId) -> Option<Vec<u8>> {
        self.docs.get(id).map(Automerge::save)
    }

    /// How many of a document's changes no peer has confirmed having yet:
    /// the changes that would be lost if this device were lost now.
    pub fn unconfirmed_changes(&self, id: &DocumentId) -> usize {
        let Some(doc) = self.docs.get(id) else {
            return 0;
        };
        let confirmed = self.confirmed.get(id).map_or(&[][..], Vec::as_slice);
        doc.get_changes(confirmed).len()
    }

    /// The heads a peer last confirmed for a document (to store).
    pub fn confirmed_heads(&self, id: &DocumentId) -> Option<&[ChangeHash]> {
        self.confirmed.get(id).map(Vec::as_slice)
    }

    /// Restores confirmed heads remembered from an earlier session. Heads
    /// this repo does not know are ignored.
    pub fn restore_confirmed(&mut self, id: DocumentId, heads: Vec<ChangeHash>) {
        let Some(doc) = self.docs.get(&id) else {
            return;
        };
        let known: Vec<ChangeHash> = heads
            .into_iter()
            .filter(|h| doc.get_change_by_hash(h).is_some())
            .collect();
        self.confirmed.insert(id, known);
    }

    /// Whether a connection has completed its handshake.
    pub fn is_connected(&self, conn: ConnId) -> bool {
        self.conns.get(&conn).is_some_and(|c| c.remote.is_some())
    }

    /// Says which organisation the link of the peer on `conn` was made for
    /// (the relay knows it from the token): its changes may then sign
    /// campagnes for that organisation only (`crate::scope::signatures`).
    pub fn set_organisation(&mut self, conn: ConnId, organisation: Option<String>) {
        if let Some(c) = self.conns.get_mut(&conn) {
            c.organisation = organisation;
        }
    }

    /// What the peer on a connection may do, while it is open.
    pub fn access_of(&self, conn: ConnId) -> Option<Access> {
        self.conns.get(&conn).map(|c| c.access)
    }

    /// The documents held here that `access` may have (at most `limit`).
    pub fn covered(&self, access: &Access, limit: usize) -> Vec<DocumentId> {
        self.docs
            .iter()
            .filter(|(id, doc)| {
                !doc.get_heads().is_empty()
                    && access.right(id, DocScope::of(id, doc)) != Right::Nothing
            })
            .map(|(id, _)| *id)
            .take(limit)
            .collect()
    }

    /// Adds a document (loaded from storage or just created). If a version is
    /// already held the two are merged.
    pub fn insert(&mut self, id: DocumentId, mut doc: Automerge) -> Vec<Effect> {
        let mut effects = Vec::new();
        match self.docs.get_mut(&id) {
            Some(existing) => {
                let before = existing.get_heads();
                if existing.merge(&mut doc).is_ok() && existing.get_heads() != before {
                    effects.push(self.persist(id));
                    effects.push(Effect::DocChanged { doc: id });
                }
            }
            None => {
                self.docs.insert(id, doc);
            }
        }
        self.offer(id, &mut effects);
        effects
    }

    /// Offers a document just added to the peers that get it.
    fn offer(&mut self, id: DocumentId, effects: &mut Vec<Effect>) {
        if !self.docs[&id].get_heads().is_empty() {
            self.wanted.remove(&id);
        }
        self.sync_everywhere(id, None, effects);
    }

    /// Adds a document made here that is not stored yet (a new plan, a seed
    /// this device lacked): as [`Repo::insert`], and it is persisted like
    /// any change, so its sync waits for the write.
    pub fn create(&mut self, id: DocumentId, doc: Automerge) -> Vec<Effect> {
        if self.docs.contains_key(&id) {
            // Already held: merging it in is a change like any other.
            return self.insert(id, doc);
        }
        let changed = !doc.get_heads().is_empty();
        self.docs.insert(id, doc);
        let mut effects = Vec::new();
        if changed {
            effects.push(self.persist(id));
        }
        self.offer(id, &mut effects);
        effects
    }

    /// Asks connected peers for a document this peer does not have.
    pub fn want(&mut self, id: DocumentId) -> Vec<Effect> {
        if self
            .docs
            .get(&id)
            .is_some_and(|d| !d.get_heads().is_empty())
        {
            return Vec::new();
        }
        self.wanted.insert(id);
        self.docs.entry(id).or_default();
        let mut effects = Vec::new();
        let ready: Vec<ConnId> = self.ready_conns().collect();
        for conn in ready {
            self.sync_doc(conn, id, &mut effects);
        }
        effects
    }

    /// Changes a document locally. `edit` returns whatever it likes; if the
    /// document's heads moved, the change is persisted and sent.
    pub fn change<R>(
        &mut self,
        id: DocumentId,
        edit: impl FnOnce(&mut Automerge) -> R,
    ) -> Option<(R, Vec<Effect>)> {
        let doc = self.docs.get_mut(&id)?;
        let before = doc.get_heads();
        let result = edit(doc);
        let mut effects = Vec::new();
        if doc.get_heads() != before {
            self.wanted.remove(&id);
            effects.push(self.persist(id));
            self.sync_everywhere(id, None, &mut effects);
        }
        Some((result, effects))
    }

    /// Sends an ephemeral message about a document (e.g. presence) to every
    /// connected peer that takes part in it; it is passed on, never stored.
    pub fn broadcast_ephemeral(&mut self, id: DocumentId, data: Vec<u8>) -> Vec<Effect> {
        self.ephemeral_count += 1;
        let mut effects = Vec::new();
        for (conn, c) in &self.conns {
            let Some(remote) = c.remote.clone() else {
                continue;
            };
            if self.policy == SharePolicy::OnRequest && !c.docs.contains_key(&id) {
                continue;
            }
            let message = Message::Ephemeral {
                sender_id: self.me.clone(),
                target_id: remote,
                document_id: id,
                count: self.ephemeral_count,
                session_id: self.me.0.clone(),
                data: data.clone(),
            };
            effects.push(Effect::Send {
                conn: *conn,
                frame: message.encode(),
            });
        }
        effects
    }

    /// Sends a signal for direct links about document `id`: to the one
    /// connection whose peer it names, if there is one, otherwise on every
    /// connection (the relay and linked devices pass it on).
    pub fn signal(&mut self, id: DocumentId, signal: &Signal) -> Vec<Effect> {
        let direct = signal.to.as_ref().and_then(|to| {
            self.conns
                .iter()
                .find(|(_, c)| c.remote.as_ref() == Some(to))
                .map(|(conn, _)| *conn)
        });
        let mut effects = self.broadcast_ephemeral(id, signal.encode());
        if let Some(direct) = direct {
            effects.retain(|e| matches!(e, Effect::Send { conn, .. } if *conn == direct));
        }
        effects
    }

    /// Connections other than the relay whose peer, by its last sync
    /// message, holds every change of a document we have.
    pub fn held_by(&self, id: &DocumentId) -> Vec<ConnId> {
        let Some(doc) = self.docs.get(id) else {
            return Vec::new();
        };
        let heads = doc.get_heads();
        self.conns
            .iter()
            .filter(|(_, c)| !c.upstream)
            .filter(|(_, c)| {
                c.docs.get(id).is_some_and(|state| {
                    let theirs = state.their_heads.as_deref().unwrap_or_default();
                    heads
                        .iter()
                        .all(|h| theirs.contains(h) || state.shared_heads.contains(h))
                })
            })
            .map(|(conn, _)| *conn)
            .collect()
    }

    /// A connection opened, with full access. The side that opened it
    /// introduces itself.
    pub fn connect(&mut self, conn: ConnId, initiator: bool) -> Vec<Effect> {
        self.connect_with(conn, initiator, Access::FULL)
    }

    /// This peer opened a connection to its relay (for a relay: to the relay
    /// it forwards to). Every document is offered on it, and what the other
    /// side confirms having is tracked (see [`Repo::unconfirmed_changes`]).
    pub fn connect_upstream(&mut self, conn: ConnId) -> Vec<Effect> {
        self.open(conn, true, Access::FULL, true)
    }

    /// A connection opened whose peer has `access`.
    pub fn connect_with(&mut self, conn: ConnId, initiator: bool, access: Access) -> Vec<Effect> {
        self.open(conn, initiator, access, false)
    }

    fn open(
        &mut self,
        conn: ConnId,
        initiator: bool,
        access: Access,
        upstream: bool,
    ) -> Vec<Effect> {
        self.conns.insert(
            conn,
            Conn {
                initiator,
                access,
                upstream,
                remote: None,
                docs: BTreeMap::new(),
                ephemeral_window: (0, 0),
                organisation: None,
            },
        );
        if !initiator {
            return Vec::new();
        }
        let join = Message::Join {
            sender_id: self.me.clone(),
            supported_protocol_versions: vec![PROTOCOL_VERSION.to_owned()],
            peer_metadata: PeerMetadata::default(),
        };
        vec![Effect::Send {
            conn,
            frame: join.encode(),
        }]
    }

    /// A connection closed. Its sync states are dropped: a new connection
    /// starts from what the relay confirmed (upstream) or from nothing. So
    /// are the frames held for it: they were made from those sync states.
    pub fn disconnect(&mut self, conn: ConnId) {
        self.conns.remove(&conn);
        for frames in self.held.values_mut() {
            frames.retain(|h| h.conn != conn);
        }
    }

    /// Whether a write of this document is outstanding (its sync is held).
    pub fn is_persisting(&self, id: &DocumentId) -> bool {
        self.persisting.values().any(|doc| doc == id)
    }

    /// For a peer that keeps nothing (a test client, a load generator):
    /// reports every `Persist` among `effects` as durable at once, and
    /// returns the effects with what each report released right after it.
    pub fn durable_at_once(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            let released = match effect {
                Effect::Persist { id, .. } => self.persisted(id),
                _ => Vec::new(),
            };
            out.push(effect);
            out.extend(self.durable_at_once(released));
        }
        out
    }

    /// The shell reports that the write `id` asked for is durable. Returns
    /// the sync frames of its document that no longer wait for anything, in
    /// the order they were made. Unknown and stale ids are ignored.
    pub fn persisted(&mut self, id: PersistId) -> Vec<Effect> {
        let Some(doc) = self.persisting.remove(&id) else {
            return Vec::new();
        };
        let oldest = self.oldest_persist(&doc);
        let Some(frames) = self.held.get_mut(&doc) else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        while let Some(first) = frames.front() {
            if oldest.is_some_and(|oldest| first.after >= oldest) {
                break;
            }
            let Held { conn, frame, .. } = frames.pop_front().expect("front checked");
            effects.push(Effect::Send { conn, frame });
        }
        if frames.is_empty() {
            self.held.remove(&doc);
        }
        effects
    }

    /// The shell reports that the write `id` asked for failed. The frames
    /// held for its document are dropped and the document leaves memory with
    /// every sync state for it (as [`Repo::remove`]); the connections that
    /// took part in it are returned, for the shell to close before it loads
    /// the document again from what it stored. Unknown and stale ids
    /// (another write of the document failed first) are ignored.
    pub fn persist_failed(&mut self, id: PersistId) -> Vec<ConnId> {
        match self.persisting.get(&id) {
            Some(doc) => {
                let doc = *doc;
                self.remove(&doc)
            }
            None => Vec::new(),
        }
    }

    /// Hands out the next persist of a document.
    fn persist(&mut self, doc: DocumentId) -> Effect {
        let id = PersistId(self.next_persist);
        self.next_persist += 1;
        self.persisting.insert(id, doc);
        Effect::Persist { doc, id }
    }

    fn oldest_persist(&self, doc: &DocumentId) -> Option<PersistId> {
        self.persisting
            .iter()
            .find(|(_, d)| *d == doc)
            .map(|(id, _)| *id)
    }

    fn newest_persist(&self, doc: &DocumentId) -> Option<PersistId> {
        self.persisting
            .iter()
            .rev()
            .find(|(_, d)| *d == doc)
            .map(|(id, _)| *id)
    }

    /// Sends a sync frame (sync or request) for a document, or holds it back
    /// while a persist of that document is outstanding (see the module docs).
    fn send_sync(
        &mut self,
        conn: ConnId,
        doc: DocumentId,
        frame: Vec<u8>,
        effects: &mut Vec<Effect>,
    ) {
        match self.newest_persist(&doc) {
            Some(after) => self
                .held
                .entry(doc)
                .or_default()
                .push_back(Held { conn, frame, after }),
            None => effects.push(Effect::Send { conn, frame }),
        }
    }

    /// Removes a document from memory, with every connection's sync state
    /// for it, and returns the connections that took part in it. The relay
    /// does this when a change could not be stored: what it holds in memory
    /// must never run ahead of what it has stored, or a later reply would
    /// confirm the change.
    pub fn remove(&mut self, id: &DocumentId) -> Vec<ConnId> {
        self.docs.remove(id);
        self.wanted.remove(id);
        // Frames made from the dropped sync states go with them, and writes
        // still outstanding for the old document no longer matter.
        self.held.remove(id);
        self.persisting.retain(|_, doc| doc != id);
        self.conns
            .iter_mut()
            .filter_map(|(conn, c)| c.docs.remove(id).map(|_| *conn))
            .collect()
    }

    /// A frame arrived on a connection.
    pub fn receive(&mut self, conn: ConnId, frame: &[u8]) -> Vec<Effect> {
        self.receive_frame(conn, frame, None)
    }

    /// A frame arrived at `now_ms` (milliseconds on any steady clock): as
    /// [`Repo::receive`], and ephemeral messages beyond
    /// [`MAX_EPHEMERAL_PER_SECOND`] per connection are dropped. The relay
    /// uses this; a client, which passes nothing on, has no need to.
    pub fn receive_at(&mut self, conn: ConnId, frame: &[u8], now_ms: u64) -> Vec<Effect> {
        self.receive_frame(conn, frame, Some(now_ms))
    }

    fn receive_frame(&mut self, conn: ConnId, frame: &[u8], now_ms: Option<u64>) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !self.conns.contains_key(&conn) {
            return effects;
        }
        match Message::decode(frame) {
            Ok(Some(Message::Ephemeral { .. }))
                if now_ms.is_some_and(|now| !self.ephemeral_allowed(conn, now)) => {}
            Ok(Some(message)) => self.handle(conn, message, &mut effects),
            Ok(None) => {}
            Err(error) => self.fail(conn, error.to_string(), &mut effects),
        }
        effects
    }

    /// Counts an ephemeral message against its connection's rate.
    fn ephemeral_allowed(&mut self, conn: ConnId, now_ms: u64) -> bool {
        let Some(c) = self.conns.get_mut(&conn) else {
            return false;
        };
        let second = now_ms / 1000;
        if c.ephemeral_window.0 != second {
            c.ephemeral_window = (second, 0);
        }
        c.ephemeral_window.1 += 1;
        c.ephemeral_window.1 <= MAX_EPHEMERAL_PER_SECOND
    }

    fn handle(&mut self, conn: ConnId, message: Message, effects: &mut Vec<Effect>) {
        let (initiator, remote) = {
            let c = &self.conns[&conn];
            (c.initiator, c.remote.clone())
        };
        match message {
            Message::Join {
                sender_id,
                supported_protocol_versions,
                ..
            } => {
                if remote.as_ref() == Some(&sender_id) {
                    return; // a repeated join: already answered
                }
                if initiator || remote.is_some() {
                    return self.fail(conn, "unexpected join".into(), effects);
                }
                if !supported_protocol_versions
                    .iter()
                    .any(|v| v == PROTOCOL_VERSION)
                {
                    return self.fail(conn, "unsupported protocol version".into(), effects);
                }
                let peer = Message::Peer {
                    sender_id: self.me.clone(),
                    selected_protocol_version: PROTOCOL_VERSION.to_owned(),
                    target_id: sender_id.clone(),
                    peer_metadata: PeerMetadata::default(),
                };
                effects.push(Effect::Send {
                    conn,
                    frame: peer.encode(),
                });
                self.handshake_done(conn, sender_id, effects);
            }
            Message::Peer { sender_id, .. } => {
                if remote.as_ref() == Some(&sender_id) {
                    return; // a repeated answer to our join
                }
                if !initiator || remote.is_some() {
                    return self.fail(conn, "unexpected peer message".into(), effects);
                }
                self.handshake_done(conn, sender_id, effects);
            }
            Message::Error { message } => effects.push(Effect::Close {
                conn,
                reason: format!("peer reported: {message}"),
            }),
            _ if remote.is_none() => self.fail(conn, "join first".into(), effects),
            Message::Request(m) => self.handle_sync(conn, m, true, effects),
            Message::Sync(m) => self.handle_sync(conn, m, false, effects),
            Message::DocUnavailable { document_id, .. } => {
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.docs.remove(&document_id);
                }
                if self.wanted.contains(&document_id) {
                    effects.push(Effect::DocUnavailable { doc: document_id });
                }
            }
            Message::Ephemeral { document_id, .. } if !self.may_hear(conn, &document_id) => {}
            Message::Ephemeral { data, .. } if data.len() > MAX_EPHEMERAL_BYTES => self.fail(
                conn,
                format!("ephemeral message over {MAX_EPHEMERAL_BYTES} bytes"),
                effects,
            ),
            Message::Ephemeral {
                sender_id,
                document_id,
                count,
                session_id,
                data,
                ..
            } => {
                // A relay passes messages on under the sender the connection
                // introduced itself as, so no peer can speak for another.
                // (From an upstream relay, messages of many peers arrive.)
                let sender_id = match remote {
                    Some(remote)
                        if self.policy == SharePolicy::OnRequest && !self.conns[&conn].upstream =>
                    {
                        remote
                    }
                    _ => sender_id,
                };
                // A signal's access is lowered to this connection's before
                // anyone uses or hears it.
                let Some(data) = signal::vouched(data, self.conns[&conn].access) else {
                    return;
                };
                let message = Forward {
                    sender_id,
                    document_id,
                    count,
                    session_id,
                    data,
                };
                match Signal::decode(&message.data) {
                    Some(signal) => self.handle_signal(conn, signal, message, effects),
                    None => {
                        effects.push(Effect::Ephemeral {
                            doc: document_id,
                            from: message.sender_id.clone(),
                            data: message.data.clone(),
                        });
                        if self.policy == SharePolicy::OnRequest {
                            self.forward_ephemeral(conn, None, &message, effects);
                        }
                    }
                }
            }
        }
    }

    /// A signal for direct links: used if it is for us, passed on towards
    /// its peer. A relay passes it on to the peer it names only (an offer's
    /// ICE password is nobody else's business) or, a hello, to the peers of
    /// the document. A device passes it on over its other links (never to
    /// its relay, which would pass it on under the device's own name), one
    /// hop less each time, and drops one it has seen.
    fn handle_signal(
        &mut self,
        conn: ConnId,
        mut signal: Signal,
        mut message: Forward,
        effects: &mut Vec<Effect>,
    ) {
        if self.policy == SharePolicy::OnRequest {
            return self.forward_ephemeral(conn, signal.to.as_ref(), &message, effects);
        }
        let key = (
            message.sender_id.clone(),
            message.session_id.clone(),
            message.count,
        );
        if message.sender_id == self.me || self.seen_signals.contains(&key) {
            return;
        }
        if self.seen_signals.len() == SEEN_SIGNALS {
            self.seen_signals.pop_front();
        }
        self.seen_signals.push_back(key);
        let for_me = signal.to.as_ref().is_none_or(|to| *to == self.me);
        if for_me {
            effects.push(Effect::Ephemeral {
                doc: message.document_id,
                from: message.sender_id.clone(),
                data: message.data.clone(),
            });
        }
        if signal.to.as_ref() == Some(&self.me) || signal.hops == 0 {
            return;
        }
        signal.hops -= 1;
        message.data = signal.encode();
        let towards = signal.to.as_ref().and_then(|to| {
            self.conns
                .iter()
                .find(|(_, c)| c.remote.as_ref() == Some(to))
                .map(|(id, _)| *id)
        });
        for (id, c) in &self.conns {
            let passes = match towards {
                Some(target) => *id == target,
                None => *id != conn && !c.upstream,
            };
            if !passes || !self.may_hear(*id, &message.document_id) {
                continue;
            }
            if let Some(remote) = c.remote.clone() {
                effects.push(Effect::Send {
                    conn: *id,
                    frame: message.to(remote),
                });
            }
        }
    }

    /// Whether every document is offered on a connection: always by an
    /// announcing client, and by anyone towards its upstream (a relay that
    /// forwards to another relay offers it everything it holds).
    fn announces_on(&self, conn: ConnId) -> bool {
        self.policy == SharePolicy::Announce || self.conns.get(&conn).is_some_and(|c| c.upstream)
    }

    fn handshake_done(&mut self, conn: ConnId, peer: PeerId, effects: &mut Vec<Effect>) {
        if let Some(c) = self.conns.get_mut(&conn) {
            c.remote = Some(peer.clone());
        }
        effects.push(Effect::Connected { conn, peer });
        if self.announces_on(conn) {
            let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
            for id in ids {
                self.sync_doc(conn, id, effects);
            }
        }
    }

    fn handle_sync(
        &mut self,
        conn: ConnId,
        m: DocMessage,
        request: bool,
        effects: &mut Vec<Effect>,
    ) {
        let id = m.document_id;
        let access = self.conns[&conn].access;
        let held = self
            .docs
            .get(&id)
            .is_some_and(|d| !d.get_heads().is_empty());
        // A document nobody here holds is placed once it arrives (see
        // `apply_checked`); one that is held is placed now.
        let right = if held {
            self.right(conn, &id)
        } else if access.covers(&id) && access.write {
            Right::Write
        } else if access.covers(&id) {
            Right::Read
        } else {
            Right::Nothing
        };
        if right == Right::Nothing {
            // Answer exactly as for a document that does not exist, so a
            // token reveals nothing about other documents.
            return self.send_unavailable(conn, m.sender_id, id, effects);
        }
        let subscribed = self.conns[&conn].docs.contains_key(&id);
        if !subscribed && self.conns[&conn].docs.len() >= MAX_DOCS_PER_CONN {
            return self.fail(
                conn,
                format!("more than {MAX_DOCS_PER_CONN} documents on one connection"),
                effects,
            );
        }
        if request && !held {
            // Nobody here has it; say so rather than creating an empty
            // document. The asker stays subscribed with a fresh sync state,
            // so if another peer brings the document later it is passed on.
            let fresh = self.new_state(conn, &id);
            if let Some(c) = self.conns.get_mut(&conn) {
                c.docs.insert(id, fresh);
            }
            return self.send_unavailable(conn, m.sender_id, id, effects);
        }
        // Automerge's decoding allocates per declared item: count first.
        if let Err(refused) = crate::untrusted::check_sync_bytes(&m.data) {
            return self.fail(conn, format!("invalid sync message: {refused}"), effects);
        }
        let message = match sync::Message::decode(&m.data) {
            Ok(message) => message,
            Err(e) => return self.fail(conn, format!("invalid sync message: {e}"), effects),
        };
        if right == Right::Read && !message.changes.is_empty() {
            return self.fail(conn, "read-only access: changes refused".into(), effects);
        }
        if let Err(refused) = crate::untrusted::check_sync_message(&message) {
            return self.fail(conn, format!("invalid sync message: {refused}"), effects);
        }
        if !changes_are_well_formed(&message) {
            // Automerge would skip them silently; say so and stop the sender.
            return self.fail(conn, "invalid changes".into(), effects);
        }
        if !self.conns[&conn].docs.contains_key(&id) {
            let state = self.new_state(conn, &id);
            if let Some(c) = self.conns.get_mut(&conn) {
                c.docs.insert(id, state);
            }
        }
        let before = self.docs.get(&id).map(Automerge::get_heads);
        let checked = access.is_scoped() || self.conns[&conn].organisation.is_some();
        let applied = if checked && !message.changes.is_empty() {
            self.apply_checked(conn, id, message)
        } else {
            self.apply(conn, id, message)
        };
        match applied {
            Err(reason) => return self.fail(conn, reason, effects),
            Ok(false) => {
                // Nothing arrived for a document nobody has brought: answer
                // from an empty one, which is then dropped, so the peer
                // learns we have nothing and sends its changes.
                return self.answer_from_empty(conn, id, &Automerge::new(), effects);
            }
            Ok(true) => {}
        }
        let doc = &self.docs[&id];
        if Some(doc.get_heads()) != before {
            if self.policy == SharePolicy::OnRequest {
                let changes = doc
                    .get_changes_meta(before.as_deref().unwrap_or_default())
                    .into_iter()
                    .map(|c| c.hash)
                    .collect();
                effects.push(Effect::Delivered {
                    conn,
                    doc: id,
                    changes,
                });
            }
            self.wanted.remove(&id);
            effects.push(self.persist(id));
            effects.push(Effect::DocChanged { doc: id });
        }
        let upstream = self.conns[&conn].upstream;
        let state = &self.conns[&conn].docs[&id];
        if upstream && self.confirmed.get(&id) != Some(&state.shared_heads) {
            self.confirmed.insert(id, state.shared_heads.clone());
            effects.push(Effect::Confirmed { doc: id });
        }
        self.sync_everywhere(id, Some(conn), effects);
    }

    /// What document `id` is, for access, as held here.
    fn doc_scope(&self, id: &DocumentId) -> DocScope {
        self.docs
            .get(id)
            .map_or(DocScope::Unknown, |doc| DocScope::of(id, doc))
    }

    /// What the peer on `conn` may do with document `id`.
    fn right(&self, conn: ConnId, id: &DocumentId) -> Right {
        self.conns
            .get(&conn)
            .map_or(Right::Nothing, |c| c.access.right(id, self.doc_scope(id)))
    }

    /// Whether ephemeral messages about document `id` pass to and from the
    /// peer on `conn`: only about documents it may have (one not held here
    /// yet, as its access covers it).
    fn may_hear(&self, conn: ConnId, id: &DocumentId) -> bool {
        let held = self.docs.get(id).is_some_and(|d| !d.get_heads().is_empty());
        match self.conns.get(&conn) {
            Some(c) if !held => c.access.covers(id) && !c.access.is_scoped(),
            Some(_) => self.right(conn, id) != Right::Nothing,
            None => false,
        }
    }

    /// The sync state `conn` starts from for document `id`: read-only
    /// unless the peer may change it (once the document is known; before,
    /// as its access says).
    fn new_state(&self, conn: ConnId, id: &DocumentId) -> sync::State {
        let c = &self.conns[&conn];
        let known = self.docs.get(id).is_some_and(|d| !d.get_heads().is_empty());
        let may_write = if known {
            self.right(conn, id) >= Right::SignalsOnly
        } else {
            c.access.write
        };
        resumed_state(c.upstream, may_write, self.confirmed.get(id))
    }

    /// Applies a sync message from a peer whose changes need no check.
    /// `Ok(false)`: the document is still held nowhere here.
    fn apply(
        &mut self,
        conn: ConnId,
        id: DocumentId,
        message: sync::Message,
    ) -> Result<bool, String> {
        let c = self
            .conns
            .get_mut(&conn)
            .expect("connection checked by receive");
        let state = c.docs.get_mut(&id).expect("state made by handle_sync");
        // A document nobody has brought yet is only kept once a peer sends
        // changes for it: a peer that merely names ids must not make the
        // relay hold an empty document per id.
        let mut fresh = None;
        let doc = match self.docs.get_mut(&id) {
            Some(doc) => doc,
            None => fresh.insert(Automerge::new()),
        };
        doc.receive_sync_message(state, message)
            .map_err(|e| format!("invalid changes: {e}"))?;
        if let Some(doc) = fresh {
            if doc.get_heads().is_empty() {
                return Ok(false);
            }
            self.docs.insert(id, doc);
        }
        Ok(true)
    }

    /// Applies a sync message from a scoped peer only if its changes stay
    /// within what the peer may do (see `crate::scope`): tried on a copy,
    /// then only the changes that were checked reach the document (changes
    /// still waiting for their dependencies are checked when they can be
    /// applied). A change that would move a document out of the peer's
    /// scope, make a document the peer may not write, or (signals only)
    /// touch anything but the peer's own signals refuses the whole message.
    fn apply_checked(
        &mut self,
        conn: ConnId,
        id: DocumentId,
        message: sync::Message,
    ) -> Result<bool, String> {
        let access = self.conns[&conn].access;
        let base = self.docs.get(&id);
        let scope_before = base.map(|doc| DocScope::of(&id, doc));
        let heads_before = base.map(Automerge::get_heads).unwrap_or_default();
        let mut trial = base.cloned().unwrap_or_default();
        let mut state = self.conns[&conn].docs[&id].clone();
        trial
            .receive_sync_message(&mut state, message)
            .map_err(|e| format!("invalid changes: {e}"))?;
        let changes = trial.get_changes(&heads_before);
        if !changes.is_empty() {
            let scope_after = DocScope::of(&id, &trial);
            if scope_before.is_some_and(|before| before != scope_after) {
                return Err("a scoped link may not move a document to another scope".into());
            }
            match (access.right(&id, scope_after), base) {
                (Right::Write, _) => {}
                (Right::SignalsOnly, Some(base)) => {
                    let link = access.link.map(|l| l.to_string());
                    signals_only::check(base, &changes, link.as_deref())
                        .map_err(|refused| refused.to_string())?;
                }
                _ => return Err("changes outside this link's scope refused".into()),
            }
            if let (Some(organisation), Some(base)) = (&self.conns[&conn].organisation, base) {
                signatures::check(base, &changes, organisation).map_err(|e| e.to_string())?;
            }
        }
        self.conns
            .get_mut(&conn)
            .expect("connection checked by receive")
            .docs
            .insert(id, state);
        if changes.is_empty() {
            return Ok(self.docs.contains_key(&id));
        }
        self.docs
            .entry(id)
            .or_default()
            .apply_changes(changes)
            .map_err(|e| format!("invalid changes: {e}"))?;
        Ok(true)
    }

    /// Replies on `conn` for a document this peer does not hold, from an
    /// empty document that is not kept (as a request: we have nothing).
    fn answer_from_empty(
        &mut self,
        conn: ConnId,
        id: DocumentId,
        empty: &Automerge,
        effects: &mut Vec<Effect>,
    ) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        let (Some(remote), Some(state)) = (c.remote.clone(), c.docs.get_mut(&id)) else {
            return;
        };
        if let Some(message) = empty.generate_sync_message(state) {
            let body = DocMessage {
                sender_id: self.me.clone(),
                target_id: remote,
                document_id: id,
                data: message.encode(),
            };
            self.send_sync(conn, id, Message::Request(body).encode(), effects);
        }
    }

    fn send_unavailable(
        &self,
        conn: ConnId,
        asker: PeerId,
        id: DocumentId,
        effects: &mut Vec<Effect>,
    ) {
        let unavailable = Message::DocUnavailable {
            sender_id: self.me.clone(),
            target_id: asker,
            document_id: id,
        };
        effects.push(Effect::Send {
            conn,
            frame: unavailable.encode(),
        });
    }

    /// Sends what is pending for a document: on `origin` first (to answer),
    /// then to every other connection that takes part in it.
    fn sync_everywhere(
        &mut self,
        id: DocumentId,
        origin: Option<ConnId>,
        effects: &mut Vec<Effect>,
    ) {
        if let Some(conn) = origin {
            self.sync_doc(conn, id, effects);
        }
        let others: Vec<ConnId> = self
            .ready_conns()
            .filter(|c| Some(*c) != origin)
            .filter(|c| self.announces_on(*c) || self.conns[c].docs.contains_key(&id))
            .collect();
        for conn in others {
            self.sync_doc(conn, id, effects);
        }
    }

    fn ready_conns(&self) -> impl Iterator<Item = ConnId> + '_ {
        self.conns
            .iter()
            .filter(|(_, c)| c.remote.is_some())
            .map(|(id, _)| *id)
    }

    /// Generates the sync messages one connection needs for one document.
    fn sync_doc(&mut self, conn: ConnId, id: DocumentId, effects: &mut Vec<Effect>) {
        // Never a document the peer may not have (a wijk's plan to another
        // wijk's device), whoever asked for it.
        if self.right(conn, &id) == Right::Nothing {
            return;
        }
        let fresh = match self.conns.get(&conn) {
            Some(c) if !c.docs.contains_key(&id) => Some(self.new_state(conn, &id)),
            _ => None,
        };
        let Some(doc) = self.docs.get(&id) else {
            return;
        };
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        let Some(remote) = c.remote.clone() else {
            return;
        };
        let state = c
            .docs
            .entry(id)
            .or_insert_with(|| fresh.expect("made above"));
        // An empty document can only be asked for; automerge-repo calls that a
        // request, so a peer without the document can answer "unavailable".
        let empty = doc.get_heads().is_empty();
        // One message per call: Automerge answers a peer that claims a change
        // we lack with a reset message on every call without moving the
        // state, so looping until `None` would never end (found by fuzzing).
        // The next message goes out when the peer's answer arrives.
        if let Some(message) = doc.generate_sync_message(state) {
            let body = DocMessage {
                sender_id: self.me.clone(),
                target_id: remote.clone(),
                document_id: id,
                data: message.encode(),
            };
            let message = if empty {
                Message::Request(body)
            } else {
                Message::Sync(body)
            };
            self.send_sync(conn, id, message.encode(), effects);
        }
    }

    /// A relay passes an ephemeral message on to the other peers of its
    /// document (only to `to`, when it names one).
    fn forward_ephemeral(
        &self,
        from: ConnId,
        to: Option<&PeerId>,
        message: &Forward,
        effects: &mut Vec<Effect>,
    ) {
        for (conn, c) in &self.conns {
            if *conn == from
                || !c.docs.contains_key(&message.document_id)
                || !self.may_hear(*conn, &message.document_id)
            {
                continue;
            }
            let Some(remote) = c.remote.clone() else {
                continue;
            };
            if to.is_some_and(|to| *to != remote) {
                continue;
            }
            effects.push(Effect::Send {
                conn: *conn,
                frame: message.to(remote),
            });
        }
    }

    /// Reports a protocol error to the peer and closes the connection.
    fn fail(&mut self, conn: ConnId, reason: String, effects: &mut Vec<Effect>) {
        let error = Message::Error {
            message: reason.clone(),
        };
        effects.push(Effect::Send {
            conn,
            frame: error.encode(),
        });
        effects.push(Effect::Close { conn, reason });
        self.disconnect(conn);
    }
}
