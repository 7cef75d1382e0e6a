//! Signals for direct links, passed by real engines: the relay forwards a
//! targeted offer to its peer only and caps every signal's access to the
//! sender's share link; a device passes signals on to its other direct
//! peers (never to its relay), lowering their access to what it granted,
//! once per signal, and no further than the hop limit.

use std::collections::VecDeque;

use automerge::Automerge;
use automerge::transaction::Transactable as _;
use regie_core::direct::signal::{Body, MAX_HOPS, Signal};
use regie_core::{Access, ConnId, DocumentId, Effect, PeerId, Repo, SharePolicy};

const READ_ONLY: Access = Access {
    write: false,
    only: None,
    ..Access::FULL
};

/// Engines and the links between them; frames are delivered in order.
struct Net {
    repos: Vec<Repo>,
    /// (node, conn) at one end ↔ (node, conn) at the other.
    ends: Vec<((usize, ConnId), (usize, ConnId))>,
    queue: VecDeque<(usize, ConnId, Vec<u8>)>,
    /// Signals each node was given, as (from, signal).
    heard: Vec<Vec<(PeerId, Signal)>>,
    /// Frames each node received.
    received: Vec<usize>,
    next: u64,
}

impl Net {
    /// Node 0 is a relay, the others devices; every one holds `doc`.
    fn new(devices: &[&str], doc: DocumentId) -> Net {
        let mut seed = Automerge::new();
        let mut tx = seed.transaction();
        tx.put(automerge::ROOT, "kind", "register").unwrap();
        tx.commit();
        let mut repos = vec![Repo::new(PeerId("relay".into()), SharePolicy::OnRequest)];
        for name in devices {
            repos.push(Repo::new(PeerId((*name).into()), SharePolicy::Announce));
        }
        let mut net = Net {
            heard: vec![Vec::new(); repos.len()],
            received: vec![0; repos.len()],
            repos,
            ends: Vec::new(),
            queue: VecDeque::new(),
            next: 0,
        };
        for i in 1..net.repos.len() {
            let effects = net.repos[i].insert(doc, seed.fork());
            net.route(i, effects);
        }
        net
    }

    fn conn(&mut self) -> ConnId {
        self.next += 1;
        ConnId(self.next)
    }

    /// Device `i` reaches the relay with a share link of `access`.
    fn link_relay(&mut self, i: usize, access: Access) {
        let (up, down) = (self.conn(), self.conn());
        self.ends.push(((i, up), (0, down)));
        let effects = self.repos[0].connect_with(down, false, access);
        self.route(0, effects);
        let effects = self.repos[i].connect_upstream(up);
        self.route(i, effects);
    }

    /// Devices `a` and `b` linked directly; each gives the other the access
    /// named for it.
    fn direct(&mut self, a: usize, b: usize, a_gives_b: Access, b_gives_a: Access) {
        let (ca, cb) = (self.conn(), self.conn());
        self.ends.push(((a, ca), (b, cb)));
        let effects = self.repos[b].connect_with(cb, false, b_gives_a);
        self.route(b, effects);
        let effects = self.repos[a].connect_with(ca, true, a_gives_b);
        self.route(a, effects);
    }

    fn other_end(&self, node: usize, conn: ConnId) -> Option<(usize, ConnId)> {
        self.ends.iter().find_map(|&(x, y)| {
            if x == (node, conn) {
                Some(y)
            } else if y == (node, conn) {
                Some(x)
            } else {
                None
            }
        })
    }

    fn route(&mut self, node: usize, effects: Vec<Effect>) {
        for effect in self.repos[node].durable_at_once(effects) {
            match effect {
                Effect::Send { conn, frame } => {
                    if let Some((to, at)) = self.other_end(node, conn) {
                        self.queue.push_back((to, at, frame));
                    }
                }
                Effect::Ephemeral { from, data, .. } => {
                    if let Some(signal) = Signal::decode(&data) {
                        self.heard[node].push((from, signal));
                    }
                }
                _ => {}
            }
        }
    }

    /// Delivers until nothing is in flight; `twice` delivers every frame two times.
    fn settle(&mut self, twice: bool) {
        while let Some((node, conn, frame)) = self.queue.pop_front() {
            self.received[node] += 1;
            let mut effects = self.repos[node].receive(conn, &frame);
            if twice {
                effects.extend(self.repos[node].receive(conn, &frame));
            }
            self.route(node, effects);
        }
    }

    fn signal(&mut self, node: usize, doc: DocumentId, signal: Signal) {
        let effects = self.repos[node].signal(doc, &signal);
        self.route(node, effects);
        self.settle(false);
    }

    fn heard_from(&self, node: usize, from: &str) -> Vec<Signal> {
        self.heard[node]
            .iter()
            .filter(|(f, _)| f.0 == from)
            .map(|(_, s)| s.clone())
            .collect()
    }
}

fn doc() -> DocumentId {
    DocumentId::from_random_bytes([3; 16])
}

fn offer(to: &str, access: Access) -> Signal {
    Signal {
        to: Some(PeerId(to.into())),
        body: Body::Offer("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n".into()),
        access,
        hops: MAX_HOPS,
    }
}

#[test]
fn the_relay_caps_a_signal_to_the_share_link_and_passes_an_offer_to_its_peer_only() {
    let mut net = Net::new(&["a", "b", "c"], doc());
    net.link_relay(1, READ_ONLY);
    net.link_relay(2, Access::FULL);
    net.link_relay(3, Access::FULL);
    net.settle(false);

    // A reader claims it may edit; the relay lowers that for everyone.
    net.signal(1, doc(), Signal::hello(None, Access::FULL));
    for node in [2, 3] {
        let heard = net.heard_from(node, "a");
        assert_eq!(heard.len(), 1, "node {node} hears a's hello once");
        assert!(!heard[0].access.write, "the claim to edit is capped");
    }

    net.signal(2, doc(), offer("c", Access::FULL));
    assert_eq!(net.heard_from(3, "b").len(), 1);
    assert!(
        net.heard_from(1, "b").is_empty(),
        "an offer for c does not reach a"
    );
    assert!(net.heard_from(3, "b")[0].access.write);
}

#[test]
fn devices_pass_signals_on_to_their_direct_peers_once_lowered_to_what_they_granted() {
    // a — b — c, directly; b gives c only reading; d hangs off c.
    let mut net = Net::new(&["a", "b", "c", "d"], doc());
    net.direct(1, 2, Access::FULL, Access::FULL);
    net.direct(2, 3, READ_ONLY, Access::FULL);
    net.direct(3, 4, Access::FULL, Access::FULL);
    net.link_relay(2, Access::FULL);
    net.settle(true);

    let relay_had = net.received[0];
    net.signal(3, doc(), Signal::hello(None, Access::FULL));
    let at_a = net.heard_from(1, "c");
    assert_eq!(
        at_a.len(),
        1,
        "passed on by b, once although every frame came twice"
    );
    assert!(!at_a[0].access.write, "b granted c only reading");
    assert_eq!(at_a[0].hops, MAX_HOPS - 1);
    assert_eq!(
        net.received[0], relay_had,
        "b never hands the relay a signal it passes on"
    );

    // a answers c alone; it travels through b and reaches neither b's app nor d.
    net.signal(
        1,
        doc(),
        Signal::hello(Some(PeerId("c".into())), Access::FULL),
    );
    assert_eq!(net.heard_from(3, "a").len(), 1);
    assert!(net.heard_from(2, "a").is_empty());
    assert!(net.heard_from(4, "a").is_empty());
}

#[test]
fn a_signal_goes_no_further_than_its_hops() {
    // A line of devices longer than the hop limit.
    let names: Vec<String> = (0..MAX_HOPS as usize + 3)
        .map(|i| format!("n{i}"))
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut net = Net::new(&refs, doc());
    for i in 1..refs.len() {
        net.direct(i, i + 1, Access::FULL, Access::FULL);
    }
    net.settle(false);
    net.signal(1, doc(), Signal::hello(None, Access::FULL));
    let reached: Vec<usize> = (2..=refs.len())
        .filter(|&node| !net.heard_from(node, "n0").is_empty())
        .collect();
    // The first neighbour receives it with MAX_HOPS, each pass spends one.
    assert_eq!(reached, (2..=MAX_HOPS as usize + 2).collect::<Vec<_>>());
}
