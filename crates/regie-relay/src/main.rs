//! The `regie-relay` command (see the library docs).

use clap::Parser as _;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "regie_relay=info,tower_http=warn".into()),
        )
        .init();
    let config = regie_relay::config::Config::parse();
    regie_relay::server::run(config).await
}
