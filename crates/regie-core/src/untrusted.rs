//! Checks on bytes from outside (a peer, an imported file) for the inputs
//! that make Automerge 0.12 panic instead of returning an error.
//!
//! Fuzzing found two (kept in `tests/fuzz-regressions/`):
//! - a *bundle* chunk (storage chunk type 3) whose columns do not decode:
//!   `Automerge::load` unwraps inside its bundle parser. Regie never writes
//!   bundles, so any chunk of that type is refused before loading.
//! - a sync message whose bloom filter claims entries but carries no bits:
//!   the next `generate_sync_message` divides by zero. A filter asking for
//!   absurdly many probes would instead allocate and loop without bound.
//!
//! In the browser a panic aborts the whole app (wasm has no unwinding), so
//! these checks run before Automerge sees the bytes, not after.

use automerge::sync;

use crate::stored::{MAGIC, leb128_u64, split_chunks};

/// The storage chunk type of a bundle.
const BUNDLE_CHUNK: u8 = 3;
/// Automerge itself uses 7 probes; a filter is refused above this many.
const MAX_BLOOM_PROBES: u32 = 64;

/// Why bytes were refused before Automerge saw them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// A storage chunk of the bundle type, which Regie never writes.
    #[error("bundle chunks are not accepted")]
    BundleChunk,
    /// A bloom filter without bits, or with more probes than makes sense.
    #[error("malformed bloom filter in sync message")]
    BadBloom,
}

/// Checks storage bytes (a saved document or a run of changes) before
/// `Automerge::load` or `load_incremental`.
///
/// Reads the chunk headers only, also of a cut-off last chunk: Automerge
/// reads a chunk's type before it notices the chunk is incomplete.
pub fn check_storage(bytes: &[u8]) -> Result<(), Refused> {
    let is_bundle =
        |chunk: &[u8]| chunk.len() > 8 && chunk[..4] == MAGIC && chunk[8] == BUNDLE_CHUNK;
    let (chunks, tail) = split_chunks(bytes);
    if chunks.iter().any(|chunk| is_bundle(chunk)) || is_bundle(tail) {
        Err(Refused::BundleChunk)
    } else {
        Ok(())
    }
}

/// Checks a decoded sync message before `receive_sync_message`: its changes
/// as storage, and every bloom filter it carries.
pub fn check_sync_message(message: &sync::Message) -> Result<(), Refused> {
    for have in &message.have {
        check_bloom(&have.bloom.to_bytes())?;
    }
    message.changes.iter().try_for_each(check_storage)
}

/// A filter's wire form: entries, bits per entry and probes as LEB128, then
/// the bits. An empty filter is written as no bytes at all.
fn check_bloom(encoded: &[u8]) -> Result<(), Refused> {
    if encoded.is_empty() {
        return Ok(());
    }
    let mut rest = encoded;
    let mut field = || {
        let (value, used) = leb128_u64(rest)?;
        rest = &rest[used..];
        Some(value)
    };
    let (Some(_entries), Some(_bits_per_entry), Some(probes)) = (field(), field(), field()) else {
        return Err(Refused::BadBloom);
    };
    // Probes are taken modulo the number of bits, counted in a u32.
    let bits_fit = !rest.is_empty() && rest.len() < (u32::MAX / 8) as usize;
    if bits_fit && probes <= u64::from(MAX_BLOOM_PROBES) {
        Ok(())
    } else {
        Err(Refused::BadBloom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable as _;
    use automerge::{Automerge, ROOT};

    fn saved() -> Vec<u8> {
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "titel", "Plan")?;
            Ok(())
        })
        .unwrap();
        doc.save()
    }

    #[test]
    fn documents_and_changes_pass() {
        let mut doc = Automerge::load(&saved()).unwrap();
        let before = doc.get_heads();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "wijk", "Ledeberg")?;
            Ok(())
        })
        .unwrap();
        let mut joined = doc.save();
        joined.extend(doc.save_after(&before));
        assert_eq!(check_storage(&joined), Ok(()));
        assert_eq!(check_storage(b"not automerge"), Ok(()));
    }

    #[test]
    fn a_bundle_chunk_anywhere_is_refused() {
        let mut bytes = saved();
        let second_chunk = bytes.len();
        bytes.extend(saved());
        bytes[second_chunk + 8] = BUNDLE_CHUNK;
        assert_eq!(check_storage(&bytes), Err(Refused::BundleChunk));
    }

    #[test]
    fn blooms_without_bits_or_with_too_many_probes_are_refused() {
        assert_eq!(check_bloom(&[]), Ok(()));
        assert_eq!(check_bloom(&[1, 10, 7, 0xff, 0x03]), Ok(()));
        assert_eq!(check_bloom(&[1, 0, 7]), Err(Refused::BadBloom));
        assert_eq!(check_bloom(&[1, 10, 65, 0xff]), Err(Refused::BadBloom));
        assert_eq!(check_bloom(&[0x80]), Err(Refused::BadBloom));
    }

    #[test]
    fn a_real_sync_message_passes() {
        let doc = Automerge::load(&saved()).unwrap();
        let mut state = sync::State::new();
        use automerge::sync::SyncDoc as _;
        let message = doc.generate_sync_message(&mut state).unwrap();
        assert_eq!(check_sync_message(&message), Ok(()));
    }
}
