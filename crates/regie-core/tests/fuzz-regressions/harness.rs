//! What the fuzz targets in `crates/regie-fuzz` run, shared with the native
//! regression test (`tests/fuzz_regressions.rs`) so a kept input replays
//! exactly what found it.
//!
//! - [`relay_frames`]: bytes as frames arriving at the relay's engine on one
//!   connection, the way `regie-relay`'s hub feeds `Repo::receive`.
//! - [`backup_import`]: bytes as a backup file, or as one document inside a
//!   well-formed backup, through the app's import path: `backup::read`,
//!   `Entry::check` (which runs `Automerge::load`), merging into a document the
//!   device already has, and reading the result as a plan.
//!
//! Both panic only when an invariant breaks; errors for bad input are the
//! expected, quiet outcome.

use automerge::{Automerge, ReadDoc as _};
use regie_core::author::Stamp;
use regie_core::plan::{Status, edit_plan, new_plan_document, read_plan};
use regie_core::protocol::{Message, PeerMetadata};
use regie_core::{Access, ConnId, DocumentId, Effect, Repo, SharePolicy, backup};

/// The document the relay holds in [`relay_frames`].
pub fn held_id() -> DocumentId {
    DocumentId::from_random_bytes([0x42; 16])
}

/// Another document, the only one a scoped token in [`relay_frames`] covers.
pub fn other_id() -> DocumentId {
    DocumentId::from_random_bytes([0x43; 16])
}

/// A small plan with one ambitie and one actie, always the same bytes.
pub fn small_plan() -> Automerge {
    let stamp = Stamp::default();
    let mut doc = new_plan_document("ledeberg", &stamp);
    edit_plan(&mut doc, &stamp, |p| {
        p.add_ambition("a1".into(), "Jongeren")
    })
    .unwrap();
    edit_plan(&mut doc, &stamp, |p| {
        p.add_action("a1", "x1".into(), "Pleinwerking", Status::Lopend)
    })
    .unwrap();
    doc
}

/// Splits fuzz input into frames: each a little-endian u16 length and that
/// many bytes (the last one takes what is left).
pub fn frames(mut data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while data.len() >= 2 {
        let len = usize::from(u16::from_le_bytes([data[0], data[1]]));
        let rest = &data[2..];
        let len = len.min(rest.len());
        out.push(&rest[..len]);
        data = &rest[len..];
    }
    out
}

/// The inverse of [`frames`], for writing seeds.
pub fn join_frames(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for frame in frames {
        let len = u16::try_from(frame.len()).expect("seed frames are small");
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(frame);
    }
    out
}

/// The `join` a client sends first.
pub fn join_frame(peer: &str) -> Vec<u8> {
    Message::Join {
        sender_id: peer.into(),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: PeerMetadata::default(),
    }
    .encode()
}

/// The relay side of one connection. The first byte picks the access the
/// connection's token gives (bits 0–1: full, read-only, edit of
/// [`other_id`] only, read-only of [`held_id`]) and whether the harness
/// does the handshake itself (bit 2), the rest are frames (see [`frames`]).
///
/// Checked: decoding never panics, and a decoded message encodes to bytes
/// that decode to the same message; every document the engine asks to
/// persist saves and loads back strictly with the same heads; a read-only
/// connection, or one whose token covers another document, never changes
/// the held document, and a scoped one makes no document outside its scope.
pub fn relay_frames(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let access = match mode & 3 {
        0 => Access::FULL,
        1 => Access {
            write: false,
            only: None,
            ..Access::FULL
        },
        2 => Access {
            write: true,
            only: Some(other_id()),
            ..Access::FULL
        },
        _ => Access {
            write: false,
            only: Some(held_id()),
            ..Access::FULL
        },
    };
    let mut relay = Repo::new("relay".into(), SharePolicy::OnRequest);
    relay.insert(held_id(), small_plan());
    let before = relay.doc(&held_id()).unwrap().get_heads();
    let conn = ConnId(1);
    relay.connect_with(conn, false, access);
    if mode & 4 == 0 {
        let effects = relay.receive(conn, &join_frame("fuzz"));
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::Connected { .. })),
            "a plain join completes the handshake"
        );
    }
    for frame in frames(rest) {
        if let Ok(Some(message)) = Message::decode(frame) {
            let again = Message::decode(&message.encode()).expect("our own encoding decodes");
            assert_eq!(again, Some(message), "decode ∘ encode is the identity");
        }
        let mut closed = false;
        for effect in relay.receive(conn, frame) {
            match effect {
                Effect::Persist { doc, id } => {
                    check_persisted(&relay, &doc);
                    // Durable at once, so the replies the write held go out
                    // and later frames reach deeper.
                    let _ = relay.persisted(id);
                }
                Effect::Close { conn: c, .. } => {
                    assert_eq!(c, conn);
                    closed = true;
                }
                _ => {}
            }
        }
        if closed {
            // The relay drops the connection; nothing more is read from it.
            break;
        }
    }
    if !access.write || !access.covers(&held_id()) {
        assert_eq!(
            relay.doc(&held_id()).unwrap().get_heads(),
            before,
            "no change reaches a document without write access to it"
        );
    }
    if !access.covers(&held_id()) {
        let others: Vec<_> = relay.doc_ids().filter(|d| **d != held_id()).collect();
        assert!(
            others.iter().all(|d| access.covers(d)),
            "documents appear only within the token's scope: {others:?}"
        );
    }
}

fn check_persisted(relay: &Repo, doc: &DocumentId) {
    let bytes = relay.save(doc).expect("a persisted document is held");
    let strict = automerge::LoadOptions::new().on_partial_load(automerge::OnPartialLoad::Error);
    let loaded = Automerge::load_with_options(&bytes, strict).expect("what is persisted loads");
    assert_eq!(loaded.get_heads(), relay.doc(doc).unwrap().get_heads());
}

/// The app's import path. The first byte's low bit picks how the rest is
/// used: as a whole backup file (0), or as one document's saved bytes inside
/// a well-formed backup (1), which reaches `Automerge::load` past the
/// checksum.
///
/// Checked: nothing panics; every record is either a document or reported
/// damaged; a loaded document saves and loads back with the same heads;
/// merging it into a plan the device holds keeps both histories and the
/// result saves and loads; reading it as a plan returns (an error is fine).
pub fn backup_import(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let wrapped;
    let file = if mode & 1 == 0 {
        rest
    } else {
        wrapped = backup::encode(0, &[(held_id(), rest.to_vec())]);
        &wrapped[..]
    };
    let Ok(outline) = backup::read(file) else {
        assert_eq!(mode & 1, 0, "a backup we wrote is read");
        return;
    };
    let decoded = backup::decode(file).expect("read and decode agree");
    assert_eq!(
        decoded.documents.len() + decoded.damaged.len(),
        outline.entries.len(),
        "every record is a document or reported damaged"
    );
    for (id, mut doc) in decoded.documents {
        let heads = doc.get_heads();
        let saved = doc.save();
        let again = Automerge::load(&saved).expect("a loaded document saves and loads");
        assert_eq!(again.get_heads(), heads, "saving keeps the history ({id})");

        let _ = read_plan(&doc);
        let mut mine = small_plan();
        let mine_heads = mine.get_heads();
        if mine.merge(&mut doc).is_ok() {
            for h in mine_heads.iter().chain(&heads) {
                assert!(
                    mine.get_change_by_hash(h).is_some(),
                    "merging keeps both histories"
                );
            }
            let merged = Automerge::load(&mine.save()).expect("a merged document loads");
            assert_eq!(merged.get_heads(), mine.get_heads());
            let _ = read_plan(&merged);
        }
        let _ = doc.length(automerge::ROOT);
    }
}
