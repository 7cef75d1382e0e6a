//! Forwarding to another relay. A facilitator's laptop relay serves the
//! tablets in a meeting room and, with `--upstream`, keeps every document in
//! sync with the city's relay whenever it can reach it: it connects as a
//! client, offers everything it holds, and passes on what comes back. Moving
//! a document between relays is the same CRDT merge as any other sync, so
//! nothing is lost either way.

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use regie_core::reconnect;
use tokio_tungstenite::tungstenite::Message;

use crate::hub::{Hub, Outgoing};
use crate::logsafe::LogSafe;

/// Keeps a connection to `url` open, reconnecting with backoff, for as long
/// as the relay runs. The URL carries a token, so it is never logged.
pub async fn forward(hub: Hub, url: String) {
    let mut attempt = 0u32;
    loop {
        match tokio_tungstenite::connect_async(url.as_str()).await {
            Ok((socket, _)) => {
                tracing::info!("connected to the upstream relay");
                attempt = 0;
                pump(&hub, socket).await;
                tracing::warn!("lost the upstream relay; will reconnect");
            }
            Err(error) => tracing::warn!(%error, "upstream relay not reachable"),
        }
        let delay = reconnect::delay_ms(attempt, rand::random::<f64>());
        attempt = attempt.saturating_add(1);
        tokio::time::sleep(Duration::from_millis(u64::from(delay))).await;
    }
}

async fn pump<S>(hub: &Hub, socket: tokio_tungstenite::WebSocketStream<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (mut sink, mut stream) = socket.split();
    let (conn, mut outbox) = hub.connect_upstream().await;
    loop {
        tokio::select! {
            out = outbox.recv() => match out {
                Some(Outgoing::Frame(frame)) => {
                    if sink.send(Message::Binary(frame.into())).await.is_err() {
                        break;
                    }
                }
                Some(Outgoing::Close { reason, .. }) => {
                    tracing::warn!(reason = %LogSafe(&reason), "closing the upstream connection");
                    let _ = sink.close().await;
                    break;
                }
                None => break,
            },
            message = stream.next() => match message {
                Some(Ok(Message::Binary(frame))) => {
                    hub.receive(conn, frame.into()).await;
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
        }
    }
    hub.disconnect(conn);
}
