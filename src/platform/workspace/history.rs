//! A document's history, its conflicts, and its exports, for the UI: thin
//! wrappers that run the core's [`regie_core::history`],
//! [`regie_core::conflicts`] and [`regie_core::export`] on the document this
//! tab holds, and stamp the changes that restore or resolve.

use std::sync::Arc;

use automerge::{Automerge, ChangeHash};
use regie_core::author::Stamp;
use regie_core::conflicts::{self, Conflict};
use regie_core::history::{self, Edit, Session};
use regie_core::kind::DocError;
use regie_core::plan::{self, Plan};
use regie_core::{DocumentId, export};

use super::Workspace;

/// Changes by one person less than this far apart (seconds) are one session.
pub const SESSION_GAP: i64 = 30 * 60;

impl Workspace {
    /// Runs `read` on a document this tab holds (reactive: re-run when that
    /// document changes).
    fn with_doc<T>(&self, id: DocumentId, read: impl FnOnce(&Automerge) -> T) -> Option<T> {
        self.track(id);
        let engine = self.engine();
        let repo = engine.repo.borrow();
        repo.doc(&id).map(read)
    }

    /// The working sessions of a document, newest first.
    pub fn sessions(&self, id: DocumentId) -> Vec<Session> {
        self.with_doc(id, |doc| history::sessions(doc, SESSION_GAP))
            .unwrap_or_default()
    }

    /// What `changes` did, in words; only the edits of item `item` if given.
    pub fn describe(
        &self,
        id: DocumentId,
        changes: &[ChangeHash],
        item: Option<&str>,
    ) -> Vec<Edit> {
        self.with_doc(id, |doc| match item {
            Some(item) => history::describe_item(doc, changes, item),
            None => history::describe(doc, changes),
        })
        .unwrap_or_default()
    }

    /// The heads of a document at `time` (seconds since the epoch).
    pub fn heads_at(&self, id: DocumentId, time: i64) -> Vec<ChangeHash> {
        self.with_doc(id, |doc| history::heads_at(doc, time))
            .unwrap_or_default()
    }

    /// A plan as it was at `heads`, to show read-only.
    pub fn plan_as_of(&self, id: DocumentId, heads: &[ChangeHash]) -> Option<Arc<Plan>> {
        self.with_doc(id, |doc| {
            let then = history::as_of(doc, heads)?;
            plan::read_plan(&then).ok().map(Arc::new)
        })
        .flatten()
    }

    /// Sets one actie back to how it was at `heads`, as a new change.
    pub fn restore_action(
        &self,
        id: DocumentId,
        heads: &[ChangeHash],
        action: &str,
    ) -> Result<(), DocError> {
        self.change(id, |doc, stamp| {
            plan::restore_action(doc, stamp, heads, action)
        })
    }

    /// Sets any document back to how it was at `heads` with `restore` (such
    /// as `kind::restore::<Table>`), as a new change.
    pub fn restore_document(
        &self,
        id: DocumentId,
        heads: &[ChangeHash],
        restore: impl FnOnce(&mut Automerge, &Stamp, &[ChangeHash]) -> Result<(), DocError>,
    ) -> Result<(), DocError> {
        self.change(id, |doc, stamp| restore(doc, stamp, heads))
    }

    /// Fields of a document with concurrent values (reactive).
    pub fn conflicts(&self, id: DocumentId) -> Vec<Conflict> {
        let engine = self.engine();
        self.with_doc(id, |doc| {
            let heads = doc.get_heads();
            let mut reads = engine.reads.borrow_mut();
            let cache = &mut reads.conflicts;
            match cache.get(&id) {
                Some((found_at, found)) if *found_at == heads => found.clone(),
                _ => {
                    let found = conflicts::conflicts(doc);
                    cache.insert(id, (heads, found.clone()));
                    found
                }
            }
        })
        .unwrap_or_default()
    }

    /// Keeps one of a field's concurrent values, on every device.
    pub fn resolve(
        &self,
        id: DocumentId,
        conflict: &Conflict,
        choice: usize,
    ) -> Result<(), DocError> {
        self.change(id, |doc, stamp| {
            conflicts::resolve(doc, stamp, conflict, choice)
        })
    }

    /// A document in Automerge's own format (`.automerge`).
    pub fn document_bytes(&self, id: DocumentId) -> Option<Vec<u8>> {
        self.with_doc(id, Automerge::save)
    }

    /// A document as JSON.
    pub fn document_json(&self, id: DocumentId) -> Option<String> {
        self.with_doc(id, export::document_json)
    }
}
