//! Who to link with directly, and when: a pure state machine over the
//! devices this one hears of through signals ([`super::signal`]). The
//! shell tells it what happened (a signal arrived, a link opened or was
//! lost, time passed) and carries out the [`Step`]s it returns: make an
//! offer, answer one, take an answer, drop a half-made link, say hello.
//!
//! Rules:
//! - Of two devices that hear of each other, the one with the smaller peer
//!   id offers; the other answers. A `hello` to everyone is answered with a
//!   `hello` to its sender, so both learn of each other whichever came
//!   first.
//! - A link half made for longer than [`HANDSHAKE_MS`] is dropped; a lost
//!   or failed link is tried again after a backoff that doubles up to
//!   [`MAX_BACKOFF_MS`], as long as the peer is still heard of.
//! - Peers reached otherwise (another tab of this browser) are never linked
//!   directly; at most [`MAX_PEERS`] are tracked (a room, not a city), so a
//!   flood of hellos costs a bounded table.
//!
//! Time is passed in (milliseconds), so every rule is tested without waiting.

use std::collections::BTreeMap;

use crate::protocol::PeerId;
use crate::{Access, DocumentId};

use super::signal::{Body, Signal};

/// How long an offer may wait for its answer, or an answer for its channel.
pub const HANDSHAKE_MS: u64 = 15_000;
/// How often a device says hello to everyone.
pub const HELLO_MS: u64 = 20_000;
/// A peer not heard of for this long is forgotten (unless linked).
pub const FORGET_MS: u64 = 3 * HELLO_MS + 5_000;
/// First wait before trying a peer again.
pub const FIRST_BACKOFF_MS: u64 = 1_000;
/// Longest wait before trying a peer again.
pub const MAX_BACKOFF_MS: u64 = 60_000;
/// Peers tracked at most.
pub const MAX_PEERS: usize = 32;

/// What the shell must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Say hello to everyone on the signalling documents.
    HelloAll,
    /// Say hello to one peer, on the document it spoke on.
    Hello {
        /// The peer.
        to: PeerId,
        /// The document its signals came on.
        doc: DocumentId,
    },
    /// Make an offer for a peer and send it as a signal.
    Offer {
        /// The peer.
        to: PeerId,
        /// The document to signal on.
        doc: DocumentId,
    },
    /// Answer a peer's offer and send the answer as a signal.
    Answer {
        /// The peer.
        to: PeerId,
        /// The document to signal on.
        doc: DocumentId,
        /// Its offer.
        sdp: String,
    },
    /// Take a peer's answer to our offer.
    Accept {
        /// The peer.
        to: PeerId,
        /// Its answer.
        sdp: String,
    },
    /// Close the half-made link to a peer.
    Drop {
        /// The peer.
        to: PeerId,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Not linked; may be tried from `retry_at`.
    Idle,
    /// A handshake under way since this time.
    Pending(u64),
    /// The data channel is open.
    Linked,
    /// Reached another way (a tab of this browser): never linked directly.
    Elsewhere,
}

#[derive(Debug, Clone)]
struct Peer {
    doc: DocumentId,
    access: Access,
    phase: Phase,
    failures: u32,
    retry_at: u64,
    heard_at: u64,
}

/// The devices this one knows of, and its links to them.
#[derive(Debug)]
pub struct Mesh {
    me: PeerId,
    peers: BTreeMap<PeerId, Peer>,
    hello_at: u64,
}

impl Mesh {
    /// The mesh of device `me`; the first hello is due at once.
    pub fn new(me: PeerId) -> Mesh {
        Mesh {
            me,
            peers: BTreeMap::new(),
            hello_at: 0,
        }
    }

    /// What a peer may do on a direct link, as its signals vouched.
    pub fn access(&self, peer: &PeerId) -> Option<Access> {
        self.peers.get(peer).map(|p| p.access)
    }

    /// Peers linked directly now.
    pub fn linked(&self) -> impl Iterator<Item = &PeerId> {
        self.peers
            .iter()
            .filter(|(_, p)| p.phase == Phase::Linked)
            .map(|(id, _)| id)
    }

    /// A signal from `from` about `doc` arrived (already vouched by the engine).
    pub fn heard(&mut self, doc: DocumentId, from: PeerId, signal: Signal, now: u64) -> Vec<Step> {
        if from == self.me {
            return Vec::new();
        }
        let known = self.peers.contains_key(&from);
        if !known && self.peers.len() >= MAX_PEERS {
            return Vec::new();
        }
        let peer = self.peers.entry(from.clone()).or_insert(Peer {
            doc,
            access: signal.access,
            phase: Phase::Idle,
            failures: 0,
            retry_at: now,
            heard_at: now,
        });
        peer.doc = doc;
        peer.access = signal.access;
        peer.heard_at = now;
        let smaller = self.me < from;
        let mut steps = Vec::new();
        match signal.body {
            Body::Hello => {
                if signal.to.is_none() {
                    steps.push(Step::Hello {
                        to: from.clone(),
                        doc,
                    });
                }
                if smaller && peer.phase == Phase::Idle && now >= peer.retry_at {
                    peer.phase = Phase::Pending(now);
                    steps.push(Step::Offer { to: from, doc });
                }
            }
            Body::Offer(sdp) => match peer.phase {
                Phase::Elsewhere => {}
                // Our own offer stands (theirs came from an old view).
                Phase::Pending(_) if smaller => {}
                phase => {
                    if phase != Phase::Idle {
                        steps.push(Step::Drop { to: from.clone() });
                    }
                    peer.phase = Phase::Pending(now);
                    steps.push(Step::Answer { to: from, doc, sdp });
                }
            },
            Body::Answer(sdp) => {
                if smaller && matches!(peer.phase, Phase::Pending(_)) {
                    steps.push(Step::Accept { to: from, sdp });
                }
            }
        }
        steps
    }

    /// The data channel to `peer` opened (also a link paired in person,
    /// with what was granted there).
    pub fn opened(&mut self, peer: PeerId, access: Option<Access>, now: u64) {
        let entry = self.peers.entry(peer).or_insert(Peer {
            doc: DocumentId::from_random_bytes([0; 16]),
            access: access.unwrap_or(Access::READ_ONLY),
            phase: Phase::Idle,
            failures: 0,
            retry_at: now,
            heard_at: now,
        });
        if let Some(access) = access {
            entry.access = access;
        }
        entry.phase = Phase::Linked;
        entry.failures = 0;
        entry.heard_at = now;
    }

    /// The link to `peer` closed or could not be made: try again later.
    pub fn lost(&mut self, peer: &PeerId, now: u64) {
        if let Some(p) = self.peers.get_mut(peer)
            && p.phase != Phase::Elsewhere
        {
            p.phase = Phase::Idle;
            p.failures = p.failures.saturating_add(1);
            p.retry_at = now + backoff(p.failures);
        }
    }

    /// `peer` is reached another way (a tab of this browser).
    pub fn elsewhere(&mut self, peer: PeerId, now: u64) {
        let p = self.peers.entry(peer).or_insert(Peer {
            doc: DocumentId::from_random_bytes([0; 16]),
            access: Access::FULL,
            phase: Phase::Elsewhere,
            failures: 0,
            retry_at: now,
            heard_at: now,
        });
        p.phase = Phase::Elsewhere;
    }

    /// Time passed: hellos, handshakes that took too long, retries due,
    /// peers gone silent.
    pub fn tick(&mut self, now: u64) -> Vec<Step> {
        let mut steps = Vec::new();
        if now >= self.hello_at {
            self.hello_at = now + HELLO_MS;
            steps.push(Step::HelloAll);
        }
        let me = self.me.clone();
        self.peers.retain(|_, p| {
            matches!(p.phase, Phase::Linked | Phase::Elsewhere)
                || now.saturating_sub(p.heard_at) < FORGET_MS
        });
        for (id, p) in &mut self.peers {
            match p.phase {
                Phase::Pending(since) if now.saturating_sub(since) >= HANDSHAKE_MS => {
                    steps.push(Step::Drop { to: id.clone() });
                    p.phase = Phase::Idle;
                    p.failures = p.failures.saturating_add(1);
                    p.retry_at = now + backoff(p.failures);
                }
                Phase::Idle if me < *id && now >= p.retry_at => {
                    p.phase = Phase::Pending(now);
                    steps.push(Step::Offer {
                        to: id.clone(),
                        doc: p.doc,
                    });
                }
                _ => {}
            }
        }
        steps
    }
}

/// The wait after `failures` failed tries.
fn backoff(failures: u32) -> u64 {
    FIRST_BACKOFF_MS
        .saturating_mul(1 << failures.saturating_sub(1).min(16))
        .min(MAX_BACKOFF_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DocumentId {
        DocumentId::from_random_bytes([7; 16])
    }

    fn hello(to: Option<&str>) -> Signal {
        Signal::hello(to.map(|t| PeerId(t.into())), Access::FULL)
    }

    fn signal(to: &str, body: Body) -> Signal {
        Signal {
            to: Some(PeerId(to.into())),
            body,
            access: Access::FULL,
            hops: 1,
        }
    }

    fn peer(id: &str) -> PeerId {
        PeerId(id.into())
    }

    #[test]
    fn the_smaller_id_offers_and_the_other_answers() {
        let mut a = Mesh::new(peer("a"));
        let mut b = Mesh::new(peer("b"));
        // b hears a's hello: it answers with a hello, but does not offer.
        let steps = b.heard(doc(), peer("a"), hello(None), 0);
        assert_eq!(
            steps,
            vec![Step::Hello {
                to: peer("a"),
                doc: doc()
            }]
        );
        // a hears b's directed hello and offers.
        let steps = a.heard(doc(), peer("b"), hello(Some("a")), 1);
        assert_eq!(
            steps,
            vec![Step::Offer {
                to: peer("b"),
                doc: doc()
            }]
        );
        let steps = b.heard(
            doc(),
            peer("a"),
            signal("b", Body::Offer("v=0 o".into())),
            2,
        );
        assert_eq!(
            steps,
            vec![Step::Answer {
                to: peer("a"),
                doc: doc(),
                sdp: "v=0 o".into()
            }]
        );
        let steps = a.heard(
            doc(),
            peer("b"),
            signal("a", Body::Answer("v=0 a".into())),
            3,
        );
        assert_eq!(
            steps,
            vec![Step::Accept {
                to: peer("b"),
                sdp: "v=0 a".into()
            }]
        );
        a.opened(peer("b"), None, 4);
        assert_eq!(a.linked().collect::<Vec<_>>(), vec![&peer("b")]);
        // Linked: another hello starts nothing.
        assert!(
            a.heard(doc(), peer("b"), hello(Some("a")), 5)
                .iter()
                .all(|s| !matches!(s, Step::Offer { .. }))
        );
    }

    #[test]
    fn an_answer_nobody_asked_for_is_ignored() {
        let mut a = Mesh::new(peer("a"));
        assert!(
            a.heard(doc(), peer("b"), signal("a", Body::Answer("v=0".into())), 0)
                .is_empty()
        );
        // Nor does the bigger id take an answer (it never offers).
        let mut c = Mesh::new(peer("c"));
        c.heard(doc(), peer("b"), signal("c", Body::Offer("v=0".into())), 0);
        assert!(
            c.heard(doc(), peer("b"), signal("c", Body::Answer("v=0".into())), 1)
                .is_empty()
        );
    }

    #[test]
    fn a_slow_handshake_is_dropped_and_retried_with_backoff() {
        let mut a = Mesh::new(peer("a"));
        a.tick(0);
        a.heard(doc(), peer("b"), hello(Some("a")), 0);
        assert!(a.tick(HANDSHAKE_MS - 1).is_empty());
        let steps = a.tick(HANDSHAKE_MS);
        assert!(steps.contains(&Step::Drop { to: peer("b") }));
        // Heard of again meanwhile, it is retried once the backoff is over.
        a.heard(doc(), peer("b"), hello(Some("a")), HANDSHAKE_MS + 10);
        assert!(a.tick(HANDSHAKE_MS + 500).is_empty());
        let steps = a.tick(HANDSHAKE_MS + FIRST_BACKOFF_MS);
        assert_eq!(
            steps,
            vec![Step::Offer {
                to: peer("b"),
                doc: doc()
            }]
        );
        for n in 1..30 {
            assert!(backoff(n) <= MAX_BACKOFF_MS);
            assert!(backoff(n + 1) >= backoff(n));
        }
        assert_eq!(backoff(2), 2 * FIRST_BACKOFF_MS);
    }

    #[test]
    fn a_lost_link_is_tried_again_and_a_silent_peer_forgotten() {
        let mut a = Mesh::new(peer("a"));
        a.tick(0);
        a.heard(doc(), peer("b"), hello(Some("a")), 0);
        a.opened(peer("b"), None, 10);
        a.lost(&peer("b"), 100);
        assert!(a.tick(100 + FIRST_BACKOFF_MS).contains(&Step::Offer {
            to: peer("b"),
            doc: doc()
        }));
        a.lost(&peer("b"), 2_000);
        a.tick(FORGET_MS + 10);
        assert_eq!(a.access(&peer("b")), None);
    }

    #[test]
    fn tabs_are_never_linked_and_the_table_is_bounded() {
        let mut a = Mesh::new(peer("a"));
        a.elsewhere(peer("b"), 0);
        assert!(
            a.heard(doc(), peer("b"), hello(Some("a")), 0)
                .iter()
                .all(|s| !matches!(s, Step::Offer { .. }))
        );
        assert!(
            a.heard(doc(), peer("b"), signal("a", Body::Offer("v=0".into())), 0)
                .is_empty()
        );
        for n in 0..(MAX_PEERS * 3) {
            a.heard(doc(), peer(&format!("z{n}")), hello(None), 1);
        }
        assert_eq!(a.peers.len(), MAX_PEERS);
    }

    #[test]
    fn access_is_what_the_signal_vouched() {
        let mut a = Mesh::new(peer("a"));
        let reader = Access {
            write: false,
            only: None,
            ..Access::FULL
        };
        a.heard(doc(), peer("b"), Signal::hello(None, reader), 0);
        assert_eq!(a.access(&peer("b")), Some(reader));
        // In person, the grant is what counts.
        a.opened(peer("c"), Some(Access::FULL), 1);
        assert_eq!(a.access(&peer("c")), Some(Access::FULL));
    }
}
