//! The workspace: every local document, kept in the core's sync engine
//! ([`regie_core::Repo`]), stored in IndexedDB and synced over links (the
//! relay, the other tabs). The UI gets a small `Copy` handle, [`Workspace`],
//! and reads and edits documents through it.
//!
//! Each job has its own module, all on the same handle:
//! - [`documents`]: reading any kind (cached by heads, tracked per
//!   document) and stamped edits;
//! - [`effects`]: carrying out what the engine returns, in order;
//! - [`storage`]: loading on start, writing as the ledger says, reporting
//!   writes as durable, what the relay confirmed;
//! - [`listing`]: making plans (one per wijk), tafels and campagnes, listing
//!   them in the register and fetching what it lists;
//! - [`relay`]: the relay link, its access check and reconnect policy;
//! - [`tabs`]: links to the other tabs of this browser;
//! - [`direct`], [`pairing`], [`nearby`]: direct links to other devices
//!   (WebRTC), pairing in person by code, what they show;
//! - [`sharing`]: links for others within this link's scope;
//! - [`rights`]: what this link may do with each document (its scope),
//!   a revoked link, "Wis van dit toestel";
//! - [`presence`]: who is here and what they edit;
//! - [`history`], [`backup`]: a document's history, exports and backups.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use regie_core::author::{Author, Stamp};
use regie_core::ledger::Ledger;
use regie_core::presence::Presence;
use regie_core::reconnect::Reconnect;
use regie_core::{DocumentId, PeerId, Repo, SharePolicy};

use super::access;
use super::identity::{self, Identity};
use super::links::Links;
use super::links::broadcast::TabLink;
use super::store::{DocStore, StoreError};

mod backup;
mod direct;
mod documents;
mod effects;
mod history;
mod listing;
mod nearby;
mod pairing;
mod presence;
mod relay;
mod rights;
mod sharing;
mod storage;
mod tabs;

pub use documents::{DocState, PlanState};
pub use pairing::Taken;
pub use relay::SyncStatus;

/// What the workspace holds outside the reactive system.
struct Engine {
    repo: RefCell<Repo>,
    store: RefCell<Option<DocStore>>,
    /// What is in IndexedDB for each document, so a write appends only the
    /// changes made since (or compacts, when the ledger says so).
    ledger: RefCell<Ledger>,
    links: RefCell<Links>,
    /// When to try the relay again.
    reconnect: RefCell<Reconnect>,
    tabs: RefCell<Option<Rc<TabLink>>>,
    direct: RefCell<direct::Direct>,
    reads: RefCell<documents::Reads>,
}

/// The UI's handle on the workspace; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Workspace {
    status: RwSignal<SyncStatus>,
    /// True once local storage has been read.
    ready: RwSignal<bool>,
    unavailable: RwSignal<BTreeSet<DocumentId>>,
    storage_error: RwSignal<Option<StoreError>>,
    /// Writes to IndexedDB started and not finished: what the page shows is
    /// on this device only when this is zero.
    unsaved_writes: RwSignal<u32>,
    /// Bumped on every change of any document and every confirmation: the
    /// "not yet synced" count re-counts on it (no document is read again).
    changes: RwSignal<u64>,
    last_synced: RwSignal<Option<f64>>,
    /// Who is in which document (from other peers' ephemeral messages).
    presence: RwSignal<BTreeMap<DocumentId, Presence>>,
    me: RwSignal<Option<Identity>>,
    /// The document on screen and the item being edited, for presence.
    viewing: RwSignal<Option<(DocumentId, Option<String>)>>,
    /// Whether this browser's link allows editing (`None`: not known yet).
    write: RwSignal<Option<bool>>,
    /// What the link allows, as last checked (scope, link id).
    link_access: RwSignal<regie_core::Access>,
    /// The relay refused a link that used to work.
    revoked: RwSignal<bool>,
    /// Devices linked directly (their handshake done).
    direct: RwSignal<BTreeSet<PeerId>>,
    /// Of those, how many hold every change the server has not confirmed.
    held_nearby: RwSignal<usize>,
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
            ledger: RefCell::new(Ledger::default()),
            links: RefCell::new(Links::default()),
            reconnect: RefCell::new(Reconnect::default()),
            tabs: RefCell::new(None),
            direct: RefCell::new(direct::Direct::default()),
            reads: RefCell::new(documents::Reads::default()),
        });
        let ws = Workspace {
            status: RwSignal::new(SyncStatus::Connecting),
            ready: RwSignal::new(false),
            unavailable: RwSignal::new(BTreeSet::new()),
            storage_error: RwSignal::new(None),
            unsaved_writes: RwSignal::new(0),
            changes: RwSignal::new(0),
            presence: RwSignal::new(BTreeMap::new()),
            me: RwSignal::new(identity::load()),
            viewing: RwSignal::new(None),
            last_synced: RwSignal::new(None),
            write: RwSignal::new(access::stored_write()),
            link_access: RwSignal::new(access::stored_access()),
            revoked: RwSignal::new(access::was_revoked()),
            direct: RwSignal::new(BTreeSet::new()),
            held_nearby: RwSignal::new(0),
            token: StoredValue::new(access::token()),
            engine: StoredValue::new_local(engine),
        };
        documents::expose_read_counts(ws);
        spawn_local(async move {
            ws.load_local().await;
            ws.link_tabs();
            ws.start_direct();
            ws.follow_network();
            ws.want_relay();
            ws.keep_presence();
        });
        ws
    }

    fn engine(&self) -> Rc<Engine> {
        self.engine.get_value()
    }

    /// The connection status, for the sync indicator.
    pub fn status(&self) -> SyncStatus {
        self.status.get()
    }

    /// A storage problem to show, if any.
    pub fn storage_error(&self) -> Option<StoreError> {
        self.storage_error.get()
    }

    /// Writes to this device's storage still under way.
    pub fn unsaved_writes(&self) -> u32 {
        self.unsaved_writes.get()
    }

    /// When the relay last confirmed anything (ms since the epoch).
    pub fn last_synced(&self) -> Option<f64> {
        self.last_synced.get()
    }

    /// Whether edits are allowed (unknown counts as yes: local-first).
    pub fn can_write(&self) -> bool {
        self.write.get() != Some(false)
    }
}

/// Author and time for a change made now on this browser.
fn stamp() -> Stamp {
    let author = identity::load().map(|me| Author {
        person: identity::person_id(),
        name: me.name,
        // A link made for an organisation speaks for that one.
        organisation: access::stored_organisation().unwrap_or(me.organisation),
        colour: me.colour,
    });
    Stamp::new(author, super::now_ms().div_euclid(1000))
}

/// A new random id for an item in a document.
pub fn new_item_id() -> String {
    uuid::Builder::from_random_bytes(super::random_bytes())
        .into_uuid()
        .simple()
        .to_string()
}
