//! Starting and stopping an in-process relay for the integration tests.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use regie_relay::config::Config;
use regie_relay::tokens::{Kind, TokenStore};
use tokio::sync::oneshot;

/// A running relay.
pub struct Relay {
    /// Where it listens.
    pub addr: SocketAddr,
    /// An edit token for every document.
    pub token: String,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

/// A relay with generous limits on a free port.
pub async fn start_relay(data_dir: &Path) -> Relay {
    start_relay_with(data_dir, 1 << 20, 1000, None).await
}

/// A relay with the given limits and upstream.
pub async fn start_relay_with(
    data_dir: &Path,
    max_frame: usize,
    max_rate: u32,
    upstream: Option<String>,
) -> Relay {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = Config {
        addr,
        data_dir: data_dir.to_owned(),
        dist: data_dir.join("no-app"),
        max_frame,
        max_rate,
        upstream,
    };
    let token = edit_token(data_dir);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(regie_relay::server::serve(listener, config, async {
        let _ = stopped.await;
    }));
    Relay {
        addr,
        token,
        stop,
        task,
    }
}

/// A new edit token for every document.
pub fn edit_token(data_dir: &Path) -> String {
    let store = TokenStore::open(data_dir).unwrap();
    store
        .create(Kind::Edit, None, None, rand::random(), 0)
        .unwrap()
        .0
}

/// The sync URL with a given token.
pub fn sync_url(relay: &Relay, token: &str) -> String {
    format!("ws://{}/sync?token={token}", relay.addr)
}

impl Relay {
    /// The sync URL with the relay's edit token.
    pub fn sync_url(&self) -> String {
        sync_url(self, &self.token)
    }

    /// Shuts down gracefully and waits for it.
    pub async fn stop(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("the relay shuts down")
            .unwrap()
            .unwrap();
    }
}

pub mod process;

/// Sends one HTTP/1.1 request (`request`: the request line and headers,
/// without the blank line; `Connection: close` is added) and body over a
/// fresh TCP connection. Returns the response's head and its raw body.
pub async fn http_exchange(addr: &str, request: &str, body: &[u8]) -> (String, Vec<u8>) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!("{request}\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
        .await
        .expect("the relay answers")
        .unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("not HTTP: {}", String::from_utf8_lossy(&response)));
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    (head, response[split + 4..].to_vec())
}
