//! Peers running the core's protocol over an in-memory network converge.
//!
//! Clients and a relay on the simulated network of `support`.

mod support;

use regie_core::author::Stamp;
use regie_core::plan::{Status, new_plan_document};
use regie_core::{ConnId, DocumentId, Effect, Repo, SharePolicy};
use support::Star;

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
    let effects = net.clients[0]
        .repo
        .insert(id, new_plan_document("ledeberg", &Stamp::default()));
    net.route_client(0, effects);
    net.edit(0, id, |p| p.add_ambition("a1".into(), "Zorg dichtbij"));
    net.edit(0, id, |p| {
        p.add_action("a1", "x1".into(), "Wijkgezondheidsdag", Status::Gepland)
    });
    net.settle();
    assert!(net.relay_persists > 0, "the relay stored the plan");

    // The second client opens the link: it asks, and receives the plan.
    let effects = net.clients[1].repo.want(id);
    net.route_client(1, effects);
    net.settle();
    assert_eq!(net.plan(1, id), net.plan(0, id));
    assert!(
        net.clients[1]
            .seen
            .contains(&Effect::DocChanged { doc: id })
    );

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
    let effects = net.clients[0].repo.insert(
        id,
        new_plan_document("rabot-blaisantvest", &Stamp::default()),
    );
    net.route_client(0, effects);
    net.edit(0, id, |p| p.add_ambition("a1".into(), "Armoede"));
    net.edit(0, id, |p| {
        p.add_action("a1", "x1".into(), "Schuldhulp", Status::Idee)
    });
    let effects = net.clients[1].repo.want(id);
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
    let effects = net.clients[0].repo.want(missing);
    net.route_client(0, effects);
    net.settle();
    assert!(
        net.clients[0]
            .seen
            .contains(&Effect::DocUnavailable { doc: missing })
    );
    assert_eq!(net.relay_persists, 0, "nothing was created on the relay");
}

#[test]
fn a_wanted_document_is_asked_for_again_after_reconnecting() {
    let mut net = Star::new(2);
    let id = plan_id();
    // Client 1 wants the plan while offline; client 0 has it.
    let effects = net.clients[1].repo.want(id);
    net.route_client(1, effects);
    let effects = net.clients[0]
        .repo
        .insert(id, new_plan_document("dampoort", &Stamp::default()));
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

#[test]
fn a_read_only_peer_reads_but_its_changes_are_refused() {
    let mut net = Star::new(2);
    net.connect(0);
    let id = plan_id();
    let effects = net.clients[0]
        .repo
        .insert(id, new_plan_document("ledeberg", &Stamp::default()));
    net.route_client(0, effects);
    net.edit(0, id, |p| p.add_ambition("a1".into(), "Zorg"));
    net.settle();
    let persists = net.relay_persists;

    // Client 1 connects read-only: it can fetch the plan.
    net.connect_with_access(
        1,
        regie_core::Access {
            write: false,
            only: Some(id),
            ..regie_core::Access::FULL
        },
    );
    let effects = net.clients[1].repo.want(id);
    net.route_client(1, effects);
    net.settle();
    assert_eq!(net.plan(1, id), net.plan(0, id));

    // The read-only peer changes its copy: honest, it offers nothing, since
    // the relay's sync says it takes nothing from this peer.
    let (_, effects) = net.clients[1]
        .repo
        .change(id, |doc| {
            regie_core::plan::edit_plan(doc, &Stamp::default(), |p| {
                p.add_ambition("evil".into(), "Vervalst")
            })
        })
        .unwrap();
    net.route_client(1, effects);
    net.settle();
    assert_eq!(net.relay_persists, persists, "nothing was offered");
    // A forged client sends its change anyway: it is refused and closed.
    let frame = support::forged_sync_frame(
        net.clients[1].repo.doc(&id).unwrap(),
        id,
        &net.clients[1].repo.peer_id().0,
        &net.relay.peer_id().0,
    );
    let effects = net.relay.receive(ConnId(1), &frame);
    let closed = effects.iter().any(|e| {
        matches!(
            e,
            Effect::Close {
                conn: ConnId(1),
                ..
            }
        )
    });
    assert!(!effects.iter().any(|e| matches!(e, Effect::Persist { .. })));
    assert!(closed, "the forging peer is disconnected");
    assert_eq!(net.relay_persists, persists);
    let relay_plan = regie_core::plan::read_plan(net.relay.doc(&id).unwrap()).unwrap();
    assert_eq!(relay_plan.ambitions.len(), 1);
}

#[test]
fn a_token_for_one_document_reveals_nothing_about_another() {
    let mut net = Star::new(2);
    net.connect(0);
    let id = plan_id();
    let other = DocumentId::from_random_bytes([77; 16]);
    let effects = net.clients[0]
        .repo
        .insert(other, new_plan_document("drongen", &Stamp::default()));
    net.route_client(0, effects);
    net.settle();

    net.connect_with_access(
        1,
        regie_core::Access {
            write: true,
            only: Some(id),
            ..regie_core::Access::FULL
        },
    );
    let effects = net.clients[1].repo.want(other);
    net.route_client(1, effects);
    net.settle();
    assert!(
        net.clients[1]
            .seen
            .contains(&Effect::DocUnavailable { doc: other })
    );
    assert!(regie_core::plan::is_empty(
        net.clients[1].repo.doc(&other).unwrap()
    ));
}

#[test]
fn unconfirmed_changes_count_down_as_the_relay_confirms_them() {
    let mut net = Star::new(1);
    let id = plan_id();
    let effects = net.clients[0]
        .repo
        .insert(id, new_plan_document("ledeberg", &Stamp::default()));
    net.route_client(0, effects);
    net.edit(0, id, |p| p.add_ambition("a1".into(), "Zorg"));
    assert_eq!(
        net.clients[0].repo.unconfirmed_changes(&id),
        2,
        "created + edited"
    );

    net.connect(0);
    net.settle();
    assert_eq!(net.clients[0].repo.unconfirmed_changes(&id), 0);
    assert!(net.clients[0].seen.contains(&Effect::Confirmed { doc: id }));

    net.disconnect(0);
    net.edit(0, id, |p| p.add_ambition("a2".into(), "Wonen"));
    assert_eq!(net.clients[0].repo.unconfirmed_changes(&id), 1);

    // What was confirmed survives a restart of the client.
    let heads = net.clients[0].repo.confirmed_heads(&id).unwrap().to_vec();
    let saved = net.clients[0].repo.save(&id).unwrap();
    let mut restarted = Repo::new("again".into(), SharePolicy::Announce);
    restarted.insert(id, automerge::Automerge::load(&saved).unwrap());
    assert_eq!(restarted.unconfirmed_changes(&id), 3, "nothing known yet");
    restarted.restore_confirmed(id, heads);
    assert_eq!(restarted.unconfirmed_changes(&id), 1);
}

/// Bytes on the wire to bring the relay up to date after `edits` offline
/// edits, resuming from the confirmed heads or (if `forget`) from nothing.
fn resync_bytes(
    edits: usize,
    forget: bool,
) -> (usize, regie_core::plan::Plan, regie_core::plan::Plan) {
    let mut net = Star::new(1);
    let id = plan_id();
    let effects = net.clients[0]
        .repo
        .insert(id, new_plan_document("ledeberg", &Stamp::default()));
    net.route_client(0, effects);
    net.edit(0, id, |p| p.add_ambition("a1".into(), "Zorg"));
    for n in 0..50 {
        net.edit(0, id, |p| {
            p.add_action("a1", format!("old{n}"), "Actie", Status::Idee)
        });
    }
    net.connect(0);
    net.settle();
    net.disconnect(0);
    for n in 0..edits {
        net.edit(0, id, |p| {
            p.add_action("a1", format!("new{n}"), "Nieuw", Status::Gepland)
        });
    }
    if forget {
        net.clients[0].repo.restore_confirmed(id, Vec::new());
    }
    net.bytes = 0;
    net.connect(0);
    net.settle();
    let relay_plan = regie_core::plan::read_plan(net.relay.doc(&id).unwrap()).unwrap();
    (net.bytes, net.plan(0, id), relay_plan)
}

#[test]
fn reconnecting_resumes_from_what_the_relay_confirmed() {
    let (resumed, client, relay) = resync_bytes(3, false);
    assert_eq!(client, relay);
    assert_eq!(client.action_count(), 53);
    let (fresh, client, relay) = resync_bytes(3, true);
    assert_eq!(client, relay);
    eprintln!("resync after 3 offline edits: {resumed} B resumed, {fresh} B from scratch");
    assert!(
        resumed < fresh,
        "resuming sends less: {resumed} bytes against {fresh} from scratch"
    );
}

#[test]
fn presence_reaches_the_other_peers_of_a_document_only() {
    let mut net = Star::new(3);
    for i in 0..3 {
        net.connect(i);
    }
    let id = plan_id();
    let effects = net.clients[0]
        .repo
        .insert(id, new_plan_document("ledeberg", &Stamp::default()));
    net.route_client(0, effects);
    let effects = net.clients[1].repo.want(id);
    net.route_client(1, effects);
    net.settle();

    let effects = net.clients[0]
        .repo
        .broadcast_ephemeral(id, b"hier".to_vec());
    net.route_client(0, effects);
    net.settle();
    let heard = |c: &support::Client| {
        c.seen.iter().any(
            |e| matches!(e, Effect::Ephemeral { doc, data, .. } if *doc == id && data == b"hier"),
        )
    };
    assert!(heard(&net.clients[1]), "the other viewer hears it");
    assert!(
        !heard(&net.clients[2]),
        "a peer without the document does not"
    );
    assert!(!heard(&net.clients[0]), "nor does the sender");
}

/// Any number of repos joined by links; frames delivered in order.
struct Mesh {
    repos: Vec<Repo>,
    links: Vec<((usize, ConnId), (usize, ConnId))>,
    wire: std::collections::VecDeque<(usize, ConnId, Vec<u8>)>,
}

impl Mesh {
    fn route(&mut self, from: usize, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } => {
                    let (a, b) = self
                        .links
                        .iter()
                        .find(|(a, b)| *a == (from, conn) || *b == (from, conn))
                        .expect("a linked connection");
                    let to = if *a == (from, conn) { *b } else { *a };
                    self.wire.push_back((to.0, to.1, frame));
                }
                // Storage that is durable at once.
                Effect::Persist { id, .. } => {
                    let released = self.repos[from].persisted(id);
                    self.route(from, released);
                }
                _ => {}
            }
        }
    }

    /// Links `client` (which opens, as to its upstream) to `server`.
    fn link(&mut self, client: (usize, ConnId), server: (usize, ConnId)) {
        self.links.push((client, server));
        let effects = self.repos[server.0].connect(server.1, false);
        self.route(server.0, effects);
        let effects = self.repos[client.0].connect_upstream(client.1);
        self.route(client.0, effects);
        self.settle();
    }

    fn settle(&mut self) {
        while let Some((to, conn, frame)) = self.wire.pop_front() {
            let effects = self.repos[to].receive(conn, &frame);
            self.route(to, effects);
        }
    }
}

#[test]
fn a_relay_forwards_everything_to_its_upstream_relay() {
    // A tablet, a laptop relay in the meeting room, the city's relay upstream.
    let (tablet, laptop, city, phone) = (0, 1, 2, 3);
    let mut mesh = Mesh {
        repos: vec![
            Repo::new("tablet".into(), SharePolicy::Announce),
            Repo::new("laptop".into(), SharePolicy::OnRequest),
            Repo::new("city".into(), SharePolicy::OnRequest),
            Repo::new("phone".into(), SharePolicy::Announce),
        ],
        links: Vec::new(),
        wire: Default::default(),
    };
    let id = plan_id();
    let mut doc = new_plan_document("drongen", &Stamp::default());
    regie_core::plan::edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "Mobiliteit")
    })
    .unwrap();
    mesh.repos[tablet].insert(id, doc);

    mesh.link((laptop, ConnId(100)), (city, ConnId(1)));
    mesh.link((tablet, ConnId(0)), (laptop, ConnId(5)));
    let on_city =
        regie_core::plan::read_plan(mesh.repos[city].doc(&id).expect("forwarded")).unwrap();
    assert_eq!(on_city.ambitions[0].title, "Mobiliteit");
    assert_eq!(
        mesh.repos[laptop].unconfirmed_changes(&id),
        0,
        "the city confirmed everything"
    );

    // Someone at the city edits; it reaches the tablet through the laptop.
    mesh.link((phone, ConnId(0)), (city, ConnId(2)));
    let effects = mesh.repos[phone].want(id);
    mesh.route(phone, effects);
    mesh.settle();
    let (result, effects) = mesh.repos[phone]
        .change(id, |d| {
            regie_core::plan::edit_plan(d, &Stamp::default(), |p| {
                p.add_ambition("a2".into(), "Wonen")
            })
        })
        .unwrap();
    result.unwrap();
    mesh.route(phone, effects);
    mesh.settle();
    let on_tablet = regie_core::plan::read_plan(mesh.repos[tablet].doc(&id).unwrap()).unwrap();
    assert_eq!(on_tablet.ambitions.len(), 2);
}

#[test]
fn invalid_sync_data_closes_only_that_connection() {
    let mut net = Star::new(2);
    net.connect(0);
    net.connect(1);
    net.settle();
    let id = plan_id();
    let effects = net.clients[0]
        .repo
        .insert(id, new_plan_document("ledeberg", &Stamp::default()));
    net.route_client(0, effects);
    net.settle();
    let before = net.relay.doc(&id).unwrap().get_heads();

    // A real sync message for the plan, with its change bytes damaged.
    let mut other = new_plan_document("ledeberg", &Stamp::default());
    regie_core::plan::edit_plan(&mut other, &Stamp::default(), |p| {
        p.add_ambition("x".into(), "X")
    })
    .unwrap();
    use automerge::sync::SyncDoc as _;
    let (mut ours, mut theirs) = (automerge::sync::State::new(), automerge::sync::State::new());
    let mut empty = automerge::Automerge::new();
    let hello = other.generate_sync_message(&mut ours).unwrap();
    empty.receive_sync_message(&mut theirs, hello).unwrap();
    let wants = empty.generate_sync_message(&mut theirs).unwrap();
    other.receive_sync_message(&mut ours, wants).unwrap();
    let mut message = other
        .generate_sync_message(&mut ours)
        .expect("changes to send");
    assert!(!message.changes.is_empty());
    message.changes = vec![vec![0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 5]].into();
    for (kind, data) in [
        ("damaged changes", message.encode()),
        ("not a sync message", b"\x42nonsense".to_vec()),
    ] {
        net.connect(1);
        net.settle();
        let frame = regie_core::protocol::Message::Sync(regie_core::protocol::DocMessage {
            sender_id: "client-1".into(),
            target_id: "relay".into(),
            document_id: id,
            data,
        })
        .encode();
        let effects = net.relay.receive(ConnId(1), &frame);
        assert!(
            effects.iter().any(|e| matches!(
                e,
                Effect::Close {
                    conn: ConnId(1),
                    ..
                }
            )),
            "{kind}: the sender is cut off"
        );
        net.clients[1].linked = false;
        net.clients[1].repo.disconnect(support::TO_RELAY);
        assert_eq!(
            net.relay.doc(&id).unwrap().get_heads(),
            before,
            "{kind}: nothing applied"
        );
    }
    // The other client is still served.
    net.edit(0, id, |p| p.add_ambition("a1".into(), "Zorg"));
    net.settle();
    assert_ne!(net.relay.doc(&id).unwrap().get_heads(), before);
}
