//! HTTP: the built app (with a fallback to `index.html` for client-side
//! routes), the sync WebSocket at `/sync`, and `/healthz`.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use futures_util::{SinkExt as _, StreamExt as _};
use tower_http::services::{ServeDir, ServeFile};

use crate::config::Config;
use crate::hub::{Hub, Outgoing};
use crate::storage::DiskStore;

/// WebSocket close code for a policy violation (RFC 6455).
const CLOSE_POLICY: u16 = 1008;

#[derive(Clone)]
struct AppState {
    hub: Arc<Hub>,
    max_frame: usize,
}

/// Builds the router for a hub and a directory with the app.
pub fn router(hub: Arc<Hub>, config: &Config) -> Router {
    let index = ServeFile::new(config.dist.join("index.html"));
    let app = ServeDir::new(&config.dist).fallback(index);
    Router::new()
        .route("/sync", get(upgrade))
        .route("/healthz", get(|| async { "ok" }))
        .fallback_service(app)
        .with_state(AppState {
            hub,
            max_frame: config.max_frame,
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
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no built app found; only /sync and /healthz will work");
    }
    let addr = listener.local_addr()?;
    tracing::info!(%addr, data_dir = %config.data_dir.display(), documents = hub.document_count(), "relay started");
    // Tests and the xtask read this line to find the port.
    println!("Regie relay listening on http://{addr}/");
    axum::serve(listener, router(hub, &config))
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

async fn upgrade(State(state): State<AppState>, ws: WebSocketUpgrade) -> Response {
    ws.max_message_size(state.max_frame)
        .max_frame_size(state.max_frame)
        .on_upgrade(move |socket| connection(state.hub, socket))
}

async fn connection(hub: Arc<Hub>, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let (conn, mut outbox) = hub.connect();
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
            Ok(Message::Binary(frame)) => hub.receive(conn, &frame),
            Ok(Message::Text(_)) => hub.reject(conn, "binary frames only"),
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
