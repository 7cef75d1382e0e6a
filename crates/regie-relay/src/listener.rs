//! Accepting TCP connections within bounds, and serving HTTP on them.
//!
//! The relay faces the open internet, so every connection is bounded before
//! it is served: a cap on open connections in total and per client address
//! (a connection over either is closed at once), a deadline for a request's
//! headers (slow-header clients), and an idle deadline on the socket (no
//! byte read, or none written, for that long ends the connection; WebSockets
//! are pinged well within it). The total cap is lowered at start to what the
//! process's file limit allows, so the relay itself never runs out of file
//! descriptors and stays reachable.

use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_io_timeout::TimeoutStream;

/// File descriptors kept free for storage and the relay's own use.
const SPARE_FILES: u64 = 64;
/// How long open requests may take to finish after shutdown was asked.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// What a client over a connection cap is told before the socket closes.
const OVER_CAPACITY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 36\r\nConnection: close\r\n\r\nTe veel verbindingen; probeer later.";

/// The bounds of [`serve`].
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Open connections at most.
    pub max_connections: usize,
    /// Open connections at most from one address.
    pub max_per_addr: usize,
    /// Time a client has to send a request's headers.
    pub header_timeout: Duration,
    /// Time a socket may go without a byte read (or written).
    pub idle_timeout: Duration,
}

/// Open connections, in total and per address.
struct Admission {
    bounds: Bounds,
    open: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// One admitted connection; leaving frees its place.
struct Admitted {
    admission: Arc<Admission>,
    addr: IpAddr,
}

impl Admission {
    fn admit(self: &Arc<Self>, addr: IpAddr) -> Option<Admitted> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let (total, per_addr) = &mut *open;
        let from_addr = per_addr.get(&addr).copied().unwrap_or(0);
        if *total >= self.bounds.max_connections || from_addr >= self.bounds.max_per_addr {
            return None;
        }
        *total += 1;
        per_addr.insert(addr, from_addr + 1);
        Some(Admitted {
            admission: self.clone(),
            addr,
        })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self
            .admission
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let (total, per_addr) = &mut *open;
        *total -= 1;
        if let Some(n) = per_addr.get_mut(&self.addr) {
            *n -= 1;
            if *n == 0 {
                per_addr.remove(&self.addr);
            }
        }
    }
}

/// Raises the soft file limit as far as allowed and caps `wanted`
/// connections to what it leaves room for.
pub fn connections_the_file_limit_allows(wanted: usize) -> usize {
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    let room = usize::try_from(limit.saturating_sub(SPARE_FILES)).unwrap_or(usize::MAX);
    if room < wanted {
        tracing::warn!(
            wanted,
            allowed = room,
            file_limit = limit,
            "fewer connections than asked: the file limit is lower"
        );
    }
    wanted.min(room).max(1)
}

/// Serves `app` on every admitted connection until `shutdown` completes,
/// then lets open requests finish (up to a grace period).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    bounds: Bounds,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let admission = Arc::new(Admission {
        bounds,
        open: Mutex::new((0, HashMap::new())),
    });
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    let mut connections = JoinSet::new();
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors or the like: wait a moment
                    // rather than spin.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        while connections.try_join_next().is_some() {}
        let Some(admitted) = admission.admit(peer.ip()) else {
            tracing::debug!(addr = %peer.ip(), "over the connection cap; refused");
            // One try, without waiting: a refused client holds nothing.
            let _ = stream.try_write(OVER_CAPACITY);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let mut io = TimeoutStream::new(stream);
        io.set_read_timeout(Some(bounds.idle_timeout));
        io.set_write_timeout(Some(bounds.idle_timeout));
        let io = TokioIo::new(Box::pin(io));
        let service = TowerToHyperService::new(app.clone());
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let _admitted = admitted;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(bounds.header_timeout);
            let connection = builder.serve_connection(io, service).with_upgrades();
            let mut connection = pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    let _ = stop.send(true);
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_admitted_within_both_caps_and_leaving_frees_a_place() {
        let admission = Arc::new(Admission {
            bounds: Bounds {
                max_connections: 3,
                max_per_addr: 2,
                header_timeout: Duration::from_secs(1),
                idle_timeout: Duration::from_secs(1),
            },
            open: Mutex::new((0, HashMap::new())),
        });
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let c: IpAddr = "192.0.2.3".parse().unwrap();
        let first = admission.admit(a).unwrap();
        let _second = admission.admit(a).unwrap();
        assert!(admission.admit(a).is_none(), "two per address");
        let _third = admission.admit(b).unwrap();
        assert!(admission.admit(c).is_none(), "three in total");
        drop(first);
        assert!(admission.admit(c).is_some(), "a place freed");
    }
}
