//! Relay configuration: flags, each with an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Serve the Regie app and sync its documents.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "regie-relay", version, about)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "REGIE_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Directory where documents are stored.
    #[arg(long, env = "REGIE_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Directory with the built app (Trunk's output).
    #[arg(long, env = "REGIE_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Largest WebSocket frame accepted, in bytes.
    #[arg(long, env = "REGIE_MAX_FRAME", default_value_t = 16 * 1024 * 1024)]
    pub max_frame: usize,
}
