//! The workspace: every local document, kept in the core's sync engine
//! ([`regie_core::Repo`]), stored in IndexedDB and synced with the relay.
//!
//! This is the one place where the core's effects are carried out: frames go
//! to the socket, documents to IndexedDB, changes to the UI's signals. The
//! UI gets a small `Copy` handle and reads documents through it.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::Arc;

use automerge::{Automerge, ChangeHash, ReadDoc as _};
use leptos::prelude::*;
use leptos::task::spawn_local;
use regie_core::author::{Author, Stamp};
use regie_core::conflicts::Conflict;
use regie_core::directory::{self, Directory};
use regie_core::plan::{self, Plan, PlanError};
use regie_core::register::{self, Register};
use regie_core::{ConnId, DocumentId, Effect, PeerId, Repo, SharePolicy, backoff};

use super::access::{self, AccessError};
use super::identity::{self, Identity};
use super::socket::{Socket, SocketEvents};
use super::store::DocStore;
use super::tabs::{TabEvent, TabLink};
use regie_core::presence::{self, Presence, PresenceInfo};

mod backup;
mod history;

/// Connections to other tabs are numbered from here, apart from the relay's.
const FIRST_TAB_CONN: u64 = 1 << 40;

/// Whether this device can reach the relay right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// Trying to reach the relay.
    Connecting,
    /// Connected: edits reach others as they are made.
    Online,
    /// Not connected: edits are kept here and sent later.
    Offline,
    /// The relay refused this browser's share link (or it has none).
    NoAccess,
}

impl SyncStatus {
    /// Machine name, for CSS and tests.
    pub fn slug(self) -> &'static str {
        match self {
            SyncStatus::Connecting => "connecting",
            SyncStatus::Online => "online",
            SyncStatus::Offline => "offline",
            SyncStatus::NoAccess => "no-access",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            SyncStatus::Connecting => "Verbinden…",
            SyncStatus::Online => "Online",
            SyncStatus::Offline => "Offline",
            SyncStatus::NoAccess => "Geen toegang",
        }
    }
}

/// What a document page can show.
#[derive(Debug, Clone, PartialEq)]
pub enum DocState<T> {
    /// Local storage is still being read, or the relay has not answered yet.
    Loading,
    /// The document, read.
    Ready(T),
    /// Neither this device nor the relay has it.
    NotFound,
    /// Not on this device, and the relay cannot be reached to ask.
    NotOnDevice,
    /// Not on this device, and this browser's link gives no access.
    NoAccess,
    /// The document exists but is not what this page can read.
    Unreadable(String),
}

/// What a plan page can show (the plan is shared: a big plan is costly to
/// copy on every keystroke).
pub type PlanState = DocState<Arc<Plan>>;

struct Engine {
    repo: RefCell<Repo>,
    store: RefCell<Option<DocStore>>,
    socket: RefCell<Option<Socket>>,
    conn: Cell<Option<ConnId>>,
    next_conn: Cell<u64>,
    failed_attempts: Cell<u32>,
    tabs: RefCell<Option<TabLink>>,
    /// Connection of each other tab, and back.
    tab_conns: RefCell<BTreeMap<ConnId, String>>,
    tab_ids: RefCell<BTreeMap<String, ConnId>>,
    next_tab_conn: Cell<u64>,
    /// What is in IndexedDB for each document, so a save appends only the
    /// changes made since.
    saved: RefCell<BTreeMap<DocumentId, Saved>>,
    /// Plans as last read, with the heads they were read at: reading a big
    /// plan costs tens of milliseconds, so it is done once per change, and
    /// not at all after typing (see [`Workspace::edit_text`]).
    read_plans: RefCell<BTreeMap<DocumentId, ReadAt<Arc<Plan>>>>,
    /// The directory as last read, likewise.
    read_directory: RefCell<Option<ReadAt<Directory>>>,
    /// Concurrent values found per document, with the heads they were
    /// found at: finding them walks the whole document, which must not
    /// happen on every keystroke (see [`Workspace::change`]).
    read_conflicts: RefCell<BTreeMap<DocumentId, ReadAt<Vec<Conflict>>>>,
}

/// A value read from a document, with the heads it was read at.
type ReadAt<T> = (Vec<automerge::ChangeHash>, T);

/// A document's state in IndexedDB.
#[derive(Default)]
struct Saved {
    /// Heads of what is stored (empty: nothing known to be stored).
    heads: Vec<automerge::ChangeHash>,
    /// Chunks appended since the last snapshot.
    chunks: usize,
}

/// After this many appended chunks a document is compacted into one
/// snapshot (about one keystroke in this many pays for a full save).
const COMPACT_AFTER: usize = 64;

/// The UI's handle on the workspace; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Workspace {
    status: RwSignal<SyncStatus>,
    /// Bumped whenever any document changes; views re-read on it.
    revision: RwSignal<u64>,
    /// True once local storage has been read.
    ready: RwSignal<bool>,
    unavailable: RwSignal<BTreeSet<DocumentId>>,
    storage_error: RwSignal<Option<String>>,
    /// Writes to IndexedDB started and not finished: what the page shows is
    /// on this device only when this is zero.
    unsaved_writes: RwSignal<u32>,
    /// Bumped when the relay confirms more; the pending count re-reads on it.
    confirmations: RwSignal<u64>,
    last_synced: RwSignal<Option<f64>>,
    /// Who is in which document (from other peers' ephemeral messages).
    presence: RwSignal<BTreeMap<DocumentId, Presence>>,
    me: RwSignal<Option<Identity>>,
    /// The document on screen and the item being edited, for presence.
    viewing: RwSignal<Option<(DocumentId, Option<String>)>>,
    /// Whether this browser's link allows editing (`None`: not known yet).
    write: RwSignal<Option<bool>>,
    token: StoredValue<Option<String>>,
    engine: StoredValue<Rc<Engine>, LocalStorage>,
}

impl Workspace {
    /// Creates the workspace, starts reading local storage and then connects.
    pub fn start() -> Self {
        let peer = PeerId(format!(
            "regie-{}",
            DocumentId::from_random_bytes(super::random_bytes())
        ));
        let engine = Rc::new(Engine {
            repo: RefCell::new(Repo::new(peer, SharePolicy::Announce)),
            store: RefCell::new(None),
            socket: RefCell::new(None),
            conn: Cell::new(None),
            next_conn: Cell::new(0),
            failed_attempts: Cell::new(0),
            tabs: RefCell::new(None),
            tab_conns: RefCell::new(BTreeMap::new()),
            tab_ids: RefCell::new(BTreeMap::new()),
            next_tab_conn: Cell::new(FIRST_TAB_CONN),
            saved: RefCell::new(BTreeMap::new()),
            read_plans: RefCell::new(BTreeMap::new()),
            read_directory: RefCell::new(None),
            read_conflicts: RefCell::new(BTreeMap::new()),
        });
        let ws = Workspace {
            status: RwSignal::new(SyncStatus::Connecting),
            revision: RwSignal::new(0),
            ready: RwSignal::new(false),
            unavailable: RwSignal::new(BTreeSet::new()),
            storage_error: RwSignal::new(None),
            unsaved_writes: RwSignal::new(0),
            confirmations: RwSignal::new(0),
            presence: RwSignal::new(BTreeMap::new()),
            me: RwSignal::new(identity::load()),
            viewing: RwSignal::new(None),
            last_synced: RwSignal::new(None),
            write: RwSignal::new(access::stored_write()),
            token: StoredValue::new(access::token()),
            engine: StoredValue::new_local(engine),
        };
        spawn_local(async move {
            ws.load_local().await;
            ws.link_tabs();
            ws.follow_network();
            ws.connect();
            ws.keep_presence();
        });
        ws
    }

    fn engine(&self) -> Rc<Engine> {
        self.engine.get_value()
    }

    async fn load_local(self) {
        super::mark("regie:store-open");
        match DocStore::open_app().await {
            Ok(store) => {
                if let Err(e) = self.load_documents(&store).await {
                    self.storage_error.set(Some(e.to_string()));
                }
                super::mark("regie:documents-loaded");
                *self.engine().store.borrow_mut() = Some(store);
                // Stores the seeded documents if this device had none yet.
                for (id, _, _) in seeded_documents() {
                    self.persist(id);
                }
                self.fetch_listed_plans();
            }
            Err(e) => self.storage_error.set(Some(e.to_string())),
        }
        self.ready.set(true);
        self.revision.update(|r| *r += 1);
    }

    async fn load_documents(self, store: &DocStore) -> Result<(), super::store::StoreError> {
        let (docs, confirmed) = store.load_everything().await?;
        let engine = self.engine();
        let mut repo = engine.repo.borrow_mut();
        for (id, bytes, chunks) in docs {
            // A damaged chunk: keep every change before it that reads.
            match regie_core::stored::load_appended(&bytes) {
                Ok((doc, _)) => {
                    let heads = doc.get_heads();
                    engine
                        .saved
                        .borrow_mut()
                        .insert(id, Saved { heads, chunks });
                    repo.insert(id, doc);
                }
                Err(e) => leptos::logging::warn!("skipping damaged document {id}: {e}"),
            }
        }
        // Every device seeds the same directory and register. A stored copy
        // that holds the seed's change needs nothing: building a seed costs
        // a noticeable part of a start on a slow device.
        for (id, hash, seed) in seeded_documents() {
            let seeded = hash.parse::<ChangeHash>().ok().is_some_and(|hash| {
                repo.doc(&id)
                    .is_some_and(|doc| doc.get_change_by_hash(&hash).is_some())
            });
            if !seeded {
                repo.insert(id, seed());
            }
        }
        for (id, heads) in confirmed {
            repo.restore_confirmed(id, heads);
        }
        Ok(())
    }

    /// The connection status, for the sync indicator.
    pub fn status(&self) -> SyncStatus {
        self.status.get()
    }

    /// A storage problem to show, if any.
    pub fn storage_error(&self) -> Option<String> {
        self.storage_error.get()
    }

    /// Repeats this person's presence and forgets silent peers.
    fn keep_presence(self) {
        gloo_timers::callback::Interval::new(presence::HEARTBEAT_MS as u32, move || {
            self.announce()
        })
        .forget();
        gloo_timers::callback::Interval::new(5_000, move || {
            let now = js_sys::Date::now();
            let expired = self
                .presence
                .with_untracked(|all| all.values().any(|p| p.clone().expire(now)));
            if expired {
                self.presence.update(|all| {
                    for p in all.values_mut() {
                        p.expire(now);
                    }
                });
            }
        })
        .forget();
    }

    /// Tells the peers of the open document who is here and what they edit.
    fn announce(self) {
        let (Some(me), Some((doc, editing))) =
            (self.me.get_untracked(), self.viewing.get_untracked())
        else {
            return;
        };
        let data = me.presence(editing).encode();
        let effects = self
            .engine()
            .repo
            .borrow_mut()
            .broadcast_ephemeral(doc, data);
        self.apply(effects);
    }

    /// The person at this browser, if they said who they are.
    pub fn me(&self) -> Option<Identity> {
        self.me.get()
    }

    /// Remembers who is at this browser and tells the open document.
    pub fn set_me(&self, me: Identity) {
        identity::save(&me);
        self.me.set(Some(me));
        self.announce();
    }

    /// The document now on screen (or none).
    pub fn set_viewing(&self, doc: Option<DocumentId>) {
        self.viewing.set(doc.map(|d| (d, None)));
        self.announce();
    }

    /// The item this person is editing in the open document.
    pub fn set_editing(&self, item: Option<String>) {
        let changed = self.viewing.try_update(|v| {
            if let Some((_, editing)) = v
                && *editing != item
            {
                *editing = item;
                return true;
            }
            false
        });
        if changed == Some(true) {
            self.announce();
        }
    }

    /// The other people in a document.
    pub fn present(&self, doc: DocumentId) -> Vec<PresenceInfo> {
        self.presence.with(|all| {
            let mut people: Vec<PresenceInfo> = all
                .get(&doc)
                .map(|p| p.present().map(|(_, info)| info.clone()).collect())
                .unwrap_or_default();
            // The same person in two tabs is one person.
            people.sort_by(|a, b| (&a.name, &a.organisation).cmp(&(&b.name, &b.organisation)));
            people.dedup_by(|a, b| a.name == b.name && a.organisation == b.organisation);
            people
        })
    }

    /// Others editing an item of a document.
    pub fn editing_item(&self, doc: DocumentId, item: &str) -> Vec<PresenceInfo> {
        self.presence.with(|all| {
            all.get(&doc)
                .map(|p| p.editing(item).cloned().collect())
                .unwrap_or_default()
        })
    }

    /// Reacts to the browser's own view of the network at once, rather than
    /// waiting for a dead socket to time out or a backoff timer to fire.
    fn follow_network(self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let offline = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(conn) = self.engine().conn.get() {
                self.connection_lost(conn);
            }
        });
        let online = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            let engine = self.engine();
            engine.failed_attempts.set(0);
            if engine.conn.get().is_none() || self.status.get_untracked() != SyncStatus::Online {
                self.connect();
            }
        });
        use wasm_bindgen::JsCast as _;
        let _ =
            window.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        // The listeners live as long as the page.
        offline.forget();
        online.forget();
    }

    /// Starts syncing with the other tabs of this browser.
    fn link_tabs(self) {
        let me = self.engine().repo.borrow().peer_id().0.clone();
        let link = TabLink::open(me, move |event| self.on_tab_event(event));
        *self.engine().tabs.borrow_mut() = link;
    }

    fn on_tab_event(self, event: TabEvent) {
        let engine = self.engine();
        let effects = match event {
            TabEvent::Opened { tab, initiator } => {
                let conn = ConnId(engine.next_tab_conn.get());
                engine.next_tab_conn.set(conn.0 + 1);
                engine.tab_conns.borrow_mut().insert(conn, tab.clone());
                engine.tab_ids.borrow_mut().insert(tab, conn);
                engine.repo.borrow_mut().connect(conn, initiator)
            }
            TabEvent::Frame { tab, frame } => {
                let Some(conn) = engine.tab_ids.borrow().get(&tab).copied() else {
                    return;
                };
                engine.repo.borrow_mut().receive(conn, &frame)
            }
            TabEvent::Closed { tab } => {
                // Bound first: the borrow must end before forget_tab borrows again.
                let conn = engine.tab_ids.borrow().get(&tab).copied();
                if let Some(conn) = conn {
                    self.forget_tab(conn);
                }
                return;
            }
        };
        self.apply(effects);
    }

    fn forget_tab(self, conn: ConnId) {
        let engine = self.engine();
        if let Some(tab) = engine.tab_conns.borrow_mut().remove(&conn) {
            engine.tab_ids.borrow_mut().remove(&tab);
        }
        engine.repo.borrow_mut().disconnect(conn);
    }

    /// The share-link token this browser uses, if any.
    pub fn token(&self) -> Option<String> {
        self.token.get_value()
    }

    /// The link that gives edit access to the page shown (a plan, a ronde
    /// tafel, a campaign), if this browser has one.
    pub fn edit_link(&self) -> Option<String> {
        if self.write.get() != Some(true) {
            return None;
        }
        let token = self.token()?;
        Some(access::page_link(&token))
    }

    /// Asks the relay for a read-only link to a plan.
    pub async fn create_read_link(&self, id: DocumentId) -> Result<String, String> {
        let token = self.token().ok_or("Deze browser heeft geen deellink.")?;
        access::create_read_link(&token, id).await
    }

    /// Whether edits are allowed (unknown counts as yes: local-first).
    pub fn can_write(&self) -> bool {
        self.write.get() != Some(false)
    }

    /// Checks the token with the relay, then opens the sync connection.
    fn connect(self) {
        let engine = self.engine();
        if let Some(old) = engine.socket.borrow_mut().take() {
            old.close();
        }
        let conn = ConnId(engine.next_conn.get());
        engine.next_conn.set(conn.0 + 1);
        engine.conn.set(Some(conn));
        let Some(token) = self.token() else {
            engine.conn.set(None);
            self.status.set(SyncStatus::NoAccess);
            return;
        };
        spawn_local(async move {
            match access::check(&token).await {
                Ok(info) => {
                    self.write.set(Some(info.write));
                    if self.engine().conn.get() == Some(conn) {
                        self.open_socket(conn, &token);
                    }
                }
                Err(AccessError::Refused) => {
                    self.engine().conn.set(None);
                    self.status.set(SyncStatus::NoAccess);
                }
                Err(AccessError::Unreachable) => self.connection_lost(conn),
            }
        });
    }

    fn open_socket(self, conn: ConnId, token: &str) {
        let events = SocketEvents {
            on_open: Box::new(move || {
                let effects = self.engine().repo.borrow_mut().connect_upstream(conn);
                self.apply(effects);
            }),
            on_frame: Box::new(move |frame| {
                let effects = self.engine().repo.borrow_mut().receive(conn, &frame);
                self.apply(effects);
            }),
            on_close: Box::new(move || self.connection_lost(conn)),
        };
        match Socket::open(&access::sync_url(token), events) {
            Ok(socket) => *self.engine().socket.borrow_mut() = Some(socket),
            Err(e) => {
                leptos::logging::warn!("cannot open a WebSocket: {e}");
                self.connection_lost(conn);
            }
        }
    }

    fn connection_lost(self, conn: ConnId) {
        let engine = self.engine();
        if engine.conn.get() != Some(conn) {
            return;
        }
        engine.conn.set(None);
        engine.repo.borrow_mut().disconnect(conn);
        if let Some(socket) = engine.socket.borrow_mut().take() {
            socket.close();
        }
        self.status.set(SyncStatus::Offline);
        let attempt = engine.failed_attempts.get();
        engine.failed_attempts.set(attempt.saturating_add(1));
        let delay = backoff::delay_ms(attempt, js_sys::Math::random());
        gloo_timers::callback::Timeout::new(delay, move || {
            // Someone (the browser's "online" event) may have reconnected already.
            if self.engine().conn.get().is_none() {
                self.connect();
            }
        })
        .forget();
    }

    /// Carries out the core's effects, in order.
    fn apply(self, effects: Vec<Effect>) {
        let engine = self.engine();
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } if conn.0 >= FIRST_TAB_CONN => {
                    let tab = engine.tab_conns.borrow().get(&conn).cloned();
                    let sent = tab.is_some_and(|tab| {
                        engine
                            .tabs
                            .borrow()
                            .as_ref()
                            .is_some_and(|t| t.send(&tab, &frame))
                    });
                    if !sent {
                        self.forget_tab(conn);
                    }
                }
                Effect::Close { conn, .. } if conn.0 >= FIRST_TAB_CONN => self.forget_tab(conn),
                Effect::Send { conn, frame } => {
                    let sent = engine.conn.get() == Some(conn)
                        && engine
                            .socket
                            .borrow()
                            .as_ref()
                            .is_some_and(|s| s.send(&frame));
                    if !sent {
                        // The sync state now believes the frame went out; only a
                        // fresh connection (fresh state) is safe from here.
                        self.connection_lost(conn);
                    }
                }
                Effect::Close { conn, reason } => {
                    leptos::logging::warn!("relay connection closed: {reason}");
                    self.connection_lost(conn);
                }
                Effect::Persist { doc } => self.persist(doc),
                Effect::DocChanged { doc } => {
                    self.unavailable.update(|u| {
                        u.remove(&doc);
                    });
                    self.revision.update(|r| *r += 1);
                    if doc == register::register_id() {
                        self.fetch_listed_plans();
                    }
                }
                Effect::DocUnavailable { doc } => self.unavailable.update(|u| {
                    u.insert(doc);
                }),
                Effect::Connected { conn, .. } => {
                    if conn.0 < FIRST_TAB_CONN {
                        engine.failed_attempts.set(0);
                        self.status.set(SyncStatus::Online);
                    }
                    self.announce();
                }
                Effect::Confirmed { doc } => self.remember_confirmed(doc),
                Effect::Ephemeral { doc, from, data } => {
                    if let Some(info) = PresenceInfo::decode(&data) {
                        let now = js_sys::Date::now();
                        let newcomer = self.presence.with_untracked(|all| {
                            all.get(&doc)
                                .is_none_or(|p| p.present().all(|(peer, _)| *peer != from))
                        });
                        self.presence
                            .update(|all| all.entry(doc).or_default().heard(from, info, now));
                        // Answer a newcomer at once rather than at our next heartbeat.
                        if newcomer {
                            self.announce();
                        }
                    }
                }
            }
        }
    }

    /// Stores what changed in a document: its new changes as a chunk, or
    /// (the first time, and every [`COMPACT_AFTER`] chunks) a snapshot.
    fn persist(self, doc: DocumentId) {
        let engine = self.engine();
        let Some(store) = engine.store.borrow().clone() else {
            return;
        };
        let repo = engine.repo.borrow();
        let Some(current) = repo.doc(&doc) else {
            return;
        };
        let mut saved = engine.saved.borrow_mut();
        let entry = saved.entry(doc).or_default();
        let heads = current.get_heads();
        if entry.heads == heads {
            return;
        }
        let write = if entry.heads.is_empty() || entry.chunks >= COMPACT_AFTER {
            entry.chunks = 0;
            Write::Snapshot(Box::new(current.clone()))
        } else {
            entry.chunks += 1;
            Write::Chunk(current.save_after(&entry.heads))
        };
        entry.heads = heads;
        self.unsaved_writes.update(|n| *n += 1);
        spawn_local(async move {
            let outcome = match &write {
                Write::Snapshot(snapshot) => store.save(&doc, snapshot).await,
                Write::Chunk(changes) => {
                    let unique = format!("{:013}-{}", js_sys::Date::now() as u64, new_item_id());
                    store.append(&doc, changes, &unique).await
                }
            };
            match outcome {
                // A write that works again (space was freed) ends the warning.
                Ok(()) => {
                    if self.storage_error.with_untracked(Option::is_some) {
                        self.storage_error.set(None);
                    }
                }
                Err(e) => {
                    // Write a full snapshot next time, whatever got lost now.
                    if let Some(entry) = self.engine().saved.borrow_mut().get_mut(&doc) {
                        entry.heads.clear();
                    }
                    self.storage_error.set(Some(e.to_string()));
                }
            }
            self.unsaved_writes.update(|n| *n -= 1);
        });
    }

    /// Writes to this device's storage still under way.
    pub fn unsaved_writes(&self) -> u32 {
        self.unsaved_writes.get()
    }

    fn remember_confirmed(self, doc: DocumentId) {
        let engine = self.engine();
        self.last_synced.set(Some(js_sys::Date::now()));
        self.confirmations.update(|n| *n += 1);
        let Some(heads) = engine
            .repo
            .borrow()
            .confirmed_heads(&doc)
            .map(<[_]>::to_vec)
        else {
            return;
        };
        let Some(store) = engine.store.borrow().clone() else {
            return;
        };
        spawn_local(async move {
            if let Err(e) = store.save_confirmed(&doc, &heads).await {
                leptos::logging::warn!("could not remember what the relay confirmed: {e}");
            }
        });
    }

    /// Local changes the relay has not confirmed yet, over all documents.
    pub fn unconfirmed_changes(&self) -> usize {
        self.revision.track();
        self.confirmations.track();
        let engine = self.engine();
        let repo = engine.repo.borrow();
        let ids: Vec<DocumentId> = repo.doc_ids().copied().collect();
        // A document the relay refused to share (outside this link's scope)
        // has nothing to wait for.
        self.unavailable.with(|unavailable| {
            ids.iter()
                .filter(|id| !unavailable.contains(id))
                .map(|id| repo.unconfirmed_changes(id))
                .sum()
        })
    }

    /// When the relay last confirmed anything (ms since the epoch).
    pub fn last_synced(&self) -> Option<f64> {
        self.last_synced.get()
    }

    /// Every plan on this device, with its id (re-read when anything changes).
    pub fn plans(&self) -> Vec<(DocumentId, Arc<Plan>)> {
        self.revision.track();
        let engine = self.engine();
        let repo = engine.repo.borrow();
        let ids: Vec<DocumentId> = repo.doc_ids().copied().collect();
        ids.into_iter()
            .filter_map(|id| {
                let doc = repo.doc(&id)?;
                (!plan::is_empty(doc)).then_some(())?;
                Some((id, engine.read_plan(id, doc).ok()?))
            })
            .collect()
    }

    /// Makes sure a document is here or being fetched. Tracks readiness, so
    /// an effect calling this runs again once local storage has been read.
    pub fn open(&self, id: DocumentId) {
        if !self.ready.get() {
            return;
        }
        let effects = self.engine().repo.borrow_mut().want(id);
        self.apply(effects);
    }

    /// What to show for a plan (re-read when anything changes).
    pub fn plan(&self, id: DocumentId) -> PlanState {
        let engine = self.engine();
        self.document(id, |doc| engine.read_plan(id, doc))
    }

    /// What to show for any document, read with `read` (re-read when
    /// anything changes).
    pub fn document<T>(
        &self,
        id: DocumentId,
        read: impl FnOnce(&Automerge) -> Result<T, PlanError>,
    ) -> DocState<T> {
        self.revision.track();
        if !self.ready.get() {
            return DocState::Loading;
        }
        let engine = self.engine();
        let repo = engine.repo.borrow();
        match repo.doc(&id) {
            Some(doc) if !plan::is_empty(doc) => match read(doc) {
                Ok(value) => DocState::Ready(value),
                Err(e) => DocState::Unreadable(e.to_string()),
            },
            _ if self.unavailable.with(|u| u.contains(&id)) => DocState::NotFound,
            _ if self.status.get() == SyncStatus::Offline => DocState::NotOnDevice,
            _ if self.status.get() == SyncStatus::NoAccess => DocState::NoAccess,
            _ => DocState::Loading,
        }
    }

    /// Creates a plan for a wijk, lists it in the register (so other
    /// devices fetch it too) and returns its id.
    pub fn create_plan(&self, wijk: &str) -> DocumentId {
        let id = self.create_document(|stamp| plan::new_plan_document(wijk, stamp));
        let listed = self.change(register::register_id(), |doc, stamp| {
            register::edit_register(doc, stamp, |r| {
                r.add_plan(&id, wijk);
                Ok(())
            })
        });
        if let Err(e) = listed {
            leptos::logging::warn!("plan not listed in the register: {e}");
        }
        id
    }

    /// Asks for every plan the register lists that this device lacks.
    fn fetch_listed_plans(self) {
        let ids = {
            let engine = self.engine();
            let repo = engine.repo.borrow();
            let Some(listed) = repo
                .doc(&register::register_id())
                .and_then(|doc| register::read_register(doc).ok())
            else {
                return;
            };
            listed
                .plan_ids()
                .into_iter()
                .filter(|id| repo.doc(id).is_none())
                .collect::<Vec<_>>()
        };
        for id in ids {
            let effects = self.engine().repo.borrow_mut().want(id);
            self.apply(effects);
        }
    }

    /// Stores a new document (a plan, a table, a campaign) and returns its id.
    pub fn create_document(&self, make: impl FnOnce(&Stamp) -> Automerge) -> DocumentId {
        let doc = make(&stamp());
        let id = DocumentId::from_random_bytes(super::random_bytes());
        let effects = {
            let engine = self.engine();
            let mut repo = engine.repo.borrow_mut();
            let mut effects = repo.insert(id, doc);
            effects.insert(0, Effect::Persist { doc: id });
            effects
        };
        self.apply(effects);
        self.revision.update(|r| *r += 1);
        id
    }

    /// Edits a plan. Invalid edits change nothing and say why.
    pub fn edit_plan(
        &self,
        id: DocumentId,
        edit: impl FnOnce(&mut Plan) -> Result<(), PlanError>,
    ) -> Result<(), PlanError> {
        self.change(id, |doc, stamp| plan::edit_plan(doc, stamp, edit))
    }
}

impl Workspace {
    /// The workspace directory (re-read when anything changes).
    pub fn directory(&self) -> Option<Directory> {
        self.revision.track();
        let engine = self.engine();
        let repo = engine.repo.borrow();
        let doc = repo.doc(&directory::directory_id())?;
        let heads = doc.get_heads();
        let mut cache = engine.read_directory.borrow_mut();
        if let Some((read_at, directory)) = cache.as_ref()
            && *read_at == heads
        {
            return Some(directory.clone());
        }
        let directory = directory::read_directory(doc).ok()?;
        *cache = Some((heads, directory.clone()));
        Some(directory)
    }

    /// Edits the directory. Invalid edits change nothing and say why.
    pub fn edit_directory(
        &self,
        edit: impl FnOnce(&mut Directory) -> Result<(), PlanError>,
    ) -> Result<(), PlanError> {
        self.change(directory::directory_id(), |doc, stamp| {
            directory::edit_directory(doc, stamp, edit)
        })
    }

    /// Types into a long text of a plan. The plan as read is patched with
    /// the same text instead of being read again, which keeps a keystroke
    /// cheap in a big plan.
    pub fn edit_text(
        &self,
        id: DocumentId,
        field: plan::TextField<'_>,
        value: &str,
    ) -> Result<(), PlanError> {
        let engine = self.engine();
        let before = engine.repo.borrow().doc(&id).map(Automerge::get_heads);
        self.change(id, |doc, stamp| {
            plan::edit_text(doc, stamp, field, value)?;
            let mut cache = engine.read_plans.borrow_mut();
            if let Some((read_at, plan)) = cache.get_mut(&id)
                && before.as_ref() == Some(read_at)
            {
                if Arc::make_mut(plan).set_text(field, value).is_ok() {
                    *read_at = doc.get_heads();
                } else {
                    cache.remove(&id);
                }
            }
            Ok(())
        })
    }

    /// Changes any document; invalid edits change nothing and say why. The
    /// edit stamps its change with the given author and time.
    pub fn edit_document(
        &self,
        id: DocumentId,
        edit: impl FnOnce(&mut Automerge, &Stamp) -> Result<(), PlanError>,
    ) -> Result<(), PlanError> {
        self.change(id, edit)
    }

    /// The register of knelpunten (re-read when anything changes).
    pub fn register(&self) -> Option<Register> {
        self.revision.track();
        let engine = self.engine();
        let repo = engine.repo.borrow();
        repo.doc(&register::register_id())
            .and_then(|doc| register::read_register(doc).ok())
    }

    /// Runs a change on a document and carries out what follows from it.
    fn change(
        &self,
        id: DocumentId,
        edit: impl FnOnce(&mut Automerge, &Stamp) -> Result<(), PlanError>,
    ) -> Result<(), PlanError> {
        if !self.can_write() {
            return Err(PlanError::ReadOnly);
        }
        let stamp = stamp();
        let engine = self.engine();
        let outcome = engine.repo.borrow_mut().change(id, |doc| {
            let before = doc.get_heads();
            let result = edit(doc, &stamp);
            // A local change overwrites every value it touches, so it can end
            // a conflict but never start one: "none" stays true without
            // walking the document again.
            if let Some((found_at, found)) = engine.read_conflicts.borrow_mut().get_mut(&id)
                && found.is_empty()
                && *found_at == before
            {
                *found_at = doc.get_heads();
            }
            result
        });
        let Some((result, effects)) = outcome else {
            return Err(PlanError::NotFound);
        };
        self.apply(effects);
        self.revision.update(|r| *r += 1);
        result
    }
}

impl Engine {
    /// A plan, read again only if the document changed since the last read.
    fn read_plan(&self, id: DocumentId, doc: &Automerge) -> Result<Arc<Plan>, PlanError> {
        let heads = doc.get_heads();
        let mut cache = self.read_plans.borrow_mut();
        if let Some((read_at, plan)) = cache.get(&id)
            && *read_at == heads
        {
            return Ok(Arc::clone(plan));
        }
        super::mark("regie:plan-read-start");
        let plan = Arc::new(plan::read_plan(doc)?);
        super::mark("regie:plan-read-end");
        cache.insert(id, (heads, Arc::clone(&plan)));
        Ok(plan)
    }
}

/// Author and time for a change made now on this browser.
fn stamp() -> Stamp {
    let author = identity::load().map(|me| Author {
        person: identity::person_id(),
        name: me.name,
        organisation: me.organisation,
        colour: me.colour,
    });
    Stamp::new(author, super::now_ms().div_euclid(1000))
}

/// The documents with a fixed id that every device seeds identically.
/// A seeded document: its id, the hash of the seed's change, and how to
/// build it.
type Seeded = (DocumentId, &'static str, fn() -> Automerge);

/// The seeded documents.
fn seeded_documents() -> [Seeded; 2] {
    [
        (
            directory::directory_id(),
            directory::SEED_HASH,
            directory::seed_document,
        ),
        (
            register::register_id(),
            register::SEED_HASH,
            register::seed_document,
        ),
    ]
}

/// What [`Workspace::persist`] writes.
enum Write {
    Snapshot(Box<Automerge>),
    Chunk(Vec<u8>),
}

/// A new random id for an item in a document.
pub fn new_item_id() -> String {
    uuid::Builder::from_random_bytes(super::random_bytes())
        .into_uuid()
        .simple()
        .to_string()
}
