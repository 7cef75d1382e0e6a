//! Capability tokens: whoever holds a token may edit, or only read, one
//! document or every document. Tokens are 256 random bits shown as base58;
//! the relay keeps only their SHA-256 (in `tokens.json` in the data
//! directory, replaced atomically), so a copied data directory gives no
//! access. The file is read on every check (checks happen once per
//! connection), so tokens made or revoked with the CLI take effect in a
//! running relay at once.

use std::path::{Path, PathBuf};

use regie_core::{Access, DocumentId};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

const FILE: &str = "tokens.json";

/// What a token lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Read and change.
    Edit,
    /// Read only.
    ReadOnly,
}

/// One token as stored (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Short public name, for listing and revoking.
    pub id: String,
    /// SHA-256 of the token, hex.
    pub hash: String,
    /// Edit or read-only.
    pub kind: Kind,
    /// The one document it is for, or every document.
    pub doc: Option<DocumentId>,
    /// A note for people ("standaard", "netwerk SW&G Ledeberg", ...).
    #[serde(default)]
    pub label: Option<String>,
    /// Seconds since the Unix epoch.
    pub created_at: u64,
    /// Revoked tokens are kept for the record but let no one in.
    #[serde(default)]
    pub revoked: bool,
}

impl TokenRecord {
    /// The access this token gives.
    pub fn access(&self) -> Access {
        Access {
            write: self.kind == Kind::Edit,
            only: self.doc,
        }
    }
}

#[derive(Default, Serialize, Deserialize)]
struct TokenFile {
    tokens: Vec<TokenRecord>,
}

/// See the module docs.
pub struct TokenStore {
    path: PathBuf,
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl TokenStore {
    /// Opens the token file in a data directory (it may not exist yet).
    pub fn open(data_dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(data_dir)?;
        let store = Self {
            path: data_dir.join(FILE),
        };
        store.records()?;
        Ok(store)
    }

    /// All records (none before the first token is made).
    pub fn records(&self) -> std::io::Result<Vec<TokenRecord>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let file: TokenFile = serde_json::from_str(&text)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        Ok(file.tokens)
    }

    fn write(&self, tokens: Vec<TokenRecord>) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(&TokenFile { tokens })
            .expect("token records always serialize");
        crate::storage::write_atomically(&self.path, text.as_bytes())
    }

    /// Makes a new token from 32 random bytes; returns the token (shown once)
    /// and its record.
    pub fn create(
        &self,
        kind: Kind,
        doc: Option<DocumentId>,
        label: Option<String>,
        random: [u8; 32],
        now: u64,
    ) -> std::io::Result<(String, TokenRecord)> {
        let token = bs58::encode(random).into_string();
        let hash = hash(&token);
        let record = TokenRecord {
            id: hash[..10].to_owned(),
            hash,
            kind,
            doc,
            label,
            created_at: now,
            revoked: false,
        };
        let mut tokens = self.records()?;
        tokens.push(record.clone());
        self.write(tokens)?;
        Ok((token, record))
    }

    /// Revokes a token by id; false if there is no such token.
    pub fn revoke(&self, id: &str) -> std::io::Result<bool> {
        let mut tokens = self.records()?;
        let Some(record) = tokens.iter_mut().find(|t| t.id == id) else {
            return Ok(false);
        };
        record.revoked = true;
        self.write(tokens)?;
        Ok(true)
    }

    /// The access a presented token gives; `None` for unknown or revoked
    /// tokens (and if the token file cannot be read: fail closed).
    pub fn check(&self, token: &str) -> Option<Access> {
        let hash = hash(token);
        match self.records() {
            Ok(records) => records
                .iter()
                .find(|r| r.hash == hash && !r.revoked)
                .map(TokenRecord::access),
            Err(error) => {
                tracing::error!(%error, "cannot read the token file; refusing everyone");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_give_their_access_until_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let doc = DocumentId::from_random_bytes([1; 16]);
        let (edit, edit_record) = store
            .create(Kind::Edit, None, Some("standaard".into()), [7; 32], 1)
            .unwrap();
        let (read, _) = store
            .create(Kind::ReadOnly, Some(doc), None, [8; 32], 2)
            .unwrap();
        assert!(edit.len() >= 43, "256 bits in base58");
        assert_eq!(store.check(&edit), Some(Access::FULL));
        assert_eq!(
            store.check(&read),
            Some(Access {
                write: false,
                only: Some(doc)
            })
        );
        assert_eq!(store.check("not-a-token"), None);
        assert_eq!(store.check(""), None);

        // Another process (the CLI) revokes: this store notices.
        let other = TokenStore::open(dir.path()).unwrap();
        assert!(other.revoke(&edit_record.id).unwrap());
        assert!(!other.revoke("unknown").unwrap());
        assert_eq!(store.check(&edit), None);
        assert!(store.check(&read).is_some());
    }

    #[test]
    fn only_hashes_are_stored() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let (token, _) = store.create(Kind::Edit, None, None, [9; 32], 1).unwrap();
        let file = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(!file.contains(&token));
        assert!(file.contains(&hash(&token)));
    }
}
