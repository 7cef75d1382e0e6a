//! The `regie-relay` command (see the library docs).

use clap::Parser as _;
use regie_relay::config::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "regie_relay=info,tower_http=warn".into())
        // The WebSocket library logs the request line of `--upstream`, with
        // its token, at debug and trace: never below info, whatever
        // RUST_LOG asks.
        .add_directive("tungstenite=info".parse().expect("a valid directive"))
        .add_directive("tokio_tungstenite=info".parse().expect("a valid directive"));
    // Colours only on a terminal: escapes in a log file are noise, and
    // tests check that no peer can put one there.
    use std::io::IsTerminal as _;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Token { action }) => regie_relay::cli::token(&cli.config, action),
        Some(Command::Audit {
            doc,
            link,
            change,
            limit,
        }) => {
            let filter = regie_relay::audit::Filter { doc, link, change };
            regie_relay::cli::audit(&cli.config, &filter, limit)
        }
        None => regie_relay::server::run(cli.config).await,
    }
}
