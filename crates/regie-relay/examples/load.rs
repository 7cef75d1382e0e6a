//! Load generator for a sync server: many simulated peers in one process,
//! each a `regie_core::Repo` on its own WebSocket, spread over a number of
//! documents and each making changes at a steady rate. Prints one JSON line
//! with what got through and how fast.
//!
//! ```text
//! cargo run --profile relay -p regie-relay --example load -- \
//!     --url ws://127.0.0.1:8080/sync --token <edit token> --server-pid <pid>
//! ```
//!
//! It speaks plain automerge-repo v1, so it runs against our relay (with a
//! token) and against any automerge-repo sync server (without one).
//!
//! - Peer `i` works on document `i % docs`. All peers of a document start
//!   from the same seed change (fixed actor, time 0), so nobody has to fetch
//!   the document before the run and every server sees one history.
//! - Each change writes the peer's counter and carries its send time
//!   (microseconds since the generator started) as its commit message. All
//!   peers share this process's clock, so a receiving peer reads the change's
//!   latency straight from the message: the fan-out latency, sender → server
//!   → every other peer of the document.
//! - After everyone is connected and in sync: a warm-up, then the measured
//!   window, then a drain in which nobody changes anything and late changes
//!   can still arrive. Only changes sent inside the window count; one that
//!   never reaches a peer counts as lost.
//! - The server's resident memory (`VmRSS` of `--server-pid`) is sampled
//!   every 250 ms; the peak is reported.
//! - CPU used while connecting and in the measured window, by the server,
//!   by this generator and by the whole host (`/proc`), in % of one core:
//!   on a small machine the generator competes with the server, and these
//!   tell which of them ran out.
//! - Every peer holds a socket, so the soft limit on open files is raised
//!   to the hard one first; a run that would not fit under it is refused
//!   rather than counted as the server's refusals.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use automerge::transaction::{CommitOptions, Transactable as _};
use automerge::{ActorId, Automerge, ROOT};
use clap::Parser;
use futures_util::{SinkExt as _, StreamExt as _};
use regie_core::{ConnId, DocumentId, Effect, Repo, SharePolicy};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::Message as WsMessage;

/// The one connection each simulated peer has.
const CONN: ConnId = ConnId(0);

#[derive(Parser, Debug, Clone)]
#[command(about = "Simulated automerge-repo peers against a sync server")]
struct Args {
    /// The server's WebSocket URL, e.g. ws://127.0.0.1:8080/sync.
    #[arg(long)]
    url: String,
    /// Capability token, added as `?token=` (our relay needs one; a plain
    /// automerge-repo server does not).
    #[arg(long)]
    token: Option<String>,
    /// Simulated peers.
    #[arg(long, default_value_t = 1000)]
    peers: usize,
    /// Documents the peers are spread over.
    #[arg(long, default_value_t = 100)]
    docs: usize,
    /// Changes per second made by each peer (0.1: one change every ten
    /// seconds by each of them, a busy shared session).
    #[arg(long, default_value_t = 0.1)]
    rate: f64,
    /// Seconds of changes before the measured window.
    #[arg(long, default_value_t = 5.0)]
    warmup: f64,
    /// Seconds in the measured window.
    #[arg(long, default_value_t = 30.0)]
    duration: f64,
    /// Seconds without changes after the window, for late arrivals.
    #[arg(long, default_value_t = 5.0)]
    drain: f64,
    /// Seconds allowed for connecting every peer and the first sync.
    #[arg(long, default_value_t = 120.0)]
    connect_timeout: f64,
    /// The server process, for its resident memory.
    #[arg(long)]
    server_pid: Option<u32>,
    /// A name for this run in the output.
    #[arg(long, default_value = "server")]
    label: String,
}

/// The phases of a run, as instants on the shared clock.
#[derive(Debug, Clone, Copy)]
struct Schedule {
    /// Peers start changing.
    start: Instant,
    /// The measured window opens.
    measure_from: Instant,
    /// The window closes: peers stop changing.
    measure_to: Instant,
    /// Everyone disconnects.
    end: Instant,
}

/// What one peer saw.
#[derive(Default)]
struct PeerReport {
    /// Changes this peer made inside the window.
    sent_in_window: u64,
    /// Changes this peer made in all.
    sent: u64,
    /// Latency in microseconds of every change (made by another peer inside
    /// the window) that reached this peer.
    latencies_us: Vec<u64>,
}

/// The process-wide clock origin; commit messages carry microseconds since it.
struct Clock(Instant);

impl Clock {
    fn micros(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.0).as_micros() as u64
    }
}

/// The document of index `n`: a fixed id, so reruns on a fresh server are alike.
fn doc_id(n: usize) -> DocumentId {
    let mut bytes = *b"regie:load:\0\0\0\0\0";
    bytes[11..15].copy_from_slice(&(n as u32).to_be_bytes());
    DocumentId::from_random_bytes(bytes)
}

/// The seed of document `n`: the same change at every peer (fixed actor and
/// time), so independently seeded copies are one history.
fn seed(n: usize) -> Automerge {
    let mut actor = b"seed".to_vec();
    actor.extend_from_slice(&(n as u64).to_be_bytes());
    let mut doc = Automerge::new().with_actor(ActorId::from(actor));
    doc.transact_with(
        |_| CommitOptions::default().with_time(0),
        |tx| tx.put(ROOT, "load", n as u64),
    )
    .expect("a fresh document takes a put");
    doc
}

fn actor_of(peer: usize) -> ActorId {
    let mut actor = b"peer".to_vec();
    actor.extend_from_slice(&(peer as u64).to_be_bytes());
    ActorId::from(actor)
}

/// CPU time (user + system, all threads) of a process in seconds, from
/// `/proc/<pid>/stat` (`pid` may be `self`). Its unit is USER_HZ, which
/// Linux fixes at 100 for user space.
fn cpu_s(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, in parentheses, may hold spaces: count fields
    // after it (the first one there is field 3, the state).
    let mut fields = stat.get(stat.rfind(')')? + 1..)?.split_whitespace();
    let utime: f64 = fields.nth(11)?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The host's busy and total CPU time so far, in USER_HZ ticks, from the
/// first line of `/proc/stat` (idle and iowait count as not busy).
fn host_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let ticks: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .take(8)
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let total: u64 = ticks.iter().sum();
    let idle = ticks.get(3)? + ticks.get(4)?;
    Some((total - idle, total))
}

/// CPU readings at one instant, to tell what a phase of the run used.
#[derive(Clone, Copy)]
struct CpuSample {
    at: Instant,
    server_s: Option<f64>,
    generator_s: Option<f64>,
    host: Option<(u64, u64)>,
}

impl CpuSample {
    fn take(server_pid: Option<u32>) -> Self {
        Self {
            at: Instant::now(),
            server_s: server_pid.and_then(|pid| cpu_s(&pid.to_string())),
            generator_s: cpu_s("self"),
            host: host_ticks(),
        }
    }

    /// What was used from `self` to `later`: server, generator and host
    /// (all cores together), each in % of one core.
    fn until(&self, later: &Self) -> serde_json::Value {
        let wall = later.at.duration_since(self.at).as_secs_f64();
        let pct = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if wall > 0.0 => Some(round((b - a) / wall * 100.0, 1)),
            _ => None,
        };
        let cores = std::thread::available_parallelism().map_or(1, usize::from) as f64;
        let host = match (self.host, later.host) {
            (Some((busy_a, all_a)), Some((busy_b, all_b))) if all_b > all_a => Some(round(
                (busy_b - busy_a) as f64 / (all_b - all_a) as f64 * cores * 100.0,
                1,
            )),
            _ => None,
        };
        serde_json::json!({
            "server_pct": pct(self.server_s, later.server_s),
            "generator_pct": pct(self.generator_s, later.generator_s),
            "host_pct": host,
        })
    }
}

/// Resident memory of a process in KiB, from /proc.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.docs > 0 && args.peers >= args.docs,
        "need peers >= docs > 0"
    );
    anyhow::ensure!(args.rate > 0.0, "the rate must be positive");
    // A socket per peer, plus a few for the runtime and /proc.
    let nofile = rlimit::increase_nofile_limit(u64::MAX).context("raising the open-file limit")?;
    anyhow::ensure!(
        nofile >= args.peers as u64 + 64,
        "{} peers need {} open files; the limit is {nofile} (hard limit: raise it, or split the peers)",
        args.peers,
        args.peers + 64
    );
    let url = match &args.token {
        Some(token) => format!("{}?token={token}", args.url),
        None => args.url.clone(),
    };
    let clock = Arc::new(Clock(Instant::now()));
    let (schedule_tx, schedule_rx) = watch::channel(None::<Schedule>);
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel::<usize>();
    // Connecting a thousand sockets at once makes a burst of handshakes that
    // says nothing about steady load; a few at a time is enough.
    let connecting = Arc::new(Semaphore::new(32));
    let refused = Arc::new(AtomicU64::new(0));
    // Handshakes completed, to tell "not connected" from "never in sync".
    let joined = Arc::new(AtomicU64::new(0));

    let peak_rss = Arc::new(AtomicU64::new(0));
    if let Some(pid) = args.server_pid {
        let peak_rss = peak_rss.clone();
        tokio::spawn(async move {
            while let Some(rss) = rss_kib(pid) {
                peak_rss.fetch_max(rss, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        });
    }

    let connect_started = Instant::now();
    let cpu_connect_from = CpuSample::take(args.server_pid);
    let mut peers = Vec::with_capacity(args.peers);
    for index in 0..args.peers {
        let peer = Peer {
            index,
            doc_index: index % args.docs,
            url: url.clone(),
            rate: args.rate,
            phase: index as f64 / args.peers as f64,
            clock: clock.clone(),
            ready: ready_tx.clone(),
            schedule: schedule_rx.clone(),
            connecting: connecting.clone(),
            refused: refused.clone(),
            joined: joined.clone(),
        };
        peers.push(tokio::spawn(peer.run()));
    }
    drop(ready_tx);

    let deadline = connect_started + Duration::from_secs_f64(args.connect_timeout);
    let mut ready = 0usize;
    while ready < args.peers {
        match tokio::time::timeout_at(deadline, ready_rx.recv()).await {
            Ok(Some(_)) => ready += 1,
            Ok(None) | Err(_) => break,
        }
    }
    let connect_s = connect_started.elapsed().as_secs_f64();
    eprintln!(
        "[{}] {ready}/{} peers connected and in sync after {connect_s:.1} s ({} handshakes)",
        args.label,
        args.peers,
        joined.load(Ordering::Relaxed)
    );
    let rss_idle = args.server_pid.and_then(rss_kib);
    let cpu_connect = cpu_connect_from.until(&CpuSample::take(args.server_pid));

    let start = Instant::now();
    let schedule = Schedule {
        start,
        measure_from: start + Duration::from_secs_f64(args.warmup),
        measure_to: start + Duration::from_secs_f64(args.warmup + args.duration),
        end: start + Duration::from_secs_f64(args.warmup + args.duration + args.drain),
    };
    schedule_tx.send_replace(Some(schedule));
    let server_pid = args.server_pid;
    let cpu_window = tokio::spawn(async move {
        sleep_until(schedule.measure_from).await;
        let from = CpuSample::take(server_pid);
        sleep_until(schedule.measure_to).await;
        from.until(&CpuSample::take(server_pid))
    });

    let mut sent_in_window = 0u64;
    let mut sent = 0u64;
    let mut latencies = Vec::new();
    for peer in peers {
        let report = peer.await.context("a peer task panicked")?;
        sent_in_window += report.sent_in_window;
        sent += report.sent;
        latencies.extend(report.latencies_us);
    }
    latencies.sort_unstable();
    let cpu_window = cpu_window.await.context("the CPU sampler panicked")?;

    let peers_per_doc = args.peers / args.docs;
    // Every change in the window should reach every other peer of its
    // document (connected or not: a peer that never got in counts as not
    // reached). Only an even split has that simple count; otherwise no
    // ratio is given.
    let expected: u64 = if args.peers % args.docs == 0 {
        sent_in_window * (peers_per_doc as u64 - 1)
    } else {
        0
    };
    let delivered = latencies.len() as u64;
    let report = serde_json::json!({
        "server": args.label,
        "peers": args.peers,
        "docs": args.docs,
        "peers_connected": ready,
        "connections_refused": refused.load(Ordering::Relaxed),
        "connect_s": round(connect_s, 1),
        "rate_per_peer": args.rate,
        "window_s": args.duration,
        "changes_sent": sent,
        "changes_per_s": round(sent_in_window as f64 / args.duration, 1),
        "deliveries_per_s": round(delivered as f64 / args.duration, 1),
        "delivered_ratio": if expected > 0 { round(delivered as f64 / expected as f64, 4) } else { f64::NAN },
        "fanout_p50_ms": round(percentile(&latencies, 50.0), 2),
        "fanout_p99_ms": round(percentile(&latencies, 99.0), 2),
        "fanout_max_ms": round(percentile(&latencies, 100.0), 2),
        "server_rss_idle_kib": rss_idle,
        "server_rss_peak_kib": args.server_pid.map(|_| peak_rss.load(Ordering::Relaxed)),
        "cpu_window": cpu_window,
        "cpu_connect": cpu_connect,
        "open_files_limit": nofile,
    });
    println!("{report}");
    Ok(())
}

fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

/// One simulated peer: its engine, its socket, its share of the load.
struct Peer {
    index: usize,
    doc_index: usize,
    url: String,
    rate: f64,
    /// Where in each period this peer changes (0..1), so the peers' changes
    /// are spread evenly over time rather than all on the same tick.
    phase: f64,
    clock: Arc<Clock>,
    ready: mpsc::UnboundedSender<usize>,
    schedule: watch::Receiver<Option<Schedule>>,
    connecting: Arc<Semaphore>,
    refused: Arc<AtomicU64>,
    joined: Arc<AtomicU64>,
}

impl Peer {
    async fn run(self) -> PeerReport {
        let mut report = PeerReport::default();
        let permit = self.connecting.clone().acquire_owned().await;
        let connected = tokio_tungstenite::connect_async(&self.url).await;
        drop(permit);
        let mut ws = match connected {
            Ok((ws, _)) => ws,
            Err(error) => {
                if self.refused.fetch_add(1, Ordering::Relaxed) == 0 {
                    eprintln!("peer {}: could not connect: {error}", self.index);
                }
                return report;
            }
        };
        let id = doc_id(self.doc_index);
        let mut repo = Repo::new(
            format!("load-peer-{}", self.index).as_str().into(),
            SharePolicy::Announce,
        );
        let mut doc = seed(self.doc_index);
        doc.set_actor(actor_of(self.index));
        let mut effects = repo.insert(id, doc);
        effects.extend(repo.connect_upstream(CONN));

        let mut connected = false;
        let mut announced_ready = false;
        let mut schedule_rx = self.schedule.clone();
        let mut counter = 0u64;
        let mut next_change: Option<Instant> = None;
        let mut schedule: Option<Schedule> = None;
        loop {
            for effect in repo.durable_at_once(std::mem::take(&mut effects)) {
                let sent = match effect {
                    Effect::Send { frame, .. } => ws.feed(WsMessage::Binary(frame.into())).await,
                    Effect::Connected { .. } => {
                        connected = true;
                        self.joined.fetch_add(1, Ordering::Relaxed);
                        Ok(())
                    }
                    Effect::Close { reason, .. } => {
                        eprintln!("peer {}: closed by the engine: {reason}", self.index);
                        return report;
                    }
                    _ => Ok(()),
                };
                if sent.is_err() {
                    return report;
                }
            }
            if ws.flush().await.is_err() {
                return report;
            }
            if !announced_ready && connected && repo.unconfirmed_changes(&id) == 0 {
                announced_ready = true;
                let _ = self.ready.send(self.index);
            }

            let stop_at = schedule.map(|s| s.end);
            tokio::select! {
                message = ws.next() => match message {
                    Some(Ok(WsMessage::Binary(frame))) => {
                        let before = repo.doc(&id).map(Automerge::get_heads).unwrap_or_default();
                        effects = repo.receive(CONN, &frame);
                        let arrived = Instant::now();
                        if let Some(s) = schedule
                            && effects.iter().any(|e| matches!(e, Effect::DocChanged { .. }))
                        {
                            self.record_arrivals(&repo, id, &before, arrived, &s, &mut report);
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => return report,
                },
                changed = schedule_rx.changed(), if schedule.is_none() => {
                    if changed.is_err() {
                        return report;
                    }
                    schedule = *schedule_rx.borrow();
                    if let Some(s) = schedule {
                        next_change = Some(s.start + Duration::from_secs_f64(self.phase / self.rate));
                    }
                }
                () = sleep_until(next_change.unwrap_or_else(Instant::now)), if next_change.is_some() => {
                    let s = schedule.expect("changes are scheduled only once the run started");
                    let now = Instant::now();
                    if now >= s.measure_to {
                        next_change = None;
                        continue;
                    }
                    counter += 1;
                    let message = self.clock.micros(now).to_string();
                    let key = format!("p{}", self.index);
                    let (written, out) = repo
                        .change(id, |d| {
                            d.transact_with(
                                |_| CommitOptions::default().with_message(message),
                                |tx| tx.put(ROOT, key.as_str(), counter),
                            )
                            .map(|_| ())
                            .map_err(|failure| failure.error)
                        })
                        .expect("the peer holds its document");
                    written.expect("a put into a map never fails");
                    effects = out;
                    report.sent += 1;
                    if now >= s.measure_from {
                        report.sent_in_window += 1;
                    }
                    // A fixed timetable: a peer that fell behind catches up
                    // rather than lowering the offered load.
                    next_change = next_change.map(|t| t + Duration::from_secs_f64(1.0 / self.rate));
                }
                () = sleep_until(stop_at.unwrap_or_else(Instant::now)), if stop_at.is_some() => {
                    let _ = ws.close(None).await;
                    return report;
                }
            }
        }
    }

    /// Reads the send time of every change from another peer that this
    /// frame brought, and keeps the latency of those sent inside the window.
    fn record_arrivals(
        &self,
        repo: &Repo,
        id: DocumentId,
        before: &[automerge::ChangeHash],
        arrived: Instant,
        schedule: &Schedule,
        report: &mut PeerReport,
    ) {
        let Some(doc) = repo.doc(&id) else {
            return;
        };
        let from = self.clock.micros(schedule.measure_from);
        let to = self.clock.micros(schedule.measure_to);
        let now = self.clock.micros(arrived);
        for change in doc.get_changes_meta(before) {
            let Some(sent) = change
                .message
                .as_deref()
                .and_then(|m| m.parse::<u64>().ok())
            else {
                continue;
            };
            if (from..to).contains(&sent) {
                report.latencies_us.push(now.saturating_sub(sent));
            }
        }
    }
}
