//! The `regie-relay` command (see the library docs).

use clap::Parser as _;
use regie_relay::config::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "regie_relay=info,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Token { action }) => regie_relay::cli::token(&cli.config, action),
        None => regie_relay::server::run(cli.config).await,
    }
}
