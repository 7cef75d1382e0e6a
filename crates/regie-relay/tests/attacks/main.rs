//! Attacks on the relay from outside, each kept as a test that fails when
//! the hole it found comes back. Every attack runs against the real binary
//! (or real sockets) on loopback, bounded in time and count.
//!
//! - [`tokens`]: concurrent link making and revoking; tokens at rest.
//! - [`engine`]: frames that cost the sync engine time or the relay memory;
//!   a change confirmed only once it is stored.
//! - [`transport`]: connection caps, slow and silent clients, closes that
//!   carry their reason, what reaches the log.

#[path = "../support/mod.rs"]
mod support;

/// One attack at a time: they measure the relay's memory and latency, which
/// other attacks running alongside on the same cores would distort.
async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    SERIAL.lock().await
}

/// A WebSocket to the relay, as the attacks use it.
type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A `join` frame for peer `peer`.
fn join(peer: &str) -> Vec<u8> {
    regie_core::protocol::Message::Join {
        sender_id: peer.into(),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: regie_core::protocol::PeerMetadata::default(),
    }
    .encode()
}

mod engine;
mod tokens;
mod transport;
