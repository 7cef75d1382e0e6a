//! Persist before acknowledge, enforced by the engine: while a write of a
//! document is outstanding, no sync message for it leaves the repo, to any
//! connection, however late the shell reports the write; a failed write
//! never lets the reply out; ephemeral messages are not held.

mod support;

use regie_core::author::Stamp;
use regie_core::plan::new_plan_document;
use regie_core::protocol::Message;
use regie_core::{ConnId, DocumentId, Effect, PersistId};
use support::Star;

fn plan_id() -> DocumentId {
    DocumentId::from_random_bytes([21; 16])
}

/// Whether a frame is a sync message (sync or request) about `id`.
fn is_sync_for(frame: &[u8], id: DocumentId) -> bool {
    matches!(
        Message::decode(frame),
        Ok(Some(Message::Sync(m) | Message::Request(m))) if m.document_id == id
    )
}

/// Sync frames about `id` waiting to reach client i.
fn sync_frames_down(net: &Star, i: usize, id: DocumentId) -> usize {
    net.clients[i]
        .down
        .iter()
        .filter(|f| is_sync_for(f, id))
        .count()
}

/// Delivers every frame until the network is quiet, reporting no write,
/// and checks before every delivery towards a client that the relay sent
/// nobody a sync message about `id`.
fn quiet_without_writes(net: &mut Star, id: DocumentId) {
    for _ in 0..1000 {
        let mut moved = false;
        for i in 0..net.clients.len() {
            while net.deliver(i, true) {
                moved = true;
            }
        }
        for i in 0..net.clients.len() {
            assert_eq!(
                sync_frames_down(net, i, id),
                0,
                "client {i} heard about the document before its write was reported"
            );
            while net.deliver(i, false) {
                moved = true;
            }
        }
        if !moved {
            return;
        }
    }
    panic!("the network does not quiet down");
}

/// Two clients and a relay with delayed writes, both clients holding the
/// plan (every write so far reported).
fn two_clients_with_the_plan() -> (Star, DocumentId) {
    let mut net = Star::delayed(2);
    let id = plan_id();
    let effects = net.clients[0]
        .repo
        .create(id, new_plan_document("ledeberg", &Stamp::default()));
    net.route_client(0, effects);
    net.connect(0);
    net.connect(1);
    let effects = net.clients[1].repo.want(id);
    net.route_client(1, effects);
    net.settle();
    assert_eq!(net.plan(1, id), net.plan(0, id));
    assert_eq!(net.clients[0].repo.unconfirmed_changes(&id), 0);
    (net, id)
}

/// Client 0 adds an ambitie; its own write is reported, and its frames
/// delivered to the relay, whose write stays outstanding.
fn change_reaches_the_relay(net: &mut Star, id: DocumentId, title: &str) {
    let before = net.relay_unpersisted.len();
    net.edit(0, id, |p| p.add_ambition(format!("a-{title}"), title));
    while net.persist_client(0) {}
    while net.deliver(0, true) {}
    assert_eq!(
        net.relay_unpersisted.len(),
        before + 1,
        "the relay asked to store the change"
    );
}

#[test]
fn a_change_is_acknowledged_only_after_the_relay_reports_its_write() {
    let (mut net, id) = two_clients_with_the_plan();
    change_reaches_the_relay(&mut net, id, "Zorg");
    assert!(net.relay.is_persisting(&id));
    assert_eq!(sync_frames_down(&net, 0, id), 0, "no reply to the sender");
    assert_eq!(sync_frames_down(&net, 1, id), 0, "nothing passed on");

    // The shell is slow: presence flows, the other client reconnects and
    // asks again, all before the write is reported.
    let effects = net.clients[1]
        .repo
        .broadcast_ephemeral(id, b"hier".to_vec());
    net.route_client(1, effects);
    while net.deliver(1, true) {}
    assert!(
        net.clients[0]
            .down
            .iter()
            .any(|f| matches!(Message::decode(f), Ok(Some(Message::Ephemeral { .. })))),
        "ephemeral messages are not held"
    );
    net.disconnect(1);
    net.connect(1);
    quiet_without_writes(&mut net, id);
    assert_eq!(net.clients[0].repo.unconfirmed_changes(&id), 1);
    assert_eq!(net.plan(1, id).ambitions.len(), 0);

    // The write is durable: the replies go out, and only now is the change
    // confirmed and passed on.
    assert!(net.persist_relay());
    assert!(!net.relay.is_persisting(&id));
    assert!(sync_frames_down(&net, 0, id) + sync_frames_down(&net, 1, id) > 0);
    net.settle();
    assert_eq!(net.clients[0].repo.unconfirmed_changes(&id), 0);
    assert_eq!(net.plan(1, id).ambitions.len(), 1);
}

#[test]
fn a_write_reported_while_a_later_one_is_outstanding_releases_only_what_it_covers() {
    let (mut net, id) = two_clients_with_the_plan();
    change_reaches_the_relay(&mut net, id, "Zorg");
    change_reaches_the_relay(&mut net, id, "Wonen");
    quiet_without_writes(&mut net, id);
    assert_eq!(net.clients[0].repo.unconfirmed_changes(&id), 2);

    // The first write is durable, the second not yet: what was made before
    // the second change goes out, what was made after stays held.
    assert!(net.persist_relay());
    assert!(
        net.relay.is_persisting(&id),
        "the second write is outstanding"
    );
    assert!(
        sync_frames_down(&net, 0, id) > 0,
        "the reply to the first change"
    );
    // Those go out; whatever the clients answer is held again (the second
    // write is still outstanding).
    for i in 0..2 {
        while net.deliver(i, false) {}
    }
    quiet_without_writes(&mut net, id);
    assert_eq!(
        net.clients[0].repo.unconfirmed_changes(&id),
        1,
        "the first change is confirmed, the second is not"
    );
    let titles: Vec<String> = net
        .plan(1, id)
        .ambitions
        .iter()
        .map(|a| a.title.clone())
        .collect();
    assert_eq!(titles, ["Zorg"], "only the stored change is passed on");

    assert!(net.persist_relay());
    net.settle();
    assert_eq!(net.clients[0].repo.unconfirmed_changes(&id), 0);
    assert_eq!(net.plan(1, id).ambitions.len(), 2);
}

#[test]
fn a_later_write_reported_first_releases_nothing() {
    let (mut net, id) = two_clients_with_the_plan();
    change_reaches_the_relay(&mut net, id, "Zorg");
    change_reaches_the_relay(&mut net, id, "Wonen");
    let second = net.relay_unpersisted.pop_back().expect("two outstanding");
    assert!(
        net.relay.persisted(second).is_empty(),
        "the first write is still outstanding"
    );
    assert!(net.relay.is_persisting(&id));
    quiet_without_writes(&mut net, id);
    assert!(net.persist_relay());
    net.settle();
    assert_eq!(net.clients[0].repo.unconfirmed_changes(&id), 0);
}

#[test]
fn a_failed_write_is_never_acknowledged_and_its_connections_are_returned() {
    let (mut net, id) = two_clients_with_the_plan();
    let stored = net.relay.doc(&id).unwrap().clone();
    change_reaches_the_relay(&mut net, id, "Zorg");
    let failed = net.relay_unpersisted.pop_front().unwrap();
    let mut conns = net.relay.persist_failed(failed);
    conns.sort();
    assert_eq!(conns, [ConnId(0), ConnId(1)], "both took part");
    assert!(
        net.relay.doc(&id).is_none(),
        "memory never runs ahead of storage"
    );
    assert!(!net.relay.is_persisting(&id));
    assert!(
        net.relay.persisted(failed).is_empty(),
        "a stale id is ignored"
    );
    assert!(net.relay.persist_failed(failed).is_empty());
    quiet_without_writes(&mut net, id);
    assert_eq!(net.clients[0].repo.unconfirmed_changes(&id), 1);

    // The shell closes those connections and loads what it stored; the
    // client, reconnecting, sends its change again.
    for i in 0..2 {
        net.disconnect(i);
    }
    let effects = net.relay.insert(id, stored);
    assert!(effects.is_empty(), "nobody takes part in it now");
    net.connect(0);
    net.connect(1);
    net.settle();
    assert_eq!(net.clients[0].repo.unconfirmed_changes(&id), 0);
    assert_eq!(net.plan(1, id).ambitions.len(), 1);
}

#[test]
fn frames_held_for_a_connection_that_closes_are_dropped() {
    let (mut net, id) = two_clients_with_the_plan();
    change_reaches_the_relay(&mut net, id, "Zorg");
    net.disconnect(1);
    let write = net.relay_unpersisted.pop_front().unwrap();
    let released = net.relay.persisted(write);
    assert!(!released.is_empty(), "the sender gets its reply");
    for effect in &released {
        assert!(
            matches!(
                effect,
                Effect::Send {
                    conn: ConnId(0),
                    ..
                }
            ),
            "only for the open connection: {effect:?}"
        );
    }
    net.route_relay(released);
    net.connect(1);
    net.settle();
    assert_eq!(net.plan(1, id).ambitions.len(), 1);
    assert_eq!(net.clients[0].repo.unconfirmed_changes(&id), 0);
}

#[test]
fn a_client_sends_its_change_only_after_its_own_write() {
    let (mut net, id) = two_clients_with_the_plan();
    net.edit(0, id, |p| p.add_ambition("a1".into(), "Zorg"));
    assert!(net.clients[0].repo.is_persisting(&id));
    assert!(
        !net.clients[0].up.iter().any(|f| is_sync_for(f, id)),
        "the change waits for this device's storage"
    );
    assert!(net.persist_client(0));
    assert!(net.clients[0].up.iter().any(|f| is_sync_for(f, id)));
}

#[test]
fn unknown_ids_are_ignored() {
    let (mut net, id) = two_clients_with_the_plan();
    assert!(net.relay.persisted(PersistId(9_999)).is_empty());
    assert!(net.relay.persist_failed(PersistId(9_999)).is_empty());
    assert!(net.relay.doc(&id).is_some());
}
