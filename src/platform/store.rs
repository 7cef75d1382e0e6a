//! Documents in the browser's IndexedDB: database `regie`, object store
//! `documents`, key = document id (text), value = Automerge's saved bytes
//! (a `Uint8Array`). One record per document, replaced as a whole in one
//! transaction, so a record is always a complete, loadable document.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use js_sys::Uint8Array;
use regie_core::DocumentId;
use wasm_bindgen::{JsCast as _, JsValue};

const DB_NAME: &str = "regie";
const DB_VERSION: u32 = 1;
const DOCUMENTS: &str = "documents";

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
                if !db.object_store_names().any(|n| n == DOCUMENTS) {
                    db.create_object_store(DOCUMENTS).build()?;
                }
                Ok(())
            })
            .await
            .map_err(fail)?;
        Ok(Self {
            db: std::rc::Rc::new(db),
        })
    }

    /// Stores a document's saved bytes, replacing what was there.
    pub async fn save(&self, id: &DocumentId, bytes: &[u8]) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(DOCUMENTS)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(fail)?;
        let store = tx.object_store(DOCUMENTS).map_err(fail)?;
        let value: JsValue = Uint8Array::from(bytes).into();
        store
            .put(value)
            .with_key(id.to_string())
            .primitive()
            .map_err(fail)?;
        tx.commit().await.map_err(fail)?;
        Ok(())
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
        let tx = self.db.transaction(DOCUMENTS).build().map_err(fail)?;
        let store = tx.object_store(DOCUMENTS).map_err(fail)?;
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
            .filter_map(|(key, value)| Some((key.parse().ok()?, bytes_of(&value)?)))
            .collect())
    }
}

fn bytes_of(value: &JsValue) -> Option<Vec<u8>> {
    value.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
}
