//! HTTP: the built app (with a fallback to `index.html` for client-side
//! routes), the sync WebSocket at `/sync`, and `/healthz`.

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::{SinkExt as _, StreamExt as _};
use regie_core::{Access, DocumentId};
use serde::{Deserialize, Serialize};
use tower_http::CompressionLevel;
use tower_http::compression::Compression;
use tower_http::services::{ServeDir, ServeFile};

use crate::config::Config;
use crate::hub::{Hub, Outgoing};
use crate::rate::RateLimit;
use crate::storage::DiskStore;
use crate::tokens::{Kind, TokenStore};

/// WebSocket close code for a policy violation (RFC 6455).
const CLOSE_POLICY: u16 = 1008;

#[derive(Clone)]
struct AppState {
    hub: Arc<Hub>,
    tokens: Arc<TokenStore>,
    max_frame: usize,
    max_rate: u32,
}

/// `?token=...`, as automerge-repo clients can add it to the socket URL.
#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

impl AppState {
    /// The access a request's token gives. Missing, unknown and revoked
    /// tokens get the same answer, so nothing is learned by guessing.
    fn access(&self, query: &TokenQuery) -> Option<Access> {
        query.token.as_deref().and_then(|t| self.tokens.check(t))
    }
}

/// The one answer for missing, unknown and revoked tokens.
fn refusal() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        "Geen toegang: ongeldige of ingetrokken deellink.",
    )
        .into_response()
}

/// What `/api/access` tells the app about its token.
#[derive(Serialize)]
struct AccessInfo {
    write: bool,
    doc: Option<DocumentId>,
}

/// `/api/share` request: make a read-only link for this document.
#[derive(Deserialize)]
struct ShareRequest {
    doc: DocumentId,
}

/// `/api/share` answer.
#[derive(Serialize)]
struct ShareAnswer {
    token: String,
    path: String,
}

/// Builds the router for a hub, the token store and a directory with the app.
pub fn router(hub: Arc<Hub>, tokens: Arc<TokenStore>, config: &Config) -> Router {
    let index = ServeFile::new(config.dist.join("index.html"));
    // The app is served compressed: over a slow mobile link the wasm is most
    // of the first load. `cargo xtask` leaves a brotli copy (quality 11) of
    // each file next to it; anything without one is compressed per request
    // at a middle level, which keeps the relay's CPU for sync.
    let files = ServeDir::new(&config.dist)
        .precompressed_br()
        .fallback(index);
    let app = Compression::new(files).quality(CompressionLevel::Precise(5));
    Router::new()
        .route("/sync", get(upgrade))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/access", get(access))
        .route("/api/share", post(share))
        .fallback_service(app)
        .with_state(AppState {
            hub,
            tokens,
            max_frame: config.max_frame,
            max_rate: config.max_rate,
        })
}

/// Opens storage, binds, prints the URL and serves until Ctrl-C / SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    serve(listener, config, shutdown_signal()).await
}

/// Serves on a bound listener until `shutdown` completes, then finishes the
/// open requests. Every change is already on disk when it is acknowledged,
/// so there is nothing left to flush.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = DiskStore::open(&config.data_dir)?;
    let peer_id = format!("regie-relay-{:016x}", rand::random::<u64>());
    let hub = Arc::new(Hub::open(store, peer_id.as_str().into())?);
    let tokens = Arc::new(TokenStore::open(&config.data_dir)?);
    if let Some(url) = config.upstream.clone() {
        tokio::spawn(crate::upstream::forward(hub.clone(), url));
    }
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no built app found; only /sync and /healthz will work");
    }
    let addr = listener.local_addr()?;
    tracing::info!(%addr, data_dir = %config.data_dir.display(), documents = hub.document_count(), "relay started");
    // Tests and the xtask read this line to find the port.
    println!("Regie relay listening on http://{addr}/");
    axum::serve(listener, router(hub, tokens, &config))
        .with_graceful_shutdown(shutdown)
        .await?;
    tracing::info!("relay stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

async fn upgrade(
    State(state): State<AppState>,
    Query(query): Query<TokenQuery>,
    ws: WebSocketUpgrade,
) -> Response {
    let Some(access) = state.access(&query) else {
        tracing::warn!("refused a sync connection without a valid token");
        return refusal();
    };
    ws.max_message_size(state.max_frame)
        .max_frame_size(state.max_frame)
        .on_upgrade(move |socket| connection(state.hub, access, state.max_rate, socket))
}

async fn access(State(state): State<AppState>, Query(query): Query<TokenQuery>) -> Response {
    match state.access(&query) {
        Some(access) => Json(AccessInfo {
            write: access.write,
            doc: access.only,
        })
        .into_response(),
        None => refusal(),
    }
}

async fn share(
    State(state): State<AppState>,
    Query(query): Query<TokenQuery>,
    Json(request): Json<ShareRequest>,
) -> Response {
    let Some(access) = state.access(&query) else {
        return refusal();
    };
    if !access.write || !access.covers(&request.doc) {
        return (
            StatusCode::FORBIDDEN,
            "Alleen wie mag bewerken, kan een leeslink maken.",
        )
            .into_response();
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let label = Some("leeslink uit de app".to_owned());
    match state.tokens.create(
        Kind::ReadOnly,
        Some(request.doc),
        label,
        rand::random(),
        now,
    ) {
        Ok((token, record)) => {
            tracing::info!(token_id = %record.id, doc = %request.doc, "read-only link created");
            let path = crate::cli::share_link("", Some(&request.doc), &token);
            (StatusCode::CREATED, Json(ShareAnswer { token, path })).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "could not store a token");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "De link kon niet bewaard worden.",
            )
                .into_response()
        }
    }
}

async fn connection(hub: Arc<Hub>, access: Access, max_rate: u32, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let (conn, mut outbox) = hub.connect(access);
    let mut limit = RateLimit::new(max_rate, std::time::Instant::now());
    let writer = tokio::spawn(async move {
        while let Some(out) = outbox.recv().await {
            match out {
                Outgoing::Frame(frame) => {
                    if sink.send(Message::Binary(frame.into())).await.is_err() {
                        break;
                    }
                }
                Outgoing::Close(reason) => {
                    // Close reasons are limited to 123 bytes by the protocol.
                    let reason: String = reason.chars().take(100).collect();
                    let frame = CloseFrame {
                        code: CLOSE_POLICY,
                        reason: reason.into(),
                    };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    break;
                }
            }
        }
    });
    while let Some(message) = stream.next().await {
        match message {
            Ok(Message::Binary(_)) if !limit.allow(std::time::Instant::now()) => {
                hub.reject(conn, "too many messages: slow down");
                break;
            }
            Ok(Message::Binary(frame)) => hub.receive(conn, &frame),
            Ok(Message::Text(_)) => {
                hub.reject(conn, "binary frames only");
                break;
            }
            Ok(Message::Close(_)) => break,
            Ok(_) => {}
            Err(error) => {
                tracing::debug!(conn = conn.0, %error, "connection error");
                break;
            }
        }
    }
    hub.disconnect(conn);
    let _ = writer.await;
}
