//! HTTP: the built app (with a fallback to `index.html` for client-side
//! routes), the sync WebSocket at `/sync`, `/healthz`, and the small API the
//! app uses (`/api/access`, `/api/share`).
//!
//! Tokens: `/sync` takes `?token=` (a browser cannot give a WebSocket a
//! header) or `Authorization: Bearer`; `/api/*` only the header, so a token
//! never stands in a URL the app fetches. The token is checked before any
//! request body is read, and bodies are small and bounded.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use regie_core::DocumentId;
use regie_core::direct::ice::IceServer;
use serde::{Deserialize, Serialize};
use tower_http::CompressionLevel;
use tower_http::compression::Compression;
use tower_http::services::{ServeDir, ServeFile};

use crate::config::Config;
use crate::hub::{Hub, HubLimits};
use crate::listener::Bounds;
use crate::socket::SocketBounds;
use crate::storage::DiskStore;
use crate::tokens::{Grant, Kind, NewToken, TokenStore};

/// Largest `/api` request body (a share request is a few dozen bytes).
const MAX_API_BODY: usize = 4 * 1024;

#[derive(Clone)]
struct AppState {
    hub: Hub,
    tokens: Arc<TokenStore>,
    socket: SocketBounds,
    /// Told to the app with its access, for direct links.
    ice: Arc<[IceServer]>,
}

/// `?token=...`, as automerge-repo clients can add it to the socket URL.
#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The token of an `Authorization: Bearer` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

impl AppState {
    /// What a presented token grants. Missing, unknown, expired and revoked
    /// tokens get the same answer, so nothing is learned by guessing.
    fn grant(&self, token: Option<&str>) -> Option<Grant> {
        token.and_then(|t| self.tokens.check(t, now()))
    }
}

/// The one answer for missing, unknown, expired and revoked tokens.
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
    /// Seconds since the Unix epoch, when the link stops working.
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    /// STUN/TURN servers for direct links, if the operator named any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ice: Vec<IceServer>,
}

/// `/api/share` request: make a read-only link for this document.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShareRequest {
    doc: DocumentId,
    /// Days the link works (never longer than the link that makes it).
    #[serde(default)]
    days: Option<u16>,
}

/// `/api/share` answer.
#[derive(Serialize)]
struct ShareAnswer {
    token: String,
    path: String,
}

/// Builds the router for a hub, the token store and a directory with the app.
pub fn router(hub: Hub, tokens: Arc<TokenStore>, config: &Config) -> Router {
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
        .layer(DefaultBodyLimit::max(MAX_API_BODY))
        .fallback_service(app)
        .with_state(AppState {
            hub,
            tokens,
            socket: socket_bounds(config),
            ice: ice_servers(config),
        })
        .layer(crate::headers::layer(&config.dist))
}

fn ice_servers(config: &Config) -> Arc<[IceServer]> {
    config
        .ice_servers
        .iter()
        .take(regie_core::direct::ice::MAX_ICE_SERVERS)
        .map(|url| {
            IceServer::new(
                url,
                config.turn_username.as_deref(),
                config.turn_credential.as_deref(),
            )
        })
        .collect()
}

fn socket_bounds(config: &Config) -> SocketBounds {
    SocketBounds {
        max_frame: config.max_frame,
        max_rate: config.max_rate,
        engine_ms_per_s: config.engine_ms_per_s,
        join_timeout: Duration::from_secs(config.join_timeout),
        idle_timeout: Duration::from_secs(config.idle_timeout),
        ping_interval: Duration::from_secs(config.ping_interval),
    }
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
    let limits = HubLimits {
        max_outbox: config.max_outbox,
    };
    let hub = Hub::open(store, peer_id.as_str().into(), limits)?;
    let tokens = Arc::new(TokenStore::open(&config.data_dir)?);
    if let Some(url) = config.upstream.clone() {
        tokio::spawn(crate::upstream::forward(hub.clone(), url));
    }
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no built app found; only /sync and /healthz will work");
    }
    let bounds = Bounds {
        max_connections: crate::listener::connections_the_file_limit_allows(config.max_connections),
        max_per_addr: config.max_connections_per_addr,
        header_timeout: Duration::from_secs(config.header_timeout),
        // A WebSocket is closed for silence with a reason first; the
        // socket's own deadline is the backstop behind it.
        idle_timeout: Duration::from_secs(config.idle_timeout + config.ping_interval),
    };
    let addr = listener.local_addr()?;
    tracing::info!(
        %addr,
        data_dir = %config.data_dir.display(),
        documents = hub.document_count(),
        max_connections = bounds.max_connections,
        max_per_addr = bounds.max_per_addr,
        "relay started"
    );
    // Tests and the xtask read this line to find the port.
    println!("Regie relay listening on http://{addr}/");
    crate::listener::serve(listener, router(hub, tokens, &config), bounds, shutdown).await;
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
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let token = query.token.as_deref().or_else(|| bearer(&headers));
    let Some(grant) = state.grant(token) else {
        tracing::warn!("refused a sync connection without a valid token");
        return refusal();
    };
    let bounds = state.socket;
    ws.max_message_size(bounds.max_frame)
        .max_frame_size(bounds.max_frame)
        .on_upgrade(move |socket| crate::socket::serve(state.hub, grant.access, bounds, socket))
}

async fn access(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match state.grant(bearer(&headers)) {
        Some(grant) => Json(AccessInfo {
            write: grant.access.write,
            doc: grant.access.only,
            expires_at: grant.expires_at,
            ice: state.ice.to_vec(),
        })
        .into_response(),
        None => refusal(),
    }
}

async fn share(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    // The token first: nobody without one makes the relay parse anything.
    let Some(grant) = state.grant(bearer(&headers)) else {
        return refusal();
    };
    let Ok(request) = serde_json::from_slice::<ShareRequest>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            "Verwacht: {\"doc\": \"<document-id>\"}.",
        )
            .into_response();
    };
    if !grant.access.write || !grant.access.covers(&request.doc) {
        return (
            StatusCode::FORBIDDEN,
            "Alleen wie mag bewerken, kan een leeslink maken.",
        )
            .into_response();
    }
    if request.days == Some(0) {
        return (StatusCode::BAD_REQUEST, "Een link werkt minstens één dag.").into_response();
    }
    let now = now();
    let new = NewToken {
        kind: Kind::ReadOnly,
        doc: Some(request.doc),
        label: Some("leeslink uit de app".to_owned()),
        parent: Some(grant.id.clone()),
        expires_at: request.days.map(|d| now + u64::from(d) * 86_400),
    };
    // Creating takes the token file's lock and an fsync: off the workers.
    let tokens = state.tokens.clone();
    let created =
        tokio::task::spawn_blocking(move || tokens.create(new, rand::random(), now)).await;
    let created = created.unwrap_or_else(|e| Err(std::io::Error::other(e)));
    match created {
        Ok((token, record)) => {
            tracing::info!(token_id = %record.id, parent = %grant.id, doc = %request.doc, "read-only link created");
            let path = crate::cli::share_link("", Some(&request.doc), &token);
            (StatusCode::CREATED, Json(ShareAnswer { token, path })).into_response()
        }
        // The link that asks was revoked or ran out meanwhile.
        Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => refusal(),
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
