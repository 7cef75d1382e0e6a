//! Interoperability with samod, the Rust automerge-repo implementation, over
//! real WebSockets and in both roles:
//!
//! - samod as a *client* of our relay, next to a `regie_core::Repo` client:
//!   a document made by either one reaches the other through the relay;
//! - samod as the *server* a `regie_core::Repo` client connects to upstream:
//!   documents and later edits travel both ways.
//!
//! Every wait has a timeout and every test asserts on document content, so a
//! sync that silently does not happen fails the test.

mod support;

use std::time::Duration;

use automerge::transaction::Transactable as _;
use automerge::{Automerge, AutomergeError, ROOT, ReadDoc as _};
use futures_util::{SinkExt as _, StreamExt as _};
use regie_core::{ConnId, DocumentId, Effect, Repo, SharePolicy};
use support::start_relay;
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The longest any single step may take; a step normally takes milliseconds.
const STEP: Duration = Duration::from_secs(5);
/// How often a waiting core client re-checks a condition on the samod side.
const POLL: Duration = Duration::from_millis(20);
/// The one connection a core client has.
const CONN: ConnId = ConnId(0);

fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

// --- the relay (as in sync_through_relay.rs) ---

struct SamodServer {
    repo: samod::Repo,
    url: String,
    http: tokio::task::JoinHandle<()>,
}

async fn start_samod_server() -> SamodServer {
    let repo = samod::Repo::build_tokio()
        .with_peer_id(samod::PeerId::from("samod-server"))
        .load()
        .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/", listener.local_addr().unwrap());
    let acceptor = repo.make_acceptor(url.parse().unwrap()).unwrap();
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(move |upgrade: axum::extract::ws::WebSocketUpgrade| {
            let acceptor = acceptor.clone();
            async move {
                upgrade.on_upgrade(move |socket| async move {
                    acceptor
                        .accept_axum(socket, None)
                        .expect("samod accepts the connection");
                })
            }
        }),
    );
    let http = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    SamodServer { repo, url, http }
}

impl SamodServer {
    async fn stop(self) {
        timeout(STEP, self.repo.stop()).await.expect("samod stops");
        self.http.abort();
        let _ = self.http.await;
    }
}

/// A samod repo dialing `url`.
///
/// A few quick retries are needed: in samod 0.16 `Repo::dial` hands the dial
/// request to its IO loop *before* it registers the dialer, so on a
/// multi-threaded runtime the first attempt can fail with "no dialer
/// registered" (see `Repo::dial` and `io_loop.rs`). The retry budget stays
/// small, so a relay that refuses samod still fails the test quickly.
async fn samod_client(name: &str, url: &str) -> (samod::Repo, samod::ConnectionId) {
    let repo = samod::Repo::build_tokio()
        .with_peer_id(samod::PeerId::from(name))
        .load()
        .await;
    let dialer = repo
        .dial_websocket(
            url.parse().unwrap(),
            samod::BackoffConfig {
                initial_delay: Duration::from_millis(10),
                max_delay: Duration::from_millis(200),
                max_retries: Some(5),
            },
        )
        .unwrap();
    let peer = timeout(STEP, dialer.established())
        .await
        .expect("samod connects before the timeout")
        .expect("samod completes the handshake");
    tracing::info!(?peer, "samod client connected");
    let conn = dialer.connection_id().expect("an established connection");
    (repo, conn)
}

// --- a regie_core client over tokio-tungstenite ---

struct CoreClient {
    repo: Repo,
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Effects other than sends, in order.
    seen: Vec<Effect>,
}

impl CoreClient {
    /// Connects upstream and completes the handshake.
    async fn connect(name: &str, url: &str) -> Self {
        let (ws, _) = timeout(STEP, tokio_tungstenite::connect_async(url))
            .await
            .expect("connects before the timeout")
            .expect("the server accepts the WebSocket");
        let mut client = Self {
            repo: Repo::new(name.into(), SharePolicy::Announce),
            ws,
            seen: Vec::new(),
        };
        let effects = client.repo.connect_upstream(CONN);
        client.apply(effects).await;
        client
            .pump_until("the handshake", |r| r.is_connected(CONN))
            .await;
        client
    }

    /// Carries out effects: frames are sent, a close is a failure (the core
    /// found the peer's messages unacceptable), the rest is remembered.
    async fn apply(&mut self, effects: Vec<Effect>) {
        for effect in self.repo.durable_at_once(effects) {
            match effect {
                Effect::Send { frame, .. } => self
                    .ws
                    .send(WsMessage::Binary(frame.into()))
                    .await
                    .expect("the peer is still there"),
                Effect::Close { reason, .. } => {
                    panic!("regie-core closed the connection: {reason}")
                }
                other => self.seen.push(other),
            }
        }
    }

    /// Handles incoming frames until `done` holds. `done` is also re-checked
    /// every `POLL`, so it may look at the other side (a samod document).
    async fn pump_until(&mut self, what: &str, mut done: impl FnMut(&Repo) -> bool) {
        let deadline = Instant::now() + STEP;
        while !done(&self.repo) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            let next = match timeout(POLL, self.ws.next()).await {
                Ok(next) => next,
                Err(_) => continue,
            };
            match next {
                Some(Ok(WsMessage::Binary(frame))) => {
                    let effects = self.repo.receive(CONN, &frame);
                    self.apply(effects).await;
                }
                Some(Ok(WsMessage::Close(frame))) => {
                    panic!("the peer closed the connection while waiting for {what}: {frame:?}")
                }
                Some(Ok(_)) => {}
                other => panic!("the connection ended while waiting for {what}: {other:?}"),
            }
        }
    }

    async fn close(mut self) {
        let _ = self.ws.close(None).await;
        self.repo.disconnect(CONN);
    }
}

// --- documents ---

fn doc_with_title(title: &str) -> Automerge {
    let mut doc = Automerge::new();
    set(&mut doc, "title", title);
    doc
}

fn set(doc: &mut Automerge, key: &str, value: &str) {
    doc.transact::<_, _, AutomergeError>(|tx| {
        tx.put(ROOT, key, value)?;
        Ok(())
    })
    .unwrap();
}

fn get(doc: &Automerge, key: &str) -> Option<String> {
    let (value, _) = doc.get(ROOT, key).ok()??;
    value.as_str().map(str::to_owned)
}

fn core_get(repo: &Repo, id: DocumentId, key: &str) -> Option<String> {
    repo.doc(&id).and_then(|d| get(d, key))
}

fn samod_get(handle: &samod::DocHandle, key: &str) -> Option<String> {
    handle.with_document(|d| get(d, key))
}

/// Both implementations write automerge-repo ids: base58check of the UUID.
fn to_core_id(id: &samod::DocumentId) -> DocumentId {
    id.to_string()
        .parse()
        .expect("a samod id is a valid regie id")
}

fn to_samod_id(id: DocumentId) -> samod::DocumentId {
    id.to_string()
        .parse()
        .expect("a regie id is a valid samod id")
}

// --- the tests ---

/// samod (client) creates a document; a core client gets it through the
/// relay; then edits from either side reach the other while both are online.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_samod_document_reaches_a_core_client_through_the_relay() {
    init_logging();
    let data = tempfile::tempdir().unwrap();
    let relay = start_relay(data.path()).await;
    let (samod, relay_conn) = samod_client("samod-client", &relay.sync_url()).await;

    let handle = samod.create(doc_with_title("Buurtsoep")).await.unwrap();
    timeout(STEP, handle.they_have_our_changes(relay_conn))
        .await
        .expect("the relay confirms having samod's document");
    let id = to_core_id(handle.document_id());
    assert_eq!(id.to_string(), handle.document_id().to_string());
    assert!(
        data.path().join(format!("{id}.automerge")).exists(),
        "the relay stored samod's document under the same id"
    );

    let mut core = CoreClient::connect("core", &relay.sync_url()).await;
    let effects = core.repo.want(id);
    core.apply(effects).await;
    core.pump_until("samod's document", |r| {
        core_get(r, id, "title").as_deref() == Some("Buurtsoep")
    })
    .await;
    assert!(!core.seen.contains(&Effect::DocUnavailable { doc: id }));
    assert_eq!(
        core.repo.doc(&id).unwrap().get_heads(),
        handle.with_document(|d| d.get_heads()),
        "the core client has exactly samod's history"
    );

    // core → relay → samod
    let (_, effects) = core
        .repo
        .change(id, |d| set(d, "wijk", "Brugse Poort"))
        .unwrap();
    core.apply(effects).await;
    core.pump_until("samod to see the core's edit", |_| {
        samod_get(&handle, "wijk").as_deref() == Some("Brugse Poort")
    })
    .await;

    // samod → relay → core
    handle.with_document(|d| set(d, "title", "Buurtsoep op zondag"));
    core.pump_until("the core to see samod's edit", |r| {
        core_get(r, id, "title").as_deref() == Some("Buurtsoep op zondag")
    })
    .await;
    assert_eq!(
        core_get(&core.repo, id, "wijk").as_deref(),
        Some("Brugse Poort")
    );

    core.close().await;
    timeout(STEP, samod.stop()).await.expect("samod stops");
    relay.stop().await;
}

/// A core client stores a document on the relay; a samod client connecting
/// later finds it there with its content.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn samod_finds_a_core_document_through_the_relay() {
    init_logging();
    let data = tempfile::tempdir().unwrap();
    let relay = start_relay(data.path()).await;

    let id = DocumentId::from_random_bytes(rand::random());
    let mut core = CoreClient::connect("core", &relay.sync_url()).await;
    let effects = core.repo.insert(id, doc_with_title("Buurtsoep"));
    core.apply(effects).await;
    core.pump_until("the relay to confirm the document", |r| {
        r.unconfirmed_changes(&id) == 0
    })
    .await;
    core.close().await;

    let (samod, _) = samod_client("samod-client", &relay.sync_url()).await;
    let handle = timeout(STEP, samod.find(to_samod_id(id)))
        .await
        .expect("samod's find finishes before the timeout")
        .unwrap()
        .expect("samod finds the document on the relay");
    assert_eq!(handle.document_id().to_string(), id.to_string());
    assert_eq!(samod_get(&handle, "title").as_deref(), Some("Buurtsoep"));

    // An id nobody has is reported unavailable to samod, not left hanging.
    let unknown = DocumentId::from_random_bytes(rand::random());
    let missing = timeout(STEP, samod.find(to_samod_id(unknown)))
        .await
        .expect("samod hears that the document is unavailable")
        .unwrap();
    assert!(missing.is_none(), "samod reports an unknown id as missing");

    timeout(STEP, samod.stop()).await.expect("samod stops");
    relay.stop().await;
}

/// A core client connects upstream to a samod server: it fetches a samod
/// document, announces its own, and later edits flow both ways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_core_client_syncs_with_a_samod_server() {
    init_logging();
    let server = start_samod_server().await;
    let theirs = server
        .repo
        .create(doc_with_title("Buurtsoep"))
        .await
        .unwrap();
    let their_id = to_core_id(theirs.document_id());

    let mut core = CoreClient::connect("core", &server.url).await;
    assert!(
        core.seen
            .iter()
            .any(|e| matches!(e, Effect::Connected { peer, .. } if peer.0 == "samod-server")),
        "the handshake names samod's peer id: {:?}",
        core.seen
    );

    // samod → core: a document the core asks for.
    let effects = core.repo.want(their_id);
    core.apply(effects).await;
    core.pump_until("samod's document", |r| {
        core_get(r, their_id, "title").as_deref() == Some("Buurtsoep")
    })
    .await;
    assert!(
        !core
            .seen
            .contains(&Effect::DocUnavailable { doc: their_id })
    );

    // core → samod: a document the core announces.
    let our_id = DocumentId::from_random_bytes(rand::random());
    let effects = core.repo.insert(our_id, doc_with_title("Wijkfeest"));
    core.apply(effects).await;
    core.pump_until("samod to confirm the core's document", |r| {
        r.unconfirmed_changes(&our_id) == 0
    })
    .await;
    assert!(
        core.seen.contains(&Effect::Confirmed { doc: our_id }),
        "samod's acknowledgement counts as a confirmation"
    );
    let ours = timeout(STEP, server.repo.find(to_samod_id(our_id)))
        .await
        .expect("samod's find finishes before the timeout")
        .unwrap()
        .expect("samod has the core's document");
    assert_eq!(samod_get(&ours, "title").as_deref(), Some("Wijkfeest"));

    // Live edits on both documents, both ways.
    theirs.with_document(|d| set(d, "title", "Buurtsoep op zondag"));
    core.pump_until("the core to see samod's edit", |r| {
        core_get(r, their_id, "title").as_deref() == Some("Buurtsoep op zondag")
    })
    .await;
    let (_, effects) = core
        .repo
        .change(our_id, |d| set(d, "wijk", "Ledeberg"))
        .unwrap();
    core.apply(effects).await;
    core.pump_until("samod to see the core's edit", |_| {
        samod_get(&ours, "wijk").as_deref() == Some("Ledeberg")
    })
    .await;
    core.pump_until("samod to confirm the edit", |r| {
        r.unconfirmed_changes(&our_id) == 0
    })
    .await;
    assert_eq!(
        core.repo.doc(&our_id).unwrap().get_heads(),
        ours.with_document(|d| d.get_heads()),
        "samod has exactly the core's history"
    );

    core.close().await;
    server.stop().await;
}
