//! Connections: caps in total and per address, slow and silent clients,
//! closes that reach the peer with their reason, and what peers can make
//! the relay write to its log.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use regie_core::protocol::Message;
use regie_relay::tokens::Kind;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::support::make_token;
use crate::support::process::{spawn_relay, spawn_relay_with, spawn_relay_with_file_limit};
use crate::{Socket, join};

/// A TCP connection to the relay from a chosen loopback address, so tests
/// can stand for several clients.
async fn connect_from(from: &str, to: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket
        .connect(to.parse::<SocketAddr>().unwrap())
        .await
        .unwrap()
}

/// Whether the relay closes `stream` within `within` (EOF or reset).
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

/// `GET /healthz` from `from`: the status, or 0 if refused or silent for 2 s.
async fn health_from(from: &str, to: &str) -> u16 {
    let mut stream = connect_from(from, to).await;
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return 0;
    }
    let mut response = Vec::new();
    match tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut response)).await {
        Ok(_) => String::from_utf8_lossy(&response)
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
        Err(_) => 0,
    }
}

async fn socket(addr: &str, token: &str) -> Socket {
    let url = format!("ws://{addr}/sync?token={token}");
    tokio_tungstenite::connect_async(url).await.unwrap().0
}

/// The close frame the relay sends (code and reason), reading all else;
/// `None` if the connection ends without one (a reset) or nothing comes.
async fn close_frame(ws: &mut Socket, within: Duration) -> Option<(CloseCode, String)> {
    let deadline = tokio::time::Instant::now() + within;
    while let Ok(Some(message)) = tokio::time::timeout_at(deadline, ws.next()).await {
        match message {
            Ok(WsMessage::Close(Some(frame))) => {
                return Some((frame.code, frame.reason.to_string()));
            }
            Ok(WsMessage::Close(None)) => return None,
            Err(error) => {
                eprintln!("the connection ended without a close frame: {error}");
                return None;
            }
            Ok(_) => {}
        }
    }
    None
}

/// Before: a slow-header connection was held 71 s; 2,000 idle sockets were
/// all held.
#[tokio::test]
async fn slow_and_silent_clients_are_closed() {
    let _serial = crate::one_at_a_time().await;
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay_with(
        data.path(),
        "regie_relay=info",
        &["--header-timeout", "1", "--idle-timeout", "2"],
    );
    // Headers dripped a byte at a time.
    let mut slow = connect_from("127.0.0.2", &relay.addr).await;
    let drip = async {
        for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " {
            if slow.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(4), drip).await;
    assert!(
        closed_within(&mut slow, Duration::from_secs(2)).await,
        "slow headers are cut off"
    );

    // A socket that says nothing, and one idle after a request.
    let mut silent = connect_from("127.0.0.2", &relay.addr).await;
    assert!(
        closed_within(&mut silent, Duration::from_secs(4)).await,
        "a silent socket is closed"
    );
    let mut idle = connect_from("127.0.0.2", &relay.addr).await;
    idle.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", relay.addr).as_bytes())
        .await
        .unwrap();
    assert!(
        closed_within(&mut idle, Duration::from_secs(5)).await,
        "an idle keep-alive is closed"
    );
    relay.kill();
}

/// Before: with no connection cap, 1,100 idle sockets under `ulimit -n 1024`
/// made `/healthz` time out.
#[tokio::test]
async fn connection_caps_keep_the_relay_reachable() {
    let _serial = crate::one_at_a_time().await;
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay_with_file_limit(
        data.path(),
        256,
        &["--max-connections-per-addr", "20", "--header-timeout", "2"],
    );
    // One address over its cap: the extra sockets are refused at once.
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(connect_from("127.0.0.3", &relay.addr).await);
    }
    let mut extra = connect_from("127.0.0.3", &relay.addr).await;
    assert!(
        closed_within(&mut extra, Duration::from_millis(500)).await,
        "the 21st is refused"
    );
    assert_eq!(
        health_from("127.0.0.4", &relay.addr).await,
        200,
        "another address is served"
    );

    // Many addresses, more sockets than the file limit allows: the relay
    // refuses past its cap instead of running out of descriptors.
    for n in 0..300 {
        let from = format!("127.0.1.{}", n % 250 + 1);
        held.push(connect_from(&from, &relay.addr).await);
    }
    let status = health_from("127.0.0.5", &relay.addr).await;
    assert!(
        [200, 503].contains(&status),
        "answered at once ({status}), not hung"
    );
    // The idle ones time out; then everyone is served again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(health_from("127.0.0.5", &relay.addr).await, 200);
    drop(held);
    let log = relay.kill();
    assert!(
        log.contains("fewer connections than asked"),
        "the cap follows the file limit:\n{log}"
    );
}

/// A WebSocket client by hand that joins and then never answers a ping:
/// how many pings it got, and the close (code, reason) if one came.
async fn silent_peer(addr: &str, token: &str, within: Duration) -> (usize, Option<(u16, String)>) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /sync?token={token} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the relay answers the upgrade");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    assert!(
        buf.starts_with(b"HTTP/1.1 101"),
        "{}",
        String::from_utf8_lossy(&buf)
    );
    buf.drain(..head_end);
    // A masked binary frame with a zero mask: the payload as it is.
    let payload = join("silent");
    let mut frame = vec![0x82, 0x80 | 126];
    frame.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    frame.extend_from_slice(&[0, 0, 0, 0]);
    frame.extend_from_slice(&payload);
    stream.write_all(&frame).await.unwrap();
    let deadline = tokio::time::Instant::now() + within;
    let mut pings = 0;
    loop {
        // Whole frames in the buffer first.
        while buf.len() >= 2 {
            let (len, at) = match buf[1] & 0x7f {
                126 if buf.len() >= 4 => (usize::from(u16::from_be_bytes([buf[2], buf[3]])), 4),
                127 => panic!("no large frames expected"),
                126 => break,
                n => (usize::from(n), 2),
            };
            if buf.len() < at + len {
                break;
            }
            let opcode = buf[0] & 0x0f;
            let body: Vec<u8> = buf[at..at + len].to_vec();
            buf.drain(..at + len);
            match opcode {
                0x9 => pings += 1,
                0x8 if body.len() >= 2 => {
                    let code = u16::from_be_bytes([body[0], body[1]]);
                    return (
                        pings,
                        Some((code, String::from_utf8_lossy(&body[2..]).into_owned())),
                    );
                }
                _ => {}
            }
        }
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Ok(Ok(n @ 1..)) => buf.extend_from_slice(&chunk[..n]),
            _ => return (pings, None),
        }
    }
}

/// Before: WebSockets that never `join` stayed forever, and no ping was sent.
#[tokio::test]
async fn sockets_must_join_in_time_and_answer_pings() {
    let _serial = crate::one_at_a_time().await;
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay_with(
        data.path(),
        "regie_relay=info",
        &[
            "--join-timeout",
            "1",
            "--ping-interval",
            "1",
            "--idle-timeout",
            "3",
        ],
    );
    let token = make_token(data.path(), Kind::ReadOnly, None);
    let mut lurker = socket(&relay.addr, &token).await;
    let closed = close_frame(&mut lurker, Duration::from_secs(4)).await;
    assert!(
        closed.as_ref().is_some_and(|(_, r)| r.contains("no join")),
        "{closed:?}\n{}",
        relay.log()
    );

    // A joined peer is pinged; one that never answers a ping is closed
    // for silence (a raw client: tungstenite would answer every ping).
    let (pings, closed) = silent_peer(&relay.addr, &token, Duration::from_secs(8)).await;
    assert!(pings >= 1, "the relay pings");
    assert!(
        closed
            .as_ref()
            .is_some_and(|(code, r)| *code == 1008 && r.contains("silent")),
        "{closed:?}"
    );
    relay.kill();
}

/// Before: oversized-frame and rate-limit closes ended in a TCP reset, and
/// close reasons were cut at 100 characters, so a reason with "€" arrived
/// as code 1006.
#[tokio::test]
async fn closes_reach_the_peer_with_their_reason() {
    let _serial = crate::one_at_a_time().await;
    let data = tempfile::tempdir().unwrap();
    let relay = spawn_relay_with(data.path(), "regie_relay=info", &["--max-frame", "65536"]);
    let token = make_token(data.path(), Kind::Edit, None);

    let mut big = socket(&relay.addr, &token).await;
    big.send(WsMessage::Binary(join("big").into()))
        .await
        .unwrap();
    let _ = big.send(WsMessage::Binary(vec![0u8; 100_000].into())).await;
    let closed = close_frame(&mut big, Duration::from_secs(3)).await;
    assert!(
        closed
            .as_ref()
            .is_some_and(|(code, _)| *code == CloseCode::Size),
        "an oversized frame gets 1009: {closed:?}"
    );

    let mut reporter = socket(&relay.addr, &token).await;
    reporter
        .send(WsMessage::Binary(join("reporter").into()))
        .await
        .unwrap();
    let error = Message::Error {
        message: "De wijziging is niet bewaard € ".repeat(20),
    };
    reporter
        .send(WsMessage::Binary(error.encode().into()))
        .await
        .unwrap();
    let closed = close_frame(&mut reporter, Duration::from_secs(3)).await;
    let Some((code, reason)) = closed else {
        panic!("a long reason with € still arrives as a close frame");
    };
    assert_eq!(code, CloseCode::Policy);
    assert!(reason.len() <= 123 && reason.contains('€'), "{reason}");
    relay.kill();

    let relay = spawn_relay_with(data.path(), "regie_relay=info", &["--max-rate", "2"]);
    let mut flood = socket(&relay.addr, &token).await;
    flood
        .send(WsMessage::Binary(join("flood").into()))
        .await
        .unwrap();
    // {"type": "remote-heads-changed"}: a message the relay reads and ignores.
    let heads = [&[0xa1, 0x64][..], b"type", &[0x74], b"remote-heads-changed"].concat();
    for _ in 0..100 {
        if flood
            .send(WsMessage::Binary(heads.clone().into()))
            .await
            .is_err()
        {
            break;
        }
    }
    let closed = close_frame(&mut flood, Duration::from_secs(3)).await;
    assert!(
        closed
            .as_ref()
            .is_some_and(|(_, r)| r.contains("too many messages")),
        "the flooder is told, not reset: {closed:?}"
    );
    relay.kill();
}

/// Before: a peer id or error text with a newline forged log lines and wrote
/// terminal escapes; with `RUST_LOG=trace` and `--upstream` the upstream
/// token appeared in the log.
#[tokio::test]
async fn peers_cannot_write_the_log_and_the_upstream_token_stays_out() {
    let _serial = crate::one_at_a_time().await;
    let data = tempfile::tempdir().unwrap();
    let city = spawn_relay(data.path(), "regie_relay=info");
    let token = make_token(data.path(), Kind::Edit, None);
    let mut ws = socket(&city.addr, &token).await;
    let forged = "evil\n2026-12-02T00:00:00.000000Z  INFO regie_relay: forged line\x1b[2J";
    ws.send(WsMessage::Binary(join(forged).into()))
        .await
        .unwrap();
    let error = Message::Error {
        message: "bye\n2026-12-02T00:00:00.000000Z ERROR regie_relay: forged error".into(),
    };
    ws.send(WsMessage::Binary(error.encode().into()))
        .await
        .unwrap();
    let _ = close_frame(&mut ws, Duration::from_secs(2)).await;

    // A laptop relay forwarding to the city relay, logging everything.
    let laptop_data = tempfile::tempdir().unwrap();
    let upstream = format!("ws://{}/sync?token={token}", city.addr);
    let laptop = spawn_relay_with(laptop_data.path(), "trace", &["--upstream", &upstream]);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !laptop.log().contains("connected to the upstream relay") {
        assert!(
            std::time::Instant::now() < deadline,
            "the laptop reaches the city relay"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let laptop_log = laptop.kill();
    assert!(
        laptop_log.contains(" TRACE "),
        "trace logging is on:\n{laptop_log}"
    );
    assert!(
        !laptop_log.contains(&token),
        "the upstream token is in the log:\n{laptop_log}"
    );

    let log = city.kill();
    assert!(log.contains("peer joined"), "{log}");
    for line in log.lines() {
        assert!(
            !line.starts_with("2026-12-02T00:00:00"),
            "a forged line: {line:?}"
        );
        assert!(!line.contains('\x1b'), "a terminal escape: {line:?}");
    }
}
