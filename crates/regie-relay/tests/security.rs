//! Access control of the relay, end to end, beyond what
//! `sync_through_relay.rs` checks (no/wrong/revoked token on `/sync`, a
//! read-only token forging a change to its document, a scoped token asking
//! for another document):
//!
//! - missing, wrong and revoked tokens get the same 401 on `/sync`,
//!   `/api/access` and `/api/share`, with tokens made and revoked through the
//!   `regie-relay token` CLI while the relay binary runs;
//! - a read-only token can neither bring a new document nor make share links;
//! - an edit token for one document can neither read, write, make links for,
//!   nor send presence into another, and the refusal looks exactly like the
//!   answer for a document that does not exist;
//! - no token (given, guessed, revoked or made through `/api/share`) appears
//!   in the relay's output at `RUST_LOG=trace`, in any encoding;
//! - change data that makes Automerge panic (found by fuzzing, kept in
//!   `regie-core/tests/fuzz-regressions/`) closes only the sender's
//!   connection: it is told, nothing is stored, others are still served.

mod support;

use std::path::Path;
use std::time::Duration;

use automerge::Automerge;
use base64::Engine as _;
use futures_util::{SinkExt as _, StreamExt as _};
use regie_core::author::Stamp;
use regie_core::plan::{edit_plan, new_plan_document};
use regie_core::protocol::{Message, PeerMetadata};
use regie_core::{ConnId, DocumentId, Effect, Repo, SharePolicy};
use support::process::{field, spawn_relay, spawn_relay_with, token_cli};
use support::{http, session, store, upgrade_status};
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// Every way a request can carry a token (or none), and what it gets.
async fn answers(addr: &str, token: Option<&str>, doc: DocumentId) -> [(u16, String); 3] {
    let query = token.map_or(String::new(), |t| format!("?token={t}"));
    let sync = upgrade_status(addr, &query).await;
    let access = http(addr, "GET", "/api/access", token, None).await;
    let share = http(
        addr,
        "POST",
        "/api/share",
        token,
        Some(&format!("{{\"doc\":\"{doc}\"}}")),
    )
    .await;
    [(sync, String::new()), access, share]
}

fn plan(wijk: &str) -> Automerge {
    new_plan_document(wijk, &Stamp::default())
}

fn edited(mut doc: Automerge, title: &str) -> Automerge {
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("forged".into(), title)
    })
    .unwrap();
    doc
}

fn stored_ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".automerge"))
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn missing_wrong_and_revoked_tokens_get_the_same_refusal_everywhere() {
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay(data.path(), "regie_relay=info");
    let created = token_cli(data.path(), &["create", "--edit", "--label", "test"]);
    let token = field(&created, "token");
    let id = field(&created, "id");
    let doc = DocumentId::from_random_bytes([0x51; 16]);

    let valid = answers(&relay.addr, Some(&token), doc).await;
    assert_eq!(valid[0].0, 101, "a valid token opens /sync");
    assert_eq!(valid[1].0, 200, "and /api/access: {}", valid[1].1);
    assert!(valid[1].1.contains("\"write\":true"));
    assert_eq!(valid[2].0, 201, "and /api/share: {}", valid[2].1);

    let refused = answers(&relay.addr, None, doc).await;
    assert!(
        refused.iter().all(|(status, _)| *status == 401),
        "no token: {refused:?}"
    );
    assert_eq!(
        answers(&relay.addr, Some("wrong"), doc).await,
        refused,
        "a wrong token gets the very same answers"
    );
    let guess = bs58::encode([0x77u8; 32]).into_string();
    assert_eq!(answers(&relay.addr, Some(&guess), doc).await, refused);
    assert_eq!(answers(&relay.addr, Some(""), doc).await, refused);

    // Revoked with the CLI while the relay runs: refused at once.
    token_cli(data.path(), &["revoke", &id]);
    assert!(token_cli(data.path(), &["list"]).contains("revoked"));
    assert_eq!(
        answers(&relay.addr, Some(&token), doc).await,
        refused,
        "a revoked token gets the same answers as no token"
    );
    relay.kill();
}

#[tokio::test]
async fn a_read_only_token_brings_no_document_and_makes_no_links() {
    let data = tempfile::tempdir().unwrap();
    let relay = support::start_relay(data.path()).await;
    let held = DocumentId::from_random_bytes([0x52; 16]);
    store(&relay.sync_url(), data.path(), held, plan("muide")).await;
    let before = stored_ids(data.path());

    let reader = support::make_token(data.path(), regie_relay::tokens::Kind::ReadOnly, None);
    let url = support::sync_url(&relay, &reader);

    // A new document offered over a read-only connection: an honest
    // client offers nothing (the relay's sync says it takes nothing from a
    // reader); a forged one sends the document's changes anyway.
    let fresh = DocumentId::from_random_bytes([0x53; 16]);
    let document = edited(plan("muide"), "Nieuw");
    let mut honest = Repo::new("honest".into(), SharePolicy::Announce);
    honest.insert(fresh, document.clone());
    let (_, closed) = session(
        &url,
        &mut honest,
        |_| Vec::new(),
        |_, _| false,
        Duration::from_secs(1),
    )
    .await;
    assert_eq!(closed, None, "an honest reader is not refused");
    assert_eq!(stored_ids(data.path()), before, "nothing new was stored");
    let frame = support::forged_sync_frame(&document, fresh);
    let mut forger = Repo::new("forger".into(), SharePolicy::Announce);
    let (_, closed) = session(
        &url,
        &mut forger,
        |_| {
            vec![Effect::Send {
                conn: ConnId(0),
                frame,
            }]
        },
        |_, _| false,
        Duration::from_secs(2),
    )
    .await;
    assert!(
        closed.as_deref().is_some_and(|r| r.contains("read-only")),
        "the connection is closed with a reason: {closed:?}"
    );
    assert_eq!(stored_ids(data.path()), before, "nothing new was stored");

    let addr = relay.addr.to_string();
    let body = format!("{{\"doc\":\"{held}\"}}");
    let (status, _) = http(&addr, "POST", "/api/share", Some(&reader), Some(&body)).await;
    assert_eq!(status, 403, "a reader cannot make links");
    let (status, _) = http(&addr, "POST", "/api/share", Some(&relay.token), Some(&body)).await;
    assert_eq!(status, 201, "an editor can");
    relay.stop().await;
}

/// What the relay said about a document, with the sender normalised.
fn about(heard: &[Message], doc: DocumentId) -> Vec<String> {
    heard
        .iter()
        .filter(|m| m.document_id() == Some(doc))
        .map(|m| match m {
            Message::DocUnavailable { .. } => "doc-unavailable".to_owned(),
            other => format!("{other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn a_token_for_one_document_gives_nothing_of_another() {
    let data = tempfile::tempdir().unwrap();
    let relay = support::start_relay(data.path()).await;
    let full = relay.sync_url();
    let mine = DocumentId::from_random_bytes([0x54; 16]);
    let theirs = DocumentId::from_random_bytes([0x55; 16]);
    let nowhere = DocumentId::from_random_bytes([0x56; 16]);
    store(&full, data.path(), mine, plan("brugse-poort")).await;
    let their_plan = plan("sluizeken");
    store(&full, data.path(), theirs, their_plan.clone()).await;
    let their_file = data.path().join(format!("{theirs}.automerge"));
    let their_bytes = std::fs::read(&their_file).unwrap();

    let scoped = support::make_token(data.path(), regie_relay::tokens::Kind::Edit, Some(mine));
    let url = support::sync_url(&relay, &scoped);

    // Asking for it looks exactly like asking for a document that does not exist.
    let mut nosy = Repo::new("nosy".into(), SharePolicy::Announce);
    let (heard, closed) = session(
        &url,
        &mut nosy,
        |r| {
            let mut e = r.want(theirs);
            e.extend(r.want(nowhere));
            e
        },
        |r, _| r.doc(&theirs).is_some_and(|d| !d.get_heads().is_empty()),
        Duration::from_secs(1),
    )
    .await;
    assert_eq!(closed, None);
    assert_eq!(about(&heard, theirs), ["doc-unavailable"]);
    assert_eq!(about(&heard, theirs), about(&heard, nowhere));
    assert!(
        nosy.doc(&theirs).is_none_or(|d| d.get_heads().is_empty()),
        "nothing of it arrived"
    );

    // Writing to it: answered the same way, nothing applied or stored.
    let mut forger = Repo::new("forger".into(), SharePolicy::Announce);
    forger.insert(theirs, edited(their_plan, "Vervalst"));
    forger.insert(mine, edited(plan("brugse-poort"), "Mag wel"));
    let (heard, closed) = session(
        &url,
        &mut forger,
        |_| Vec::new(),
        |_, _| false,
        Duration::from_secs(1),
    )
    .await;
    assert_eq!(closed, None, "a write out of scope is not an error");
    assert_eq!(about(&heard, theirs), ["doc-unavailable"]);
    assert!(
        forger.unconfirmed_changes(&mine) == 0,
        "the document in scope did sync"
    );
    assert_eq!(
        std::fs::read(&their_file).unwrap(),
        their_bytes,
        "the other document is untouched"
    );

    // Links: only for the document in scope.
    let addr = relay.addr.to_string();
    let share = |doc: DocumentId| {
        let addr = addr.clone();
        let scoped = scoped.clone();
        async move {
            let body = format!("{{\"doc\":\"{doc}\"}}");
            http(&addr, "POST", "/api/share", Some(&scoped), Some(&body))
                .await
                .0
        }
    };
    assert_eq!(share(theirs).await, 403);
    assert_eq!(share(mine).await, 201);
    let (status, body) = http(&addr, "GET", "/api/access", Some(&scoped), None).await;
    assert_eq!(status, 200);
    assert!(body.contains(&mine.to_string()) && !body.contains(&theirs.to_string()));

    // Presence: a watcher of the other document hears a full-access peer,
    // never the scoped one.
    let (mut watcher, _) = tokio_tungstenite::connect_async(&full).await.unwrap();
    let mut watching = Repo::new("watcher".into(), SharePolicy::Announce);
    let mut pending = watching.connect_upstream(ConnId(0));
    let mut subscribed = false;
    loop {
        for effect in watching.durable_at_once(std::mem::take(&mut pending)) {
            match effect {
                Effect::Send { frame, .. } => {
                    watcher.send(WsMessage::Binary(frame.into())).await.unwrap();
                }
                Effect::Connected { .. } => subscribed = true,
                _ => {}
            }
        }
        if subscribed {
            pending = watching.want(theirs);
            subscribed = false;
            continue;
        }
        if watching
            .doc(&theirs)
            .is_some_and(|d| !d.get_heads().is_empty())
        {
            break;
        }
        let frame = tokio::time::timeout(Duration::from_secs(5), watcher.next())
            .await
            .expect("the watcher gets the document");
        if let Some(Ok(WsMessage::Binary(frame))) = frame {
            pending = watching.receive(ConnId(0), &frame);
        }
    }
    let presence = |sender: &str| {
        Message::Ephemeral {
            sender_id: sender.into(),
            target_id: "relay".into(),
            document_id: theirs,
            count: 1,
            session_id: sender.to_owned(),
            data: sender.as_bytes().to_vec(),
        }
        .encode()
    };
    let join = |sender: &str| {
        Message::Join {
            sender_id: sender.into(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: PeerMetadata::default(),
        }
        .encode()
    };
    for (url, sender) in [(&url, "scoped-peer"), (&full, "full-peer")] {
        let (mut ws, _) = tokio_tungstenite::connect_async(url.as_str())
            .await
            .unwrap();
        ws.send(WsMessage::Binary(join(sender).into()))
            .await
            .unwrap();
        ws.send(WsMessage::Binary(presence(sender).into()))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut senders = Vec::new();
    while let Ok(Some(Ok(frame))) =
        tokio::time::timeout(Duration::from_millis(500), watcher.next()).await
    {
        if let WsMessage::Binary(frame) = frame
            && let Ok(Some(Message::Ephemeral { sender_id, .. })) = Message::decode(&frame)
        {
            senders.push(sender_id.0);
        }
    }
    assert_eq!(
        senders,
        ["full-peer"],
        "only in-scope presence is passed on"
    );
    relay.stop().await;
}

/// Every form a token could take in a log line.
fn forms(token: &str) -> Vec<String> {
    let mut forms = vec![token.to_owned()];
    if let Ok(bytes) = bs58::decode(token).into_vec() {
        forms.push(bytes.iter().map(|b| format!("{b:02x}")).collect());
        forms.push(bytes.iter().map(|b| format!("{b:02X}")).collect());
        forms.push(base64::engine::general_purpose::STANDARD.encode(&bytes));
        forms.push(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes));
        forms.push(format!("{bytes:?}"));
    }
    forms.push(base64::engine::general_purpose::STANDARD.encode(token));
    forms
}

#[tokio::test]
async fn tokens_never_appear_in_the_relay_logs() {
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay(data.path(), "trace");
    let addr = relay.addr.clone();
    let editor = field(
        &token_cli(data.path(), &["create", "--edit", "--label", "log"]),
        "token",
    );
    let revoked_out = token_cli(data.path(), &["create", "--edit"]);
    let revoked = field(&revoked_out, "token");
    token_cli(data.path(), &["revoke", &field(&revoked_out, "id")]);
    let wrong = bs58::encode([0x3cu8; 32]).into_string();

    // A full session: store a plan, make a read-only link, read with it.
    let doc = DocumentId::from_random_bytes([0x57; 16]);
    let url = format!("ws://{addr}/sync?token={editor}");
    store(&url, data.path(), doc, edited(plan("dampoort"), "Spelen")).await;
    let (status, body) = http(&addr, "GET", "/api/access", Some(&editor), None).await;
    assert_eq!(status, 200);
    let (status, body_share) = http(
        &addr,
        "POST",
        "/api/share",
        Some(&editor),
        Some(&format!("{{\"doc\":\"{doc}\"}}")),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let shared: serde_json::Value = serde_json::from_str(&body_share).unwrap();
    let reader = shared["token"].as_str().unwrap().to_owned();
    let mut reading = Repo::new("reader".into(), SharePolicy::Announce);
    session(
        &format!("ws://{addr}/sync?token={reader}"),
        &mut reading,
        |r| r.want(doc),
        |r, _| r.doc(&doc).is_some_and(|d| !d.get_heads().is_empty()),
        Duration::from_secs(5),
    )
    .await;
    assert!(reading.doc(&doc).is_some(), "the read-only link works");
    // Refusals, the app's pages with a link, a read-only write attempt.
    for token in [&wrong, &revoked] {
        assert_eq!(upgrade_status(&addr, &format!("?token={token}")).await, 401);
        let (status, _) = http(&addr, "GET", "/api/access", Some(token), None).await;
        assert_eq!(status, 401);
    }
    http(
        &addr,
        "GET",
        &format!("/plan/{doc}?token={reader}"),
        None,
        None,
    )
    .await;
    http(&addr, "GET", &format!("/?token={editor}"), None, None).await;
    let mut forger = Repo::new("forger".into(), SharePolicy::Announce);
    forger.insert(doc, edited(plan("dampoort"), "Vervalst"));
    session(
        &format!("ws://{addr}/sync?token={reader}"),
        &mut forger,
        |_| Vec::new(),
        |_, _| false,
        Duration::from_secs(1),
    )
    .await;

    let log = relay.kill();
    if std::env::var_os("REGIE_SHOW_LOG").is_some() {
        eprintln!("{log}");
    }
    assert!(
        log.contains("peer joined")
            && log.contains("link created")
            && log.contains(&doc.to_string()),
        "the log covers the session:\n{log}"
    );
    assert!(log.contains(" TRACE "), "trace logging is on:\n{log}");
    for (name, token) in [
        ("edit", &editor),
        ("read-only", &reader),
        ("revoked", &revoked),
        ("wrong", &wrong),
    ] {
        for form in forms(token) {
            assert!(
                !log.contains(&form),
                "the {name} token appears in the log as {form}:\n{log}"
            );
        }
    }
}

/// Change bytes on which `Automerge::load` 0.12 panics instead of returning
/// an error (the fuzzer's backup-import crasher, minus its mode byte); the
/// engine now refuses them before Automerge sees them.
const PANICKING_CHANGE: &[u8] = include_bytes!(
    "../../regie-core/tests/fuzz-regressions/backup_import/crash-bundle-column-unwrap"
);

#[tokio::test]
async fn change_data_that_crashes_automerge_closes_only_that_connection() {
    use automerge::sync::SyncDoc as _;
    use automerge::transaction::Transactable as _;

    let data = tempfile::tempdir().unwrap();
    let relay = support::start_relay(data.path()).await;
    let url = relay.sync_url();

    let target = DocumentId::from_random_bytes([0x58; 16]);
    let mut doc = Automerge::new();
    let mut tx = doc.transaction();
    tx.put(automerge::ROOT, "x", 1).unwrap();
    tx.commit();
    let mut sync = doc
        .generate_sync_message(&mut automerge::sync::State::new())
        .unwrap();
    sync.changes = vec![PANICKING_CHANGE[1..].to_vec()].into();
    let evil = Message::Sync(regie_core::protocol::DocMessage {
        sender_id: "evil".into(),
        target_id: "relay".into(),
        document_id: target,
        data: sync.encode(),
    });
    let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    let join = Message::Join {
        sender_id: "evil".into(),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: PeerMetadata::default(),
    };
    for message in [join, evil] {
        ws.send(WsMessage::Binary(message.encode().into()))
            .await
            .unwrap();
    }
    let mut closed = None;
    while let Ok(Some(Ok(message))) = tokio::time::timeout(Duration::from_secs(5), ws.next()).await
    {
        if let WsMessage::Close(frame) = message {
            closed = Some(frame.map_or(String::new(), |f| f.reason.to_string()));
            break;
        }
    }
    assert!(closed.is_some(), "the sender is told and cut off");
    assert!(
        !data.path().join(format!("{target}.automerge")).exists(),
        "nothing was stored"
    );

    // Everyone else is still served.
    let other = DocumentId::from_random_bytes([0x59; 16]);
    store(&url, data.path(), other, plan("rabot")).await;
    relay.stop().await;
}

#[tokio::test]
async fn the_ice_servers_an_operator_names_reach_only_holders_of_a_valid_link() {
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay_with(
        data.path(),
        "regie_relay=info",
        &[
            "--ice-server",
            "stun:stun.gent.example:3478,turns:turn.gent.example:443?transport=tcp",
            "--turn-username",
            "regie",
            "--turn-credential",
            "geheim-turn",
        ],
    );
    let token = field(&token_cli(data.path(), &["create", "--read-only"]), "token");
    let (status, body) = http(&relay.addr, "GET", "/api/access", Some(&token), None).await;
    assert_eq!(status, 200, "{body}");
    let info: serde_json::Value = serde_json::from_str(&body).unwrap();
    let ice = info["ice"].as_array().expect("the servers are told");
    assert_eq!(ice.len(), 2, "{body}");
    assert_eq!(ice[0]["urls"], "stun:stun.gent.example:3478");
    assert!(
        ice[0].get("credential").is_none(),
        "STUN gets no credential"
    );
    assert_eq!(ice[1]["username"], "regie");
    assert_eq!(ice[1]["credential"], "geheim-turn");

    let (status, body) = http(&relay.addr, "GET", "/api/access", Some("wrong"), None).await;
    assert_eq!(status, 401);
    assert!(
        !body.contains("geheim-turn") && !body.contains("stun:"),
        "{body}"
    );
}
