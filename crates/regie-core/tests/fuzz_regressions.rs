//! Replays every kept fuzz input natively, in the normal `cargo test`: the
//! seeds the fuzzers start from and every crasher they ever found, under
//! `tests/fuzz-regressions/<target>/`. Each input runs through the same
//! harness the fuzz targets in `crates/regie-fuzz` run, so a bug the fuzzer
//! found stays fixed.
//!
//! Crashers whose bug is not fixed yet wait in `fuzz-regressions/open/<target>/`
//! and run only with `--ignored` (`open_crashers_pass`); once fixed, move them
//! into `<target>/` so the normal run keeps them fixed.
//!
//! `cargo test -p regie-core --test fuzz_regressions write_seeds -- --ignored`
//! rewrites the seed inputs (files named `seed-*`) from real protocol
//! sessions and documents.

#[path = "fuzz-regressions/harness.rs"]
mod harness;
mod support;

use std::path::{Path, PathBuf};

use automerge::transaction::Transactable as _;
use automerge::{ObjType, ROOT};
use regie_core::{ConnId, Effect, Repo, SharePolicy, backup};

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    if !dir.exists() {
        return Vec::new();
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str, run: fn(&[u8])) {
    let files = inputs(target);
    assert!(
        files.len() >= 3,
        "the {target} inputs are there ({} found)",
        files.len()
    );
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        assert!(outcome.is_ok(), "{} fails again", file.display());
    }
}

#[test]
fn relay_frames_inputs_pass() {
    replay("relay_frames", harness::relay_frames);
}

#[test]
fn backup_import_inputs_pass() {
    replay("backup_import", harness::backup_import);
}

/// Known crashers not fixed yet. `relay_frames/hang-*` never returns while
/// the bug is there, so each input runs on its own thread with a deadline.
#[test]
#[ignore = "known open bugs; see fuzz-regressions/open/"]
fn open_crashers_pass() {
    let mut failed = Vec::new();
    for (target, run) in [
        ("open/relay_frames", harness::relay_frames as fn(&[u8])),
        ("open/backup_import", harness::backup_import),
    ] {
        for file in inputs(target) {
            let bytes = std::fs::read(&file).unwrap();
            let (done, outcome) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let ok = std::panic::catch_unwind(|| run(&bytes)).is_ok();
                let _ = done.send(ok);
            });
            match outcome.recv_timeout(std::time::Duration::from_secs(3)) {
                Ok(true) => {}
                Ok(false) => failed.push(format!("{} panics", file.display())),
                Err(_) => {
                    failed.push(format!("{} does not finish", file.display()));
                    // A runaway loop only grows; stop before it eats the machine.
                    break;
                }
            }
        }
    }
    assert!(failed.is_empty(), "open crashers: {failed:#?}");
}

/// The seed session reaches the relay's storage path, so the fuzzer starts
/// from frames that get deep into the engine rather than from garbage.
#[test]
fn seeds_reach_the_engine() {
    let frames = client_session();
    assert!(frames.len() >= 3, "join, and sync messages with changes");
    let mut relay = Repo::new("relay".into(), SharePolicy::OnRequest);
    relay.connect_with(ConnId(1), false, regie_core::Access::FULL);
    let persisted = frames
        .iter()
        .flat_map(|f| relay.receive(ConnId(1), f))
        .any(|e| matches!(e, Effect::Persist { .. }));
    assert!(persisted, "the seed session stores a document");
}

/// Frames a client sends to the relay in a real session: it joins, offers
/// an edited copy of the held plan and a new document, and sends presence.
fn client_session() -> Vec<Vec<u8>> {
    let stamp = regie_core::author::Stamp::default();
    let mut client = Repo::new("fuzz".into(), SharePolicy::Announce);
    let mut plan = harness::small_plan();
    regie_core::plan::edit_plan(&mut plan, &stamp, |p| p.add_ambition("a2".into(), "Wonen"))
        .unwrap();
    client.insert(harness::held_id(), plan);
    client.insert(harness::other_id(), rich_document());
    let mut relay = Repo::new("relay".into(), SharePolicy::OnRequest);
    relay.insert(harness::held_id(), harness::small_plan());
    let (c, r) = (ConnId(0), ConnId(1));
    relay.connect_with(r, false, regie_core::Access::FULL);
    let mut to_relay: Vec<Vec<u8>> = Vec::new();
    let mut pending = client.connect_upstream(c);
    pending.extend(client.broadcast_ephemeral(harness::held_id(), b"{\"naam\":\"An\"}".to_vec()));
    let mut sent = Vec::new();
    for _ in 0..20 {
        let mut back = Vec::new();
        for effect in pending.drain(..) {
            if let Effect::Send { frame, .. } = effect {
                sent.push(frame.clone());
                to_relay.push(frame);
            }
        }
        for frame in to_relay.drain(..) {
            let effects = relay.receive(r, &frame);
            back.extend(relay.durable_at_once(effects));
        }
        for effect in back {
            if let Effect::Send { frame, .. } = effect {
                let effects = client.receive(c, &frame);
                pending.extend(client.durable_at_once(effects));
            }
        }
        if pending.is_empty() {
            break;
        }
    }
    sent
}

/// A document with a text, a list and nested maps.
fn rich_document() -> automerge::Automerge {
    let mut doc = automerge::Automerge::new();
    let mut tx = doc.transaction();
    tx.put(ROOT, "title", "Buurtfeest").unwrap();
    let text = tx.put_object(ROOT, "description", ObjType::Text).unwrap();
    tx.splice_text(&text, 0, 0, "Op het plein, met soep.")
        .unwrap();
    let list = tx.put_object(ROOT, "items", ObjType::List).unwrap();
    for (i, item) in ["tafels", "stoelen", "soep"].iter().enumerate() {
        let map = tx.insert_object(&list, i, ObjType::Map).unwrap();
        tx.put(&map, "name", *item).unwrap();
        tx.put(&map, "count", i as i64 + 1).unwrap();
    }
    tx.commit();
    let mut tx = doc.transaction();
    tx.splice_text(&text, 0, 2, "Aan").unwrap();
    tx.put(ROOT, "done", true).unwrap();
    tx.commit();
    doc
}

#[test]
#[ignore = "writes the seed inputs; run by hand"]
fn write_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let write = |target: &str, name: &str, bytes: Vec<u8>| {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("seed-{name}")), bytes).unwrap();
    };

    let session = harness::join_frames(&client_session());
    // Bit 2 set: the session brings its own join.
    for (mode, name) in [
        (4u8, "session-full"),
        (5, "session-read-only"),
        (6, "session-other-doc"),
        (7, "session-read-only-scoped"),
    ] {
        let mut input = vec![mode];
        input.extend_from_slice(&session);
        write("relay_frames", name, input);
    }
    let odd = [
        regie_core::protocol::Message::Error {
            message: "stop".into(),
        }
        .encode(),
        vec![0xa1, 0x64, b't', b'y', b'p', b'e', 0x63, b'f', b'o', b'o'],
        vec![0xff, 0x00, 0x13],
    ];
    let mut input = vec![0u8];
    input.extend(harness::join_frames(&odd));
    write("relay_frames", "odd-frames", input);

    let mut input = vec![1u8];
    input.extend(harness::small_plan().save());
    write("backup_import", "plan-document", input);
    let mut input = vec![1u8];
    input.extend(rich_document().save());
    write("backup_import", "rich-document", input);
    let mut input = vec![0u8];
    input.extend(backup::encode(
        1_767_225_600_000,
        &[
            (harness::held_id(), harness::small_plan().save()),
            (harness::other_id(), rich_document().save()),
        ],
    ));
    write("backup_import", "backup-file", input);
}
