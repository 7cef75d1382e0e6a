//! Scoped links in the engine (#15): a relay holds plans of three wijken,
//! the register and the adresboek; devices reach it with team, netwerk,
//! regisseur and stad links. Each gets exactly the documents its scope
//! allows, never writes outside it, and a signal link's changes pass only
//! when they add signals or change its own. A device does the same towards
//! a direct peer.

use std::collections::{BTreeSet, VecDeque};

use automerge::Automerge;
use automerge::transaction::Transactable as _;
use regie_core::author::Stamp;
use regie_core::plan::{Plan, SignalForm, Status, edit_plan, new_plan_document, read_plan};
use regie_core::protocol::Message;
use regie_core::scope::LinkScope;
use regie_core::{Access, ConnId, DocumentId, Effect, LinkId, Repo, SharePolicy};
use regie_core::{directory, register, seeds};

/// A relay (node 0) and devices; each device has one connection to it.
struct Net {
    repos: Vec<Repo>,
    /// Frames in flight: (to node, on its conn, frame).
    queue: VecDeque<(usize, ConnId, Vec<u8>)>,
    /// Links: (node, conn) ↔ (node, conn).
    ends: Vec<((usize, ConnId), (usize, ConnId))>,
    /// Why each node closed a connection, if it did.
    closed: Vec<Vec<String>>,
    /// Per node, every document named in a frame it received.
    named: Vec<BTreeSet<DocumentId>>,
    next: u64,
}

const LEDEBERG: &str = "ledeberg";
const GENTBRUGGE: &str = "gentbrugge"; // also Nele Descheemaeker's
const ZWIJNAARDE: &str = "zwijnaarde"; // Lien Baes's

fn id(n: u8) -> DocumentId {
    DocumentId::from_random_bytes([n; 16])
}

fn plan_of(wijk: &str) -> Automerge {
    let mut doc = new_plan_document(wijk, &Stamp::default());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "Wonen")?;
        p.add_action("a1", "x1".into(), "Huurdersavond", Status::Gepland)?;
        p.add_signal("s0".into(), &signal_form("Lekkende daken"), None)
    })
    .unwrap();
    doc
}

fn signal_form(what: &str) -> SignalForm {
    SignalForm {
        what: what.into(),
        thema: "wonen".into(),
        date: "2026-12-01".into(),
        ..SignalForm::default()
    }
}

fn access(scope: &str, link: &str) -> Access {
    Access {
        scope: Some(LinkScope::parse(scope).expect("a scope")),
        link: LinkId::parse(link),
        ..Access::FULL
    }
}

impl Net {
    /// The relay holds plan 1 (ledeberg), 2 (gentbrugge), 3 (zwijnaarde),
    /// the register and the adresboek.
    fn new() -> Net {
        let mut relay = Repo::new("relay".into(), SharePolicy::OnRequest);
        for (n, wijk) in [(1, LEDEBERG), (2, GENTBRUGGE), (3, ZWIJNAARDE)] {
            relay.insert(id(n), plan_of(wijk));
        }
        for seeded in seeds::seeded() {
            relay.insert(seeded.id, (seeded.build)());
        }
        Net {
            repos: vec![relay],
            queue: VecDeque::new(),
            ends: Vec::new(),
            closed: vec![Vec::new()],
            named: vec![BTreeSet::new()],
            next: 0,
        }
    }

    /// A device reaching the relay with `access`; it asks for `wants`.
    fn device(&mut self, access: Access, wants: &[DocumentId]) -> usize {
        let node = self.repos.len();
        self.repos.push(Repo::new(
            format!("device-{node}").as_str().into(),
            SharePolicy::Announce,
        ));
        self.closed.push(Vec::new());
        self.named.push(BTreeSet::new());
        let (up, down) = (ConnId(self.next), ConnId(self.next + 1));
        self.next += 2;
        self.ends.push(((node, up), (0, down)));
        let effects = self.repos[0].connect_with(down, false, access);
        self.route(0, effects);
        let effects = self.repos[node].connect_upstream(up);
        self.route(node, effects);
        for doc in wants {
            let effects = self.repos[node].want(*doc);
            self.route(node, effects);
        }
        self.settle();
        node
    }

    fn other_end(&self, node: usize, conn: ConnId) -> Option<(usize, ConnId)> {
        self.ends.iter().find_map(|(a, b)| {
            if *a == (node, conn) {
                Some(*b)
            } else if *b == (node, conn) {
                Some(*a)
            } else {
                None
            }
        })
    }

    fn route(&mut self, node: usize, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } => {
                    if let Some((to, on)) = self.other_end(node, conn) {
                        self.queue.push_back((to, on, frame));
                    }
                }
                Effect::Persist { id, .. } => {
                    let released = self.repos[node].persisted(id);
                    self.route(node, released);
                }
                Effect::Close { conn, reason } => {
                    self.closed[node].push(reason);
                    if let Some((other, on)) = self.other_end(node, conn) {
                        self.repos[other].disconnect(on);
                    }
                    self.ends
                        .retain(|(a, b)| *a != (node, conn) && *b != (node, conn));
                }
                _ => {}
            }
        }
    }

    fn settle(&mut self) {
        let mut steps = 0;
        while let Some((to, conn, frame)) = self.queue.pop_front() {
            steps += 1;
            assert!(steps < 10_000, "sync does not quiesce");
            if self.other_end(to, conn).is_none() {
                continue; // the link was closed meanwhile
            }
            if let Ok(Some(message)) = Message::decode(&frame) {
                self.named[to].extend(named_document(&message));
            }
            let effects = self.repos[to].receive(conn, &frame);
            self.route(to, effects);
        }
    }

    /// The documents `node` holds with content.
    fn holds(&self, node: usize) -> Vec<DocumentId> {
        let mut held: Vec<DocumentId> = self.repos[node]
            .doc_ids()
            .filter(|d| !self.repos[node].doc(d).unwrap().get_heads().is_empty())
            .copied()
            .collect();
        held.sort();
        held
    }

    fn edit(
        &mut self,
        node: usize,
        doc: DocumentId,
        edit: impl FnOnce(&mut Plan) -> Result<(), regie_core::kind::DocError>,
    ) {
        let (result, effects) = self.repos[node]
            .change(doc, |d| edit_plan(d, &Stamp::default(), edit))
            .expect("held");
        result.expect("a valid edit");
        self.route(node, effects);
        self.settle();
    }

    fn relay_plan(&self, doc: DocumentId) -> Plan {
        read_plan(self.repos[0].doc(&doc).unwrap()).unwrap()
    }
}

fn named_document(message: &Message) -> Option<DocumentId> {
    match message {
        Message::Sync(m) | Message::Request(m) => Some(m.document_id),
        Message::DocUnavailable { document_id, .. } | Message::Ephemeral { document_id, .. } => {
            Some(*document_id)
        }
        _ => None,
    }
}

/// An edit tried through a signal link.
type PlanEdit = Box<dyn FnOnce(&mut Plan) -> Result<(), regie_core::kind::DocError>>;

fn everything() -> Vec<DocumentId> {
    vec![
        id(1),
        id(2),
        id(3),
        register::register_id(),
        directory::directory_id(),
    ]
}

fn sorted(mut ids: Vec<DocumentId>) -> Vec<DocumentId> {
    ids.sort();
    ids
}

#[test]
fn each_link_kind_receives_exactly_its_documents() {
    let mut net = Net::new();
    let (reg, dir) = (register::register_id(), directory::directory_id());
    let cases = [
        ("team:ledeberg", vec![id(1), reg, dir]),
        ("netwerk:ledeberg", vec![id(1), dir]),
        ("regisseur:Nele Descheemaeker", vec![id(1), id(2), reg, dir]),
        ("regisseur:Lien Baes", vec![id(3), reg, dir]),
        ("stad", everything()),
    ];
    for (scope, want) in cases {
        let device = net.device(access(scope, "00000000aa"), &everything());
        assert_eq!(net.holds(device), sorted(want), "{scope}");
    }
    assert!(
        net.closed[0].is_empty(),
        "asking is no offence: {:?}",
        net.closed[0]
    );
}

#[test]
fn a_wijk_link_never_writes_another_wijks_documents() {
    let mut net = Net::new();
    // A device that holds gentbrugge's plan (from before, or forged) and
    // connects with a ledeberg team link: the relay takes nothing of it.
    let node = net.device(access("team:ledeberg", "00000000aa"), &[]);
    let mut copy = net.repos[0].doc(&id(2)).unwrap().fork();
    edit_plan(&mut copy, &Stamp::default(), |p| {
        p.rename_action("x1", "Overgenomen")
    })
    .unwrap();
    let effects = net.repos[node].insert(id(2), copy);
    net.route(node, effects);
    net.settle();
    assert_eq!(
        net.relay_plan(id(2)).ambitions[0].actions[0].title,
        "Huurdersavond"
    );

    // Nor does it make a new plan for another wijk, or move its own.
    let effects = net.repos[node].create(id(9), new_plan_document(GENTBRUGGE, &Stamp::default()));
    net.route(node, effects);
    net.settle();
    assert!(
        net.repos[0]
            .doc(&id(9))
            .is_none_or(|d| d.get_heads().is_empty())
    );
    assert!(
        net.closed[0].iter().any(|r| r.contains("scope")),
        "{:?}",
        net.closed[0]
    );

    // Moving the plan to Gentbrugge is refused, also within a regisseur's
    // cluster (Gentbrugge's team would then see it).
    for (scope, why) in [
        ("team:ledeberg", "a plan stays in its wijk"),
        ("regisseur:Nele Descheemaeker", "moved within the cluster"),
    ] {
        let node = net.device(access(scope, "00000000aa"), &[id(1)]);
        let (_, effects) = net.repos[node]
            .change(id(1), |d| {
                let mut tx = d.transaction();
                tx.put(automerge::ROOT, "wijk", GENTBRUGGE).unwrap();
                tx.commit();
            })
            .unwrap();
        net.route(node, effects);
        net.settle();
        assert_eq!(net.relay_plan(id(1)).wijk, LEDEBERG, "{why}");
    }

    // Its own wijk's plan it writes, and it makes new ones there.
    let node = net.device(access("team:ledeberg", "00000000aa"), &[id(1)]);
    net.edit(node, id(1), |p| p.rename_action("x1", "Bewonersavond"));
    assert_eq!(
        net.relay_plan(id(1)).ambitions[0].actions[0].title,
        "Bewonersavond"
    );
    let effects = net.repos[node].create(id(8), new_plan_document(LEDEBERG, &Stamp::default()));
    net.route(node, effects);
    net.settle();
    assert_eq!(
        read_plan(net.repos[0].doc(&id(8)).unwrap()).unwrap().wijk,
        LEDEBERG
    );
}

#[test]
fn a_signal_link_adds_and_changes_only_its_own_signals() {
    let mut net = Net::new();
    let mine = "00000000bb";
    let node = net.device(access("netwerk:ledeberg", mine), &[id(1)]);
    net.edit(node, id(1), |p| {
        p.add_signal("s1".into(), &signal_form("Geen huisarts"), Some(mine))
    });
    net.edit(node, id(1), |p| {
        p.correct_signal("s1", &signal_form("Geen huisarts in de buurt"))
    });
    net.edit(node, id(1), |p| p.withdraw_signal("s1", "2026-12-02"));
    let plan = net.relay_plan(id(1));
    let s1 = plan
        .signals
        .iter()
        .find(|s| s.id == "s1")
        .expect("passed on");
    assert_eq!(s1.what, "Geen huisarts in de buurt");
    assert_eq!(s1.withdrawn.as_deref(), Some("2026-12-02"));
    assert!(net.closed[0].is_empty(), "{:?}", net.closed[0]);

    // Anything else is refused, and the link closed.
    let refused: [(&str, PlanEdit); 5] = [
        (
            "an actie",
            Box::new(|p: &mut Plan| p.rename_action("x1", "Weg")),
        ),
        (
            "another's signal",
            Box::new(|p: &mut Plan| p.withdraw_signal("s0", "2026-12-02")),
        ),
        (
            "its signal's link",
            Box::new(|p: &mut Plan| {
                p.signals[1].by_link = Some("00000000cc".into());
                Ok(())
            }),
        ),
        (
            "a signal removed",
            Box::new(|p: &mut Plan| {
                p.signals.retain(|s| s.id != "s1");
                Ok(())
            }),
        ),
        (
            "a signal for another link",
            Box::new(|p: &mut Plan| {
                p.add_signal("s2".into(), &signal_form("Vervuiling"), Some("00000000cc"))
            }),
        ),
    ];
    for (what, edit) in refused {
        let before = net.repos[0].doc(&id(1)).unwrap().get_heads();
        let node = net.device(access("netwerk:ledeberg", mine), &[id(1)]);
        let closed_before = net.closed[0].len();
        net.edit(node, id(1), edit);
        assert_eq!(
            net.repos[0].doc(&id(1)).unwrap().get_heads(),
            before,
            "{what}"
        );
        assert_eq!(
            net.closed[0].len(),
            closed_before + 1,
            "{what}: the link is closed"
        );
    }
}

#[test]
fn a_device_passes_a_direct_peer_only_what_its_scope_allows() {
    let mut net = Net::new();
    let city = net.device(access("stad", "00000000aa"), &everything());
    assert_eq!(net.holds(city), sorted(everything()));
    // A direct peer with a gentbrugge team link, as vouched for.
    let peer = net.repos.len();
    net.repos
        .push(Repo::new("peer".into(), SharePolicy::Announce));
    net.closed.push(Vec::new());
    net.named.push(BTreeSet::new());
    let (a, b) = (ConnId(100), ConnId(101));
    net.ends.push(((city, a), (peer, b)));
    let effects = net.repos[peer].connect_with(b, false, Access::FULL);
    net.route(peer, effects);
    let effects = net.repos[city].connect_with(a, true, access("team:gentbrugge", "00000000dd"));
    net.route(city, effects);
    net.settle();
    assert_eq!(
        net.holds(peer),
        sorted(vec![
            id(2),
            register::register_id(),
            directory::directory_id()
        ])
    );
}

/// An edit of a campagne tried through a link.
type CampaignEdit =
    dyn Fn(&mut regie_core::campaign::Campaign) -> Result<(), regie_core::kind::DocError>;

/// A campagne of Ledeberg that CAW Oost has signed.
fn campaign_signed_by_caw() -> Automerge {
    use regie_core::campaign::{Campaign, CampaignStatus, new_campaign_document};
    let mut campaign = Campaign {
        schema: 1,
        kind: regie_core::campaign::CAMPAIGN_KIND.to_owned(),
        title: "Huisartsen voor Ledeberg".into(),
        wijk: Some(LEDEBERG.into()),
        table: "t1".into(),
        knelpunt: None,
        signals: Vec::new(),
        parts: Vec::new(),
        commitment: regie_core::plan::LongText("Wij zoeken samen een huisarts.".into()),
        signatures: Vec::new(),
        status: CampaignStatus::Lopend,
        updates: Vec::new(),
        trekker: None,
        regisseur: None,
        actions: Vec::new(),
    };
    campaign
        .sign("CAW Oost", "Ria", "2026-12-01 10:00", "")
        .unwrap();
    new_campaign_document(&campaign, &Stamp::default())
}

#[test]
fn a_link_for_an_organisation_signs_for_that_organisation_only() {
    use regie_core::campaign::Campaign;
    let mut net = Net::new();
    let effects = net.repos[0].insert(id(7), campaign_signed_by_caw());
    net.route(0, effects);
    let ocmw = |net: &mut Net| {
        let node = net.device(access("team:ledeberg", "00000000aa"), &[id(7)]);
        let conn = net.ends.iter().find(|(a, _)| a.0 == node).unwrap().1.1;
        net.repos[0].set_organisation(conn, Some("OCMW Gent".into()));
        node
    };
    let sign =
        |net: &mut Net,
         node: usize,
         edit: &dyn Fn(&mut Campaign) -> Result<(), regie_core::kind::DocError>| {
            let (result, effects) = net.repos[node]
                .change(id(7), |d| {
                    regie_core::kind::edit(d, &Stamp::default(), edit)
                })
                .unwrap();
            result.unwrap();
            net.route(node, effects);
            net.settle();
        };
    let signed = |net: &Net| {
        let campaign: Campaign = regie_core::kind::read(net.repos[0].doc(&id(7)).unwrap()).unwrap();
        let mut orgs: Vec<String> = campaign
            .signatures
            .iter()
            .map(|s| s.organisation.clone())
            .collect();
        orgs.sort();
        orgs
    };
    let node = ocmw(&mut net);
    sign(&mut net, node, &|c| {
        c.sign("OCMW Gent", "Jan", "2026-12-02 09:00", "")
    });
    assert_eq!(signed(&net), ["CAW Oost", "OCMW Gent"]);
    assert!(net.closed[0].is_empty(), "{:?}", net.closed[0]);
    let refused: [(&str, &CampaignEdit); 3] = [
        ("for another organisation", &|c| {
            c.sign("Samenlevingsopbouw", "Jan", "2026-12-02 09:05", "")
        }),
        ("another's signature removed", &|c| {
            c.signatures.retain(|s| s.organisation != "CAW Oost");
            Ok(())
        }),
        ("another's signature changed", &|c| {
            c.signatures[0].who = "Niet Ria".into();
            Ok(())
        }),
    ];
    for (what, edit) in refused {
        let node = ocmw(&mut net);
        let before = net.closed[0].len();
        sign(&mut net, node, edit);
        assert_eq!(signed(&net), ["CAW Oost", "OCMW Gent"], "{what}");
        assert_eq!(
            net.closed[0].len(),
            before + 1,
            "{what}: the link is closed"
        );
    }
    let campaign: Campaign = regie_core::kind::read(net.repos[0].doc(&id(7)).unwrap()).unwrap();
    assert_eq!(
        campaign
            .signatures
            .iter()
            .find(|s| s.organisation == "CAW Oost")
            .unwrap()
            .who,
        "Ria"
    );
}

#[test]
fn through_a_link_whose_id_is_not_proven_only_new_signals_pass() {
    // As over a direct link: the peer's scope is vouched for, its link id not.
    let mut net = Net::new();
    let unproven = Access {
        link: None,
        ..access("netwerk:ledeberg", "00000000bb")
    };
    let node = net.device(unproven, &[id(1)]);
    net.edit(node, id(1), |p| {
        p.add_signal(
            "s1".into(),
            &signal_form("Geen huisarts"),
            Some("00000000bb"),
        )
    });
    assert!(net.relay_plan(id(1)).signals.iter().any(|s| s.id == "s1"));
    let before = net.repos[0].doc(&id(1)).unwrap().get_heads();
    net.edit(node, id(1), |p| p.withdraw_signal("s1", "2026-12-02"));
    assert_eq!(
        net.repos[0].doc(&id(1)).unwrap().get_heads(),
        before,
        "its own signal, but not proven so"
    );
}
