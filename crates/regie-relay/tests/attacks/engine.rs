//! Frames that cost the sync engine time or the relay memory, and a change
//! the relay could not store. Each test is one attack of the review, with
//! the figure it reached before the fix in its doc line.

use std::time::{Duration, Instant};

use automerge::Automerge;
use automerge::sync::{self, SyncDoc as _};
use automerge::transaction::Transactable as _;
use futures_util::{SinkExt as _, StreamExt as _};
use regie_core::protocol::{DocMessage, Message};
use regie_core::{DocumentId, Repo, SharePolicy};
use regie_relay::tokens::Kind;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::support::process::{RelayProcess, spawn_relay, spawn_relay_with};
use crate::support::{http, make_token, store};
use crate::{Socket, join};

/// A socket that has joined with `token`.
async fn joined(relay: &RelayProcess, token: &str, peer: &str) -> Socket {
    let url = format!("ws://{}/sync?token={token}", relay.addr);
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    ws.send(WsMessage::Binary(join(peer).into())).await.unwrap();
    ws
}

/// The close reason the relay sends, reading (and dropping) all else.
async fn close_reason(ws: &mut Socket, within: Duration) -> Option<String> {
    let deadline = tokio::time::Instant::now() + within;
    while let Ok(Some(message)) = tokio::time::timeout_at(deadline, ws.next()).await {
        match message {
            Ok(WsMessage::Close(frame)) => {
                return Some(frame.map_or(String::new(), |f| f.reason.to_string()));
            }
            Ok(_) => {}
            Err(error) => return Some(format!("error: {error}")),
        }
    }
    None
}

/// The slowest `/healthz` answer while `attack` runs, polling every 50 ms.
async fn slowest_health_during(
    addr: &str,
    attack: impl std::future::Future<Output = ()>,
) -> Duration {
    let addr = addr.to_owned();
    let (done, mut finished) = tokio::sync::watch::channel(false);
    let poller = tokio::spawn(async move {
        let mut slowest = Duration::ZERO;
        while !*finished.borrow_and_update() {
            let start = Instant::now();
            let (status, _) = http(&addr, "GET", "/healthz", None, None).await;
            assert_eq!(status, 200);
            slowest = slowest.max(start.elapsed());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        slowest
    });
    attack.await;
    done.send(true).unwrap();
    poller.await.unwrap()
}

fn sync_frame(document_id: DocumentId, data: Vec<u8>) -> Vec<u8> {
    Message::Sync(DocMessage {
        sender_id: "attacker".into(),
        target_id: "relay".into(),
        document_id,
        data,
    })
    .encode()
}

fn leb(mut n: u64, out: &mut Vec<u8>) {
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

/// A sync message (v1 encoding) with no heads or needs, `filters` copies
/// of one `have` whose bloom filter is `bloom`, and no changes.
fn sync_with_haves(filters: usize, bloom: &[u8]) -> Vec<u8> {
    let mut out = vec![0x42, 0, 0];
    leb(filters as u64, &mut out);
    for _ in 0..filters {
        out.push(0); // last sync: no heads
        leb(bloom.len() as u64, &mut out);
        out.extend_from_slice(bloom);
    }
    out.push(0); // no changes
    out
}

/// A document of `changes` changes, each a short Dutch sentence.
fn document(changes: usize) -> Automerge {
    let mut doc = Automerge::new();
    for n in 0..changes {
        let mut tx = doc.transaction();
        tx.put(
            automerge::ROOT,
            format!("opvolging-{}", n % 50),
            format!("Overleg {n} met de partners van de wijk"),
        )
        .unwrap();
        tx.commit();
    }
    doc
}

/// Before: ids of 80k characters took 2 s each before any token check, and
/// two of 160k delayed `/healthz` by 12.5 s.
#[tokio::test]
async fn long_document_ids_cost_nothing_and_are_refused() {
    let _serial = crate::one_at_a_time().await;
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay(data.path(), "regie_relay=info");
    let editor = make_token(data.path(), Kind::Edit, None);
    let long = "z".repeat(160_000);
    let body = format!("{{\"doc\":\"{long}\"}}");
    let addr = relay.addr.clone();
    let slowest = slowest_health_during(&addr, async {
        let mut answers = Vec::new();
        for token in [None, None, Some(editor.as_str())] {
            answers.push(
                http(&addr, "POST", "/api/share", token, Some(&body))
                    .await
                    .0,
            );
        }
        assert!(
            answers[..2].iter().all(|s| [401, 413].contains(s)),
            "{answers:?}"
        );
        assert!([400, 413].contains(&answers[2]), "{answers:?}");
        // The same id in a sync message: refused, the connection closed.
        let mut ws = joined(&relay, &editor, "long-id").await;
        let frame = Message::Sync(DocMessage {
            sender_id: "long-id".into(),
            target_id: "relay".into(),
            document_id: DocumentId::from_random_bytes([1; 16]),
            data: vec![],
        })
        .encode();
        let short = DocumentId::from_random_bytes([1; 16]).to_string();
        let mut forged = frame.clone();
        let at = forged
            .windows(short.len())
            .position(|w| w == short.as_bytes())
            .unwrap();
        // CBOR text header for 100,000 bytes: 0x7a + u32 length.
        forged.splice(
            at - 2..at + short.len(),
            [
                &[0x7a][..],
                &100_000u32.to_be_bytes(),
                "z".repeat(100_000).as_bytes(),
            ]
            .concat(),
        );
        ws.send(WsMessage::Binary(forged.into())).await.unwrap();
        let reason = close_reason(&mut ws, Duration::from_secs(5)).await;
        assert!(reason.is_some(), "the sender is closed");
    })
    .await;
    eprintln!("figure: long ids: slowest /healthz {slowest:?}");
    assert!(
        slowest < Duration::from_millis(500),
        "/healthz took {slowest:?}"
    );
    relay.kill();
}

/// Before: a 133-byte frame whose `have` held a bloom filter with an entry
/// and no bits made Automerge rebuild and send every change (three took
/// 7 s of engine time on a 3,000-change document; another client's join
/// waited 4.6 s, `/healthz` 4.0 s); 10,000 filters in one frame took 4.3 s.
#[tokio::test]
async fn costly_sync_frames_cost_only_their_sender() {
    let _serial = crate::one_at_a_time().await;
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay(data.path(), "regie_relay=info");
    let editor = make_token(data.path(), Kind::Edit, None);
    let doc_id = DocumentId::from_random_bytes([0x61; 16]);
    let url = format!("ws://{}/sync?token={editor}", relay.addr);
    store(&url, data.path(), doc_id, document(3_000)).await;
    let reader = make_token(data.path(), Kind::ReadOnly, Some(doc_id));

    let addr = relay.addr.clone();
    let mut honest_took = Duration::ZERO;
    let slowest = slowest_health_during(&addr, async {
        // One entry, ten bits per entry, seven probes, and all bits zero:
        // "I have none of your changes", which no honest filter says.
        let empty_bits = [1, 10, 7, 0, 0];
        let mut attackers = Vec::new();
        for n in 0..3 {
            let mut ws = joined(&relay, &reader, &format!("attacker-{n}")).await;
            for _ in 0..3 {
                let frame = sync_frame(doc_id, sync_with_haves(1, &empty_bits));
                ws.send(WsMessage::Binary(frame.into())).await.unwrap();
            }
            attackers.push(ws);
        }
        let mut many = joined(&relay, &reader, "attacker-many").await;
        let frame = sync_frame(doc_id, sync_with_haves(10_000, &[1, 10, 7, 0xff, 0x03]));
        many.send(WsMessage::Binary(frame.into())).await.unwrap();

        // Meanwhile an honest editor fetches the document.
        let start = Instant::now();
        let mut repo = Repo::new("honest".into(), SharePolicy::Announce);
        crate::support::session(
            &url,
            &mut repo,
            |r| r.want(doc_id),
            |r, _| {
                r.doc(&doc_id)
                    .is_some_and(|d| d.get_changes(&[]).len() == 3_000)
            },
            Duration::from_secs(10),
        )
        .await;
        honest_took = start.elapsed();
        assert_eq!(
            repo.doc(&doc_id).map(|d| d.get_changes(&[]).len()),
            Some(3_000)
        );
        let reason = close_reason(&mut many, Duration::from_secs(5)).await;
        assert!(
            reason.as_deref().is_some_and(|r| r.contains("have")),
            "10,000 filters are refused: {reason:?}"
        );
        for mut ws in attackers {
            let reason = close_reason(&mut ws, Duration::from_secs(5)).await;
            assert!(
                reason.as_deref().is_some_and(|r| r.contains("bloom")),
                "a filter with entries and no bit set is refused: {reason:?}"
            );
        }
    })
    .await;
    eprintln!("figure: costly frames: slowest /healthz {slowest:?}, honest fetch {honest_took:?}");
    assert!(
        slowest < Duration::from_millis(500),
        "/healthz took {slowest:?}"
    );
    assert!(
        honest_took < Duration::from_secs(5),
        "the honest fetch took {honest_took:?}"
    );
    relay.kill();
}

/// A document of `changes` changes of about a kilobyte each that do not
/// compress (xorshift digits).
fn bulky_document(changes: usize, seed: u64) -> Automerge {
    let mut doc = Automerge::new();
    let mut x = seed | 1;
    for n in 0..changes {
        let text: String = (0..128)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                format!("{:08x}", x as u32)
            })
            .collect();
        let mut tx = doc.transaction();
        tx.put(automerge::ROOT, format!("bijlage-{n}"), text)
            .unwrap();
        tx.commit();
    }
    doc
}

/// Before: 200 "I have nothing" messages on a socket that never reads grew
/// the relay by 105 MiB from 2 KiB sent (outboxes had no bound).
#[tokio::test]
async fn a_peer_that_never_reads_is_cut_off_and_memory_stays_bounded() {
    let _serial = crate::one_at_a_time().await;
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay_with(
        data.path(),
        "regie_relay=info",
        &["--max-outbox", "1048576"],
    );
    let editor = make_token(data.path(), Kind::Edit, None);
    let url = format!("ws://{}/sync?token={editor}", relay.addr);
    // 40 documents of 300 kB: 12 MB to send, more than the socket buffers
    // of loopback hold.
    let ids: Vec<DocumentId> = (0..40u8)
        .map(|n| {
            DocumentId::from_random_bytes([0x62, n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])
        })
        .collect();
    for (n, id) in ids.iter().enumerate() {
        store(&url, data.path(), *id, bulky_document(300, n as u64 + 1)).await;
    }
    let reader = make_token(data.path(), Kind::ReadOnly, None);
    let before = relay.rss_kib();

    let mut ws = joined(&relay, &reader, "sleeper").await;
    let nothing = Automerge::new()
        .generate_sync_message(&mut sync::State::new())
        .unwrap()
        .encode();
    for id in &ids {
        let request = Message::Request(DocMessage {
            sender_id: "sleeper".into(),
            target_id: "relay".into(),
            document_id: *id,
            data: nothing.clone(),
        });
        if ws
            .send(WsMessage::Binary(request.encode().into()))
            .await
            .is_err()
        {
            break;
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let grown = relay.rss_kib().saturating_sub(before);
    eprintln!("figure: never reads: relay grew {grown} KiB");
    assert!(grown < 32 * 1024, "the relay grew by {grown} KiB");
    let reason = close_reason(&mut ws, Duration::from_secs(10)).await;
    assert!(
        reason.as_deref().is_some_and(|r| r.contains("too slow")),
        "the sleeper is told why: {reason:?}"
    );
    relay.kill();
}

/// Before: a `sync` for an unknown id created an empty document that
/// stayed after the connection closed: 108 MiB per 9,950 ids.
#[tokio::test]
async fn naming_unknown_ids_holds_no_memory() {
    let _serial = crate::one_at_a_time().await;
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay(data.path(), "regie_relay=info");
    let reader = make_token(data.path(), Kind::ReadOnly, None);
    let before = relay.rss_kib();
    let mut ws = joined(&relay, &reader, "namer").await;
    let nothing = Automerge::new()
        .generate_sync_message(&mut sync::State::new())
        .unwrap()
        .encode();
    for n in 0u32..9_000 {
        let mut bytes = [0x63; 16];
        bytes[..4].copy_from_slice(&n.to_be_bytes());
        let frame = sync_frame(DocumentId::from_random_bytes(bytes), nothing.clone());
        ws.send(WsMessage::Binary(frame.into())).await.unwrap();
    }
    ws.close(None).await.unwrap();
    while let Ok(Some(_)) = tokio::time::timeout(Duration::from_secs(5), ws.next()).await {}
    tokio::time::sleep(Duration::from_millis(500)).await;
    let grown = relay.rss_kib().saturating_sub(before);
    eprintln!("figure: 9,000 named ids: relay grew {grown} KiB");
    assert!(
        grown < 24 * 1024,
        "the relay grew by {grown} KiB for 9,000 named ids"
    );
    relay.kill();
}

/// Before: sixty 1 MiB ephemeral messages to five subscribers that never
/// read took the relay from 578 to 838 MiB.
#[tokio::test]
async fn large_ephemeral_messages_are_refused() {
    let _serial = crate::one_at_a_time().await;
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay(data.path(), "regie_relay=info");
    let reader = make_token(data.path(), Kind::ReadOnly, None);
    let mut ws = joined(&relay, &reader, "shouter").await;
    let big = Message::Ephemeral {
        sender_id: "shouter".into(),
        target_id: "relay".into(),
        document_id: regie_core::register::register_id(),
        count: 1,
        session_id: "s".into(),
        data: vec![0; 1 << 20],
    };
    ws.send(WsMessage::Binary(big.encode().into()))
        .await
        .unwrap();
    let reason = close_reason(&mut ws, Duration::from_secs(5)).await;
    assert!(
        reason.as_deref().is_some_and(|r| r.contains("ephemeral")),
        "{reason:?}"
    );
    relay.kill();
}

/// Before: a 15 MiB frame of one-byte CBOR items was decoded into a value
/// tree: a peak of 1.6 GiB and an 8 s stall.
#[tokio::test]
async fn a_frame_of_tiny_cbor_items_is_read_within_bounds() {
    let _serial = crate::one_at_a_time().await;
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay(data.path(), "regie_relay=info");
    let reader = make_token(data.path(), Kind::ReadOnly, None);
    let before = relay.rss_kib();
    let mut ws = joined(&relay, &reader, "cbor").await;
    // {"type": "sync", "x": [0, 0, ... 15 M zeros]}
    let items = 15 << 20;
    let mut frame = vec![0xa2, 0x64];
    frame.extend_from_slice(b"type");
    frame.push(0x64);
    frame.extend_from_slice(b"sync");
    frame.extend_from_slice(&[0x61, b'x', 0x9a]);
    frame.extend_from_slice(&(items as u32).to_be_bytes());
    frame.resize(frame.len() + items, 0);
    let addr = relay.addr.clone();
    let slowest = slowest_health_during(&addr, async {
        ws.send(WsMessage::Binary(frame.into())).await.unwrap();
        let reason = close_reason(&mut ws, Duration::from_secs(10)).await;
        assert!(reason.is_some(), "the sender is closed");
    })
    .await;
    let grown = relay.rss_kib().saturating_sub(before);
    eprintln!("figure: 15 MiB of CBOR items: relay grew {grown} KiB, slowest /healthz {slowest:?}");
    assert!(grown < 100 * 1024, "the relay grew by {grown} KiB");
    assert!(
        slowest < Duration::from_millis(500),
        "/healthz took {slowest:?}"
    );
    relay.kill();
}

/// Before: with the document's file made unwritable, a change was confirmed
/// (the client got heads that said "stored") and was gone after a restart.
#[tokio::test]
async fn a_change_that_could_not_be_stored_is_never_confirmed() {
    let _serial = crate::one_at_a_time().await;
    use regie_core::author::Stamp;
    use regie_core::plan::{edit_plan, new_plan_document};

    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay(data.path(), "regie_relay=info");
    let editor = make_token(data.path(), Kind::Edit, None);
    let url = format!("ws://{}/sync?token={editor}", relay.addr);
    let doc_id = DocumentId::from_random_bytes([0x64; 16]);
    let mut plan = new_plan_document("Ledeberg", &Stamp::default());
    store(&url, data.path(), doc_id, plan.clone()).await;

    // The document's file becomes a directory that cannot be replaced.
    let file = data.path().join(format!("{doc_id}.automerge"));
    let kept = data.path().join("kept.bak");
    std::fs::rename(&file, &kept).unwrap();
    std::fs::create_dir(&file).unwrap();
    std::fs::write(file.join("blocker"), "x").unwrap();

    edit_plan(&mut plan, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "Samen koken")
    })
    .unwrap();
    let mut client = Repo::new("writer".into(), SharePolicy::Announce);
    client.insert(doc_id, plan.clone());
    let (_, closed) = crate::support::session(
        &url,
        &mut client,
        |_| Vec::new(),
        |r, _| r.unconfirmed_changes(&doc_id) == 0,
        Duration::from_secs(3),
    )
    .await;
    assert!(
        client.unconfirmed_changes(&doc_id) > 0,
        "the change the relay could not store is not confirmed"
    );
    assert!(
        closed
            .as_deref()
            .is_some_and(|r| r.contains("could not store")),
        "the writer is told: {closed:?}"
    );

    // Storage works again after a restart: the change arrives and is kept.
    let log = relay.kill();
    assert!(log.contains("could not store document"), "{log}");
    std::fs::remove_dir_all(&file).unwrap();
    std::fs::rename(&kept, &file).unwrap();
    let relay = spawn_relay(data.path(), "regie_relay=info");
    let url = format!("ws://{}/sync?token={editor}", relay.addr);
    let mut client = Repo::new("writer".into(), SharePolicy::Announce);
    client.insert(doc_id, plan.clone());
    crate::support::session(
        &url,
        &mut client,
        |_| Vec::new(),
        |r, _| r.unconfirmed_changes(&doc_id) == 0,
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(client.unconfirmed_changes(&doc_id), 0);
    relay.kill();
    let stored = regie_core::stored::load_appended(&std::fs::read(&file).unwrap())
        .unwrap()
        .0;
    assert_eq!(
        stored.get_heads(),
        plan.get_heads(),
        "stored once confirmed"
    );
}
