//! Bytes on the wire to resync after each side made N edits offline, against
//! the size of those changes. Run by `cargo xtask bench`; prints one JSON
//! object per line for the xtask to collect.
//!
//! Two clients and a relay run the real sync engine; frames are counted as
//! they are delivered in memory (the WebSocket framing adds 2–14 bytes per
//! frame, reported separately).

use regie_core::author::Stamp;
use std::collections::VecDeque;

use automerge::Automerge;
use regie_core::plan::{Status, edit_plan, new_plan_document};
use regie_core::{ConnId, DocumentId, Effect, Repo, SharePolicy};

struct Net {
    relay: Repo,
    clients: Vec<Repo>,
    wire: VecDeque<(bool, usize, Vec<u8>)>,
    bytes: usize,
    frames: usize,
    /// Deliveries of everything in flight at once: one way across the wire.
    flights: usize,
}

impl Net {
    fn route(&mut self, from_client: Option<usize>, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } => match from_client {
                    Some(i) => self.wire.push_back((true, i, frame)),
                    None => self.wire.push_back((false, conn.0 as usize, frame)),
                },
                // Storage that is durable at once: the held frames go out.
                Effect::Persist { id, .. } => {
                    let released = match from_client {
                        Some(i) => self.clients[i].persisted(id),
                        None => self.relay.persisted(id),
                    };
                    self.route(from_client, released);
                }
                _ => {}
            }
        }
    }

    fn connect(&mut self, i: usize) {
        let effects = self.relay.connect(ConnId(i as u64), false);
        self.route(None, effects);
        let effects = self.clients[i].connect_upstream(ConnId(0));
        self.route(Some(i), effects);
        self.settle();
    }

    fn disconnect(&mut self, i: usize) {
        self.relay.disconnect(ConnId(i as u64));
        self.clients[i].disconnect(ConnId(0));
    }

    /// Delivers frames in flights: everything on the wire arrives, then what
    /// that provoked goes out as the next flight, so two flights are one
    /// round trip.
    fn settle(&mut self) {
        while !self.wire.is_empty() {
            self.flights += 1;
            let flight: Vec<_> = self.wire.drain(..).collect();
            for (up, i, frame) in flight {
                self.bytes += frame.len();
                self.frames += 1;
                if up {
                    let effects = self.relay.receive(ConnId(i as u64), &frame);
                    self.route(None, effects);
                } else {
                    let effects = self.clients[i].receive(ConnId(0), &frame);
                    self.route(Some(i), effects);
                }
            }
        }
    }
}

fn changes_size(doc: &Automerge, since: &[automerge::ChangeHash]) -> usize {
    doc.get_changes(since)
        .iter()
        .map(|c| c.raw_bytes().len())
        .sum()
}

fn main() {
    let edits: usize = std::env::var("RESYNC_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let id = DocumentId::from_random_bytes([1; 16]);
    let mut net = Net {
        relay: Repo::new("relay".into(), SharePolicy::OnRequest),
        clients: vec![
            Repo::new("a".into(), SharePolicy::Announce),
            Repo::new("b".into(), SharePolicy::Announce),
        ],
        wire: VecDeque::new(),
        bytes: 0,
        frames: 0,
        flights: 0,
    };
    let mut doc = new_plan_document("ledeberg", &Stamp::default());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "Zorg")
    })
    .unwrap();
    for n in 0..100 {
        edit_plan(&mut doc, &Stamp::default(), |p| {
            p.add_action("a1", format!("base{n}"), "Actie", Status::Idee)
        })
        .unwrap();
    }
    let effects = net.clients[0].insert(id, doc);
    net.route(Some(0), effects);
    net.connect(0);
    net.connect(1);
    let effects = net.clients[1].want(id);
    net.route(Some(1), effects);
    net.settle();
    let base = net.relay.doc(&id).unwrap().get_heads();

    net.disconnect(0);
    net.disconnect(1);
    for side in 0..2 {
        for n in 0..edits {
            let (result, _) = net.clients[side]
                .change(id, |d| {
                    edit_plan(d, &Stamp::default(), |p| {
                        let target = format!("base{}", n % 100);
                        let status = Status::ALL[(n + side) % Status::ALL.len()];
                        if n % 2 == 0 {
                            p.set_status(&target, status)
                        } else {
                            p.add_action("a1", format!("s{side}-{n}"), "Nieuw", status)
                        }
                    })
                })
                .unwrap();
            result.unwrap();
        }
    }
    let change_bytes: usize = net
        .clients
        .iter()
        .map(|c| changes_size(c.doc(&id).unwrap(), &base))
        .sum();

    net.bytes = 0;
    net.frames = 0;
    net.flights = 0;
    net.connect(0);
    net.connect(1);
    net.settle();
    let heads: Vec<_> = net
        .clients
        .iter()
        .map(|c| c.doc(&id).unwrap().get_heads())
        .collect();
    assert_eq!(heads[0], heads[1], "the clients converged");
    assert_eq!(
        heads[0],
        net.relay.doc(&id).unwrap().get_heads(),
        "the relay converged"
    );

    let ratio = net.bytes as f64 / change_bytes as f64;
    let round_trips = net.flights.div_ceil(2);
    println!(
        "{{\"bench\":\"resync\",\"edits_per_side\":{edits},\"wire_bytes\":{},\"frames\":{},\"round_trips\":{round_trips},\"change_bytes\":{change_bytes},\"ratio\":{ratio:.3},\"target_ratio\":1.5}}",
        net.bytes, net.frames
    );
}
