//! regie-relay: one small binary that serves the Regie web app and syncs its
//! documents between browsers over the automerge-repo v1 protocol, keeping
//! every document on local disk.
//!
//! - [`config`]: flags and environment variables.
//! - [`storage`]: documents on disk, written atomically.
//! - [`hub`]: the shared sync engine and the connections' outboxes.
//! - [`server`]: HTTP routes: the app, `/sync` (WebSocket) and `/healthz`.

mod config;
mod hub;
mod server;
mod storage;

use clap::Parser as _;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "regie_relay=info,tower_http=warn".into()),
        )
        .init();
    let config = config::Config::parse();
    server::run(config).await
}
