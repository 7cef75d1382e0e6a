//! HTTP: the built app (with a fallback to `index.html` for client-side
//! routes), the sync WebSocket at `/sync`, `/healthz`, and the small API the
//! app uses (`crate::api`).
//!
//! Tokens: `/sync` takes one as a WebSocket subprotocol `regie.token.<token>`
//! (how the app presents it: a browser cannot give a WebSocket a header,
//! and a subprotocol stands in no URL, so no proxy logs it), as `?token=`
//! (how stock automerge-repo clients can add it) or in `Authorization:
//! Bearer`; `/api/*` only in the header. Share links carry the token in the
//! URL fragment, which browsers never send. The token is checked before
//! any request body is read, and bodies are small and bounded. An open
//! sync connection's token is checked again every few seconds, so a
//! revoked link is cut off in a running relay.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use regie_core::direct::ice::IceServer;
use serde::Deserialize;
use tower_http::CompressionLevel;
use tower_http::compression::Compression;
use tower_http::services::{ServeDir, ServeFile};

use crate::api;
use crate::audit::AuditLog;
use crate::config::Config;
use crate::hub::{Hub, HubLimits};
use crate::listener::Bounds;
use crate::socket::SocketBounds;
use crate::storage::DiskStore;
use crate::tokens::{Grant, TokenStore};

/// Largest `/api` request body (a share request is a few dozen bytes).
const MAX_API_BODY: usize = 4 * 1024;

#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) hub: Hub,
    pub(crate) tokens: Arc<TokenStore>,
    socket: SocketBounds,
    /// Told to the app with its access, for direct links.
    pub(crate) ice: Arc<[IceServer]>,
    /// Which link delivered which change (read by the city's link).
    pub(crate) audit: Arc<AuditLog>,
}

/// `?token=...`, as automerge-repo clients can add it to the socket URL.
#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The token of an `Authorization: Bearer` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
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
    pub(crate) fn grant(&self, token: Option<&str>) -> Option<Grant> {
        token.and_then(|t| self.tokens.check(t, now()))
    }
}

/// The one answer for missing, unknown, expired and revoked tokens.
pub(crate) fn refusal() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        "Geen toegang: ongeldige of ingetrokken deellink.",
    )
        .into_response()
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
        .route("/api/access", get(api::access))
        .route("/api/share", post(api::share))
        .route("/api/links", get(api::links).post(api::make_link))
        .route("/api/links/revoke", post(api::revoke))
        .route("/api/audit", get(api::audit))
        .layer(DefaultBodyLimit::max(MAX_API_BODY))
        .fallback_service(app)
        .with_state(AppState {
            hub,
            tokens,
            socket: socket_bounds(config),
            ice: ice_servers(config),
            audit: Arc::new(AuditLog::new(&config.data_dir)),
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

/// The subprotocol the app offers along with the one carrying its token.
pub const SUBPROTOCOL: &str = "regie";
/// The start of the subprotocol that carries a token.
const TOKEN_SUBPROTOCOL: &str = "regie.token.";

/// The token in a `Sec-WebSocket-Protocol` offer, if there is one.
fn subprotocol_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|offer| offer.trim().strip_prefix(TOKEN_SUBPROTOCOL))
}

async fn upgrade(
    State(state): State<AppState>,
    Query(query): Query<TokenQuery>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let token = subprotocol_token(&headers)
        .or(query.token.as_deref())
        .or_else(|| bearer(&headers))
        .map(str::to_owned);
    let Some(grant) = state.grant(token.as_deref()) else {
        tracing::warn!("refused a sync connection without a valid token");
        return refusal();
    };
    let bounds = state.socket;
    let still = crate::socket::Revalidate {
        tokens: state.tokens.clone(),
        token: token.unwrap_or_default(),
    };
    ws.protocols([SUBPROTOCOL])
        .max_message_size(bounds.max_frame)
        .max_frame_size(bounds.max_frame)
        .on_upgrade(move |socket| {
            crate::socket::serve(
                state.hub,
                grant.access,
                grant.organisation,
                still,
                bounds,
                socket,
            )
        })
}
