//! Crash safety of the relay: the real `regie-relay` binary is killed with
//! SIGKILL at random moments while several clients keep writing to a few
//! shared documents, and restarted on the same data directory, many times.
//!
//! Checked after every kill, on the files the dead relay left behind:
//! - every stored document loads: its snapshot and every whole appended
//!   chunk strictly with Automerge; only a torn last chunk (a change cut
//!   off mid-write, which nobody was told about) may be dropped;
//! - every change the relay had acknowledged is there. The acknowledgement
//!   is the strongest one the protocol gives: the heads a client's engine
//!   records as *confirmed* by its upstream (the relay's sync state heads,
//!   `Repo::confirmed_heads`), which the relay only reports after persisting.
//!
//! And every restart must succeed without skipping a damaged file. At the
//! end the writers stop, everything settles and the relay's files hold every
//! client's whole history.
//!
//! The moments are drawn from a seeded RNG; the seed is printed. Set
//! `REGIE_CRASH_SEED` to replay one and `REGIE_CRASH_ROUNDS` (default 10) for
//! a longer run.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::process::spawn_relay;

use automerge::transaction::Transactable as _;
use automerge::{Automerge, ChangeHash, ROOT, ReadDoc as _};
use futures_util::{SinkExt as _, StreamExt as _};
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use regie_core::{ConnId, DocumentId, Effect, Repo, SharePolicy};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message as WsMessage;

const CLIENTS: usize = 4;
const DOCS: u8 = 3;

/// What the clients share with the test.
struct Shared {
    /// The relay's sync URL while it is up.
    url: watch::Receiver<Option<String>>,
    /// Per document, every head the relay confirmed to any client.
    acked: Mutex<BTreeMap<DocumentId, BTreeSet<ChangeHash>>>,
    /// Clients make changes while this holds.
    writing: AtomicBool,
    /// Clients return their engines once this holds.
    stop: AtomicBool,
    /// Changes made, all clients together.
    made: AtomicUsize,
    /// Per client: changes not yet confirmed by the relay.
    unconfirmed: Vec<AtomicUsize>,
}

fn doc_id(n: u8) -> DocumentId {
    DocumentId::from_random_bytes([0xc0 + n; 16])
}

/// One client: connects whenever the relay is up, writes continuously,
/// records what the relay confirms, reconnects after every crash.
async fn client(index: usize, shared: Arc<Shared>, seed: u64) -> Repo {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut repo = Repo::new(
        format!("crash-client-{index}").as_str().into(),
        SharePolicy::Announce,
    );
    for d in 0..DOCS {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        tx.put(ROOT, format!("c{index}-start"), 0_i64).unwrap();
        tx.commit();
        repo.insert(doc_id(d), doc);
    }
    let mut url_rx = shared.url.clone();
    let mut n = 0_i64;
    let mut next_conn = 0;
    while !shared.stop.load(Ordering::SeqCst) {
        let url = url_rx.borrow_and_update().clone();
        let Some(url) = url else {
            let _ = tokio::time::timeout(Duration::from_millis(50), url_rx.changed()).await;
            continue;
        };
        let Ok((ws, _)) = tokio_tungstenite::connect_async(&url).await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let (mut sink, mut stream) = ws.split();
        let conn = ConnId(next_conn);
        next_conn += 1;
        let mut effects = repo.connect_upstream(conn);
        let mut tick = tokio::time::interval(Duration::from_millis(rng.random_range(3..12)));
        'connected: loop {
            for effect in repo.durable_at_once(std::mem::take(&mut effects)) {
                match effect {
                    Effect::Send { frame, .. } => {
                        let sent = sink.send(WsMessage::Binary(frame.into())).await;
                        if sent.is_err() {
                            break 'connected;
                        }
                    }
                    Effect::Confirmed { doc } => {
                        let heads = repo.confirmed_heads(&doc).unwrap_or_default();
                        shared
                            .acked
                            .lock()
                            .unwrap()
                            .entry(doc)
                            .or_default()
                            .extend(heads.iter().copied());
                    }
                    _ => {}
                }
            }
            let open: usize = (0..DOCS)
                .map(|d| repo.unconfirmed_changes(&doc_id(d)))
                .sum();
            shared.unconfirmed[index].store(open, Ordering::SeqCst);
            tokio::select! {
                next = stream.next() => match next {
                    Some(Ok(WsMessage::Binary(frame))) => effects = repo.receive(conn, &frame),
                    Some(Ok(_)) => {}
                    _ => break 'connected,
                },
                _ = tick.tick() => {
                    if shared.stop.load(Ordering::SeqCst) {
                        break 'connected;
                    }
                    if shared.writing.load(Ordering::SeqCst) {
                        let d = doc_id(rng.random_range(0..DOCS));
                        n += 1;
                        let key = format!("c{index}-{n}");
                        effects = repo
                            .change(d, |doc| {
                                let mut tx = doc.transaction();
                                tx.put(ROOT, &key, n).unwrap();
                                tx.put(ROOT, "last", key.as_str()).unwrap();
                                tx.commit();
                            })
                            .expect("the document is held")
                            .1;
                        shared.made.fetch_add(1, Ordering::SeqCst);
                    }
                }
            }
        }
        repo.disconnect(conn);
    }
    repo
}

/// Every stored document; panics on a damaged file. The whole chunks load
/// strictly; a torn tail is allowed (see the module docs).
fn load_stored(dir: &Path) -> BTreeMap<DocumentId, Automerge> {
    let strict = || automerge::LoadOptions::new().on_partial_load(automerge::OnPartialLoad::Error);
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "automerge"))
        .map(|p: PathBuf| {
            let id: DocumentId = p.file_stem().unwrap().to_str().unwrap().parse().unwrap();
            let bytes = std::fs::read(&p).unwrap();
            let (_, torn) = regie_core::stored::split_chunks(&bytes);
            let whole = &bytes[..bytes.len() - torn.len()];
            let doc = Automerge::load_with_options(whole, strict())
                .unwrap_or_else(|e| panic!("{} is damaged: {e}", p.display()));
            if !torn.is_empty() {
                eprintln!("{}: a torn last write of {} bytes", p.display(), torn.len());
            }
            (id, doc)
        })
        .collect()
}

/// Asserts that every acknowledged head is stored; returns how many
/// changes were acknowledged.
fn assert_nothing_acked_is_lost(
    stored: &BTreeMap<DocumentId, Automerge>,
    acked: &BTreeMap<DocumentId, BTreeSet<ChangeHash>>,
    seed: u64,
    round: usize,
) -> usize {
    let mut count = 0;
    for (id, heads) in acked {
        let doc = stored
            .get(id)
            .unwrap_or_else(|| panic!("seed {seed}, round {round}: acknowledged {id} has no file"));
        for head in heads {
            assert!(
                doc.get_change_by_hash(head).is_some(),
                "seed {seed}, round {round}: acknowledged change {head} of {id} was lost"
            );
        }
        // Count the acknowledged changes: the heads and all they depend on.
        let mut seen = BTreeSet::new();
        let mut todo: Vec<ChangeHash> = heads.iter().copied().collect();
        while let Some(hash) = todo.pop() {
            if seen.insert(hash) {
                todo.extend(
                    doc.get_change_by_hash(&hash)
                        .unwrap()
                        .deps()
                        .iter()
                        .copied(),
                );
            }
        }
        count += seen.len();
    }
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_changes_survive_sigkill() {
    let seed = std::env::var("REGIE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    let rounds: usize = std::env::var("REGIE_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    println!("crash test: seed {seed} (REGIE_CRASH_SEED), {rounds} rounds");
    let mut rng = StdRng::seed_from_u64(seed);

    let data = tempfile::tempdir().unwrap();
    let token = support::edit_token(data.path());
    let (url_tx, url_rx) = watch::channel(None);
    let shared = Arc::new(Shared {
        url: url_rx,
        acked: Mutex::new(BTreeMap::new()),
        writing: AtomicBool::new(true),
        stop: AtomicBool::new(false),
        made: AtomicUsize::new(0),
        unconfirmed: (0..CLIENTS).map(|_| AtomicUsize::new(0)).collect(),
    });
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| tokio::spawn(client(i, shared.clone(), rng.random())))
        .collect();

    let mut progressed = 0;
    let mut last_count = 0;
    for round in 0..rounds {
        let relay = spawn_relay(data.path(), "regie_relay=info");
        url_tx.send_replace(Some(format!("ws://{}/sync?token={token}", relay.addr)));
        let uptime = Duration::from_millis(rng.random_range(250..1000));
        tokio::time::sleep(uptime).await;
        url_tx.send_replace(None);
        let log = relay.kill();
        assert!(
            !log.contains("damaged"),
            "seed {seed}, round {round}: the relay found damaged files:\n{log}"
        );
        // Frames the relay sent before it died may still be in flight.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let acked = shared.acked.lock().unwrap().clone();
        let stored = load_stored(data.path());
        let count = assert_nothing_acked_is_lost(&stored, &acked, seed, round);
        println!(
            "round {round}: up {uptime:?}, {} changes made so far, {count} acknowledged, all stored",
            shared.made.load(Ordering::SeqCst)
        );
        if count > last_count {
            progressed += 1;
        }
        last_count = count;
    }
    assert!(
        progressed * 3 >= rounds,
        "seed {seed}: the relay acknowledged new changes in only {progressed} of {rounds} rounds"
    );

    // Settle: writers stop, the relay comes back, every client's changes get
    // confirmed; then one last kill, and the files hold everything.
    shared.writing.store(false, Ordering::SeqCst);
    let relay = spawn_relay(data.path(), "regie_relay=info");
    url_tx.send_replace(Some(format!("ws://{}/sync?token={token}", relay.addr)));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while shared
        .unconfirmed
        .iter()
        .any(|u| u.load(Ordering::SeqCst) > 0)
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "seed {seed}: the clients' changes were not all confirmed after the crashes"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    shared.stop.store(true, Ordering::SeqCst);
    url_tx.send_replace(None);
    let mut repos = Vec::new();
    for c in clients {
        repos.push(
            tokio::time::timeout(Duration::from_secs(10), c)
                .await
                .expect("clients stop")
                .unwrap(),
        );
    }
    relay.kill();
    let stored = load_stored(data.path());
    for repo in &repos {
        for d in 0..DOCS {
            let id = doc_id(d);
            let mine = repo.doc(&id).unwrap();
            let theirs = &stored[&id];
            for change in mine.get_changes(&[]) {
                assert!(
                    theirs.get_change_by_hash(&change.hash()).is_some(),
                    "seed {seed}: {id} on disk misses a change of {}",
                    repo.peer_id()
                );
            }
        }
    }
    println!(
        "crash test: seed {seed}, {rounds} kills, {} changes made, all on disk",
        shared.made.load(Ordering::SeqCst)
    );
}
