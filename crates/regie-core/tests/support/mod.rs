//! A simulated star network for tests: n clients (share policy Announce),
//! each linked to one relay repo (OnRequest), exactly as browsers talk to
//! regie-relay, but with frames delivered by the test instead of sockets.
//!
//! Each link direction is a FIFO queue, like a WebSocket; the test decides
//! which queue moves next, so deliveries on different links interleave in
//! any order it likes. Links can be cut (frames in flight are lost) and
//! re-made.
//!
//! Every repo's `Persist` is carried out by a simulated storage shell:
//! with [`Durability::AtOnce`] each write is reported durable as soon as it
//! is asked for; with [`Durability::Delayed`] writes wait in a queue until
//! the test (or [`Star::settle`], once the network is quiet) reports them.

#![allow(dead_code)]

use regie_core::author::Stamp;
use std::collections::VecDeque;

use regie_core::plan::{Plan, edit_plan, read_plan};

use regie_core::kind::DocError;
use regie_core::{ConnId, DocumentId, Effect, PersistId, Repo, SharePolicy};

/// When the simulated storage reports a write durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// As soon as it is asked for.
    AtOnce,
    /// When the test says (or the network is otherwise quiet).
    Delayed,
}

/// Every client reaches the relay on its connection 0; the relay numbers
/// client i's connection i.
pub const TO_RELAY: ConnId = ConnId(0);

/// One client and its link to the relay.
pub struct Client {
    /// The client's repo.
    pub repo: Repo,
    /// Whether the link is up.
    pub linked: bool,
    /// Frames on their way to the relay.
    pub up: VecDeque<Vec<u8>>,
    /// Frames on their way to this client.
    pub down: VecDeque<Vec<u8>>,
    /// Effects other than Send, for assertions.
    pub seen: Vec<Effect>,
    /// Writes asked for and not reported yet ([`Durability::Delayed`]).
    pub unpersisted: VecDeque<PersistId>,
}

/// See the module docs.
pub struct Star {
    /// The relay's repo.
    pub relay: Repo,
    /// The clients.
    pub clients: Vec<Client>,
    /// How many times the relay asked to persist.
    pub relay_persists: usize,
    /// The relay's writes asked for and not reported yet.
    pub relay_unpersisted: VecDeque<PersistId>,
    /// When writes are reported.
    pub durability: Durability,
    /// Bytes delivered in either direction.
    pub bytes: usize,
}

impl Star {
    /// n clients, no links yet.
    pub fn new(n: usize) -> Self {
        let clients = (0..n)
            .map(|i| Client {
                repo: Repo::new(format!("client-{i}").as_str().into(), SharePolicy::Announce),
                linked: false,
                up: VecDeque::new(),
                down: VecDeque::new(),
                seen: Vec::new(),
                unpersisted: VecDeque::new(),
            })
            .collect();
        Star {
            relay: Repo::new("relay".into(), SharePolicy::OnRequest),
            clients,
            relay_persists: 0,
            relay_unpersisted: VecDeque::new(),
            durability: Durability::AtOnce,
            bytes: 0,
        }
    }

    /// n clients whose writes (and the relay's) wait to be reported.
    pub fn delayed(n: usize) -> Self {
        Star {
            durability: Durability::Delayed,
            ..Star::new(n)
        }
    }

    /// Reports the relay's oldest outstanding write; false if there is none.
    pub fn persist_relay(&mut self) -> bool {
        let Some(id) = self.relay_unpersisted.pop_front() else {
            return false;
        };
        let effects = self.relay.persisted(id);
        self.route_relay(effects);
        true
    }

    /// Reports client i's oldest outstanding write; false if there is none.
    pub fn persist_client(&mut self, i: usize) -> bool {
        let Some(id) = self.clients[i].unpersisted.pop_front() else {
            return false;
        };
        let effects = self.clients[i].repo.persisted(id);
        self.route_client(i, effects);
        true
    }

    /// Reports every outstanding write; false if there was none.
    pub fn persist_all(&mut self) -> bool {
        let mut any = false;
        while self.persist_relay() {
            any = true;
        }
        for i in 0..self.clients.len() {
            while self.persist_client(i) {
                any = true;
            }
        }
        any
    }

    /// Opens client i's link (the client sends `join`).
    pub fn connect(&mut self, i: usize) {
        if self.clients[i].linked {
            return;
        }
        self.clients[i].linked = true;
        let effects = self.relay.connect(ConnId(i as u64), false);
        self.route_relay(effects);
        let effects = self.clients[i].repo.connect_upstream(TO_RELAY);
        self.route_client(i, effects);
    }

    /// Opens client i's link with limited access (as a token would give).
    pub fn connect_with_access(&mut self, i: usize, access: regie_core::Access) {
        self.clients[i].linked = true;
        let effects = self.relay.connect_with(ConnId(i as u64), false, access);
        self.route_relay(effects);
        let effects = self.clients[i].repo.connect_upstream(TO_RELAY);
        self.route_client(i, effects);
    }

    /// Cuts client i's link; frames in flight are lost.
    pub fn disconnect(&mut self, i: usize) {
        if !self.clients[i].linked {
            return;
        }
        let client = &mut self.clients[i];
        client.linked = false;
        client.up.clear();
        client.down.clear();
        client.repo.disconnect(TO_RELAY);
        self.relay.disconnect(ConnId(i as u64));
    }

    /// Carries out a client's effects.
    pub fn route_client(&mut self, i: usize, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send { frame, .. } => {
                    if self.clients[i].linked {
                        self.clients[i].up.push_back(frame);
                    }
                }
                Effect::Close { reason, .. } => panic!("client {i} closed its link: {reason}"),
                Effect::Persist { id, .. } => {
                    self.clients[i].seen.push(effect);
                    match self.durability {
                        Durability::AtOnce => {
                            let released = self.clients[i].repo.persisted(id);
                            self.route_client(i, released);
                        }
                        Durability::Delayed => self.clients[i].unpersisted.push_back(id),
                    }
                }
                other => self.clients[i].seen.push(other),
            }
        }
    }

    /// Carries out the relay's effects.
    pub fn route_relay(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } => {
                    let client = &mut self.clients[conn.0 as usize];
                    if client.linked {
                        client.down.push_back(frame);
                    }
                }
                Effect::Persist { id, .. } => {
                    self.relay_persists += 1;
                    match self.durability {
                        Durability::AtOnce => {
                            let released = self.relay.persisted(id);
                            self.route_relay(released);
                        }
                        Durability::Delayed => self.relay_unpersisted.push_back(id),
                    }
                }
                Effect::Close { reason, .. } => panic!("relay closed a link: {reason}"),
                _ => {}
            }
        }
    }

    /// Delivers the next frame on one link direction; false if it was empty.
    pub fn deliver(&mut self, i: usize, upwards: bool) -> bool {
        let client = &mut self.clients[i];
        let queue = if upwards {
            &mut client.up
        } else {
            &mut client.down
        };
        let Some(frame) = queue.pop_front() else {
            return false;
        };
        self.deliver_frame(i, upwards, &frame);
        true
    }

    /// Delivers a given frame on a link (used to duplicate frames).
    pub fn deliver_frame(&mut self, i: usize, upwards: bool, frame: &[u8]) {
        self.bytes += frame.len();
        if upwards {
            let effects = self.relay.receive(ConnId(i as u64), frame);
            self.route_relay(effects);
        } else {
            let effects = self.clients[i].repo.receive(TO_RELAY, frame);
            self.route_client(i, effects);
        }
    }

    /// Delivers frames, round robin over links, until the network is quiet
    /// (with delayed writes: reporting them whenever nothing else moves).
    pub fn settle(&mut self) -> usize {
        let mut delivered = 0;
        loop {
            let mut moved = false;
            for i in 0..self.clients.len() {
                for upwards in [true, false] {
                    if self.deliver(i, upwards) {
                        moved = true;
                        delivered += 1;
                    }
                }
            }
            assert!(delivered < 100_000, "sync does not quiesce");
            if !moved && !self.persist_all() {
                return delivered;
            }
        }
    }

    /// Edits a plan on client i; the edit must be valid.
    pub fn edit(
        &mut self,
        i: usize,
        id: DocumentId,
        edit: impl FnOnce(&mut Plan) -> Result<(), DocError>,
    ) {
        let (result, effects) = self.clients[i]
            .repo
            .change(id, |doc| edit_plan(doc, &Stamp::default(), edit))
            .expect("client holds the document");
        result.unwrap_or_else(|e| panic!("client {i}: {e:?}"));
        self.route_client(i, effects);
    }

    /// Client i's plan.
    pub fn plan(&self, i: usize, id: DocumentId) -> Plan {
        read_plan(self.clients[i].repo.doc(&id).expect("held")).expect("readable")
    }
}

/// What a forged client sends whatever its peer's sync says: its whole
/// `doc` as changes, as to a peer that has nothing, in a protocol frame
/// from `sender` to `target`.
pub fn forged_sync_frame(
    doc: &automerge::Automerge,
    id: DocumentId,
    sender: &str,
    target: &str,
) -> Vec<u8> {
    use automerge::sync::{State, SyncDoc as _};
    use regie_core::protocol::{DocMessage, Message};
    // An empty document answers the first message; the second then
    // carries every change.
    let (mut ours, mut theirs) = (State::new(), State::new());
    let mut forger = doc.clone();
    let mut empty = automerge::Automerge::new();
    let first = forger
        .generate_sync_message(&mut ours)
        .expect("a first message");
    empty.receive_sync_message(&mut theirs, first).unwrap();
    let answer = empty.generate_sync_message(&mut theirs).expect("an answer");
    forger.receive_sync_message(&mut ours, answer).unwrap();
    let message = forger
        .generate_sync_message(&mut ours)
        .expect("the changes");
    assert!(
        !message.changes.is_empty(),
        "the forged message carries changes"
    );
    Message::Sync(DocMessage {
        sender_id: regie_core::PeerId(sender.to_owned()),
        target_id: regie_core::PeerId(target.to_owned()),
        document_id: id,
        data: message.encode(),
    })
    .encode()
}
