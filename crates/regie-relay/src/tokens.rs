//! Capability tokens: whoever holds a token may edit, or only read, one
//! document or every document, within a scope of the regie when it has one
//! (`team:<wijk>`, `netwerk:<wijk>`, `regisseur:<name>`, `stad`; see
//! [`regie_core::scope`]), for an organisation when it names one. Tokens are 256 random bits shown as base58;
//! the relay keeps only their SHA-256 (in `tokens.json` in the data
//! directory), so a copied data directory gives no access. The file is
//! read on every check (checks happen once per connection or API request),
//! so tokens made or revoked with the CLI take effect in a running relay at
//! once.
//!
//! # One writer at a time
//!
//! The relay (making read-only links through `/api/share`) and the `token`
//! CLI (another process) both change `tokens.json`. Every change is a
//! read-modify-write under an exclusive lock on `tokens.lock` beside it
//! ([`std::fs::File::lock`], an `flock` that covers every process and every
//! [`TokenStore`] — each change opens the lock file anew, so threads of one
//! process exclude each other too), and the new file replaces the old one
//! atomically ([`crate::storage::write_atomically`]: a temporary name per
//! write, fsync, rename, fsync the directory). No change is lost and no
//! revocation is undone by a concurrent writer. Checks take no lock: a
//! rename is atomic, so a reader sees the old or the new file. A file that
//! does not parse (which our writers cannot produce) lets no one in, and no
//! writer overwrites it.
//!
//! # Expiry
//!
//! A token may carry `expires_at` (seconds since the Unix epoch); from that
//! second on it is refused exactly like an unknown token. The caller passes
//! the clock (`now`) to [`TokenStore::check`] and [`TokenStore::create`].
//!
//! # Tokens made from tokens
//!
//! A token made with another token (the app's `/api/share` makes read-only
//! links with an edit link) records its *parent*'s id, and lives only as
//! long as its whole parent chain does:
//!
//! - it is refused when any record up its chain is revoked or expired, so
//!   revoking an edit link also ends every link made with it (and links
//!   made with those);
//! - it never outlives its parent: its `expires_at` is capped at the
//!   earliest expiry up the chain when it is made (and a check takes the
//!   earliest one again, should the file say otherwise);
//! - it never grants more than its parent: no edit token from a read-only
//!   one, no other document than the parent's, no wider scope and no other
//!   organisation ([`regie_core::scope::may_make`]; a token without a scope
//!   is the city's);
//! - it can only be made while its parent is valid;
//! - a chain is followed for at most [`MAX_CHAIN`] parent links; a longer
//!   chain, a cycle or a parent missing from the file lets no one in.
//!
//! # Hostile input
//!
//! A presented token longer than [`MAX_TOKEN_LEN`] bytes is refused before
//! it is hashed, so a check costs at most one small hash and one read of
//! the file.

use std::path::{Path, PathBuf};

use regie_core::scope::{Capability, LinkScope, may_make};
use regie_core::{Access, DocumentId, LinkId};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::storage;

const FILE: &str = "tokens.json";
const LOCK: &str = "tokens.lock";

/// Longest token a check looks at, in bytes (real tokens are 43–44).
pub const MAX_TOKEN_LEN: usize = 128;

/// Most parent links followed from a token (see the module docs).
pub const MAX_CHAIN: usize = 16;

/// What a token lets its holder do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Read and change.
    Edit,
    /// Read only (the default: the least a token can grant).
    #[default]
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
    /// Seconds since the Unix epoch from which it lets no one in; never if
    /// `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    /// The id of the token it was made with, if any (see the module docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Its scope in the regie ([`LinkScope::text`]); none: the city's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The organisation it was made for: signatures, scores and claims
    /// through it are that organisation's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

impl TokenRecord {
    /// The access this token gives; `None` if its scope does not parse
    /// (such a token lets no one in).
    pub fn access(&self) -> Option<Access> {
        let scope = match &self.scope {
            Some(text) => Some(LinkScope::parse(text)?),
            None => None,
        };
        Some(Access {
            write: self.kind == Kind::Edit,
            only: self.doc,
            scope,
            link: LinkId::parse(&self.id),
        })
    }

    /// Its scope and organisation, for making links from it (no scope: the
    /// city); `None` if the scope does not parse.
    pub fn capability(&self) -> Option<Capability> {
        let scope = match &self.scope {
            Some(text) => LinkScope::parse(text)?,
            None => LinkScope::Stad,
        };
        Some(Capability {
            scope,
            organisation: self.organisation.clone(),
        })
    }

    fn expired(&self, now: u64) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }
}

/// What a presented token grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Edit or read-only; one document or all.
    pub access: Access,
    /// The token's record id (the parent of tokens made with it).
    pub id: String,
    /// When it stops working (the earliest expiry up its chain), seconds
    /// since the Unix epoch; never if `None`.
    pub expires_at: Option<u64>,
    /// The note for people it was made with.
    pub label: Option<String>,
    /// The organisation it was made for.
    pub organisation: Option<String>,
}

/// A token to make.
#[derive(Debug, Clone, Default)]
pub struct NewToken {
    /// Edit or read-only.
    pub kind: Kind,
    /// The one document it is for, or every document.
    pub doc: Option<DocumentId>,
    /// A note for people.
    pub label: Option<String>,
    /// The id of the token it is made with, if any.
    pub parent: Option<String>,
    /// When it stops working, seconds since the Unix epoch (capped at the
    /// parent's).
    pub expires_at: Option<u64>,
    /// Its scope in the regie (checked: it must parse).
    pub scope: Option<LinkScope>,
    /// The organisation it is for.
    pub organisation: Option<String>,
}

/// Where a record stands at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// It lets its holder in, until `expires_at` (the earliest up its chain).
    Active {
        /// Seconds since the Unix epoch; never if `None`.
        expires_at: Option<u64>,
    },
    /// Revoked itself.
    Revoked,
    /// Expired itself.
    Expired,
    /// A token up its chain is revoked.
    ParentRevoked,
    /// A token up its chain is expired.
    ParentExpired,
    /// Its chain names a missing parent, is a cycle or is longer than
    /// [`MAX_CHAIN`].
    BrokenChain,
}

/// Where `record` stands among `records` at `now` (see the module docs).
pub fn standing(records: &[TokenRecord], record: &TokenRecord, now: u64) -> Standing {
    let mut current = record;
    let mut expires_at: Option<u64> = None;
    // Record 0 is the token itself; a cycle is an endless chain, so it ends
    // here as a chain too long.
    for depth in 0..=MAX_CHAIN {
        if current.revoked {
            return if depth == 0 {
                Standing::Revoked
            } else {
                Standing::ParentRevoked
            };
        }
        if current.expired(now) {
            return if depth == 0 {
                Standing::Expired
            } else {
                Standing::ParentExpired
            };
        }
        if let Some(at) = current.expires_at {
            expires_at = Some(expires_at.map_or(at, |e| e.min(at)));
        }
        let Some(parent) = &current.parent else {
            return Standing::Active { expires_at };
        };
        match records.iter().find(|r| &r.id == parent) {
            Some(record) => current = record,
            None => return Standing::BrokenChain,
        }
    }
    Standing::BrokenChain
}

#[derive(Default, Serialize, Deserialize)]
struct TokenFile {
    tokens: Vec<TokenRecord>,
}

/// See the module docs.
pub struct TokenStore {
    path: PathBuf,
    lock: PathBuf,
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn refused(kind: std::io::ErrorKind, why: &str) -> std::io::Error {
    std::io::Error::new(kind, why.to_owned())
}

impl TokenStore {
    /// Opens the token file in a data directory (it may not exist yet),
    /// creating the directory private to this user and making an existing
    /// token file private (see [`crate::storage`]). Fails if the file does
    /// not parse.
    pub fn open(data_dir: &Path) -> std::io::Result<Self> {
        storage::private_dir(data_dir)?;
        let store = Self {
            path: data_dir.join(FILE),
            lock: data_dir.join(LOCK),
        };
        storage::tighten_file(&store.path)?;
        storage::tighten_file(&store.lock)?;
        store.records()?;
        Ok(store)
    }

    /// All records (none before the first token is made). Takes no lock.
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
        storage::write_atomically(&self.path, text.as_bytes())
    }

    /// Reads the records, lets `change` change them (it says whether it
    /// did) and writes them back, all under the exclusive lock that every
    /// writer in every process takes.
    fn change<T>(
        &self,
        change: impl FnOnce(&mut Vec<TokenRecord>) -> std::io::Result<(T, bool)>,
    ) -> std::io::Result<T> {
        // A new open file description per change: `flock` excludes other
        // descriptions, in this process as in others.
        let lock = storage::private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&self.lock)?;
        lock.lock()?;
        let mut tokens = self.records()?;
        let (value, changed) = change(&mut tokens)?;
        if changed {
            self.write(tokens)?;
        }
        // Closing the file releases the lock (also if the process dies).
        drop(lock);
        Ok(value)
    }

    /// Makes a new token from 32 random bytes; returns the token (shown once)
    /// and its record. A token with a parent gets at most the parent's
    /// access and expiry, and only while the parent is valid (see the
    /// module docs); otherwise this fails with `PermissionDenied`. A token
    /// that would be expired at once fails with `InvalidInput`.
    pub fn create(
        &self,
        new: NewToken,
        random: [u8; 32],
        now: u64,
    ) -> std::io::Result<(String, TokenRecord)> {
        use std::io::ErrorKind::{AlreadyExists, InvalidInput, PermissionDenied};
        let token = bs58::encode(random).into_string();
        let hash = hash(&token);
        let mut record = TokenRecord {
            id: hash[..10].to_owned(),
            hash,
            kind: new.kind,
            doc: new.doc,
            label: new.label,
            created_at: now,
            revoked: false,
            expires_at: new.expires_at,
            parent: new.parent,
            scope: new.scope.map(LinkScope::text),
            organisation: new.organisation,
        };
        self.change(|tokens| {
            if tokens.iter().any(|t| t.id == record.id) {
                return Err(refused(AlreadyExists, "a token with this id exists"));
            }
            if let Some(parent_id) = &record.parent {
                let parent = tokens
                    .iter()
                    .find(|t| &t.id == parent_id)
                    .ok_or_else(|| refused(PermissionDenied, "the parent token is unknown"))?;
                let Standing::Active { expires_at } = standing(tokens, parent, now) else {
                    return Err(refused(
                        PermissionDenied,
                        "the parent token is revoked or expired",
                    ));
                };
                if record.kind == Kind::Edit && parent.kind != Kind::Edit {
                    return Err(refused(
                        PermissionDenied,
                        "a read-only token cannot make an edit token",
                    ));
                }
                if parent.doc.is_some() && record.doc != parent.doc {
                    return Err(refused(
                        PermissionDenied,
                        "a token for one document cannot make one for another",
                    ));
                }
                let within = match (parent.capability(), record.capability()) {
                    (Some(parent), Some(child)) => may_make(&parent, &child),
                    _ => false,
                };
                if !within {
                    return Err(refused(
                        PermissionDenied,
                        "a token cannot make one with a wider scope or for another organisation",
                    ));
                }
                if let Some(cap) = expires_at {
                    record.expires_at = Some(record.expires_at.map_or(cap, |e| e.min(cap)));
                }
            }
            tokens.push(record.clone());
            match standing(tokens, &record, now) {
                Standing::Active { .. } => Ok(((), true)),
                Standing::Expired => Err(refused(InvalidInput, "the token would be expired")),
                _ => Err(refused(PermissionDenied, "the token's chain is too long")),
            }
        })?;
        Ok((token, record))
    }

    /// Revokes a token by id (and with it every token made from it); false
    /// if there is no such token.
    pub fn revoke(&self, id: &str) -> std::io::Result<bool> {
        self.change(|tokens| {
            let Some(record) = tokens.iter_mut().find(|t| t.id == id) else {
                return Ok((false, false));
            };
            let changed = !record.revoked;
            record.revoked = true;
            Ok((true, changed))
        })
    }

    /// What a presented token grants at `now` (seconds since the Unix
    /// epoch); `None` for unknown, revoked and expired tokens, tokens whose
    /// chain is not valid (see the module docs), tokens longer than
    /// [`MAX_TOKEN_LEN`], and if the token file cannot be read (fail
    /// closed).
    pub fn check(&self, token: &str, now: u64) -> Option<Grant> {
        if token.is_empty() || token.len() > MAX_TOKEN_LEN {
            return None;
        }
        let hash = hash(token);
        let records = match self.records() {
            Ok(records) => records,
            Err(error) => {
                tracing::error!(%error, "cannot read the token file; refusing everyone");
                return None;
            }
        };
        let record = records.iter().find(|r| r.hash == hash)?;
        match standing(&records, record, now) {
            Standing::Active { expires_at } => Some(Grant {
                access: record.access()?,
                id: record.id.clone(),
                expires_at,
                label: record.label.clone(),
                organisation: record.organisation.clone(),
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(kind: Kind, doc: Option<DocumentId>) -> NewToken {
        NewToken {
            kind,
            doc,
            ..NewToken::default()
        }
    }

    fn child_of(parent: &TokenRecord, doc: DocumentId, expires_at: Option<u64>) -> NewToken {
        NewToken {
            kind: Kind::ReadOnly,
            doc: Some(doc),
            label: None,
            parent: Some(parent.id.clone()),
            expires_at,
            ..NewToken::default()
        }
    }

    #[test]
    fn tokens_give_their_access_until_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let doc = DocumentId::from_random_bytes([1; 16]);
        let standard = NewToken {
            label: Some("standaard".into()),
            ..new(Kind::Edit, None)
        };
        let (edit, edit_record) = store.create(standard, [7; 32], 1).unwrap();
        let (read, _) = store
            .create(new(Kind::ReadOnly, Some(doc)), [8; 32], 2)
            .unwrap();
        assert!(edit.len() >= 43, "256 bits in base58");
        let grant = store.check(&edit, 3).unwrap();
        assert_eq!(
            grant.access,
            Access {
                link: LinkId::parse(&edit_record.id),
                ..Access::FULL
            }
        );
        assert_eq!(grant.id, edit_record.id);
        assert_eq!(grant.expires_at, None);
        assert_eq!(
            store
                .check(&read, 3)
                .map(|g| (g.access.write, g.access.only)),
            Some((false, Some(doc)))
        );
        assert_eq!(store.check("not-a-token", 3), None);
        assert_eq!(store.check("", 3), None);

        // Another process (the CLI) revokes: this store notices.
        let other = TokenStore::open(dir.path()).unwrap();
        assert!(other.revoke(&edit_record.id).unwrap());
        assert!(
            other.revoke(&edit_record.id).unwrap(),
            "revoking twice is fine"
        );
        assert!(!other.revoke("unknown").unwrap());
        assert_eq!(store.check(&edit, 3), None);
        assert!(store.check(&read, 3).is_some());
    }

    #[test]
    fn only_hashes_are_stored() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let (token, _) = store.create(new(Kind::Edit, None), [9; 32], 1).unwrap();
        let file = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(!file.contains(&token));
        assert!(file.contains(&hash(&token)));
    }

    /// Review finding: writers raced on `tokens.json` (no lock, one shared
    /// temporary name). 16 stores on one directory — as separate processes
    /// would be — each make 20 tokens while another revokes some: every token
    /// made works, every revoked one stays refused, the file parses.
    #[test]
    fn parallel_writers_lose_no_token_and_undo_no_revocation() {
        const WRITERS: usize = 16;
        const EACH: usize = 20;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path();
        let (made, to_revoke) = std::sync::mpsc::channel::<(String, TokenRecord)>();
        let (all, revoked) = std::thread::scope(|scope| {
            let writers: Vec<_> = (0..WRITERS)
                .map(|w| {
                    let made = made.clone();
                    scope.spawn(move || {
                        let store = TokenStore::open(path).unwrap();
                        let mut tokens = Vec::new();
                        for i in 0..EACH {
                            let random: [u8; 32] = rand::random();
                            let (token, record) = store
                                .create(new(Kind::Edit, None), random, (w * EACH + i) as u64)
                                .expect("every create succeeds");
                            tokens.push(token.clone());
                            made.send((token, record)).unwrap();
                        }
                        tokens
                    })
                })
                .collect();
            drop(made);
            let revoker = scope.spawn(move || {
                let store = TokenStore::open(path).unwrap();
                let mut revoked = Vec::new();
                for (n, (token, record)) in to_revoke.into_iter().enumerate() {
                    if n % 3 == 0 {
                        assert!(store.revoke(&record.id).expect("every revoke succeeds"));
                        revoked.push(token);
                    }
                }
                revoked
            });
            let all: Vec<String> = writers
                .into_iter()
                .flat_map(|w| w.join().unwrap())
                .collect();
            (all, revoker.join().unwrap())
        });
        let store = TokenStore::open(path).unwrap();
        assert_eq!(
            store.records().expect("the file parses").len(),
            WRITERS * EACH
        );
        let mut working = 0;
        for token in &all {
            let grant = store.check(token, 0);
            if revoked.contains(token) {
                assert_eq!(grant, None, "a revoked token stays refused");
            } else {
                assert!(grant.is_some(), "every token made works");
                working += 1;
            }
        }
        assert_eq!(working + revoked.len(), WRITERS * EACH);
        assert!(!revoked.is_empty());
    }

    /// Review finding: tokens never expired.
    #[test]
    fn tokens_expire() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let later = NewToken {
            expires_at: Some(100),
            ..new(Kind::Edit, None)
        };
        let (token, record) = store.create(later, [1; 32], 10).unwrap();
        assert_eq!(record.expires_at, Some(100));
        assert_eq!(store.check(&token, 99).unwrap().expires_at, Some(100));
        assert_eq!(
            store.check(&token, 100),
            None,
            "expired from that second on"
        );
        assert_eq!(store.check(&token, 1_000_000), None);
        let records = store.records().unwrap();
        assert_eq!(standing(&records, &records[0], 100), Standing::Expired);

        let already = NewToken {
            expires_at: Some(10),
            ..new(Kind::Edit, None)
        };
        let error = store.create(already, [2; 32], 10).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
        assert_eq!(store.records().unwrap().len(), 1, "nothing written");
    }

    /// Records written before expiry and parents existed still load.
    #[test]
    fn older_token_files_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let token = "old-token";
        let old = format!(
            r#"{{"tokens":[{{"id":"abc","hash":"{}","kind":"edit","doc":null,"created_at":1}}]}}"#,
            hash(token)
        );
        std::fs::write(dir.path().join(FILE), old).unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let grant = store.check(token, u64::MAX).unwrap();
        assert_eq!(grant.expires_at, None);
        assert_eq!(
            grant.access,
            Access::FULL,
            "an id of another shape names no link"
        );
    }

    /// Review finding: read-only links made with an edit link outlived its
    /// revocation.
    #[test]
    fn a_child_dies_with_its_parent() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let doc = DocumentId::from_random_bytes([4; 16]);
        let (_, parent) = store.create(new(Kind::Edit, None), [1; 32], 1).unwrap();
        let (child, child_record) = store
            .create(child_of(&parent, doc, None), [2; 32], 2)
            .unwrap();
        assert_eq!(child_record.parent.as_deref(), Some(parent.id.as_str()));
        let (grandchild, _) = store
            .create(child_of(&child_record, doc, None), [3; 32], 3)
            .unwrap();
        assert!(store.check(&child, 4).is_some());
        assert!(store.check(&grandchild, 4).is_some());

        assert!(store.revoke(&parent.id).unwrap());
        assert_eq!(
            store.check(&child, 4),
            None,
            "the child dies with its parent"
        );
        assert_eq!(store.check(&grandchild, 4), None, "and so do its children");
        let records = store.records().unwrap();
        assert_eq!(standing(&records, &records[1], 4), Standing::ParentRevoked);
        let error = store
            .create(child_of(&parent, doc, None), [4; 32], 5)
            .unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::PermissionDenied);
    }

    #[test]
    fn a_child_never_outlives_its_parent() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let doc = DocumentId::from_random_bytes([5; 16]);
        let parent = NewToken {
            expires_at: Some(1000),
            ..new(Kind::Edit, None)
        };
        let (_, parent) = store.create(parent, [1; 32], 1).unwrap();
        let (forever, record) = store
            .create(child_of(&parent, doc, None), [2; 32], 2)
            .unwrap();
        assert_eq!(
            record.expires_at,
            Some(1000),
            "capped at the parent's expiry"
        );
        let (longer, record) = store
            .create(child_of(&parent, doc, Some(5000)), [3; 32], 2)
            .unwrap();
        assert_eq!(
            record.expires_at,
            Some(1000),
            "capped at the parent's expiry"
        );
        let (shorter, record) = store
            .create(child_of(&parent, doc, Some(500)), [4; 32], 2)
            .unwrap();
        assert_eq!(record.expires_at, Some(500), "an earlier expiry stays");
        assert_eq!(store.check(&forever, 999).unwrap().expires_at, Some(1000));
        assert_eq!(store.check(&shorter, 500), None);
        for token in [&forever, &longer] {
            assert_eq!(store.check(token, 1000), None);
        }
        let error = store
            .create(child_of(&parent, doc, None), [5; 32], 1000)
            .unwrap_err();
        assert_eq!(
            error.kind(),
            std::io::ErrorKind::PermissionDenied,
            "an expired parent makes nothing"
        );
    }

    /// Even if the file says a child expires after its parent (written by
    /// hand, or before capping), the earliest expiry up the chain wins.
    #[test]
    fn the_earliest_expiry_up_the_chain_wins() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let record = |id: &str, token: &str, expires_at, parent: Option<&str>| TokenRecord {
            id: id.into(),
            hash: hash(token),
            kind: Kind::ReadOnly,
            doc: None,
            label: None,
            created_at: 0,
            revoked: false,
            expires_at,
            parent: parent.map(str::to_owned),
            scope: None,
            organisation: None,
        };
        store
            .write(vec![
                record("p", "parent", Some(100), None),
                record("c", "child", Some(900), Some("p")),
            ])
            .unwrap();
        assert_eq!(store.check("child", 50).unwrap().expires_at, Some(100));
        assert_eq!(store.check("child", 100), None);
    }

    #[test]
    fn a_child_never_grants_more_than_its_parent() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let doc = DocumentId::from_random_bytes([6; 16]);
        let other = DocumentId::from_random_bytes([7; 16]);
        let (_, reader) = store
            .create(new(Kind::ReadOnly, Some(doc)), [1; 32], 1)
            .unwrap();
        let edit_child = NewToken {
            parent: Some(reader.id.clone()),
            ..new(Kind::Edit, Some(doc))
        };
        let wider_child = NewToken {
            parent: Some(reader.id.clone()),
            ..new(Kind::ReadOnly, None)
        };
        let unknown_parent = NewToken {
            parent: Some("nobody".into()),
            ..new(Kind::ReadOnly, Some(doc))
        };
        for refused in [
            edit_child,
            wider_child,
            child_of(&reader, other, None),
            unknown_parent,
        ] {
            let error = store.create(refused, rand::random(), 2).unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::PermissionDenied);
        }
        assert!(
            store
                .create(child_of(&reader, doc, None), [2; 32], 2)
                .is_ok()
        );
        assert_eq!(store.records().unwrap().len(), 2);
    }

    #[test]
    fn chains_are_bounded_and_cycles_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let doc = DocumentId::from_random_bytes([8; 16]);
        let (mut token, mut last) = store.create(new(Kind::Edit, None), [0; 32], 0).unwrap();
        for i in 1..=MAX_CHAIN {
            (token, last) = store
                .create(child_of(&last, doc, None), [i as u8; 32], 0)
                .unwrap();
        }
        assert!(
            store.check(&token, 0).is_some(),
            "{MAX_CHAIN} parent links are fine"
        );
        let error = store
            .create(child_of(&last, doc, None), [99; 32], 0)
            .unwrap_err();
        assert_eq!(
            error.kind(),
            std::io::ErrorKind::PermissionDenied,
            "one more is not"
        );

        // A cycle (only a hand-edited file can hold one).
        let looped = |id: &str, token: &str, parent: &str| TokenRecord {
            id: id.into(),
            hash: hash(token),
            kind: Kind::Edit,
            doc: None,
            label: None,
            created_at: 0,
            revoked: false,
            expires_at: None,
            parent: Some(parent.into()),
            scope: None,
            organisation: None,
        };
        store
            .write(vec![
                looped("a", "ta", "b"),
                looped("b", "tb", "a"),
                looped("c", "tc", "c"),
            ])
            .unwrap();
        for token in ["ta", "tb", "tc"] {
            assert_eq!(store.check(token, 0), None);
        }
        let records = store.records().unwrap();
        assert_eq!(standing(&records, &records[0], 0), Standing::BrokenChain);
    }

    /// A hostile token string costs at most one small hash.
    #[test]
    fn over_long_tokens_are_refused_before_hashing() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let long = "x".repeat(MAX_TOKEN_LEN + 1);
        let longest = "y".repeat(MAX_TOKEN_LEN);
        let record = |token: &str| TokenRecord {
            id: token[..10].to_owned(),
            hash: hash(token),
            kind: Kind::Edit,
            doc: None,
            label: None,
            created_at: 0,
            revoked: false,
            expires_at: None,
            parent: None,
            scope: None,
            organisation: None,
        };
        store.write(vec![record(&long), record(&longest)]).unwrap();
        assert_eq!(
            store.check(&long, 0),
            None,
            "refused although its hash is on file"
        );
        assert!(store.check(&longest, 0).is_some());
        assert_eq!(store.check(&"z".repeat(10 * 1024 * 1024), 0), None);
    }

    /// A file that does not parse lets no one in and is not overwritten.
    #[test]
    fn an_unreadable_file_fails_closed() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let (token, _) = store.create(new(Kind::Edit, None), [1; 32], 0).unwrap();
        std::fs::write(dir.path().join(FILE), "{ not json").unwrap();
        assert_eq!(store.check(&token, 0), None);
        assert!(store.create(new(Kind::Edit, None), [2; 32], 0).is_err());
        assert!(store.revoke("anything").is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join(FILE)).unwrap(),
            "{ not json"
        );
        assert!(TokenStore::open(dir.path()).is_err());
    }

    /// Review finding: `tokens.json` was created 0644 in a 0755 directory.
    #[cfg(unix)]
    #[test]
    fn the_token_file_its_lock_and_directory_are_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let store = TokenStore::open(&data).unwrap();
        store.create(new(Kind::Edit, None), [1; 32], 0).unwrap();
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join(FILE)), 0o600);
        assert_eq!(mode(&data.join(LOCK)), 0o600);

        // Left open by an older version: tightened on open.
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(data.join(FILE), std::fs::Permissions::from_mode(0o644)).unwrap();
        TokenStore::open(&data).unwrap();
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join(FILE)), 0o600);
    }

    fn scoped(scope: &str, parent: Option<&TokenRecord>, organisation: Option<&str>) -> NewToken {
        NewToken {
            kind: Kind::Edit,
            scope: Some(LinkScope::parse(scope).unwrap()),
            parent: parent.map(|p| p.id.clone()),
            organisation: organisation.map(str::to_owned),
            ..NewToken::default()
        }
    }

    #[test]
    fn links_are_made_only_within_their_makers_scope_and_organisation() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::open(dir.path()).unwrap();
        let (_, nele) = store
            .create(
                scoped("regisseur:Nele Descheemaeker", None, None),
                [1; 32],
                1,
            )
            .unwrap();
        let (team_token, team) = store
            .create(
                scoped("team:ledeberg", Some(&nele), Some("OCMW Gent")),
                [2; 32],
                1,
            )
            .unwrap();
        let grant = store.check(&team_token, 2).unwrap();
        assert_eq!(grant.access.scope, LinkScope::parse("team:ledeberg"));
        assert_eq!(grant.organisation.as_deref(), Some("OCMW Gent"));
        assert_eq!(grant.access.link, LinkId::parse(&team.id));
        store
            .create(
                scoped("netwerk:ledeberg", Some(&team), Some("OCMW Gent")),
                [3; 32],
                1,
            )
            .expect("a team makes netwerk links for its wijk");
        let wider = [
            scoped("team:oostakker", Some(&nele), None),
            scoped("netwerk:gentbrugge", Some(&team), Some("OCMW Gent")),
            scoped(
                "regisseur:Nele Descheemaeker",
                Some(&team),
                Some("OCMW Gent"),
            ),
            scoped("stad", Some(&nele), None),
            scoped(
                "netwerk:ledeberg",
                Some(&team),
                Some("Another organisation"),
            ),
            scoped("netwerk:ledeberg", Some(&team), None),
        ];
        for (i, new) in wider.into_iter().enumerate() {
            let error = store.create(new, [10 + i as u8; 32], 1).unwrap_err();
            assert_eq!(
                error.kind(),
                std::io::ErrorKind::PermissionDenied,
                "case {i}"
            );
        }
        // A scope that does not parse (a hand-edited file) lets no one in.
        let mut records = store.records().unwrap();
        records.iter_mut().find(|r| r.id == team.id).unwrap().scope = Some("team:atlantis".into());
        store.write(records).unwrap();
        assert_eq!(store.check(&team_token, 2), None);
    }
}
