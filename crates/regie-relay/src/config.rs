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
    /// Open connections at most (HTTP and WebSocket together). Lowered at
    /// start to what the process's file limit allows.
    #[arg(long, env = "REGIE_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,
    /// Open connections at most from one IP address (tablets behind one
    /// Wi-Fi share an address, so this is not small).
    #[arg(long, env = "REGIE_MAX_CONNECTIONS_PER_ADDR", default_value_t = 256)]
    pub max_connections_per_addr: usize,
    /// Seconds a client may take to send a request's headers.
    #[arg(long, env = "REGIE_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,
    /// Seconds a connection may stay silent (no bytes read) before it is
    /// closed; WebSockets are pinged well within it.
    #[arg(long, env = "REGIE_IDLE_TIMEOUT", default_value_t = 60)]
    pub idle_timeout: u64,
    /// Seconds between WebSocket pings.
    #[arg(long, env = "REGIE_PING_INTERVAL", default_value_t = 20)]
    pub ping_interval: u64,
    /// Seconds a new WebSocket has to send `join`.
    #[arg(long, env = "REGIE_JOIN_TIMEOUT", default_value_t = 10)]
    pub join_timeout: u64,
    /// Bytes waiting to be sent to one peer at most; a peer that does not
    /// read and stays over this is disconnected.
    #[arg(long, env = "REGIE_MAX_OUTBOX", default_value_t = 8 * 1024 * 1024)]
    pub max_outbox: usize,
    /// Milliseconds of sync-engine time per second one connection may use
    /// on average (bursts of 8 s' worth); a connection over it is read
    /// more slowly, so it delays only itself.
    #[arg(long, env = "REGIE_ENGINE_MS_PER_S", default_value_t = 250)]
    pub engine_ms_per_s: u64,
    /// Another relay to forward every document to, e.g. the city's server:
    /// `wss://host/sync?token=EDIT_TOKEN`. A laptop relay in a meeting room
    /// syncs with it whenever it can reach it.
    #[arg(long, env = "REGIE_UPSTREAM")]
    pub upstream: Option<String>,
    /// STUN/TURN servers the app may use for direct links between devices
    /// (`stun:host:3478`, `turns:host:443?transport=tcp`; repeat the flag or
    /// separate with commas). None by default: devices on one network link
    /// with host candidates.
    #[arg(long = "ice-server", env = "REGIE_ICE_SERVERS", value_delimiter = ',', value_parser = ice_url)]
    pub ice_servers: Vec<String>,
    /// Username for the TURN servers among `--ice-server`.
    #[arg(long, env = "REGIE_TURN_USERNAME")]
    pub turn_username: Option<String>,
    /// Credential for the TURN servers among `--ice-server` (every browser
    /// with a valid link is told it: use a TURN account for this only).
    #[arg(long, env = "REGIE_TURN_CREDENTIAL", hide_env_values = true)]
    pub turn_credential: Option<String>,
}

fn ice_url(url: &str) -> Result<String, String> {
    regie_core::direct::ice::check_url(url)
        .map(|()| url.to_owned())
        .map_err(|why| format!("{url}: {why}"))
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
    /// Show the audit trail: which link delivered which change, newest first.
    Audit {
        /// Only changes to this document.
        #[arg(long)]
        doc: Option<DocumentId>,
        /// Only changes through this link (the id `token list` shows).
        #[arg(long)]
        link: Option<String>,
        /// Only this change (its hash, or the start of it, as the app's
        /// history shows it).
        #[arg(long)]
        change: Option<String>,
        /// At most this many entries.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

/// A scope as `--scope` takes it.
fn parse_scope(text: &str) -> Result<regie_core::scope::LinkScope, String> {
    regie_core::scope::LinkScope::parse(text).ok_or_else(|| {
        format!(
            "unknown scope {text:?}: use team:<wijk>, netwerk:<wijk>, regisseur:<name> or stad \
             (wijken by their slug, e.g. team:ledeberg)"
        )
    })
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
        /// Its scope in the regie: `team:<wijk>` (the wijkactieteam edits that
        /// wijk's documents), `netwerk:<wijk>` (reads them and passes on
        /// signals), `regisseur:<name>` (the wijken of a sociaal regisseur's
        /// cluster and the register) or `stad` (everything; the default).
        #[arg(long, value_parser = parse_scope)]
        scope: Option<regie_core::scope::LinkScope>,
        /// The organisation the link is for (signatures, scores and claims
        /// through it are that organisation's).
        #[arg(long)]
        organisation: Option<String>,
        /// Days until the token stops working (default: never).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=36_500))]
        expires_in_days: Option<u64>,
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
