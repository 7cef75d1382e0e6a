//! This device's copy of every document: read from IndexedDB on start,
//! written as the core's storage ledger says (append the new changes, or
//! compact into one snapshot), each write reported to the engine once it
//! is durable, so the engine can let the acknowledgements it held go out.
//! Also what the relay confirmed, kept across restarts.

use leptos::prelude::*;
use leptos::task::spawn_local;
use regie_core::ledger::Write;
use regie_core::{DocumentId, Effect, PersistId, seeds};

use super::Workspace;
use crate::platform::store::{DocStore, StoreError};

impl Workspace {
    /// Opens IndexedDB and loads every document, then stores the seeded
    /// documents if this device had none yet and asks for listed plans.
    pub(super) async fn load_local(self) {
        crate::platform::mark("regie:store-open");
        match DocStore::open_app().await {
            Ok(store) => {
                let effects = match self.load_documents(&store).await {
                    Ok(effects) => effects,
                    Err(e) => {
                        self.storage_error.set(Some(e));
                        Vec::new()
                    }
                };
                crate::platform::mark("regie:documents-loaded");
                *self.engine().store.borrow_mut() = Some(store);
                // A seed merged into a stored copy asks to be stored; every
                // write the engine asks for must be carried out and reported.
                self.apply(effects);
                for seeded in seeds::seeded() {
                    self.write(seeded.id, None);
                }
                self.fetch_listed();
            }
            Err(e) => self.storage_error.set(Some(e)),
        }
        self.ready.set(true);
        self.changed_all();
    }

    /// Puts every stored document into the engine, and the seeds where they
    /// are missing; returns what the engine asks for in return.
    async fn load_documents(self, store: &DocStore) -> Result<Vec<Effect>, StoreError> {
        let (docs, confirmed) = store.load_everything().await?;
        let engine = self.engine();
        let mut repo = engine.repo.borrow_mut();
        let mut ledger = engine.ledger.borrow_mut();
        for (id, bytes, chunks) in docs {
            // A damaged chunk: keep every change before it that reads.
            match regie_core::stored::load_appended(&bytes) {
                Ok((doc, dropped)) => {
                    // After a damaged chunk, appending would put new changes
                    // behind bytes that do not load: the ledger then knows
                    // nothing, and the next write is a snapshot that heals it.
                    if dropped == 0 {
                        ledger.loaded(id, doc.get_heads(), bytes.len(), 0, chunks);
                    }
                    repo.insert(id, doc);
                }
                Err(e) => leptos::logging::warn!("skipping damaged document {id}: {e}"),
            }
        }
        let mut effects = Vec::new();
        // Every device seeds the same directory and register. A stored copy
        // that holds the seed's change needs nothing: building a seed costs
        // a noticeable part of a start on a slow device.
        for seeded in seeds::seeded() {
            if !repo
                .doc(&seeded.id)
                .is_some_and(|doc| seeds::holds_seed(doc, &seeded))
            {
                effects.extend(repo.insert(seeded.id, (seeded.build)()));
            }
        }
        for (id, heads) in confirmed {
            repo.restore_confirmed(id, heads);
        }
        Ok(effects)
    }

    /// Stores what changed in a document, as the ledger says, and reports
    /// `persist` to the engine once the write is over.
    pub(super) fn write(self, doc: DocumentId, persist: Option<PersistId>) {
        let engine = self.engine();
        let store = engine.store.borrow().clone();
        let write = {
            let repo = engine.repo.borrow();
            match (&store, repo.doc(&doc)) {
                (Some(_), Some(current)) => engine
                    .ledger
                    .borrow_mut()
                    .next_write(doc, current)
                    .map(|write| match write {
                        Write::Snapshot => Pending::Snapshot(Box::new(current.clone())),
                        Write::Append(changes) => Pending::Append(changes),
                    }),
                _ => None,
            }
        };
        let (Some(store), Some(write)) = (store, write) else {
            // Nothing to write (or nowhere to write it): durable as it is.
            return self.durable(persist);
        };
        self.unsaved_writes.update(|n| *n += 1);
        spawn_local(async move {
            let outcome = match &write {
                Pending::Snapshot(snapshot) => store.save(&doc, snapshot).await.map(|bytes| {
                    self.engine()
                        .ledger
                        .borrow_mut()
                        .snapshot_written(doc, bytes);
                }),
                Pending::Append(changes) => {
                    let unique =
                        format!("{:013}-{}", crate::platform::now_ms(), super::new_item_id());
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
                    leptos::logging::warn!("could not store {doc}: {e}");
                    // Write a full snapshot next time, whatever got lost now.
                    self.engine().ledger.borrow_mut().failed(doc);
                    self.storage_error.set(Some(e));
                }
            }
            self.unsaved_writes.update(|n| *n -= 1);
            // Reported on failure too: on a device whose storage fails, the
            // relay is the only place the change can still be kept, so what
            // the engine held back must go out.
            self.durable(persist);
        });
    }

    /// Tells the engine a write it asked for is over.
    fn durable(self, persist: Option<PersistId>) {
        if let Some(id) = persist {
            let effects = self.engine().repo.borrow_mut().persisted(id);
            self.apply(effects);
        }
    }

    /// Stores the heads the relay confirmed for a document.
    pub(super) fn remember_confirmed(self, doc: DocumentId) {
        let engine = self.engine();
        self.last_synced.set(Some(js_sys::Date::now()));
        self.changes.update(|n| *n += 1);
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
        self.changes.track();
        self.track_list();
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
}

/// A write decided and under way.
enum Pending {
    /// The whole document (the store merges it with what is stored).
    Snapshot(Box<automerge::Automerge>),
    /// The changes since what is stored.
    Append(Vec<u8>),
}
