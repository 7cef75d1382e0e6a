//! Documents on local disk: one file per document, `<id>.automerge`, holding
//! a snapshot followed by the change chunks appended since
//! ([`regie_core::stored`]). A change is appended and flushed (`fdatasync`)
//! before anyone is told the relay has it; now and then the file is
//! replaced by a fresh snapshot atomically (write a temporary file, fsync,
//! rename, fsync the directory). A crash can therefore leave at most a torn
//! last chunk of a change nobody heard about, which loading drops.
//!
//! Everything here is private to the relay's user (on unix): the data
//! directory is created `0700` (an existing looser one is tightened, and
//! the relay says so in its log), and every file the relay writes —
//! documents, `tokens.json`, its lock, temporary files — is created `0600`
//! from its first byte ([`create_private`]), so no other user ever gets a
//! moment to open it. Documents left `0644` by older versions are tightened
//! when they are loaded.
//!
//! Atomic replacement ([`write_atomically`]) uses a temporary name unique to
//! each write (process id and 64 random bits), so concurrent writers — two
//! requests, or the relay and the `token` CLI — never write into or rename
//! each other's temporary file. A failed write removes its temporary file.
//! Writers that read, change and write back a file (`tokens.json`) must still
//! serialise among themselves; see [`crate::tokens`].

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use regie_core::DocumentId;

const EXTENSION: &str = "automerge";

/// Mode of every directory the relay creates for its data (unix).
pub const DIR_MODE: u32 = 0o700;
/// Mode of every file the relay writes (unix).
pub const FILE_MODE: u32 = 0o600;

/// The document directory.
#[derive(Debug, Clone)]
pub struct DiskStore {
    dir: PathBuf,
}

impl DiskStore {
    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Opens (and creates, if needed) the directory, private to this user
    /// (see the module docs).
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        private_dir(dir)?;
        Ok(Self {
            dir: dir.to_owned(),
        })
    }

    fn path(&self, id: &DocumentId) -> PathBuf {
        self.dir.join(format!("{id}.{EXTENSION}"))
    }

    /// Every stored document. Files that are not documents are skipped with
    /// a warning rather than stopping the relay. Documents readable by
    /// others (left by older versions) are made private.
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
            // One unreadable file must not keep the relay (and every other
            // document) offline.
            match tighten_file(&path).and_then(|()| fs::read(&path)) {
                Ok(bytes) => docs.push((id, bytes)),
                Err(error) => {
                    tracing::error!(path = %path.display(), %error, "skipping a document that cannot be read");
                }
            }
        }
        Ok(docs)
    }

    /// One stored document; `None` if there is none.
    pub fn load(&self, id: &DocumentId) -> std::io::Result<Option<Vec<u8>>> {
        match fs::read(self.path(id)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
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

/// Creates a directory (and its missing parents) `0700`, or tightens an
/// existing one that others may read, write or enter to `0700`, logging
/// that it did.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
        fs::DirBuilder::new()
            .recursive(true)
            .mode(DIR_MODE)
            .create(dir)?;
        let mode = fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            fs::set_permissions(dir, fs::Permissions::from_mode(DIR_MODE))?;
            tracing::info!(
                dir = %dir.display(),
                was = format!("{mode:03o}"),
                "the data directory was open to other users; made it private (700)"
            );
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(dir)
    }
}

/// Makes an existing file private (`0600`) if others may read or write it;
/// nothing if it does not exist.
pub fn tighten_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = match fs::metadata(path) {
            Ok(meta) => meta.permissions().mode() & 0o777,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        if mode & 0o077 != 0 {
            fs::set_permissions(path, fs::Permissions::from_mode(FILE_MODE))?;
            tracing::info!(
                path = %path.display(),
                was = format!("{mode:03o}"),
                "a data file was open to other users; made it private (600)"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Options that create a file `0600` from its first byte (on unix).
pub fn private_options() -> fs::OpenOptions {
    let mut options = fs::OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(FILE_MODE);
    }
    options
}

/// Creates a new file that must not exist yet, `0600`, for writing.
pub fn create_private(path: &Path) -> std::io::Result<fs::File> {
    private_options().write(true).create_new(true).open(path)
}

/// A temporary name beside `target`, unique to this write: `.NAME.PID.RANDOM.tmp`.
fn temp_path(target: &Path) -> PathBuf {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(
        ".{name}.{}.{:016x}.tmp",
        std::process::id(),
        rand::random::<u64>()
    ))
}

/// Replaces a file so that readers (and a crash) see either the old or the
/// new content, never a mix: write a temporary file beside it (`0600`, a
/// name no other write uses), fsync, rename over the target, fsync the
/// directory. On failure the temporary file is removed.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let temp = temp_path(target);
    // If this fails nothing was created; from here on the file is ours.
    let mut file = create_private(&temp)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&temp, target)
        });
    if let Err(error) = written {
        let _ = fs::remove_file(&temp);
        return Err(error);
    }
    fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temps_in(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

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
        assert!(
            temps_in(dir.path()).is_empty(),
            "no temporary files stay behind"
        );
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt as _;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    /// Review finding: documents were created 0644 in a 0755 directory.
    #[cfg(unix)]
    #[test]
    fn the_directory_and_every_document_are_private() {
        use std::os::unix::fs::PermissionsExt as _;
        let root = tempfile::tempdir().unwrap();
        let new = root.path().join("data");
        let store = DiskStore::open(&new).unwrap();
        assert_eq!(mode(&new), 0o700, "a new data directory is 0700");
        let id = DocumentId::from_random_bytes([3; 16]);
        store.save(&id, b"snapshot").unwrap();
        store.append(&id, b"chunk").unwrap();
        assert_eq!(mode(&store.path(&id)), 0o600, "a document is 0600");

        // A directory and a document left open by an older version.
        let old = root.path().join("old");
        fs::create_dir(&old).unwrap();
        fs::set_permissions(&old, fs::Permissions::from_mode(0o755)).unwrap();
        let file = old.join(format!("{id}.{EXTENSION}"));
        fs::write(&file, b"snapshot").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        let store = DiskStore::open(&old).unwrap();
        assert_eq!(
            mode(&old),
            0o700,
            "an existing looser directory is tightened"
        );
        assert_eq!(store.load_all().unwrap().len(), 1);
        assert_eq!(
            mode(&file),
            0o600,
            "an existing looser document is tightened"
        );
    }

    /// Review finding: every writer used the same `.NAME.tmp`.
    #[test]
    fn every_write_has_its_own_temporary_file() {
        let target = Path::new("/data/tokens.json");
        let a = temp_path(target);
        let b = temp_path(target);
        assert_ne!(a, b);
        for temp in [&a, &b] {
            assert_eq!(temp.parent(), target.parent());
            let name = temp.file_name().unwrap().to_string_lossy().into_owned();
            assert!(name.starts_with(".tokens.json."), "{name}");
            assert!(name.ends_with(".tmp"), "{name}");
            assert!(
                name.contains(&format!(".{}.", std::process::id())),
                "{name}"
            );
        }
    }

    /// Concurrent replacements of one file all succeed, and the file ends up
    /// holding exactly one of them (with one shared temporary name, writers
    /// truncated each other's temporary file or renamed it away under each
    /// other, failing with "not found" or leaving a mix).
    #[test]
    fn concurrent_replacements_all_succeed_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("shared.json");
        let contents: Vec<Vec<u8>> = (0..8u8).map(|i| vec![b'a' + i; 64 * 1024]).collect();
        std::thread::scope(|scope| {
            for content in &contents {
                let target = &target;
                scope.spawn(move || {
                    for _ in 0..20 {
                        write_atomically(target, content).expect("every write succeeds");
                    }
                });
            }
        });
        let last = fs::read(&target).unwrap();
        assert!(contents.contains(&last), "the file holds one whole write");
        assert!(
            temps_in(dir.path()).is_empty(),
            "no temporary files stay behind"
        );
    }

    /// A write that fails (here: the rename, onto a directory) removes its
    /// temporary file.
    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("in-the-way");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("keep"), b"x").unwrap();
        assert!(write_atomically(&target, b"content").is_err());
        assert!(
            temps_in(dir.path()).is_empty(),
            "the temporary file was removed"
        );
    }

    #[cfg(unix)]
    #[test]
    fn temporary_files_are_private_from_the_first_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        let file = create_private(&path).unwrap();
        assert_eq!(mode(&path), 0o600, "0600 before anything is written");
        drop(file);
        assert!(
            create_private(&path).is_err(),
            "never reuses an existing file"
        );
    }
}
