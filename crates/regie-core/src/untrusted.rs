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
//! A security review found more that costs instead of panics: a filter
//! that claims an entry but has no bit set matches nothing, so every change
//! is rebuilt and sent; thousands of filters in one message, or counts far
//! beyond the input, make Automerge work or allocate far beyond the
//! message's size. [`check_sync_bytes`] walks the encoded message before
//! it is decoded, [`check_sync_message`] checks a decoded one.
//!
//! In the browser a panic aborts the whole app (wasm has no unwinding), so
//! these checks run before Automerge sees the bytes, not after.

use automerge::sync;

use crate::stored::{MAGIC, leb128_u64, split_chunks};

/// The storage chunk type of a bundle.
const BUNDLE_CHUNK: u8 = 3;
/// Automerge itself uses 7 probes; a filter is refused above this many.
const MAX_BLOOM_PROBES: u64 = 64;
/// Automerge itself uses 10 bits per entry; a filter is refused above this
/// many.
const MAX_BLOOM_BITS_PER_ENTRY: u64 = 64;
/// Bytes of bits in a bloom filter: probes are taken modulo the number of
/// bits, which Automerge counts in a u32.
const MAX_BLOOM_BYTES: usize = (u32::MAX / 8) as usize;
/// Heads of one document in a sync message (`heads`, and each `lastSync`,
/// which are heads too). Heads are the changes nothing depends on yet: one
/// per device that edited concurrently since the last merge, so a busy
/// document has at most tens.
pub const MAX_SYNC_HEADS: usize = 256;
/// Hashes in `need`: the dependencies a peer misses for changes it got out
/// of order, a few thousand at worst after a long time apart.
pub const MAX_SYNC_NEED: usize = 10_000;
/// Entries of `have`. Automerge sends at most one; each costs the receiver
/// a walk of every change since its `lastSync`.
pub const MAX_SYNC_HAVES: usize = 4;
/// Changes in one sync message. A peer without the document format
/// (sync message v1) gets a document's whole history as changes: the
/// benchmark plan has 5,000, a long-lived document a few ten thousand.
pub const MAX_SYNC_CHANGES: usize = 100_000;

/// Why bytes were refused before Automerge saw them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// A storage chunk of the bundle type, which Regie never writes.
    #[error("bundle chunks are not accepted")]
    BundleChunk,
    /// A bloom filter whose header does not read.
    #[error("malformed bloom filter in sync message")]
    BadBloom,
    /// More of something than Automerge can be made to work on.
    #[error("{count} {what} in sync message, at most {max} accepted")]
    TooMany {
        /// What there are too many of (`heads`, `need`, `have`, `lastSync`,
        /// `changes`, `bloom probes`, `bloom bits per entry`).
        what: &'static str,
        /// How many the message declares.
        count: usize,
        /// The most accepted.
        max: usize,
    },
    /// A bloom filter whose entries × bits per entry do not match the bytes
    /// of bits it carries.
    #[error("bloom filter declares {expected} bytes of bits but carries {carried}")]
    BloomSize {
        /// Bytes the declared entries and bits per entry take.
        expected: usize,
        /// Bytes it carries.
        carried: usize,
    },
    /// A bloom filter that claims entries but has no bit set (or no bits):
    /// it matches nothing, so it asks for every change (or divides by zero).
    #[error("bloom filter claims {entries} entries but has no bit set")]
    BloomWithoutBits {
        /// The entries it claims.
        entries: usize,
    },
    /// The encoded sync message ends inside `what`.
    #[error("sync message cut off in {what}")]
    Truncated {
        /// Where it ends.
        what: &'static str,
    },
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

fn at_most(what: &'static str, count: usize, max: usize) -> Result<(), Refused> {
    if count > max {
        Err(Refused::TooMany { what, count, max })
    } else {
        Ok(())
    }
}

/// Checks a decoded sync message before `receive_sync_message`: the counts
/// Automerge's work grows with (see the `MAX_SYNC_*` constants), its
/// changes as storage, and every bloom filter it carries.
pub fn check_sync_message(message: &sync::Message) -> Result<(), Refused> {
    at_most("heads", message.heads.len(), MAX_SYNC_HEADS)?;
    at_most("need", message.need.len(), MAX_SYNC_NEED)?;
    at_most("have", message.have.len(), MAX_SYNC_HAVES)?;
    for have in &message.have {
        at_most("lastSync", have.last_sync.len(), MAX_SYNC_HEADS)?;
        check_bloom(&have.bloom.to_bytes())?;
    }
    at_most("changes", message.changes.len(), MAX_SYNC_CHANGES)?;
    message.changes.iter().try_for_each(check_storage)
}

/// Checks an encoded sync message before `sync::Message::decode`, which
/// trusts its counts: it builds a vector entry per declared item while
/// input lasts, so one byte of input (an empty change) becomes a 24-byte
/// vector and two bytes (an empty `have`) a 64-byte entry, and a 16 MiB
/// frame made the decoder allocate over a gigabyte. Walks every count and
/// length (the limits of [`check_sync_message`], bloom filters included)
/// without allocating; what passes decodes into at most about the input's
/// size plus the limits' worth of entries.
pub fn check_sync_bytes(data: &[u8]) -> Result<(), Refused> {
    let mut scan = Scan { rest: data };
    scan.bytes(1, "message type")?;
    let heads = scan.count("heads", MAX_SYNC_HEADS)?;
    scan.bytes(heads * HASH_BYTES, "heads")?;
    let need = scan.count("need", MAX_SYNC_NEED)?;
    scan.bytes(need * HASH_BYTES, "need")?;
    for _ in 0..scan.count("have", MAX_SYNC_HAVES)? {
        let last_sync = scan.count("lastSync", MAX_SYNC_HEADS)?;
        scan.bytes(last_sync * HASH_BYTES, "lastSync")?;
        let len = scan.length("bloom filter")?;
        check_bloom(scan.bytes(len, "bloom filter")?)?;
    }
    for _ in 0..scan.count("changes", MAX_SYNC_CHANGES)? {
        let len = scan.length("changes")?;
        check_storage(scan.bytes(len, "changes")?)?;
    }
    // Then optional flags, which Automerge reads as a length and bytes.
    if !scan.rest.is_empty() {
        let len = scan.length("flags")?;
        scan.bytes(len, "flags")?;
    }
    Ok(())
}

/// Bytes of a change hash.
const HASH_BYTES: usize = 32;

/// A walk over an encoded sync message.
struct Scan<'a> {
    rest: &'a [u8],
}

impl<'a> Scan<'a> {
    fn number(&mut self, what: &'static str) -> Result<u64, Refused> {
        let (value, used) = leb128_u64(self.rest).ok_or(Refused::Truncated { what })?;
        self.rest = &self.rest[used..];
        Ok(value)
    }

    /// A length, which must fit in what is left.
    fn length(&mut self, what: &'static str) -> Result<usize, Refused> {
        let len = self.number(what)?;
        usize::try_from(len)
            .ok()
            .filter(|len| *len <= self.rest.len())
            .ok_or(Refused::Truncated { what })
    }

    /// A count of at most `max`.
    fn count(&mut self, what: &'static str, max: usize) -> Result<usize, Refused> {
        let count = self.number(what)?;
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        at_most(what, count, max)?;
        Ok(count)
    }

    fn bytes(&mut self, len: usize, what: &'static str) -> Result<&'a [u8], Refused> {
        if len > self.rest.len() {
            return Err(Refused::Truncated { what });
        }
        let (taken, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(taken)
    }
}

/// A filter's wire form: entries, bits per entry and probes as LEB128, then
/// the bits, `ceil(entries × bits per entry / 8)` bytes (Automerge ignores
/// any beyond). An empty filter is written as no bytes at all.
fn check_bloom(encoded: &[u8]) -> Result<(), Refused> {
    if encoded.is_empty() {
        return Ok(());
    }
    let mut rest = encoded;
    let mut field = || {
        let (value, used) = leb128_u64(rest)?;
        rest = &rest[used..];
        // Automerge reads each as a u32.
        u32::try_from(value).ok().map(u64::from)
    };
    let (Some(entries), Some(bits_per_entry), Some(probes)) = (field(), field(), field()) else {
        return Err(Refused::BadBloom);
    };
    let count = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    at_most("bloom probes", count(probes), MAX_BLOOM_PROBES as usize)?;
    at_most(
        "bloom bits per entry",
        count(bits_per_entry),
        MAX_BLOOM_BITS_PER_ENTRY as usize,
    )?;
    // Both factors are below 2^32, so the product fits in a u64.
    let expected = count((entries * bits_per_entry).div_ceil(8));
    if expected != rest.len() {
        return Err(Refused::BloomSize {
            expected,
            carried: rest.len(),
        });
    }
    at_most("bloom filter bytes", rest.len(), MAX_BLOOM_BYTES)?;
    if entries > 0 && rest.iter().all(|byte| *byte == 0) {
        return Err(Refused::BloomWithoutBits {
            entries: count(entries),
        });
    }
    Ok(())
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
        assert_eq!(
            check_bloom(&[1, 0, 7]),
            Err(Refused::BloomWithoutBits { entries: 1 })
        );
        assert_eq!(
            check_bloom(&[1, 10, 65, 0xff, 0x03]),
            Err(Refused::TooMany {
                what: "bloom probes",
                count: 65,
                max: 64
            })
        );
        assert_eq!(check_bloom(&[0x80]), Err(Refused::BadBloom));
        // Probes beyond a u32.
        assert_eq!(
            check_bloom(&[1, 10, 0x80, 0x80, 0x80, 0x80, 0x10]),
            Err(Refused::BadBloom)
        );
    }

    #[test]
    fn a_real_sync_message_passes() {
        let doc = Automerge::load(&saved()).unwrap();
        let mut state = sync::State::new();
        use automerge::sync::SyncDoc as _;
        let message = doc.generate_sync_message(&mut state).unwrap();
        assert_eq!(check_sync_message(&message), Ok(()));
    }

    use automerge::sync::SyncDoc as _;
    use automerge::{ChangeHash, sync::BloomFilter};

    fn hashes(n: usize) -> Vec<ChangeHash> {
        (0..n)
            .map(|i| {
                let mut hash = [0u8; 32];
                hash[..8].copy_from_slice(&(i as u64).to_be_bytes());
                ChangeHash(hash)
            })
            .collect()
    }

    fn message(heads: usize, need: usize, have: Vec<sync::Have>, changes: usize) -> sync::Message {
        sync::Message {
            heads: hashes(heads),
            need: hashes(need),
            have,
            changes: vec![Vec::new(); changes].into(),
            flags: None,
            version: sync::MessageVersion::V1,
        }
    }

    fn have(last_sync: usize, bloom: &[u8]) -> sync::Have {
        sync::Have {
            last_sync: hashes(last_sync),
            bloom: BloomFilter::try_from(bloom).unwrap(),
        }
    }

    /// Both checks, which must agree.
    fn checked(message: &sync::Message) -> Result<(), Refused> {
        let decoded = check_sync_message(message);
        assert_eq!(check_sync_bytes(&message.clone().encode()), decoded);
        decoded
    }

    fn too_many(what: &'static str, count: usize, max: usize) -> Result<(), Refused> {
        Err(Refused::TooMany { what, count, max })
    }

    #[test]
    fn counts_are_capped_before_automerge_works_on_them() {
        let ok = || have(MAX_SYNC_HEADS, &[]);
        assert_eq!(
            checked(&message(
                MAX_SYNC_HEADS,
                MAX_SYNC_NEED,
                vec![ok(); MAX_SYNC_HAVES],
                3
            )),
            Ok(())
        );
        assert_eq!(
            checked(&message(MAX_SYNC_HEADS + 1, 0, vec![], 0)),
            too_many("heads", MAX_SYNC_HEADS + 1, MAX_SYNC_HEADS)
        );
        assert_eq!(
            checked(&message(1, MAX_SYNC_NEED + 1, vec![], 0)),
            too_many("need", MAX_SYNC_NEED + 1, MAX_SYNC_NEED)
        );
        assert_eq!(
            checked(&message(1, 0, vec![ok(); MAX_SYNC_HAVES + 1], 0)),
            too_many("have", MAX_SYNC_HAVES + 1, MAX_SYNC_HAVES)
        );
        assert_eq!(
            checked(&message(1, 0, vec![have(MAX_SYNC_HEADS + 1, &[])], 0)),
            too_many("lastSync", MAX_SYNC_HEADS + 1, MAX_SYNC_HEADS)
        );
        assert_eq!(checked(&message(1, 0, vec![], MAX_SYNC_CHANGES)), Ok(()));
        assert_eq!(
            checked(&message(1, 0, vec![], MAX_SYNC_CHANGES + 1)),
            too_many("changes", MAX_SYNC_CHANGES + 1, MAX_SYNC_CHANGES)
        );
        // A count far beyond the input is refused on its own.
        let huge = [0x42, 0xff, 0xff, 0xff, 0xff, 0x0f];
        assert_eq!(
            check_sync_bytes(&huge),
            too_many("heads", 0xffff_ffff, MAX_SYNC_HEADS)
        );
    }

    #[test]
    fn blooms_must_carry_the_bits_they_declare() {
        // "An entry and no bits": matches nothing, so asks for every change.
        assert_eq!(
            checked(&message(1, 0, vec![have(0, &[1, 10, 7, 0, 0])], 0)),
            Err(Refused::BloomWithoutBits { entries: 1 })
        );
        assert_eq!(
            checked(&message(
                1,
                0,
                vec![have(
                    0,
                    &[
                        3, 65, 7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                        0xff, 0xff
                    ]
                )],
                0
            )),
            too_many("bloom bits per entry", 65, 64)
        );
        // Automerge decodes a filter with bytes beyond its bits (and drops
        // them); only the encoded message shows the mismatch.
        let extra = [0x42, 0, 0, 1, 0, 6, 1, 10, 7, 0xff, 0x03, 0xaa, 0];
        assert!(sync::Message::decode(&extra).is_ok());
        assert_eq!(
            check_sync_bytes(&extra),
            Err(Refused::BloomSize {
                expected: 2,
                carried: 3
            })
        );
        let short = [0x42, 0, 0, 1, 0, 4, 2, 10, 7, 0xff, 0];
        assert_eq!(
            check_sync_bytes(&short),
            Err(Refused::BloomSize {
                expected: 3,
                carried: 1
            })
        );
        // An empty filter with a header is harmless.
        assert_eq!(check_bloom(&[0, 10, 7]), Ok(()));
    }

    #[test]
    fn cut_sync_bytes_are_refused_or_decode() {
        let doc = Automerge::load(&saved()).unwrap();
        let message = doc
            .generate_sync_message(&mut sync::State::new())
            .unwrap()
            .encode();
        let with_changes = message_with_changes();
        for bytes in [message, with_changes] {
            for cut in 0..bytes.len() {
                let part = &bytes[..cut];
                if check_sync_bytes(part).is_ok() {
                    assert!(sync::Message::decode(part).is_ok(), "cut at {cut}");
                }
            }
        }
        assert_eq!(
            check_sync_bytes(&[]),
            Err(Refused::Truncated {
                what: "message type"
            })
        );
    }

    /// A sync message carrying changes, as Automerge sends it.
    fn message_with_changes() -> Vec<u8> {
        let mut a = Automerge::load(&saved()).unwrap();
        let mut b = a.fork();
        let (mut sa, mut sb) = (sync::State::new(), sync::State::new());
        while let Some(m) = a.generate_sync_message(&mut sa) {
            b.receive_sync_message(&mut sb, m).unwrap();
            let Some(m) = b.generate_sync_message(&mut sb) else {
                break;
            };
            a.receive_sync_message(&mut sa, m).unwrap();
        }
        a.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "y", 2).map(|_| ()))
            .unwrap();
        let m = a.generate_sync_message(&mut sa).unwrap();
        assert!(!m.changes.is_empty());
        m.encode()
    }

    /// One message from `from` to `to`, checked both ways; `None` when
    /// there is nothing to send, else whether it carried changes.
    fn step(
        from: &Automerge,
        from_state: &mut sync::State,
        to: &mut Automerge,
        to_state: &mut sync::State,
    ) -> Option<bool> {
        let bytes = from.generate_sync_message(from_state)?.encode();
        assert_eq!(check_sync_bytes(&bytes), Ok(()));
        let decoded = sync::Message::decode(&bytes).unwrap();
        assert_eq!(check_sync_message(&decoded), Ok(()));
        let changes = !decoded.changes.is_empty();
        to.receive_sync_message(to_state, decoded).unwrap();
        Some(changes)
    }

    /// Syncs `a` and `b` to the end, checking every message; how many
    /// carried changes.
    fn sync_checked(a: &mut Automerge, b: &mut Automerge) -> usize {
        let (mut sa, mut sb) = (sync::State::new(), sync::State::new());
        let mut with_changes = 0;
        for _ in 0..20 {
            let there = step(a, &mut sa, b, &mut sb);
            let back = step(b, &mut sb, a, &mut sa);
            if there.is_none() && back.is_none() {
                return with_changes;
            }
            with_changes += [there, back].into_iter().flatten().filter(|c| *c).count();
        }
        panic!("sync did not end");
    }

    #[test]
    fn real_sync_messages_pass_both_checks() {
        // First messages, a whole document, then single changes.
        let mut a = Automerge::new();
        for i in 0..30 {
            a.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, format!("k{i}"), i).map(|_| ())
            })
            .unwrap();
        }
        let mut b = Automerge::new();
        assert!(sync_checked(&mut a, &mut b) > 0);
        for doc in [&mut a, &mut b] {
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, "concurrent", 1).map(|_| ())
            })
            .unwrap();
        }
        assert!(sync_checked(&mut a, &mut b) > 0);
        assert_eq!(a.get_heads(), b.get_heads());
        // A peer whose last sync names changes we lack gets a reset.
        let mut state = sync::State::new();
        let strange = message(0, 0, vec![have(1, &[])], 0);
        a.receive_sync_message(&mut state, strange).unwrap();
        let reset = a.generate_sync_message(&mut state).unwrap();
        assert_eq!(reset.have.len(), 1);
        assert_eq!(checked(&reset), Ok(()));
    }
}
