//! Documents in the browser's IndexedDB: database `regie`, object store
//! `documents`, key = document id (text), value = Automerge's saved bytes
//! (a `Uint8Array`). One record per document, replaced as a whole in one
//! transaction, so a record is always a complete, loadable document.
//!
//! Several tabs share the database. A save therefore merges with what is
//! stored, inside the same transaction, so no tab can overwrite another
//! tab's changes. Store `confirmed` keeps, per document, the heads the relay
//! last confirmed (hex, comma-separated), for the "not yet synced" count.

use automerge::{Automerge, ChangeHash};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use js_sys::Uint8Array;
use regie_core::DocumentId;
use wasm_bindgen::{JsCast as _, JsValue};

const DB_NAME: &str = "regie";
const DB_VERSION: u32 = 2;
const DOCUMENTS: &str = "documents";
const CONFIRMED: &str = "confirmed";

/// A failure of the browser's storage, with a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Opslag op dit toestel mislukt: {}", self.0)
    }
}

fn fail(error: impl std::fmt::Display) -> StoreError {
    StoreError(error.to_string())
}

/// The open database.
#[derive(Debug, Clone)]
pub struct DocStore {
    db: std::rc::Rc<Database>,
}

impl DocStore {
    /// Opens the database, creating its object store on first use. `name`
    /// lets tests use a database of their own.
    pub async fn open(name: Option<&str>) -> Result<Self, StoreError> {
        let db = Database::open(name.unwrap_or(DB_NAME))
            .with_version(DB_VERSION)
            .with_on_upgrade_needed(|_event, db| {
                for name in [DOCUMENTS, CONFIRMED] {
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

    /// Stores a document, merged with whatever another tab stored since.
    pub async fn save(&self, id: &DocumentId, doc: &Automerge) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(DOCUMENTS)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(fail)?;
        let store = tx.object_store(DOCUMENTS).map_err(fail)?;
        let key = id.to_string();
        // Only IndexedDB requests are awaited until the put, so the
        // transaction stays active from the read to the write.
        let stored: Option<JsValue> = store
            .get(key.clone())
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        let bytes = match stored
            .as_ref()
            .and_then(bytes_of)
            .and_then(|b| Automerge::load(&b).ok())
        {
            Some(mut other) if other.get_heads() != doc.get_heads() => {
                let mut merged = doc.clone();
                merged.merge(&mut other).map_err(fail)?;
                merged.save()
            }
            _ => doc.save(),
        };
        let value: JsValue = Uint8Array::from(bytes.as_slice()).into();
        store.put(value).with_key(key).primitive().map_err(fail)?;
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
        Ok(self
            .all_records(CONFIRMED)
            .await?
            .into_iter()
            .filter_map(|(id, value)| {
                let heads = value
                    .as_string()?
                    .split(',')
                    .filter_map(|h| h.parse().ok())
                    .collect();
                Some((id, heads))
            })
            .collect())
    }

    /// Loads one document's bytes.
    pub async fn load(&self, id: &DocumentId) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = self.db.transaction(DOCUMENTS).build().map_err(fail)?;
        let store = tx.object_store(DOCUMENTS).map_err(fail)?;
        let value: Option<JsValue> = store
            .get(id.to_string())
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?;
        Ok(value.and_then(|v| bytes_of(&v)))
    }

    /// Loads every stored document. Records that are not documents (wrong
    /// key or value) are skipped: the rest must still open.
    pub async fn load_all(&self) -> Result<Vec<(DocumentId, Vec<u8>)>, StoreError> {
        Ok(self
            .all_records(DOCUMENTS)
            .await?
            .into_iter()
            .filter_map(|(id, value)| Some((id, bytes_of(&value)?)))
            .collect())
    }

    /// Every record of an object store whose key is a document id.
    async fn all_records(&self, name: &str) -> Result<Vec<(DocumentId, JsValue)>, StoreError> {
        let tx = self.db.transaction(name).build().map_err(fail)?;
        let store = tx.object_store(name).map_err(fail)?;
        let keys: Vec<String> = store
            .get_all_keys::<String>()
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        let values: Vec<JsValue> = store
            .get_all::<JsValue>()
            .primitive()
            .map_err(fail)?
            .await
            .map_err(fail)?
            .collect::<Result<_, _>>()
            .map_err(fail)?;
        Ok(keys
            .into_iter()
            .zip(values)
            .filter_map(|(key, value)| Some((key.parse().ok()?, value)))
            .collect())
    }
}

fn bytes_of(value: &JsValue) -> Option<Vec<u8>> {
    value.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
}
