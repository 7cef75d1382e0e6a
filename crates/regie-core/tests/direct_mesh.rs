//! Devices linked directly to each other (a mesh, as WebRTC links make it)
//! and to a relay that is down for long stretches: with links cut and made
//! again, frames duplicated and deliveries interleaved across links, every
//! device converges once the network heals. A device whose links are all
//! read-only receives everything, and a change it forges reaches no one.
//! The reader holds changes other writers lack (it got them from another
//! writer); it must not offer them on a link where it may only read, or it
//! would be refused and cut off: the engine's read-only sync state tells it.
//!
//! The network here is the engine's view of links: each link is two
//! ordered queues (a data channel is reliable and ordered) with a
//! connection id at each end; a cut drops what is in flight and both ends
//! forget the connection, as the browser shell does.

mod support;

use std::collections::VecDeque;

use automerge::transaction::Transactable as _;
use automerge::{Automerge, ReadDoc as _};
use proptest::prelude::*;
use regie_core::{Access, ConnId, DocumentId, Effect, PeerId, Repo, SharePolicy};

/// Node 0 is the relay; 1..=WRITERS edit; the last node only reads.
const WRITERS: usize = 3;
const NODES: usize = WRITERS + 2;
const READER: usize = NODES - 1;

const READ_ONLY: Access = Access {
    write: false,
    only: None,
    ..Access::FULL
};

struct Link {
    ends: [usize; 2],
    conns: [ConnId; 2],
    /// Frames on their way to `ends[0]` and to `ends[1]`.
    queues: [VecDeque<Vec<u8>>; 2],
    up: bool,
}

struct Mesh {
    repos: Vec<Repo>,
    links: Vec<Link>,
    next_conn: u64,
}

impl Mesh {
    /// The relay linked to every device, and every pair of devices linked
    /// directly; with `reader`, one more device to whom every peer gives
    /// read-only access.
    fn new(doc: DocumentId, reader: bool) -> Mesh {
        let nodes = if reader { NODES } else { NODES - 1 };
        let mut repos: Vec<Repo> = (0..nodes)
            .map(|i| {
                let policy = if i == 0 {
                    SharePolicy::OnRequest
                } else {
                    SharePolicy::Announce
                };
                Repo::new(PeerId(format!("node-{i}")), policy)
            })
            .collect();
        let mut first = Automerge::new();
        first
            .transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(automerge::ROOT, "titel", "Plan")
            })
            .unwrap();
        for repo in repos.iter_mut().skip(1).take(WRITERS) {
            // Each device writes as its own actor.
            repo.insert(doc, first.fork());
        }
        if reader {
            // The reader asks for it, as a device opening a link does.
            repos[READER].want(doc);
        }
        let mut mesh = Mesh {
            repos,
            links: Vec::new(),
            next_conn: 0,
        };
        for a in 0..nodes {
            for b in a + 1..nodes {
                mesh.links.push(Link {
                    ends: [a, b],
                    conns: [ConnId(0), ConnId(0)],
                    queues: [VecDeque::new(), VecDeque::new()],
                    up: false,
                });
                let link = mesh.links.len() - 1;
                mesh.restore(link);
            }
        }
        mesh
    }

    /// Makes a link again, with fresh connections at both ends.
    fn restore(&mut self, link: usize) {
        if self.links[link].up {
            return;
        }
        let [a, b] = self.links[link].ends;
        let conns = [ConnId(self.next_conn), ConnId(self.next_conn + 1)];
        self.next_conn += 2;
        self.links[link].conns = conns;
        self.links[link].up = true;
        // `b` accepts `a`; what each may do is set by the other end.
        let access_of = |peer: usize| {
            if peer == READER {
                READ_ONLY
            } else {
                Access::FULL
            }
        };
        let accepted = if a == 0 {
            // A device reaches the relay as its upstream.
            self.repos[b].connect_upstream(conns[1])
        } else {
            self.repos[b].connect_with(conns[1], true, access_of(a))
        };
        let opened = self.repos[a].connect_with(conns[0], false, access_of(b));
        self.route(a, opened);
        self.route(b, accepted);
    }

    /// Cuts a link: what is in flight is lost, both ends forget it.
    fn cut(&mut self, link: usize) {
        let l = &mut self.links[link];
        if !l.up {
            return;
        }
        l.up = false;
        l.queues = [VecDeque::new(), VecDeque::new()];
        let ([a, b], [ca, cb]) = (l.ends, l.conns);
        self.repos[a].disconnect(ca);
        self.repos[b].disconnect(cb);
    }

    /// Carries out a node's effects: every write is durable at once, frames
    /// go on the link they name, a close cuts it.
    fn route(&mut self, node: usize, effects: Vec<Effect>) {
        let effects = self.repos[node].durable_at_once(effects);
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } => {
                    if let Some((link, side)) = self.find(node, conn) {
                        self.links[link].queues[1 - side].push_back(frame);
                    }
                }
                Effect::Close { conn, .. } => {
                    if let Some((link, _)) = self.find(node, conn) {
                        self.cut(link);
                    }
                }
                _ => {}
            }
        }
    }

    fn find(&self, node: usize, conn: ConnId) -> Option<(usize, usize)> {
        self.links.iter().enumerate().find_map(|(i, l)| {
            (0..2)
                .find(|&s| l.up && l.ends[s] == node && l.conns[s] == conn)
                .map(|s| (i, s))
        })
    }

    /// Delivers the next frame on a link towards one end; `twice` delivers
    /// it a second time as well.
    fn deliver(&mut self, link: usize, side: usize, twice: bool) -> bool {
        let Some(frame) = self.links[link].queues[side].pop_front() else {
            return false;
        };
        let (node, conn) = (self.links[link].ends[side], self.links[link].conns[side]);
        let times = if twice { 2 } else { 1 };
        for _ in 0..times {
            let effects = self.repos[node].receive(conn, &frame);
            self.route(node, effects);
        }
        true
    }

    /// Delivers everything until the network is quiet.
    fn settle(&mut self) {
        let mut rounds = 0;
        while (0..self.links.len())
            .flat_map(|l| [(l, 0), (l, 1)])
            .fold(false, |any, (l, s)| self.deliver(l, s, false) | any)
        {
            rounds += 1;
            assert!(rounds < 10_000, "the network never went quiet");
        }
    }

    fn edit(&mut self, node: usize, n: usize, doc: DocumentId) {
        let (_, effects) = self.repos[node]
            .change(doc, |d| {
                d.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(automerge::ROOT, format!("veld-{node}-{n}"), n as i64)
                })
                .unwrap();
            })
            .unwrap();
        self.route(node, effects);
    }

    fn heads(&self, node: usize, doc: DocumentId) -> Vec<automerge::ChangeHash> {
        self.repos[node]
            .doc(&doc)
            .map(Automerge::get_heads)
            .unwrap_or_default()
    }
}

fn doc_id() -> DocumentId {
    DocumentId::from_random_bytes([42; 16])
}

#[derive(Debug, Clone)]
enum Op {
    Edit(usize),
    Deliver {
        link: usize,
        side: usize,
        twice: bool,
    },
    Cut(usize),
    Restore(usize),
    RelayDown,
    RelayUp,
}

fn op() -> impl Strategy<Value = Op> {
    let links = NODES * (NODES - 1) / 2;
    prop_oneof![
        3 => (1..=WRITERS).prop_map(Op::Edit),
        8 => (0..links, 0..2usize, proptest::bool::weighted(0.1))
            .prop_map(|(link, side, twice)| Op::Deliver { link, side, twice }),
        1 => (0..links).prop_map(Op::Cut),
        1 => (0..links).prop_map(Op::Restore),
        1 => Just(Op::RelayDown),
        1 => Just(Op::RelayUp),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_mesh_with_the_relay_often_down_converges(ops in proptest::collection::vec(op(), 1..120)) {
        let doc = doc_id();
        let mut mesh = Mesh::new(doc, true);
        let relay_links: Vec<usize> = (0..mesh.links.len()).filter(|&l| mesh.links[l].ends[0] == 0).collect();
        for (n, op) in ops.into_iter().enumerate() {
            match op {
                Op::Edit(node) => mesh.edit(node, n, doc),
                Op::Deliver { link, side, twice } => {
                    mesh.deliver(link, side, twice);
                }
                Op::Cut(link) => mesh.cut(link),
                Op::Restore(link) => mesh.restore(link),
                Op::RelayDown => relay_links.iter().for_each(|&l| mesh.cut(l)),
                Op::RelayUp => relay_links.iter().for_each(|&l| mesh.restore(l)),
            }
        }
        for link in 0..mesh.links.len() {
            mesh.restore(link);
        }
        mesh.settle();
        let expected = mesh.heads(1, doc);
        for node in 0..mesh.repos.len() {
            prop_assert_eq!(mesh.heads(node, doc), expected.clone(), "node {} differs", node);
        }
    }
}

#[test]
fn a_read_only_direct_peer_that_forges_a_change_writes_nowhere() {
    let doc = doc_id();
    let mut mesh = Mesh::new(doc, true);
    mesh.settle();
    mesh.edit(1, 1, doc);
    mesh.settle();
    assert_eq!(
        mesh.heads(READER, doc),
        mesh.heads(1, doc),
        "the reader receives"
    );
    let open = |mesh: &Mesh| {
        mesh.links
            .iter()
            .filter(|l| l.up && l.ends.contains(&READER))
            .count()
    };
    assert_eq!(open(&mesh), NODES - 1, "every link of the reader is up");
    // The reader changes its copy: an honest reader keeps it to itself,
    // because its peers' sync says they take nothing from it.
    mesh.edit(READER, 2, doc);
    mesh.settle();
    assert_eq!(open(&mesh), NODES - 1, "an honest reader is not cut off");
    let forged = format!("veld-{READER}-2");
    let taken = |mesh: &Mesh| {
        (0..READER).find(|&node| {
            let doc = mesh.repos[node].doc(&doc).unwrap();
            doc.get(automerge::ROOT, forged.as_str()).unwrap().is_some()
        })
    };
    assert_eq!(taken(&mesh), None, "nobody has the reader's change");
    // A forged client sends it anyway, on every link: each is closed, and
    // nothing is applied.
    for link in 0..mesh.links.len() {
        let l = &mesh.links[link];
        let Some(side) = (0..2).find(|&s| l.ends[s] == READER) else {
            continue;
        };
        let victim = l.ends[1 - side];
        let frame = support::forged_sync_frame(
            mesh.repos[READER].doc(&doc).unwrap(),
            doc,
            &format!("node-{READER}"),
            &format!("node-{victim}"),
        );
        mesh.links[link].queues[1 - side].push_back(frame);
        mesh.deliver(link, 1 - side, false);
    }
    assert_eq!(open(&mesh), 0, "every link the forger used is closed");
    assert_eq!(taken(&mesh), None, "a forged change reaches no one");
}
