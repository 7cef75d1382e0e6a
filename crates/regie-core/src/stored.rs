//! A document as it is kept on a device or on the relay's disk: a snapshot
//! (`Automerge::save`) followed by change chunks appended since
//! (`save_after`). Appending costs only the new changes, where re-saving
//! costs the whole document.
//!
//! A write cut off by a crash leaves at most a torn last chunk. Nobody was
//! told about that change yet (writes are flushed before anything is
//! acknowledged), so loading keeps every whole chunk and drops the tail.

use automerge::{Automerge, AutomergeError};

/// The four bytes every Automerge storage chunk starts with.
pub(crate) const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// Magic, checksum and chunk type: what precedes a chunk's length.
const HEADER_START: usize = 9;

/// The whole storage chunks at the start of `bytes`, and what follows them
/// (a torn or unreadable tail; empty when everything is whole).
///
/// Only headers are read: the type byte is `chunk[8]`, and Automerge checks
/// the contents when it loads them.
pub fn split_chunks(mut bytes: &[u8]) -> (Vec<&[u8]>, &[u8]) {
    let mut chunks = Vec::new();
    while bytes.len() > HEADER_START && bytes[..4] == MAGIC {
        let Some((len, len_bytes)) = leb128_u64(&bytes[HEADER_START..]) else {
            break;
        };
        let end = usize::try_from(len)
            .ok()
            .and_then(|len| len.checked_add(HEADER_START + len_bytes));
        let Some(end) = end.filter(|end| *end <= bytes.len()) else {
            break;
        };
        let (chunk, rest) = bytes.split_at(end);
        chunks.push(chunk);
        bytes = rest;
    }
    (chunks, bytes)
}

/// Loads a snapshot with appended chunks, keeping every whole chunk that
/// reads. Returns the document and how many bytes at the end were dropped.
pub fn load_appended(bytes: &[u8]) -> Result<(Automerge, usize), AutomergeError> {
    let (chunks, tail) = split_chunks(bytes);
    let whole = &bytes[..bytes.len() - tail.len()];
    if let Ok(doc) = Automerge::load(whole) {
        return Ok((doc, tail.len()));
    }
    // Some whole chunk does not read: keep the ones before it.
    let Some((first, later)) = chunks.split_first() else {
        return Automerge::load(bytes).map(|doc| (doc, 0));
    };
    let mut doc = Automerge::load(first)?;
    let mut kept = first.len();
    for chunk in later {
        if doc.load_incremental(chunk).is_err() {
            break;
        }
        kept += chunk.len();
    }
    Ok((doc, bytes.len() - kept))
}

/// An unsigned LEB128 number and how many bytes it took, or `None` when the
/// bytes end first or it does not fit in 64 bits.
pub(crate) fn leb128_u64(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, byte) in bytes.iter().enumerate().take(10) {
        let low = u64::from(byte & 0x7f);
        let shift = 7 * i as u32;
        if shift == 63 && low > 1 {
            return None;
        }
        value |= low << shift;
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable as _;
    use automerge::{ROOT, ReadDoc as _};

    fn put(doc: &mut Automerge, key: &str, value: &str) {
        doc.transact::<_, _, AutomergeError>(|tx| {
            tx.put(ROOT, key, value)?;
            Ok(())
        })
        .unwrap();
    }

    /// A snapshot with two appended changes, and the document they make.
    fn appended() -> (Vec<u8>, Automerge) {
        let mut doc = Automerge::new();
        put(&mut doc, "titel", "Plan");
        let mut bytes = doc.save();
        for (key, value) in [("wijk", "Ledeberg"), ("status", "lopend")] {
            let before = doc.get_heads();
            put(&mut doc, key, value);
            bytes.extend(doc.save_after(&before));
        }
        (bytes, doc)
    }

    #[test]
    fn a_snapshot_with_appended_chunks_loads_whole() {
        let (bytes, doc) = appended();
        let (chunks, tail) = split_chunks(&bytes);
        assert_eq!(chunks.len(), 3);
        assert!(tail.is_empty());
        let (loaded, dropped) = load_appended(&bytes).unwrap();
        assert_eq!(loaded.get_heads(), doc.get_heads());
        assert_eq!(dropped, 0);
    }

    #[test]
    fn a_torn_last_chunk_is_dropped_and_the_rest_kept() {
        let (bytes, _) = appended();
        let (chunks, _) = split_chunks(&bytes);
        let last = chunks[2].len();
        for cut in [1, last / 2, last - 1] {
            let torn = &bytes[..bytes.len() - cut];
            let (loaded, dropped) = load_appended(torn).unwrap();
            assert_eq!(dropped, last - cut, "cut {cut}");
            assert_eq!(
                loaded.get(ROOT, "wijk").unwrap().unwrap().0.as_str(),
                Some("Ledeberg")
            );
            assert!(loaded.get(ROOT, "status").unwrap().is_none());
        }
    }

    #[test]
    fn a_damaged_middle_chunk_keeps_what_came_before() {
        let (mut bytes, _) = appended();
        let (chunks, _) = split_chunks(&bytes);
        let middle = chunks[0].len() + chunks[1].len() - 3;
        bytes[middle] ^= 0xff;
        let (loaded, _) = load_appended(&bytes).unwrap();
        assert_eq!(
            loaded.get(ROOT, "titel").unwrap().unwrap().0.as_str(),
            Some("Plan")
        );
    }

    #[test]
    fn leb128_reads_multi_byte_numbers() {
        assert_eq!(leb128_u64(&[0xe5, 0x8e, 0x26]), Some((624_485, 3)));
        assert_eq!(leb128_u64(&[0x80]), None);
        assert_eq!(leb128_u64(&[0xff; 11]), None);
    }
}
