//! Backup of every local document to one file, and merging one back in
//! (the file format is [`regie_core::backup`]).
//!
//! Importing merges: a document this device already has is merged with the
//! backup's copy (nothing here is replaced or lost), a new one is added.
//! Either way it is stored and offered to the relay like any local change.
//! Both directions hand control back to the browser between documents, so
//! the page stays responsive and can show progress.

use regie_core::DocumentId;
use regie_core::backup::{self, ImportReport};
use regie_core::text::Text;

use super::Workspace;

impl Workspace {
    /// How many documents this device holds (reactive).
    pub fn document_count(&self) -> usize {
        self.track_list();
        let engine = self.engine();
        let repo = engine.repo.borrow();
        repo.doc_ids()
            .filter(|id| repo.doc(id).is_some_and(|d| !d.get_heads().is_empty()))
            .count()
    }

    /// A backup of every document this device holds that its link covers,
    /// made at `created` (ms since the epoch). `progress(done, total)` is
    /// called as it goes.
    pub async fn export_backup(
        &self,
        created: i64,
        progress: impl Fn(usize, usize),
    ) -> (Vec<u8>, usize) {
        let ids: Vec<DocumentId> = self.engine().repo.borrow().doc_ids().copied().collect();
        // Only what this link may see leaves in a file.
        let ids: Vec<DocumentId> = ids
            .into_iter()
            .filter(|id| self.right_untracked(*id) != regie_core::scope::Right::Nothing)
            .collect();
        let total = ids.len();
        let mut documents = Vec::with_capacity(total);
        for (done, id) in ids.into_iter().enumerate() {
            progress(done, total);
            yield_to_browser().await;
            // Saved from memory, not from IndexedDB: a backup must work even
            // when the browser's storage is failing.
            let saved = self
                .engine()
                .repo
                .borrow()
                .doc(&id)
                .filter(|doc| !doc.get_heads().is_empty())
                .map(automerge::Automerge::save);
            if let Some(bytes) = saved {
                documents.push((id, bytes));
            }
        }
        progress(total, total);
        let count = documents.len();
        (backup::encode(created, &documents), count)
    }

    /// Merges a backup file into this device's documents, stores them and
    /// lets sync send them on. Damaged records are skipped and reported; a
    /// file that is no backup at all is refused with a message for people.
    /// `progress(done, total)` is called as it goes.
    pub async fn import_backup(
        &self,
        bytes: &[u8],
        progress: impl Fn(usize, usize),
    ) -> Result<ImportReport, Text> {
        if !self.can_write() {
            return Err(Text::key("backup.read_only"));
        }
        let file = backup::read(bytes).map_err(|e| e.text())?;
        let total = file.entries.len();
        let mut report = ImportReport::default();
        for (done, entry) in file.entries.iter().enumerate() {
            progress(done, total);
            yield_to_browser().await;
            match entry.check() {
                Ok((id, doc)) => self.merge_document(id, doc, &mut report),
                Err(damaged) => {
                    leptos::logging::warn!("skipping a damaged backup record: {damaged:?}");
                    report.damaged.push(damaged);
                }
            }
        }
        progress(total, total);
        Ok(report)
    }

    fn merge_document(&self, id: DocumentId, doc: automerge::Automerge, report: &mut ImportReport) {
        let (before, effects) = {
            let engine = self.engine();
            let mut repo = engine.repo.borrow_mut();
            let before = repo.doc(&id).map(|d| d.get_heads());
            (before, repo.insert(id, doc))
        };
        if before.is_none() {
            // A new document: the engine only stores what changes, so
            // store it here, as a created one is.
            self.write(id, None);
        }
        let after = self.engine().repo.borrow().doc(&id).map(|d| d.get_heads());
        match before {
            None => report.added.push(id),
            // Wanted but never received: it arrives with the backup.
            Some(heads) if heads.is_empty() => report.added.push(id),
            Some(heads) if Some(&heads) == after.as_ref() => report.unchanged.push(id),
            Some(_) => report.merged.push(id),
        }
        self.apply(effects);
        self.changed(id);
    }
}

/// Lets the browser render (progress) and handle input before going on.
async fn yield_to_browser() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}
