//! Why sync data is walked by `untrusted::check_sync_bytes` before
//! `automerge::sync::Message::decode`: the decoder builds an entry per
//! declared item while input lasts, so it allocates many times the input
//! (measured here with a counting global allocator), while the pre-scan
//! refuses such data without allocating at all. If Automerge stops
//! amplifying, `automerge_decode_amplifies_its_input` fails and the
//! pre-scan may go.

use automerge::sync;
use peak_alloc::PeakAlloc;
use regie_core::untrusted::{MAX_SYNC_CHANGES, MAX_SYNC_HAVES, Refused, check_sync_bytes};

// Counts the bytes currently allocated (wrapping `System`) and the peak
// since the last reset.
#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

/// Unsigned LEB128.
fn leb128(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A sync message of `n` empty `have` entries (two bytes each).
fn empty_haves(n: usize) -> Vec<u8> {
    let mut out = vec![0x42, 0, 0];
    leb128(&mut out, n as u64);
    out.resize(out.len() + 2 * n, 0);
    out.push(0);
    out
}

/// A sync message of `n` empty changes (one byte each).
fn empty_changes(n: usize) -> Vec<u8> {
    let mut out = vec![0x42, 0, 0, 0];
    leb128(&mut out, n as u64);
    out.resize(out.len() + n, 0);
    out
}

/// The peak allocated while `f` runs, above what was live before.
fn peak_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATOR.current_usage();
    ALLOCATOR.reset_peak_usage();
    let result = f();
    (ALLOCATOR.peak_usage() - before, result)
}

// One test, so that no other test thread allocates while one is measured.
#[test]
fn automerge_decode_amplifies_its_input_and_the_pre_scan_refuses_it() {
    let haves = empty_haves(500_000);
    let (peak, decoded) = peak_of(|| sync::Message::decode(&haves).map(drop));
    assert!(decoded.is_ok());
    assert!(
        peak > 16 * haves.len(),
        "decoding {} bytes of empty haves allocated only {peak}",
        haves.len()
    );
    let (peak, refused) = peak_of(|| check_sync_bytes(&haves));
    assert_eq!(
        refused,
        Err(Refused::TooMany {
            what: "have",
            count: 500_000,
            max: MAX_SYNC_HAVES
        })
    );
    assert_eq!(peak, 0);

    let changes = empty_changes(1_000_000);
    let (peak, decoded) = peak_of(|| sync::Message::decode(&changes).map(drop));
    assert!(decoded.is_ok());
    assert!(
        peak > 16 * changes.len(),
        "decoding {} bytes of empty changes allocated only {peak}",
        changes.len()
    );
    let (peak, refused) = peak_of(|| check_sync_bytes(&changes));
    assert_eq!(
        refused,
        Err(Refused::TooMany {
            what: "changes",
            count: 1_000_000,
            max: MAX_SYNC_CHANGES
        })
    );
    assert_eq!(peak, 0);

    // What passes the pre-scan decodes within about its size plus the
    // limits' worth of entries.
    let at_limit = empty_changes(MAX_SYNC_CHANGES);
    assert_eq!(check_sync_bytes(&at_limit), Ok(()));
    let (peak, decoded) = peak_of(|| sync::Message::decode(&at_limit).map(drop));
    assert!(decoded.is_ok());
    assert!(peak <= 48 * MAX_SYNC_CHANGES + 64 * 1024, "{peak}");
}
