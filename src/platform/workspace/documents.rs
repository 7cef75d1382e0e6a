//! Reading and editing documents of any kind ([`DocumentKind`]).
//!
//! A read is cached by the document's heads (reading a big plan costs tens
//! of milliseconds) and tracks only that document: every document has its
//! own trigger, notified when it changes, so a keystroke in a ronde tafel
//! re-runs the views of that table and nothing else. Views that list
//! documents track the list, which changes only when a document appears.
//!
//! Every edit goes through one stamped change ([`Workspace::edit`]).

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

use automerge::{Automerge, ChangeHash};
use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::author::Stamp;
use regie_core::conflicts::Conflict;
use regie_core::kind::{self, DocError, DocumentKind};
use regie_core::plan::{self, Plan};
use regie_core::scope::{Right, signals_only};

use super::{SyncStatus, Workspace, stamp};

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
    /// The document exists but is not of the kind this page reads.
    Unreadable(DocError),
}

impl<T> DocState<T> {
    /// The value, once read.
    pub fn ready(self) -> Option<T> {
        match self {
            DocState::Ready(value) => Some(value),
            _ => None,
        }
    }
}

/// What a plan page can show (the plan is shared: a big plan is costly to
/// copy on every keystroke).
pub type PlanState = DocState<Arc<Plan>>;

/// Values read from documents, and who to tell when a document changes.
#[derive(Default)]
pub(super) struct Reads {
    /// Per document: the value as last read (an `Arc<K>`) and its heads.
    values: BTreeMap<DocumentId, (Vec<ChangeHash>, Box<dyn Any>)>,
    /// Per document: the views that read it.
    triggers: BTreeMap<DocumentId, ArcTrigger>,
    /// The views that list documents.
    listed: ArcTrigger,
    /// Documents known to hold something (so the list changes only when
    /// one appears).
    present: std::collections::BTreeSet<DocumentId>,
    /// Per document: how often a view read it (for the read-count probe).
    runs: BTreeMap<DocumentId, u64>,
    /// Concurrent values found per document, with the heads they were
    /// found at: finding them walks the whole document.
    pub(super) conflicts: BTreeMap<DocumentId, (Vec<ChangeHash>, Vec<Conflict>)>,
}

impl Reads {
    fn trigger(&mut self, id: DocumentId) -> ArcTrigger {
        self.triggers.entry(id).or_default().clone()
    }
}

impl Workspace {
    /// Makes the calling view re-run when document `id` changes.
    pub(super) fn track(&self, id: DocumentId) {
        let trigger = self.engine().reads.borrow_mut().trigger(id);
        trigger.track();
    }

    /// Makes the calling view re-run when a document appears.
    pub(super) fn track_list(&self) {
        let listed = self.engine().reads.borrow().listed.clone();
        listed.track();
    }

    /// Tells the views of document `id` (and, if it is new, the lists).
    pub(super) fn changed(&self, id: DocumentId) {
        let engine = self.engine();
        let (trigger, appeared) = {
            let mut reads = engine.reads.borrow_mut();
            let held = engine
                .repo
                .borrow()
                .doc(&id)
                .is_some_and(|d| !plan::is_empty(d));
            let appeared = held && reads.present.insert(id);
            (
                reads.triggers.get(&id).cloned(),
                appeared.then(|| reads.listed.clone()),
            )
        };
        self.changes.update(|n| *n += 1);
        if let Some(trigger) = trigger {
            trigger.notify();
        }
        if let Some(listed) = appeared {
            listed.notify();
        }
    }

    /// Tells every view: local storage has been read.
    pub(super) fn changed_all(&self) {
        let ids: Vec<DocumentId> = self.engine().repo.borrow().doc_ids().copied().collect();
        for id in ids {
            self.changed(id);
        }
        let listed = self.engine().reads.borrow().listed.clone();
        listed.notify();
    }

    /// What to show for document `id`, read as kind `K` (re-read when it
    /// changes, from the cache when its heads did not move).
    pub fn read<K: DocumentKind>(&self, id: DocumentId) -> DocState<Arc<K>> {
        self.track(id);
        if !self.ready.get() {
            return DocState::Loading;
        }
        let engine = self.engine();
        *engine.reads.borrow_mut().runs.entry(id).or_default() += 1;
        let repo = engine.repo.borrow();
        match repo.doc(&id) {
            Some(doc) if !plan::is_empty(doc) => match self.cached::<K>(id, doc) {
                Ok(value) => DocState::Ready(value),
                Err(e) => DocState::Unreadable(e),
            },
            _ if self.unavailable.with(|u| u.contains(&id)) => DocState::NotFound,
            _ if self.status.get() == SyncStatus::Offline => DocState::NotOnDevice,
            _ if self.status.get() == SyncStatus::NoAccess => DocState::NoAccess,
            _ => DocState::Loading,
        }
    }

    /// The one document of kind `K` (the directory, the register), once
    /// it is here and readable.
    pub fn fixed<K: DocumentKind>(&self) -> Option<Arc<K>> {
        self.read::<K>(K::fixed_id()?).ready()
    }

    /// Edits the one document of kind `K` (the directory, the register).
    pub fn edit_fixed<K: DocumentKind>(
        &self,
        edit: impl FnOnce(&mut K) -> Result<(), DocError>,
    ) -> Result<(), DocError> {
        self.edit::<K>(K::fixed_id().ok_or(DocError::NotFound)?, edit)
    }

    /// A document as kind `K`, read again only if it changed since.
    fn cached<K: DocumentKind>(&self, id: DocumentId, doc: &Automerge) -> Result<Arc<K>, DocError> {
        let heads = doc.get_heads();
        let engine = self.engine();
        if let Some((read_at, value)) = engine.reads.borrow().values.get(&id)
            && *read_at == heads
            && let Some(value) = value.downcast_ref::<Arc<K>>()
        {
            return Ok(Arc::clone(value));
        }
        // Plans are the big documents; their reads are marked for DevTools.
        let big = K::KIND == regie_core::kind::Kind::Plan;
        if big {
            super::super::mark("regie:plan-read-start");
        }
        let value = Arc::new(kind::read::<K>(doc)?);
        if big {
            super::super::mark("regie:plan-read-end");
        }
        let cached: Box<dyn Any> = Box::new(Arc::clone(&value));
        engine.reads.borrow_mut().values.insert(id, (heads, cached));
        Ok(value)
    }

    /// Every document of kind `K` on this device, with its id (re-read when
    /// one of them changes or a document appears).
    pub fn all<K: DocumentKind>(&self) -> Vec<(DocumentId, Arc<K>)> {
        self.track_list();
        let ids: Vec<DocumentId> = {
            let engine = self.engine();
            let repo = engine.repo.borrow();
            // Documents that say they are another kind are skipped untracked,
            // so typing in a ronde tafel does not re-run a list of plans.
            repo.doc_ids()
                .filter(|id| {
                    repo.doc(id)
                        .is_some_and(|doc| kind::is_of_kind::<K>(doc) != Some(false))
                })
                .copied()
                .collect()
        };
        ids.into_iter()
            .filter_map(|id| Some((id, self.read::<K>(id).ready()?)))
            .collect()
    }

    /// How often views read each document since the page opened, as JSON
    /// (`{"<id>": runs}`); see [`expose_read_counts`].
    fn read_counts(&self) -> String {
        let engine = self.engine();
        let reads = engine.reads.borrow();
        let entries: Vec<String> = reads
            .runs
            .iter()
            .map(|(id, runs)| format!("\"{id}\":{runs}"))
            .collect();
        format!("{{{}}}", entries.join(","))
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

    /// Edits a document of kind `K` in one stamped change. Invalid edits
    /// change nothing and say why.
    pub fn edit<K: DocumentKind>(
        &self,
        id: DocumentId,
        edit: impl FnOnce(&mut K) -> Result<(), DocError>,
    ) -> Result<(), DocError> {
        self.change(id, |doc, stamp| kind::edit(doc, stamp, edit))
    }

    /// Types into a long text of a plan. The plan as read is patched with
    /// the same text instead of being read again, which keeps a keystroke
    /// cheap in a big plan.
    pub fn edit_text(
        &self,
        id: DocumentId,
        field: plan::TextField<'_>,
        value: &str,
    ) -> Result<(), DocError> {
        let engine = self.engine();
        let before = engine.repo.borrow().doc(&id).map(Automerge::get_heads);
        self.change(id, |doc, stamp| {
            plan::edit_text(doc, stamp, field, value)?;
            let mut reads = engine.reads.borrow_mut();
            let patched = match reads.values.get_mut(&id) {
                Some((read_at, cached)) if before.as_ref() == Some(read_at) => cached
                    .downcast_mut::<Arc<Plan>>()
                    .is_some_and(|plan| Arc::make_mut(plan).set_text(field, value).is_ok())
                    .then(|| *read_at = doc.get_heads())
                    .is_some(),
                _ => true,
            };
            if !patched {
                reads.values.remove(&id);
            }
            Ok(())
        })
    }

    /// Runs a stamped change on a document and carries out what follows.
    pub(super) fn change(
        &self,
        id: DocumentId,
        edit: impl FnOnce(&mut Automerge, &Stamp) -> Result<(), DocError>,
    ) -> Result<(), DocError> {
        let right = self.right_untracked(id);
        if !self.can_write() || right < Right::SignalsOnly {
            return Err(DocError::ReadOnly);
        }
        // A signal link's edit is tried on a copy and kept only if it does
        // what the relay allows (see `regie_core::scope::signals_only`).
        let link = self.signal_link(id);
        let stamp = stamp();
        let engine = self.engine();
        let outcome = engine.repo.borrow_mut().change(id, |doc| {
            let before = doc.get_heads();
            let result = if right == Right::SignalsOnly {
                edit_signals_only(doc, &stamp, link.as_deref(), edit)
            } else {
                edit(doc, &stamp)
            };
            // A local change overwrites every value it touches, so it can end
            // a conflict but never start one: "none" stays true without
            // walking the document again.
            if let Some((found_at, found)) = engine.reads.borrow_mut().conflicts.get_mut(&id)
                && found.is_empty()
                && *found_at == before
            {
                *found_at = doc.get_heads();
            }
            result
        });
        let Some((result, effects)) = outcome else {
            return Err(DocError::NotFound);
        };
        self.apply(effects);
        self.changed(id);
        result
    }
}

/// Runs `edit` on a copy of `doc` and applies its changes only if a signal
/// link may make them (otherwise nothing changes, and the person is told
/// the document is read-only for them).
fn edit_signals_only(
    doc: &mut Automerge,
    stamp: &Stamp,
    link: Option<&str>,
    edit: impl FnOnce(&mut Automerge, &Stamp) -> Result<(), DocError>,
) -> Result<(), DocError> {
    let mut trial = doc.clone();
    edit(&mut trial, stamp)?;
    // Only what changed in the signals is carried over: the edit wrote the
    // whole plan, which in an older plan also fills in fields this version
    // added (a signal link may not write those).
    let before = plan::read_plan(doc)?.signals;
    let after = plan::read_plan(&trial)?.signals;
    let mut carried = doc.clone();
    plan::write_signals(&mut carried, stamp, &before, &after)?;
    let changes = carried.get_changes(&doc.get_heads());
    signals_only::check(doc, &changes, link).map_err(|_| DocError::ReadOnly)?;
    doc.apply_changes(changes).map_err(|_| DocError::ReadOnly)
}

/// Lets the end-to-end tests ask how often views read each document
/// (`window.regieReadCounts()`), which proves that typing in one document
/// re-reads no other.
pub(super) fn expose_read_counts(ws: Workspace) {
    super::super::probe::expose("regieReadCounts", move || ws.read_counts());
}
