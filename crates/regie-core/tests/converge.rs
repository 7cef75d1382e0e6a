//! Peers running the core's protocol over an in-memory network converge.
//!
//! Two clients (share policy Announce) talk to one relay repo (OnRequest),
//! exactly as browsers talk to regie-relay, but with frames delivered by a
//! deterministic loop instead of sockets.

use std::collections::VecDeque;

use regie_core::plan::{Status, edit_plan, new_plan_document, read_plan};
use regie_core::{ConnId, DocumentId, Effect, Repo, SharePolicy};

/// A star network: clients 0..n, each with one connection to the relay.
struct Star {
    relay: Repo,
    clients: Vec<Repo>,
    /// Frames in flight: (to relay?, client index, frame).
    wire: VecDeque<(bool, usize, Vec<u8>)>,
    /// Effects other than Send, per client, for assertions.
    seen: Vec<Vec<Effect>>,
    persisted_by_relay: usize,
}

/// Every client talks to the relay on connection 0; the relay numbers
/// client i's connection i.
const TO_RELAY: ConnId = ConnId(0);

impl Star {
    fn new(n: usize) -> Self {
        let clients = (0..n)
            .map(|i| Repo::new(format!("client-{i}").as_str().into(), SharePolicy::Announce))
            .collect();
        Star {
            relay: Repo::new("relay".into(), SharePolicy::OnRequest),
            clients,
            wire: VecDeque::new(),
            seen: vec![Vec::new(); n],
            persisted_by_relay: 0,
        }
    }

    fn connect(&mut self, i: usize) {
        let relay_side = self.relay.connect(ConnId(i as u64), false);
        self.route_relay(relay_side);
        let client_side = self.clients[i].connect(TO_RELAY, true);
        self.route_client(i, client_side);
    }

    fn disconnect(&mut self, i: usize) {
        self.relay.disconnect(ConnId(i as u64));
        self.clients[i].disconnect(TO_RELAY);
        self.wire.retain(|(_, c, _)| *c != i);
    }

    fn route_client(&mut self, i: usize, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send { frame, .. } => self.wire.push_back((true, i, frame)),
                other => self.seen[i].push(other),
            }
        }
    }

    fn route_relay(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } => {
                    self.wire.push_back((false, conn.0 as usize, frame))
                }
                Effect::Persist { .. } => self.persisted_by_relay += 1,
                Effect::Close { reason, .. } => panic!("relay closed a connection: {reason}"),
                _ => {}
            }
        }
    }

    /// Delivers frames until the network is quiet; returns how many.
    fn settle(&mut self) -> usize {
        let mut delivered = 0;
        while let Some((to_relay, i, frame)) = self.wire.pop_front() {
            delivered += 1;
            assert!(delivered < 10_000, "sync does not quiesce");
            if to_relay {
                let effects = self.relay.receive(ConnId(i as u64), &frame);
                self.route_relay(effects);
            } else {
                let effects = self.clients[i].receive(TO_RELAY, &frame);
                self.route_client(i, effects);
            }
        }
        delivered
    }

    fn edit(
        &mut self,
        i: usize,
        id: DocumentId,
        edit: impl FnOnce(&mut regie_core::plan::Plan) -> Result<(), regie_core::plan::PlanError>,
    ) {
        let (result, effects) = self.clients[i]
            .change(id, |doc| edit_plan(doc, edit))
            .expect("client holds the document");
        result.unwrap_or_else(|e| panic!("client {i}: {e:?}"));
        self.route_client(i, effects);
    }

    fn plan(&self, i: usize, id: DocumentId) -> regie_core::plan::Plan {
        read_plan(self.clients[i].doc(&id).expect("held")).expect("readable")
    }
}

fn plan_id() -> DocumentId {
    DocumentId::from_random_bytes([42; 16])
}

#[test]
fn a_plan_made_on_one_client_reaches_the_other_and_back() {
    let mut net = Star::new(2);
    net.connect(0);
    net.connect(1);
    net.settle();

    let id = plan_id();
    let effects = net.clients[0].insert(id, new_plan_document("ledeberg"));
    net.route_client(0, effects);
    net.edit(0, id, |p| p.add_ambition("a1".into(), "Zorg dichtbij"));
    net.edit(0, id, |p| {
        p.add_action("a1", "x1".into(), "Wijkgezondheidsdag", Status::Gepland)
    });
    net.settle();
    assert!(net.persisted_by_relay > 0, "the relay stored the plan");

    // The second client opens the link: it asks, and receives the plan.
    let effects = net.clients[1].want(id);
    net.route_client(1, effects);
    net.settle();
    assert_eq!(net.plan(1, id), net.plan(0, id));
    assert!(net.seen[1].contains(&Effect::DocChanged { doc: id }));

    // An edit on the second client comes back to the first without asking.
    net.edit(1, id, |p| p.set_status("x1", Status::Lopend));
    net.settle();
    assert_eq!(
        net.plan(0, id).ambitions[0].actions[0].status,
        Status::Lopend
    );
    assert_eq!(net.plan(0, id), net.plan(1, id));
}

#[test]
fn concurrent_offline_edits_converge_after_reconnect() {
    let mut net = Star::new(2);
    net.connect(0);
    net.connect(1);
    let id = plan_id();
    let effects = net.clients[0].insert(id, new_plan_document("rabot-blaisantvest"));
    net.route_client(0, effects);
    net.edit(0, id, |p| p.add_ambition("a1".into(), "Armoede"));
    net.edit(0, id, |p| {
        p.add_action("a1", "x1".into(), "Schuldhulp", Status::Idee)
    });
    let effects = net.clients[1].want(id);
    net.route_client(1, effects);
    net.settle();

    net.disconnect(0);
    net.edit(0, id, |p| p.rename_action("x1", "Schuldhulp op maat"));
    net.edit(1, id, |p| p.set_status("x1", Status::Lopend));
    net.edit(1, id, |p| {
        p.add_action("a1", "x2".into(), "Budgetcafé", Status::Gepland)
    });
    net.settle();
    assert_ne!(net.plan(0, id), net.plan(1, id), "A is offline");

    net.connect(0);
    net.settle();
    let plan = net.plan(0, id);
    assert_eq!(plan, net.plan(1, id));
    let actions = &plan.ambitions[0].actions;
    assert_eq!(actions[0].title, "Schuldhulp op maat");
    assert_eq!(actions[0].status, Status::Lopend);
    assert_eq!(actions[1].title, "Budgetcafé");
}

#[test]
fn a_document_nobody_has_is_reported_unavailable() {
    let mut net = Star::new(1);
    net.connect(0);
    net.settle();
    let missing = DocumentId::from_random_bytes([9; 16]);
    let effects = net.clients[0].want(missing);
    net.route_client(0, effects);
    net.settle();
    assert!(net.seen[0].contains(&Effect::DocUnavailable { doc: missing }));
    assert_eq!(
        net.persisted_by_relay, 0,
        "nothing was created on the relay"
    );
}

#[test]
fn a_wanted_document_is_asked_for_again_after_reconnecting() {
    let mut net = Star::new(2);
    let id = plan_id();
    // Client 1 wants the plan while offline; client 0 has it.
    let effects = net.clients[1].want(id);
    net.route_client(1, effects);
    let effects = net.clients[0].insert(id, new_plan_document("dampoort"));
    net.route_client(0, effects);
    net.connect(0);
    net.settle();
    net.connect(1);
    net.settle();
    assert_eq!(net.plan(1, id).wijk, "dampoort");
}

#[test]
fn garbage_frames_close_only_the_offending_connection() {
    let mut relay = Repo::new("relay".into(), SharePolicy::OnRequest);
    relay.connect(ConnId(1), false);
    let effects = relay.receive(ConnId(1), b"\xff\x00 not cbor");
    assert!(matches!(
        effects.last(),
        Some(Effect::Close {
            conn: ConnId(1),
            ..
        })
    ));
    assert!(matches!(
        effects.first(),
        Some(Effect::Send {
            conn: ConnId(1),
            ..
        })
    ));
    // Frames on a closed connection are ignored.
    assert!(relay.receive(ConnId(1), b"\xff").is_empty());
}
