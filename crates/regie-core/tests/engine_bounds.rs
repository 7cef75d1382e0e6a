//! What the relay's engine (share policy OnRequest) holds and passes on for
//! a hostile peer: ids named without changes leave no document behind,
//! subscriptions per connection are capped, ephemeral messages go out
//! under the connection's own peer id, bounded in size and rate, and a
//! document removed after a failed write is resent by its writer.

use automerge::Automerge;
use automerge::sync::{self, SyncDoc as _};
use regie_core::author::Stamp;
use regie_core::plan::new_plan_document;
use regie_core::protocol::{DocMessage, Message, PeerMetadata};
use regie_core::repo::{MAX_DOCS_PER_CONN, MAX_EPHEMERAL_BYTES, MAX_EPHEMERAL_PER_SECOND};
use regie_core::{Access, ConnId, DocumentId, Effect, Repo, SharePolicy};

mod support;

fn join(peer: &str) -> Vec<u8> {
    Message::Join {
        sender_id: peer.into(),
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: PeerMetadata::default(),
    }
    .encode()
}

/// A relay with `n` joined connections (0..n), full access.
fn relay_with(n: u64) -> Repo {
    let mut relay = Repo::new("relay".into(), SharePolicy::OnRequest);
    for i in 0..n {
        relay.connect_with(ConnId(i), false, Access::FULL);
        relay.receive(ConnId(i), &join(&format!("peer-{i}")));
    }
    relay
}

fn id(n: u32) -> DocumentId {
    let mut bytes = [0u8; 16];
    bytes[..4].copy_from_slice(&n.to_be_bytes());
    DocumentId::from_random_bytes(bytes)
}

/// A first sync message as a peer holding `doc` sends it.
fn first_sync(doc: &Automerge, document_id: DocumentId) -> Vec<u8> {
    let message = doc
        .generate_sync_message(&mut sync::State::new())
        .expect("a first message");
    Message::Sync(DocMessage {
        sender_id: "peer-0".into(),
        target_id: "relay".into(),
        document_id,
        data: message.encode(),
    })
    .encode()
}

fn closed(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Close { .. }))
}

#[test]
fn naming_unknown_ids_in_sync_messages_leaves_no_document_behind() {
    let mut relay = relay_with(1);
    let empty = Automerge::new();
    let plan = new_plan_document("Ledeberg", &Stamp::default());
    for n in 0..200 {
        // Both "I have nothing" and "I have something" without changes.
        let doc = if n % 2 == 0 { &empty } else { &plan };
        let effects = relay.receive(ConnId(0), &first_sync(doc, id(n)));
        assert!(!closed(&effects), "an honest first message is answered");
    }
    assert_eq!(relay.doc_ids().count(), 0, "nothing is held for named ids");
}

#[test]
fn a_new_document_brought_by_sync_is_still_taken_in() {
    let mut relay = Repo::new("relay".into(), SharePolicy::OnRequest);
    relay.connect_with(ConnId(0), false, Access::FULL);
    let doc_id = id(1);
    let mut client = Repo::new("peer-0".into(), SharePolicy::Announce);
    client.insert(doc_id, new_plan_document("Ledeberg", &Stamp::default()));
    let mut to_relay: Vec<Vec<u8>> = client
        .connect_upstream(ConnId(0))
        .into_iter()
        .filter_map(|e| match e {
            Effect::Send { frame, .. } => Some(frame),
            _ => None,
        })
        .collect();
    for _ in 0..20 {
        let mut to_client = Vec::new();
        for frame in to_relay.drain(..) {
            let effects = relay.receive(ConnId(0), &frame);
            for effect in relay.durable_at_once(effects) {
                if let Effect::Send { frame, .. } = effect {
                    to_client.push(frame);
                }
            }
        }
        for frame in to_client {
            let effects = client.receive(ConnId(0), &frame);
            for effect in client.durable_at_once(effects) {
                if let Effect::Send { frame, .. } = effect {
                    to_relay.push(frame);
                }
            }
        }
    }
    assert_eq!(
        relay.doc(&doc_id).map(Automerge::get_heads),
        client.doc(&doc_id).map(Automerge::get_heads),
        "the relay holds the client's new document"
    );
    assert_eq!(client.unconfirmed_changes(&doc_id), 0);
}

#[test]
fn subscriptions_per_connection_are_capped() {
    let mut relay = relay_with(1);
    let request = |n: u32| {
        Message::Request(DocMessage {
            sender_id: "peer-0".into(),
            target_id: "relay".into(),
            document_id: id(n),
            data: Automerge::new()
                .generate_sync_message(&mut sync::State::new())
                .unwrap()
                .encode(),
        })
        .encode()
    };
    for n in 0..MAX_DOCS_PER_CONN as u32 {
        assert!(!closed(&relay.receive(ConnId(0), &request(n))));
    }
    assert!(
        closed(&relay.receive(ConnId(0), &request(u32::MAX))),
        "one more document than allowed closes the connection"
    );
}

fn ephemeral(sender: &str, doc: DocumentId, count: u64, data: Vec<u8>) -> Vec<u8> {
    Message::Ephemeral {
        sender_id: sender.into(),
        target_id: "relay".into(),
        document_id: doc,
        count,
        session_id: "s".into(),
        data,
    }
    .encode()
}

/// A relay holding one document that connections 0 and 1 both take part in.
fn two_in_one_document() -> (Repo, DocumentId) {
    let mut relay = relay_with(2);
    let doc_id = id(7);
    relay.insert(doc_id, new_plan_document("Rabot", &Stamp::default()));
    for conn in [ConnId(0), ConnId(1)] {
        let message = Automerge::new()
            .generate_sync_message(&mut sync::State::new())
            .unwrap();
        let frame = Message::Request(DocMessage {
            sender_id: format!("peer-{}", conn.0).as_str().into(),
            target_id: "relay".into(),
            document_id: doc_id,
            data: message.encode(),
        })
        .encode();
        relay.receive(conn, &frame);
    }
    (relay, doc_id)
}

/// The ephemeral messages a batch of effects sends to connection 1.
fn passed_on(effects: &[Effect]) -> Vec<Message> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { conn, frame } if *conn == ConnId(1) => Message::decode(frame).ok()?,
            _ => None,
        })
        .filter(|m| matches!(m, Message::Ephemeral { .. }))
        .collect()
}

#[test]
fn ephemeral_messages_go_out_under_the_senders_own_peer_id() {
    let (mut relay, doc_id) = two_in_one_document();
    // Connection 0 joined as peer-0 and claims to be peer-1.
    let effects = relay.receive_at(ConnId(0), &ephemeral("peer-1", doc_id, 1, vec![1]), 0);
    let out = passed_on(&effects);
    assert_eq!(out.len(), 1);
    let Message::Ephemeral { sender_id, .. } = &out[0] else {
        unreachable!()
    };
    assert_eq!(sender_id.0, "peer-0");
}

#[test]
fn ephemeral_messages_are_bounded_in_size_and_rate() {
    let (mut relay, doc_id) = two_in_one_document();
    let forwarded: usize = (0..100)
        .map(|n| {
            let effects =
                relay.receive_at(ConnId(0), &ephemeral("peer-0", doc_id, n, vec![1]), 5_000);
            passed_on(&effects).len()
        })
        .sum();
    assert_eq!(
        forwarded, MAX_EPHEMERAL_PER_SECOND as usize,
        "the rest of that second is dropped"
    );
    let next_second =
        relay.receive_at(ConnId(0), &ephemeral("peer-0", doc_id, 101, vec![1]), 6_000);
    assert_eq!(
        passed_on(&next_second).len(),
        1,
        "the next second passes again"
    );

    let big = ephemeral("peer-0", doc_id, 102, vec![0; MAX_EPHEMERAL_BYTES + 1]);
    let effects = relay.receive_at(ConnId(0), &big, 6_000);
    assert!(passed_on(&effects).is_empty());
    assert!(
        closed(&effects),
        "an oversized ephemeral message closes its connection"
    );
}

#[test]
fn a_removed_document_is_forgotten_with_its_sync_states() {
    let (mut relay, doc_id) = two_in_one_document();
    let mut conns = relay.remove(&doc_id);
    conns.sort();
    assert_eq!(conns, [ConnId(0), ConnId(1)]);
    assert!(relay.doc(&doc_id).is_none());
    assert!(relay.remove(&doc_id).is_empty());
}
