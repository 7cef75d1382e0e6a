//! Starting and stopping an in-process relay for the integration tests.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use automerge::Automerge;
use futures_util::{SinkExt as _, StreamExt as _};
use regie_core::protocol::Message;
use regie_core::{ConnId, DocumentId, Effect, Repo, SharePolicy};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use clap::Parser as _;
use regie_relay::config::Cli;
use regie_relay::tokens::{Kind, NewToken, TokenStore};
use tokio::sync::oneshot;

/// A running relay.
pub struct Relay {
    /// Where it listens.
    pub addr: SocketAddr,
    /// An edit token for every document.
    pub token: String,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

/// A relay with generous limits on a free port.
pub async fn start_relay(data_dir: &Path) -> Relay {
    start_relay_with(data_dir, 1 << 20, 1000, None).await
}

/// A relay with the given limits and upstream.
pub async fn start_relay_with(
    data_dir: &Path,
    max_frame: usize,
    max_rate: u32,
    upstream: Option<String>,
) -> Relay {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut args = vec![
        "regie-relay".to_owned(),
        format!("--addr={addr}"),
        format!("--data-dir={}", data_dir.display()),
        format!("--dist={}", data_dir.join("no-app").display()),
        format!("--max-frame={max_frame}"),
        format!("--max-rate={max_rate}"),
    ];
    args.extend(upstream.map(|u| format!("--upstream={u}")));
    let config = Cli::try_parse_from(args).expect("valid flags").config;
    let token = edit_token(data_dir);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(regie_relay::server::serve(listener, config, async {
        let _ = stopped.await;
    }));
    Relay {
        addr,
        token,
        stop,
        task,
    }
}

/// A new edit token for every document.
pub fn edit_token(data_dir: &Path) -> String {
    make_token(data_dir, Kind::Edit, None)
}

/// A new token of `kind`, for one document or every document.
pub fn make_token(data_dir: &Path, kind: Kind, doc: Option<DocumentId>) -> String {
    let new = NewToken {
        kind,
        doc,
        ..NewToken::default()
    };
    TokenStore::open(data_dir)
        .unwrap()
        .create(new, rand::random(), 0)
        .unwrap()
        .0
}

/// The sync URL with a given token.
pub fn sync_url(relay: &Relay, token: &str) -> String {
    format!("ws://{}/sync?token={token}", relay.addr)
}

impl Relay {
    /// The sync URL with the relay's edit token.
    pub fn sync_url(&self) -> String {
        sync_url(self, &self.token)
    }

    /// Shuts down gracefully and waits for it.
    pub async fn stop(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("the relay shuts down")
            .unwrap()
            .unwrap();
    }
}

pub mod process;

/// One HTTP/1.1 request over a fresh TCP connection, with the token (if
/// any) as `Authorization: Bearer`: status and body.
pub async fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (u16, String) {
    let body = body.unwrap_or("");
    let auth = token.map_or(String::new(), |t| format!("\r\nAuthorization: Bearer {t}"));
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/json\r\nContent-Length: {}{auth}",
        body.len()
    );
    let (head, body) = http_exchange(addr, &request, body.as_bytes()).await;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not HTTP: {head}"));
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// The status of a WebSocket upgrade on `/sync`, 101 if accepted.
pub async fn upgrade_status(addr: &str, query: &str) -> u16 {
    match tokio_tungstenite::connect_async(format!("ws://{addr}/sync{query}")).await {
        Ok(_) => 101,
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

/// A client session: joins, runs `prepare`, and carries frames both ways
/// until `done` holds or `quiet` passes without a frame; returns what the
/// relay sent (decoded) and whether it closed the connection, with why.
pub async fn session(
    url: &str,
    repo: &mut Repo,
    prepare: impl FnOnce(&mut Repo) -> Vec<Effect>,
    done: impl Fn(&Repo, &[Message]) -> bool,
    quiet: Duration,
) -> (Vec<Message>, Option<String>) {
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let conn = ConnId(0);
    let mut effects = repo.connect_upstream(conn);
    effects.extend(prepare(repo));
    let mut heard = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let closed = loop {
        for effect in repo.durable_at_once(std::mem::take(&mut effects)) {
            if let Effect::Send { frame, .. } = effect {
                let _ = ws.send(WsMessage::Binary(frame.into())).await;
            }
        }
        if done(repo, &heard) {
            break None;
        }
        assert!(tokio::time::Instant::now() < deadline, "session timed out");
        match tokio::time::timeout(quiet, ws.next()).await {
            Err(_) => break None,
            Ok(Some(Ok(WsMessage::Binary(frame)))) => {
                if let Ok(Some(m)) = Message::decode(&frame) {
                    heard.push(m);
                }
                effects = repo.receive(conn, &frame);
            }
            Ok(Some(Ok(WsMessage::Close(frame)))) => {
                break Some(frame.map_or(String::new(), |f| f.reason.to_string()));
            }
            Ok(Some(Ok(_))) => {}
            Ok(other) => break Some(format!("{other:?}")),
        }
    };
    let _ = ws.close(None).await;
    repo.disconnect(conn);
    (heard, closed)
}

/// Makes the relay store `doc` under `id` through a full-access client.
pub async fn store(url: &str, data_dir: &Path, id: DocumentId, doc: Automerge) {
    let file = data_dir.join(format!("{id}.automerge"));
    let mut repo = Repo::new("owner".into(), SharePolicy::Announce);
    repo.insert(id, doc);
    session(
        url,
        &mut repo,
        |_| Vec::new(),
        |r, _| r.unconfirmed_changes(&id) == 0 && file.exists(),
        Duration::from_secs(10),
    )
    .await;
    assert!(file.exists(), "the relay stored {id}");
}

/// Sends one HTTP/1.1 request (`request`: the request line and headers,
/// without the blank line; `Connection: close` is added) and body over a
/// fresh TCP connection. Returns the response's head and its raw body.
pub async fn http_exchange(addr: &str, request: &str, body: &[u8]) -> (String, Vec<u8>) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!("{request}\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
        .await
        .expect("the relay answers")
        .unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("not HTTP: {}", String::from_utf8_lossy(&response)));
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    (head, response[split + 4..].to_vec())
}

/// What a forged client sends whatever the relay's sync says: every change
/// of `doc`, in a sync frame for document `id`.
pub fn forged_sync_frame(doc: &automerge::Automerge, id: DocumentId) -> Vec<u8> {
    let forged = automerge::sync::Message {
        heads: doc.get_heads(),
        need: Vec::new(),
        have: Vec::new(),
        changes: vec![doc.save()].into(),
        flags: None,
        version: automerge::sync::MessageVersion::V1,
    };
    Message::Sync(regie_core::protocol::DocMessage {
        sender_id: "forger".into(),
        target_id: "relay".into(),
        document_id: id,
        data: forged.encode(),
    })
    .encode()
}
