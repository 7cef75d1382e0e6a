//! One sync WebSocket: frames from the peer go to the engine one at a time,
//! frames for the peer come from its outbox.
//!
//! Everything a peer can make the relay spend is bounded here or in the
//! engine: messages per second (token bucket), engine time (a peer whose
//! frames cost more than its share is read more slowly, so it delays only
//! itself), a deadline for `join`, silence (pinged every few seconds; a peer
//! heard from for none of them is closed). Every close carries a code and a
//! reason the peer can read: after a refusal the relay keeps reading (and
//! discarding) until the peer answers the close or a moment passes, so the
//! peer gets the reason instead of a TCP reset.
//!
//! The token the connection was opened with is checked again every
//! [`RECHECK`]: a link revoked (or expired) while its device is connected
//! is closed with [`CLOSE_REVOKED`], which tells the app to ask
//! `/api/access` and offer to wipe what the link brought.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt as _, StreamExt as _};
use regie_core::{Access, ConnId};
use tokio::time::Instant;

use crate::hub::{CLOSE_POLICY, CLOSE_TOO_BIG, Hub, OutboxReceiver, Outgoing};
use crate::rate::RateLimit;

/// How often an open connection's token is checked again.
pub const RECHECK: Duration = Duration::from_secs(5);
/// Close code for a link revoked or expired while connected (a private
/// code in RFC 6455's 4000–4999 range).
pub const CLOSE_REVOKED: u16 = 4401;

/// Checks the token an open connection was made with.
pub struct Revalidate {
    /// The token store (read anew at each check).
    pub tokens: std::sync::Arc<crate::tokens::TokenStore>,
    /// The token presented.
    pub token: String,
}

impl Revalidate {
    fn still_valid(&self) -> bool {
        self.tokens
            .check(&self.token, crate::server::now())
            .is_some()
    }
}

/// How long a refused peer has to answer the close before the socket goes.
const CLOSE_LINGER: Duration = Duration::from_secs(2);
/// Close reasons are at most 123 bytes (RFC 6455).
const MAX_CLOSE_REASON: usize = 123;

/// The bounds of one sync connection.
#[derive(Debug, Clone, Copy)]
pub struct SocketBounds {
    /// Largest frame accepted, in bytes.
    pub max_frame: usize,
    /// Messages per second (bursts of ten seconds' worth).
    pub max_rate: u32,
    /// Engine milliseconds per second, on average.
    pub engine_ms_per_s: u64,
    /// Time to send `join`.
    pub join_timeout: Duration,
    /// Time without any message (pongs count) before the peer is closed.
    pub idle_timeout: Duration,
    /// Time between pings.
    pub ping_interval: Duration,
}

/// Engine time one connection may save up, in seconds of its share.
const ENGINE_BURST_SECONDS: f64 = 8.0;

/// `reason` cut to what a close frame can carry, on a character boundary.
pub fn close_reason(reason: &str) -> String {
    let mut end = reason.len().min(MAX_CLOSE_REASON);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_owned()
}

/// Serves one accepted sync WebSocket whose peer has `access`, as long as
/// its token stays valid.
pub async fn serve(
    hub: Hub,
    access: Access,
    organisation: Option<String>,
    still: Revalidate,
    bounds: SocketBounds,
    socket: WebSocket,
) {
    let (sink, mut stream) = socket.split();
    let (conn, outbox) = hub.connect(access, organisation).await;
    let writer = tokio::spawn(write(sink, outbox, bounds.ping_interval));
    let ending = read(&hub, conn, bounds, &still, &mut stream).await;
    if let Ending::Refused = ending {
        // The writer sends the close; keep reading so the peer's frames in
        // flight do not turn the close into a reset.
        let _ = tokio::time::timeout(CLOSE_LINGER, async {
            while let Some(Ok(message)) = stream.next().await {
                if let Message::Close(_) = message {
                    break;
                }
            }
        })
        .await;
    }
    hub.disconnect(conn);
    let _ = tokio::time::timeout(CLOSE_LINGER, writer).await;
}

/// How reading ended.
enum Ending {
    /// The peer closed or the socket broke.
    Gone,
    /// The relay refused the peer; a close with the reason is on its way.
    Refused,
}

async fn read(
    hub: &Hub,
    conn: ConnId,
    bounds: SocketBounds,
    still: &Revalidate,
    stream: &mut SplitStream<WebSocket>,
) -> Ending {
    let started = Instant::now();
    let mut limit = RateLimit::new(bounds.max_rate, std::time::Instant::now());
    let share = bounds.engine_ms_per_s as f64;
    let mut engine = RateLimit::with_burst(
        share,
        share * ENGINE_BURST_SECONDS,
        std::time::Instant::now(),
    );
    let mut joined = false;
    let mut last_heard = started;
    let mut next_check = started + RECHECK;
    let refuse = |code, reason: &str| {
        hub.reject(conn, code, reason);
        Ending::Refused
    };
    loop {
        let silent_at = last_heard + bounds.idle_timeout;
        let deadline = if joined {
            silent_at
        } else {
            (started + bounds.join_timeout).min(silent_at)
        };
        if Instant::now() >= next_check {
            next_check = Instant::now() + RECHECK;
            if !still.still_valid() {
                return refuse(CLOSE_REVOKED, "link revoked or expired");
            }
        }
        let message = match tokio::time::timeout_at(deadline.min(next_check), stream.next()).await {
            Ok(Some(message)) => {
                last_heard = Instant::now();
                message
            }
            Ok(None) => return Ending::Gone,
            Err(_) if Instant::now() < deadline => continue, // time to check the token
            Err(_) if !joined && Instant::now() >= started + bounds.join_timeout => {
                if hub.is_joined(conn).await {
                    joined = true;
                    continue;
                }
                return refuse(CLOSE_POLICY, "no join message in time");
            }
            Err(_) => return refuse(CLOSE_POLICY, "silent for too long"),
        };
        match message {
            Ok(Message::Binary(_)) if !limit.allow(std::time::Instant::now()) => {
                return refuse(CLOSE_POLICY, "too many messages: slow down");
            }
            Ok(Message::Binary(frame)) => {
                let used = hub.receive(conn, frame.into()).await;
                engine.charge(used.as_secs_f64() * 1000.0, std::time::Instant::now());
                let wait = engine.debt();
                if !wait.is_zero() {
                    tracing::debug!(
                        conn = conn.0,
                        wait_ms = wait.as_millis(),
                        "over its engine share; reading later"
                    );
                    tokio::time::sleep(wait).await;
                }
            }
            Ok(Message::Text(_)) => return refuse(CLOSE_POLICY, "binary frames only"),
            Ok(Message::Close(_)) => return Ending::Gone,
            Ok(Message::Ping(_) | Message::Pong(_)) => {}
            Err(error) if too_big(&error) => {
                let reason = format!("frame over {} bytes", bounds.max_frame);
                hub.reject(conn, CLOSE_TOO_BIG, &reason);
                // The rest of that frame cannot be read; give the close a
                // moment to reach the peer before the socket goes.
                tokio::time::sleep(Duration::from_millis(500)).await;
                return Ending::Gone;
            }
            Err(error) => {
                tracing::debug!(conn = conn.0, %error, "connection error");
                return Ending::Gone;
            }
        }
    }
}

/// Whether a read failed because a frame or message was over the limit.
fn too_big(error: &axum::Error) -> bool {
    use std::error::Error as _;
    matches!(
        error
            .source()
            .and_then(|e| e.downcast_ref::<tokio_tungstenite::tungstenite::Error>()),
        Some(tokio_tungstenite::tungstenite::Error::Capacity(_))
    )
}

async fn write(
    mut sink: SplitSink<WebSocket, Message>,
    mut outbox: OutboxReceiver,
    ping_interval: Duration,
) {
    let mut ping = tokio::time::interval_at(Instant::now() + ping_interval, ping_interval);
    loop {
        let out = tokio::select! {
            out = outbox.recv() => out,
            _ = ping.tick() => {
                if sink.send(Message::Ping(Default::default())).await.is_err() {
                    return;
                }
                continue;
            }
        };
        match out {
            Some(Outgoing::Frame(frame)) => {
                if sink.send(Message::Binary(frame.into())).await.is_err() {
                    return;
                }
            }
            Some(Outgoing::Close { code, reason }) => {
                let frame = CloseFrame {
                    code,
                    reason: close_reason(&reason).into(),
                };
                let _ = sink.send(Message::Close(Some(frame))).await;
                return;
            }
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_reasons_are_cut_to_123_bytes_on_a_character_boundary() {
        let dutch = "De server kon dit niet bewaren: € ".repeat(10);
        let cut = close_reason(&dutch);
        assert!(
            cut.len() <= MAX_CLOSE_REASON && cut.len() > 100,
            "{}",
            cut.len()
        );
        assert!(dutch.starts_with(&cut));
        assert_eq!(close_reason("kort"), "kort");
    }
}
