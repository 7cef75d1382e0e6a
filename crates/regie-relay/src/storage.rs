//! Documents on local disk: one file per document, `<id>.automerge`, holding
//! a snapshot followed by the change chunks appended since
//! ([`regie_core::stored`]). A change is appended and flushed (`fdatasync`)
//! before anyone is told the relay has it; now and then the file is
//! replaced by a fresh snapshot atomically (write a temporary file, fsync,
//! rename, fsync the directory). A crash can therefore leave at most a torn
//! last chunk of a change nobody heard about, which loading drops.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use regie_core::DocumentId;

const EXTENSION: &str = "automerge";

/// The document directory.
#[derive(Debug, Clone)]
pub struct DiskStore {
    dir: PathBuf,
}

impl DiskStore {
    /// Opens (and creates, if needed) the directory.
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_owned(),
        })
    }

    fn path(&self, id: &DocumentId) -> PathBuf {
        self.dir.join(format!("{id}.{EXTENSION}"))
    }

    /// Every stored document. Files that are not documents are skipped with
    /// a warning rather than stopping the relay.
    pub fn load_all(&self) -> std::io::Result<Vec<(DocumentId, Vec<u8>)>> {
        let mut docs = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let path = entry?.path();
            if path.extension().and_then(|e| e.to_str()) != Some(EXTENSION) {
                continue;
            }
            let Some(id) = path
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse::<DocumentId>().ok())
            else {
                tracing::warn!(path = %path.display(), "skipping a file that is not named after a document id");
                continue;
            };
            docs.push((id, fs::read(&path)?));
        }
        Ok(docs)
    }

    /// Replaces a document's file atomically.
    pub fn save(&self, id: &DocumentId, bytes: &[u8]) -> std::io::Result<()> {
        write_atomically(&self.path(id), bytes)
    }

    /// Appends change chunks to a document's file (which must exist) and
    /// flushes them to disk.
    pub fn append(&self, id: &DocumentId, bytes: &[u8]) -> std::io::Result<()> {
        let mut file = fs::OpenOptions::new().append(true).open(self.path(id))?;
        file.write_all(bytes)?;
        file.sync_data()
    }
}

/// Replaces a file so that readers (and a crash) see either the old or the
/// new content, never a mix: write a temporary file beside it, fsync, rename
/// over the target, fsync the directory.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.tmp"));
    {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&temp, target)?;
    fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_documents_load_back_and_strangers_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let store = DiskStore::open(dir.path()).unwrap();
        let a = DocumentId::from_random_bytes([1; 16]);
        let b = DocumentId::from_random_bytes([2; 16]);
        store.save(&a, b"first").unwrap();
        store.save(&a, b"second").unwrap();
        store.save(&b, b"other").unwrap();
        fs::write(dir.path().join("notes.txt"), "x").unwrap();
        fs::write(dir.path().join("bogus.automerge"), "x").unwrap();
        let mut all = store.load_all().unwrap();
        all.sort();
        let mut expected = vec![(a, b"second".to_vec()), (b, b"other".to_vec())];
        expected.sort();
        assert_eq!(all, expected);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary files stay behind");
    }
}
