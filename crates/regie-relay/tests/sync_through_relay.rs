//! The relay over real WebSockets: clients running the core's protocol sync a
//! plan through it, and the plan survives a restart of the relay.

mod support;

use regie_core::author::Stamp;
use std::path::Path;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use regie_core::plan::{Plan, Status, edit_plan, new_plan_document, read_plan};
use regie_core::{ConnId, DocumentId, Effect, Repo, SharePolicy};
use regie_relay::tokens::{Kind, TokenStore};
use support::{start_relay, start_relay_with, sync_url};
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// Runs a client repo over a WebSocket until `done` holds (or fails after a
/// timeout). `prepare` runs after connecting, to make edits or ask for docs.
async fn run_client(
    url: &str,
    repo: &mut Repo,
    prepare: impl FnOnce(&mut Repo) -> Vec<Effect>,
    done: impl Fn(&Repo, &[Effect]) -> bool,
) -> Vec<Effect> {
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("relay accepts the token");
    let conn = ConnId(0);
    let mut effects = repo.connect_upstream(conn);
    effects.extend(prepare(repo));
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        for effect in repo.durable_at_once(std::mem::take(&mut effects)) {
            match effect {
                Effect::Send { frame, .. } => {
                    ws.send(WsMessage::Binary(frame.into())).await.unwrap()
                }
                other => seen.push(other),
            }
        }
        if done(repo, &seen) {
            break;
        }
        let next = tokio::time::timeout_at(deadline, ws.next())
            .await
            .expect("client finished before the timeout");
        match next {
            Some(Ok(WsMessage::Binary(frame))) => effects = repo.receive(conn, &frame),
            Some(Ok(_)) => {}
            other => panic!("connection ended: {other:?}"),
        }
    }
    let _ = ws.close(None).await;
    repo.disconnect(conn);
    seen
}

/// Waits until the relay has stored a document, by syncing `client` with it.
async fn hand_over(url: &str, data_dir: &Path, id: DocumentId, client: &mut Repo) {
    let stored = data_dir.join(format!("{id}.automerge"));
    run_client(url, client, |_| Vec::new(), |_, _| stored.exists()).await;
}

/// The documents the relay stored, besides the ones it seeds itself.
fn stored_documents(dir: &Path) -> Vec<String> {
    let seeded = [
        format!("{}.automerge", regie_core::directory::directory_id()),
        format!("{}.automerge", regie_core::register::register_id()),
    ];
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".automerge") && !seeded.contains(n))
        .collect()
}

#[tokio::test]
async fn a_fresh_relay_holds_the_seeded_directory() {
    let data = tempfile::tempdir().unwrap();
    let relay = start_relay(data.path()).await;
    let id = regie_core::directory::directory_id();
    let path = data.path().join(format!("{id}.automerge"));
    // The relay starts in the background; give it a moment.
    for _ in 0..100 {
        if path.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let stored = std::fs::read(&path).expect("the relay stored the directory");
    let stored = automerge::Automerge::load(&stored).unwrap();
    // The very change every device seeds, so devices have nothing to send.
    assert_eq!(
        stored.get_heads(),
        regie_core::directory::seed_document().get_heads()
    );
    relay.stop().await;
}

fn plan_of(repo: &Repo, id: DocumentId) -> Option<Plan> {
    repo.doc(&id).and_then(|d| read_plan(d).ok())
}

#[tokio::test]
async fn a_plan_syncs_between_clients_and_survives_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let relay = start_relay(data.path()).await;
    let id = DocumentId::from_random_bytes([11; 16]);

    let mut a = Repo::new("a".into(), SharePolicy::Announce);
    let mut doc = new_plan_document("wondelgem", &Stamp::default());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "Jongeren")
    })
    .unwrap();
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_action("a1", "x1".into(), "Pleinwerking", Status::Lopend)
    })
    .unwrap();
    let expected = read_plan(&doc).unwrap();
    a.insert(id, doc);
    // A is done once the relay has stored the plan.
    hand_over(&sync_url(&relay, &relay.token), data.path(), id, &mut a).await;

    let mut b = Repo::new("b".into(), SharePolicy::Announce);
    run_client(
        &sync_url(&relay, &relay.token),
        &mut b,
        |r| r.want(id),
        |r, _| plan_of(r, id).is_some_and(|p| p.action_count() == 1),
    )
    .await;
    assert_eq!(plan_of(&b, id), Some(expected.clone()));

    relay.stop().await;
    let relay = start_relay(data.path()).await;
    let mut c = Repo::new("c".into(), SharePolicy::Announce);
    run_client(
        &sync_url(&relay, &relay.token),
        &mut c,
        |r| r.want(id),
        |r, _| plan_of(r, id).is_some(),
    )
    .await;
    assert_eq!(plan_of(&c, id), Some(expected));
    relay.stop().await;
}

#[tokio::test]
async fn an_unknown_document_is_reported_unavailable() {
    let data = tempfile::tempdir().unwrap();
    let relay = start_relay(data.path()).await;
    let id = DocumentId::from_random_bytes([12; 16]);
    let mut client = Repo::new("x".into(), SharePolicy::Announce);
    let seen = run_client(
        &sync_url(&relay, &relay.token),
        &mut client,
        |r| r.want(id),
        |_, seen| seen.contains(&Effect::DocUnavailable { doc: id }),
    )
    .await;
    assert!(seen.contains(&Effect::DocUnavailable { doc: id }));
    assert!(
        stored_documents(data.path()).is_empty(),
        "nothing was stored"
    );
    relay.stop().await;
}

#[tokio::test]
async fn garbage_closes_that_connection_and_the_relay_keeps_serving() {
    let data = tempfile::tempdir().unwrap();
    let relay = start_relay(data.path()).await;
    let (mut ws, _) = tokio_tungstenite::connect_async(sync_url(&relay, &relay.token))
        .await
        .unwrap();
    ws.send(WsMessage::Binary(vec![0xff, 0x00, 0x13].into()))
        .await
        .unwrap();
    let mut closed = false;
    while let Some(Ok(message)) = ws.next().await {
        if let WsMessage::Close(frame) = message {
            closed = frame.is_some_and(|f| f.reason.contains("malformed CBOR"));
            break;
        }
    }
    assert!(closed, "the relay closes the connection and says why");

    // Another client still syncs.
    let id = DocumentId::from_random_bytes([13; 16]);
    let mut a = Repo::new("a".into(), SharePolicy::Announce);
    a.insert(id, new_plan_document("oostakker", &Stamp::default()));
    hand_over(&sync_url(&relay, &relay.token), data.path(), id, &mut a).await;
    relay.stop().await;
}

/// The HTTP status a WebSocket upgrade gets, or 101 if it is accepted.
async fn upgrade_status(url: &str) -> u16 {
    match tokio_tungstenite::connect_async(url).await {
        Ok(_) => 101,
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

#[tokio::test]
async fn only_valid_tokens_get_in() {
    let data = tempfile::tempdir().unwrap();
    let relay = start_relay(data.path()).await;
    let revoked = support::make_token(data.path(), Kind::Edit, None);
    let store = TokenStore::open(data.path()).unwrap();
    let record = store.records().unwrap().pop().unwrap();
    store.revoke(&record.id).unwrap();

    assert_eq!(
        upgrade_status(&format!("ws://{}/sync", relay.addr)).await,
        401
    );
    assert_eq!(upgrade_status(&sync_url(&relay, "wrong")).await, 401);
    assert_eq!(upgrade_status(&sync_url(&relay, &revoked)).await, 401);
    assert_eq!(upgrade_status(&sync_url(&relay, &relay.token)).await, 101);
    relay.stop().await;
}

#[tokio::test]
async fn a_read_only_token_reads_but_cannot_write() {
    let data = tempfile::tempdir().unwrap();
    let relay = start_relay(data.path()).await;
    let id = DocumentId::from_random_bytes([14; 16]);
    let mut a = Repo::new("a".into(), SharePolicy::Announce);
    a.insert(id, new_plan_document("gentbrugge", &Stamp::default()));
    hand_over(&sync_url(&relay, &relay.token), data.path(), id, &mut a).await;
    let stored = data.path().join(format!("{id}.automerge"));
    let before = std::fs::read(&stored).unwrap();

    let read_only = support::make_token(data.path(), Kind::ReadOnly, Some(id));
    let url = sync_url(&relay, &read_only);
    let mut reader = Repo::new("r".into(), SharePolicy::Announce);
    run_client(
        &url,
        &mut reader,
        |r| r.want(id),
        |r, _| plan_of(r, id).is_some(),
    )
    .await;

    // A forged change: the relay closes the connection and stores nothing.
    let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    let mut forger = Repo::new("f".into(), SharePolicy::Announce);
    let mut doc = new_plan_document("gentbrugge", &Stamp::default());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("x".into(), "Vervalst")
    })
    .unwrap();
    // An honest client would offer nothing here (the relay's sync says it
    // takes nothing from a reader); the forger sends its changes anyway.
    let forged = support::forged_sync_frame(&doc, id);
    forger.insert(id, doc);
    let mut pending = forger.connect(ConnId(0), true);
    pending.push(Effect::Send {
        conn: ConnId(0),
        frame: forged,
    });
    let mut reason = None;
    'talk: loop {
        for effect in forger.durable_at_once(std::mem::take(&mut pending)) {
            if let Effect::Send { frame, .. } = effect
                && ws.send(WsMessage::Binary(frame.into())).await.is_err()
            {
                break 'talk;
            }
        }
        match tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .unwrap()
        {
            Some(Ok(WsMessage::Binary(frame))) => pending = forger.receive(ConnId(0), &frame),
            Some(Ok(WsMessage::Close(frame))) => {
                reason = frame.map(|f| f.reason.to_string());
                break;
            }
            Some(Ok(_)) => {}
            _ => break,
        }
    }
    assert!(
        reason.is_some_and(|r| r.contains("read-only")),
        "the forger is told and cut off"
    );
    assert_eq!(
        std::fs::read(&stored).unwrap(),
        before,
        "nothing forged reached storage"
    );

    // A token for this document reveals nothing about another.
    let other = DocumentId::from_random_bytes([15; 16]);
    let mut b = Repo::new("b".into(), SharePolicy::Announce);
    b.insert(other, new_plan_document("ledeberg", &Stamp::default()));
    hand_over(&sync_url(&relay, &relay.token), data.path(), other, &mut b).await;
    let mut nosy = Repo::new("n".into(), SharePolicy::Announce);
    let seen = run_client(
        &url,
        &mut nosy,
        |r| r.want(other),
        |_, seen| seen.contains(&Effect::DocUnavailable { doc: other }),
    )
    .await;
    assert!(seen.contains(&Effect::DocUnavailable { doc: other }));
    relay.stop().await;
}

/// Sends frames until the relay closes the connection; returns its reason.
async fn close_reason_after(url: &str, frames: Vec<Vec<u8>>) -> Option<String> {
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    for frame in frames {
        if ws.send(WsMessage::Binary(frame.into())).await.is_err() {
            break;
        }
    }
    loop {
        match tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
            Ok(Some(Ok(WsMessage::Close(frame)))) => return frame.map(|f| f.reason.to_string()),
            Ok(Some(Ok(_))) => {}
            Ok(Some(Err(e))) => return Some(e.to_string()),
            Ok(None) => return Some("closed".into()),
            Err(_) => return None,
        }
    }
}

#[tokio::test]
async fn oversized_frames_and_floods_cut_off_only_that_connection() {
    let data = tempfile::tempdir().unwrap();
    let relay = start_relay_with(data.path(), 4096, 5, None).await;
    let url = sync_url(&relay, &relay.token);

    let oversized = close_reason_after(&url, vec![vec![0u8; 8192]]).await;
    assert!(
        oversized.is_some(),
        "an oversized frame ends the connection"
    );

    let join = regie_core::protocol::Message::Join {
        sender_id: "flood".into(),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: Default::default(),
    }
    .encode();
    let flood = close_reason_after(&url, vec![join; 200]).await;
    assert!(
        flood.is_some_and(|r| r.contains("too many messages")),
        "a flood is refused with a reason"
    );

    // Others are still served.
    let id = DocumentId::from_random_bytes([16; 16]);
    let mut a = Repo::new("a".into(), SharePolicy::Announce);
    a.insert(id, new_plan_document("ledeberg", &Stamp::default()));
    let stored = data.path().join(format!("{id}.automerge"));
    run_client(&url, &mut a, |_| Vec::new(), |_, _| stored.exists()).await;
    relay.stop().await;
}

#[tokio::test]
async fn a_laptop_relay_forwards_to_the_city_relay_both_ways() {
    let city_data = tempfile::tempdir().unwrap();
    let city = start_relay(city_data.path()).await;
    let laptop_data = tempfile::tempdir().unwrap();
    let upstream = Some(sync_url(&city, &city.token));
    let laptop = start_relay_with(laptop_data.path(), 1 << 20, 1000, upstream).await;

    // A tablet in the meeting room writes to the laptop ...
    let id = DocumentId::from_random_bytes([17; 16]);
    let mut tablet = Repo::new("tablet".into(), SharePolicy::Announce);
    let mut doc = new_plan_document("mariakerke", &Stamp::default());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "Ontmoeting")
    })
    .unwrap();
    tablet.insert(id, doc);
    hand_over(
        &sync_url(&laptop, &laptop.token),
        laptop_data.path(),
        id,
        &mut tablet,
    )
    .await;
    let on_laptop = laptop_data.path().join(format!("{id}.automerge"));

    // ... and someone at the city's server reads it there, and edits.
    let mut office = Repo::new("office".into(), SharePolicy::Announce);
    let city_url = sync_url(&city, &city.token);
    run_client(
        &city_url,
        &mut office,
        |r| r.want(id),
        |r, _| plan_of(r, id).is_some(),
    )
    .await;
    assert_eq!(
        plan_of(&office, id).unwrap().ambitions[0].title,
        "Ontmoeting"
    );
    run_client(
        &city_url,
        &mut office,
        |r| {
            r.change(id, |d| {
                edit_plan(d, &Stamp::default(), |p| {
                    p.add_ambition("a2".into(), "Wonen")
                })
            })
            .unwrap()
            .1
        },
        |r, _| r.unconfirmed_changes(&id) == 0,
    )
    .await;

    // The edit reaches the laptop's disk through the forwarding connection.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let bytes = std::fs::read(&on_laptop).unwrap();
        let plan = read_plan(&automerge::Automerge::load(&bytes).unwrap()).unwrap();
        if plan.ambitions.len() == 2 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the city's edit reached the laptop"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    laptop.stop().await;
    city.stop().await;
}
