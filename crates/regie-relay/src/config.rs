//! Relay configuration: flags, each with an environment variable, and the
//! `token` subcommands.

use std::net::SocketAddr;
use std::path::PathBuf;

use regie_core::DocumentId;

/// Serve the Regie app and sync its documents; manage share-link tokens.
#[derive(Debug, clap::Parser)]
#[command(name = "regie-relay", version, about)]
pub struct Cli {
    /// Server settings (also used by `token` for the data directory).
    #[command(flatten)]
    pub config: Config,
    /// Without a subcommand the relay serves.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Server settings.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(
        long,
        env = "REGIE_ADDR",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub addr: SocketAddr,
    /// Directory where documents and token hashes are stored.
    #[arg(long, env = "REGIE_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Directory with the built app (Trunk's output).
    #[arg(long, env = "REGIE_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Largest WebSocket frame accepted, in bytes.
    #[arg(long, env = "REGIE_MAX_FRAME", default_value_t = 16 * 1024 * 1024)]
    pub max_frame: usize,
    /// Messages per second one connection may send (bursts of 10× allowed).
    #[arg(long, env = "REGIE_MAX_RATE", default_value_t = 200)]
    pub max_rate: u32,
    /// Another relay to forward every document to, e.g. the city's server:
    /// `wss://host/sync?token=EDIT_TOKEN`. A laptop relay in a meeting room
    /// syncs with it whenever it can reach it.
    #[arg(long, env = "REGIE_UPSTREAM")]
    pub upstream: Option<String>,
}

/// Subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create, list and revoke share-link tokens.
    Token {
        /// What to do.
        #[command(subcommand)]
        action: TokenAction,
    },
}

/// Token subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum TokenAction {
    /// Create a token and print it with its share link.
    Create {
        /// The holder may edit.
        #[arg(
            long,
            conflicts_with = "read_only",
            required_unless_present = "read_only"
        )]
        edit: bool,
        /// The holder may only read.
        #[arg(long)]
        read_only: bool,
        /// Only this document (default: every document).
        #[arg(long)]
        doc: Option<DocumentId>,
        /// A note for people, shown by `token list`.
        #[arg(long)]
        label: Option<String>,
        /// The address people open, for the printed link (default: http://ADDR).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// List tokens (never the tokens themselves, which are not stored).
    List,
    /// Revoke a token by the id `list` shows.
    Revoke {
        /// Token id.
        id: String,
    },
}
