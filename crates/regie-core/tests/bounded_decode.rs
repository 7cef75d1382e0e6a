//! Decoding a frame allocates about what the message keeps, never a tree of
//! the frame's items: ~15 MiB frames of one-byte CBOR items (the largest
//! frame the relay accepts is 16 MiB) are measured with a counting global
//! allocator. The old decoder, which built a `ciborium::Value` tree first,
//! peaked at over 1 GiB on such frames.

use peak_alloc::PeakAlloc;
use regie_core::DocumentId;
use regie_core::protocol::Message;

// Counts the bytes currently allocated (wrapping `System`) and the peak
// since the last reset. The workspace forbids `unsafe`, so the counting
// allocator is a small dev-dependency rather than our own.
#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

/// About 15 MiB.
const ITEMS: usize = 15 * 1024 * 1024;

/// CBOR text.
fn text(out: &mut Vec<u8>, s: &str) {
    assert!(s.len() < 256);
    out.extend([0x78, s.len() as u8]);
    out.extend(s.as_bytes());
}

/// A sync map's fixed fields, under a map header for `extra` more entries.
fn sync_head(extra: u8) -> Vec<u8> {
    let mut out = vec![0xa4 + extra];
    for (key, value) in [("type", "sync"), ("senderId", "a"), ("targetId", "b")] {
        text(&mut out, key);
        text(&mut out, value);
    }
    text(&mut out, "documentId");
    text(
        &mut out,
        &DocumentId::from_random_bytes([5; 16]).to_string(),
    );
    out
}

/// A definite array header for `len` items and `len` one-byte items.
fn huge_array(out: &mut Vec<u8>, item: u8) {
    out.push(0x9a);
    out.extend((ITEMS as u32).to_be_bytes());
    out.resize(out.len() + ITEMS, item);
}

/// What decoding `frame` allocates at most (above what was live before),
/// and its result.
fn peak_of(frame: &[u8]) -> (usize, Result<Option<Message>, String>) {
    let before = ALLOCATOR.current_usage();
    ALLOCATOR.reset_peak_usage();
    let result = Message::decode(frame).map_err(|e| e.to_string());
    let peak = ALLOCATOR.peak_usage() - before;
    (peak, result)
}

fn assert_bounded(name: &str, frame: &[u8], peak: usize) {
    let limit = frame.len() + frame.len() / 2 + 64 * 1024;
    assert!(
        peak <= limit,
        "{name}: decoding a {} byte frame allocated {peak} bytes at peak (limit {limit})",
        frame.len()
    );
}

fn sync_data(result: Result<Option<Message>, String>) -> Vec<u8> {
    match result {
        Ok(Some(Message::Sync(m))) => m.data,
        other => panic!("expected a sync message, got {other:?}"),
    }
}

// One test, so that no other test thread allocates while one is measured.
#[test]
fn frames_of_one_byte_items_decode_in_bounded_memory() {
    // A huge array under a key we do not know: walked, never kept.
    let mut unknown = sync_head(2);
    text(&mut unknown, "data");
    unknown.extend([0x43, 1, 2, 3]);
    text(&mut unknown, "junk");
    huge_array(&mut unknown, 0x00);
    let (peak, result) = peak_of(&unknown);
    assert_bounded("huge array under an unknown key", &unknown, peak);
    assert_eq!(sync_data(result), [1, 2, 3]);

    // A huge array of byte values as `data`: kept, one byte per item.
    let mut data = sync_head(1);
    text(&mut data, "data");
    huge_array(&mut data, 0x07);
    let (peak, result) = peak_of(&data);
    assert_bounded("huge array as data", &data, peak);
    let kept = sync_data(result);
    assert_eq!(kept.len(), ITEMS);
    assert!(kept.iter().all(|b| *b == 7));
    drop(kept);

    // An indefinite-length byte string of one-byte chunks as `data`.
    let mut chunks = sync_head(1);
    text(&mut chunks, "data");
    chunks.push(0x5f);
    for _ in 0..ITEMS / 2 {
        chunks.extend([0x41, 9]);
    }
    chunks.push(0xff);
    let (peak, result) = peak_of(&chunks);
    assert_bounded("one-byte chunks as data", &chunks, peak);
    assert_eq!(sync_data(result).len(), ITEMS / 2);

    // A huge indefinite map of one-byte keys and values under an unknown key.
    let mut map = sync_head(2);
    text(&mut map, "data");
    map.extend([0x40]);
    text(&mut map, "junk");
    map.push(0xbf);
    map.resize(map.len() + ITEMS, 0x01);
    map.push(0xff);
    let (peak, result) = peak_of(&map);
    assert_bounded("huge map under an unknown key", &map, peak);
    assert_eq!(sync_data(result), [0u8; 0]);

    // Cut off in the middle: refused, in bounded memory too.
    let cut = &unknown[..unknown.len() / 2];
    let (peak, result) = peak_of(cut);
    assert_bounded("cut-off frame", cut, peak);
    assert!(result.is_err());
}
