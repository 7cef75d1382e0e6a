//! Documents in the browser's IndexedDB, database `regie`:
//!
//! - `documents`: key = document id (text), value = a full Automerge save
//!   (a `Uint8Array`), the document's snapshot;
//! - `chunks`: key = `<document id>/<time>-<random>`, value = the changes
//!   made since the last save (`save_after`). Appending a chunk costs only
//!   the new changes, which keeps typing fast in a plan with a long history;
//! - `confirmed`: per document, the heads the relay last confirmed (hex,
//!   comma-separated), for the "not yet synced" count.
//!
//! A document is its snapshot followed by its chunks. Now and then a tab
//! compacts: in one transaction it merges the snapshot, every chunk (also
//! other tabs' chunks) and its own copy into a new snapshot and deletes
//! those chunks. Several tabs share the database; appends never overwrite
//! and compaction merges, so no tab can lose another tab's changes.

use std::collections::BTreeMap;

use automerge::{Automerge, ChangeHash};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use js_sys::Uint8Array;
use regie_core::DocumentId;
use regie_core::text::Text;
use wasm_bindgen::{JsCast as _, JsValue};

const DB_NAME: &str = "regie";
const DB_VERSION: u32 = 3;
const DOCUMENTS: &str = "documents";
const CHUNKS: &str = "chunks";
const CONFIRMED: &str = "confirmed";

/// A failure of the browser's storage (what people are told: [`StoreError::text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    /// The storage for this site is full.
    pub full: bool,
    /// What the browser said.
    pub detail: String,
}

impl StoreError {
    /// What to tell people.
    pub fn text(&self) -> Text {
        if self.full {
            Text::key("store.full")
        } else {
            Text::key("store.failed").with("detail", &self.detail)
        }
    }
}

impl std::fmt::Display for StoreError {
    /// For the console.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IndexedDB: {}", self.detail)
    }
}

fn fail(error: impl std::fmt::Display) -> StoreError {
    let detail = error.to_string();
    // The browser's own words for a full quota mean nothing to most people.
    let full = detail.contains("QuotaExceeded") || detail.to_lowercase().contains("quota");
    StoreError { full, detail }
}

/// The open database.
#[derive(Debug, Clone)]
pub struct DocStore {
    db: std::rc::Rc<Database>,
}

type Opening = futures_channel::oneshot::Receiver<Result<DocStore, StoreError>>;

thread_local! {
    /// The app's database being opened by [`open_early`].
    static EARLY: std::cell::RefCell<Option<Opening>> = const { std::cell::RefCell::new(None) };
}

/// Starts opening the app's database now, before the page is first drawn,
/// so the browser opens it while the page renders; [`DocStore::open_app`]
/// takes it. Call before mounting, from a task that runs before the mount.
pub fn open_early() {
    let (done, opening) = futures_channel::oneshot::channel();
    EARLY.with(|early| *early.borrow_mut() = Some(opening));
    wasm_bindgen_futures::spawn_local(async move {
        let _ = done.send(DocStore::open(None).await);
    });
}

impl DocStore {
    /// Opens the database, creating its object store on first use. `name`
    /// lets tests use a database of their own.
    pub async fn open(name: Option<&str>) -> Result<Self, StoreError> {
        let db = Database::open(name.unwrap_or(DB_NAME))
            .with_version(DB_VERSION)
            .with_on_upgrade_needed(|_event, db| {
                for name in [DOCUMENTS, CHUNKS, CONFIRMED] {
                    if !db.object_store_names().any(|n| n == name) {
                        db.create_object_store(name).build()?;
                    }
                }
                Ok(())
            })
            .await
            .map_err(fail)?;
        Ok(Self {
            db: std::rc::Rc::new(db),
        })
    }

    /// The app's database: the one [`open_early`] started opening, or a
    /// new opening when nothing did.
    pub async fn open_app() -> Result<Self, StoreError> {
        let early = EARLY.with(|early| early.borrow_mut().take());
        match early {
            Some(opening) => opening
                .await
                .unwrap_or_else(|_| Err(fail("opening was cancelled"))),
            None => Self::open(None).await,
        }
    }

    /// Stores a document as one snapshot, merged with whatever is stored
    /// (another tab's snapshot and chunks), and drops the chunks it merged.
    /// Returns the snapshot's size.
    pub async fn save(&self, id: &DocumentId, doc: &Automerge) -> Result<usize, StoreError> {
        let tx = self
            .db
            .transaction([DOCUMENTS, CHUNKS])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(fail)?;
        let documents = tx.object_store(DOCUMENTS).map_err(fail)?;
        let chunks = tx.object_store(CHUNKS).map_err(fail)?;
        let key = id.to_string();
        // Only IndexedDB requests are awaited until the writes, so the
        // transaction stays active from the reads to the writes.
        let stored: Option<JsValue> = documents
            .get(key.clone())
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let (chunk_keys, chunk_values) = chunks_of(&chunks, &key).await?;
        let mut merged = doc.clone();
        let before = merged.get_heads();
        for bytes in stored
            .iter()
            .chain(chunk_values.iter())
            .filter_map(bytes_of)
        {
            // Damaged bytes are skipped; everything readable is kept.
            let _ = merged.load_incremental(&bytes);
        }
        let bytes = if merged.get_heads() == before {
            doc.save()
        } else {
            merged.save()
        };
        let value: JsValue = Uint8Array::from(bytes.as_slice()).into();
        documents
            .put(value)
            .with_key(key)
            .primitive()
            .map_err(fail)?;
        for chunk in chunk_keys {
            chunks.delete(chunk).primitive().map_err(fail)?;
        }
        tx.commit().await.map_err(fail)?;
        Ok(bytes.len())
    }

    /// Appends changes (from `Automerge::save_after`) to a document.
    pub async fn append(
        &self,
        id: &DocumentId,
        changes: &[u8],
        unique: &str,
    ) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(CHUNKS)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(fail)?;
        let store = tx.object_store(CHUNKS).map_err(fail)?;
        let value: JsValue = Uint8Array::from(changes).into();
        store
            .put(value)
            .with_key(format!("{id}/{unique}"))
            .primitive()
            .map_err(fail)?;
        tx.commit().await.map_err(fail)?;
        Ok(())
    }

    /// Removes every document, chunk and confirmation ("Wis van dit
    /// toestel"), in one transaction.
    pub async fn clear(&self) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction([DOCUMENTS, CHUNKS, CONFIRMED])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(fail)?;
        for name in [DOCUMENTS, CHUNKS, CONFIRMED] {
            tx.object_store(name).map_err(fail)?.clear().map_err(fail)?;
        }
        tx.commit().await.map_err(fail)?;
        Ok(())
    }

    /// Remembers the heads the relay confirmed for a document.
    pub async fn save_confirmed(
        &self,
        id: &DocumentId,
        heads: &[ChangeHash],
    ) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(CONFIRMED)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(fail)?;
        let store = tx.object_store(CONFIRMED).map_err(fail)?;
        let text: Vec<String> = heads.iter().map(ChangeHash::to_string).collect();
        store
            .put(text.join(","))
            .with_key(id.to_string())
            .primitive()
            .map_err(fail)?;
        tx.commit().await.map_err(fail)?;
        Ok(())
    }

    /// Every document's confirmed heads.
    pub async fn load_confirmed(&self) -> Result<Vec<(DocumentId, Vec<ChangeHash>)>, StoreError> {
        Ok(self.load_everything().await?.1)
    }

    /// Loads one document's bytes: its snapshot followed by its chunks.
    pub async fn load(&self, id: &DocumentId) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .load_all()
            .await?
            .into_iter()
            .find(|(doc, _, _)| doc == id)
            .map(|(_, bytes, _)| bytes))
    }

    /// Loads every stored document: the snapshot followed by the chunks
    /// (Automerge loads such a concatenation), and how many chunks there
    /// were. Records that are not documents are skipped: the rest must
    /// still open.
    pub async fn load_all(&self) -> Result<Vec<(DocumentId, Vec<u8>, usize)>, StoreError> {
        Ok(self.load_everything().await?.0)
    }

    /// Everything the app reads on start, in one transaction: every document
    /// (as [`Self::load_all`]) and what the relay confirmed of each (as
    /// [`Self::load_confirmed`]).
    pub async fn load_everything(&self) -> Result<Loaded, StoreError> {
        let tx = self
            .db
            .transaction([DOCUMENTS, CHUNKS, CONFIRMED])
            .build()
            .map_err(fail)?;
        let stores = [DOCUMENTS, CHUNKS, CONFIRMED].map(|name| tx.object_store(name));
        // Every request is made before the first answer is awaited: the
        // browser answers them one after another without a round trip to
        // the page in between, which counts on a slow device.
        let mut requests = Vec::new();
        for store in &stores {
            let store = store.as_ref().map_err(fail)?;
            let keys = store.get_all_keys::<String>().primitive().map_err(fail)?;
            let values = store.get_all::<JsValue>().primitive().map_err(fail)?;
            requests.push((keys, values));
        }
        let mut records = Vec::new();
        for (keys, values) in requests {
            let keys: Vec<String> = keys
                .await
                .map_err(fail)?
                .collect::<Result<_, _>>()
                .map_err(fail)?;
            let values: Vec<JsValue> = values
                .await
                .map_err(fail)?
                .collect::<Result<_, _>>()
                .map_err(fail)?;
            records.push(keys.into_iter().zip(values).collect::<Vec<_>>());
        }
        let [documents, chunks, confirmed]: [Vec<(String, JsValue)>; 3] =
            records.try_into().expect("one list per store");
        Ok((documents_of(documents, chunks), confirmed_of(confirmed)))
    }
}

/// What [`DocStore::load_everything`] reads: documents (id, bytes, number
/// of chunks) and confirmed heads.
pub type Loaded = (
    Vec<(DocumentId, Vec<u8>, usize)>,
    Vec<(DocumentId, Vec<ChangeHash>)>,
);

/// Each document's snapshot followed by its chunks.
fn documents_of(
    documents: Vec<(String, JsValue)>,
    mut chunks: Vec<(String, JsValue)>,
) -> Vec<(DocumentId, Vec<u8>, usize)> {
    let mut docs: BTreeMap<DocumentId, (Vec<u8>, usize)> = documents
        .into_iter()
        .filter_map(|(key, value)| Some((key.parse().ok()?, (bytes_of(&value)?, 0))))
        .collect();
    // Keys sort by time, so changes load roughly in the order made.
    chunks.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, value) in chunks {
        let Some(id) = key.split('/').next().and_then(|id| id.parse().ok()) else {
            continue;
        };
        if let Some(bytes) = bytes_of(&value) {
            let entry = docs.entry(id).or_default();
            entry.0.extend_from_slice(&bytes);
            entry.1 += 1;
        }
    }
    docs.into_iter()
        .map(|(id, (bytes, chunks))| (id, bytes, chunks))
        .collect()
}

/// Confirmed heads, stored as comma-separated hex.
fn confirmed_of(records: Vec<(String, JsValue)>) -> Vec<(DocumentId, Vec<ChangeHash>)> {
    records
        .into_iter()
        .filter_map(|(id, value)| {
            let heads = value
                .as_string()?
                .split(',')
                .filter_map(|h| h.parse().ok())
                .collect();
            Some((id.parse().ok()?, heads))
        })
        .collect()
}

/// The keys and values of one document's chunks, inside a transaction.
async fn chunks_of(
    chunks: &indexed_db_futures::object_store::ObjectStore<'_>,
    doc: &str,
) -> Result<(Vec<String>, Vec<JsValue>), StoreError> {
    let prefix = format!("{doc}/");
    let keys: Vec<String> = chunks
        .get_all_keys::<String>()
        .primitive()
        .map_err(fail)?
        .await
        .map_err(fail)?
        .collect::<Result<_, _>>()
        .map_err(fail)?;
    let mut mine_keys = Vec::new();
    let mut mine_values = Vec::new();
    for key in keys.into_iter().filter(|k| k.starts_with(&prefix)) {
        let value: Option<JsValue> = chunks
            .get(key.clone())
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        if let Some(value) = value {
            mine_keys.push(key);
            mine_values.push(value);
        }
    }
    Ok((mine_keys, mine_values))
}

fn bytes_of(value: &JsValue) -> Option<Vec<u8>> {
    value.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
}
