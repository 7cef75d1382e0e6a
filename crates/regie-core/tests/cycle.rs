//! The regie cycle as one chain (`regie_core::cycle`): followed both ways,
//! also after cards were merged, acties moved and signals withdrawn; one
//! plan per wijk when two offline tablets each create it; triage and the
//! knelpunt's steps.

mod support;

use regie_core::DocumentId;
use regie_core::campaign::{Campaign, CampaignStatus};
use regie_core::cycle::chain::{self, ChainSignal};
use regie_core::cycle::triage::{self, Route};
use regie_core::cycle::{Documents, follow_through, recurrence, stage, wijk_plan};
use regie_core::plan::{Plan, SignalForm, SignalKind, Status};
use regie_core::register::{KnelpuntForm, KnelpuntStatus, Readiness, Register, SignalRef};
use regie_core::roundtable::{Phase, Section, Table};
use support::Star;

fn id(n: u8) -> DocumentId {
    DocumentId::from_random_bytes([n; 16])
}

fn signal(what: &str, thema: &str) -> SignalForm {
    SignalForm {
        what: what.into(),
        thema: thema.into(),
        date: "2026-11-02".into(),
        kind: "tekort".into(),
        doelgroep: "alleenstaande moeders".into(),
        ..SignalForm::default()
    }
}

/// A plan in Ledeberg with two signals, one later withdrawn; a knelpunt
/// linking both; a table about the knelpunt whose piste is merged into
/// another; a campaign composed from the merged piste; and its piste as an
/// actie in the plan of Muide, moved to another ambitie.
struct Cycle {
    register: Register,
    plans: Vec<(DocumentId, Plan)>,
    tables: Vec<(DocumentId, Table)>,
    campaigns: Vec<(DocumentId, Campaign)>,
}

impl Cycle {
    fn new() -> Self {
        let (ledeberg, muide, table_id, campaign_id) = (id(1), id(2), id(3), id(4));
        let mut signals = Plan::new("ledeberg");
        let gezondheid = signal("Geen huisarts te vinden", "gezondheid");
        signals.add_signal("s1".into(), &gezondheid, None).unwrap();
        let wonen = signal("Schimmel in de woning", "wonen");
        signals.add_signal("s2".into(), &wonen, None).unwrap();
        signals.withdraw_signal("s2", "2026-11-20").unwrap();

        let mut register = Register::seed();
        let form = KnelpuntForm {
            title: "Nuldelijns gezondheidszorg".into(),
            domains: vec!["gezondheid".into(), "armoedebestrijding".into()],
            date: "2026-11-03".into(),
            ..KnelpuntForm::default()
        };
        register.add_knelpunt("k1".into(), &form).unwrap();
        for s in ["s1", "s2"] {
            register
                .link_signal("k1", SignalRef::new(&ledeberg, s), true)
                .unwrap();
        }

        let mut table = Table::new("Nuldelijn", Some("k1".into()), Vec::new(), None).unwrap();
        table
            .add_card("p1".into(), Section::Piste, "Huisartsen op wijkbezoek", "x")
            .unwrap();
        table
            .add_card("p2".into(), Section::Piste, "Een wijkverpleegkundige", "x")
            .unwrap();
        let mut campaign = Campaign::compose(
            "Huisarts dichtbij",
            &table_id.to_string(),
            &table,
            &["p1".into()],
        )
        .unwrap();
        // The piste is merged after the campaign was composed.
        table.merge_cards("p1", "p2").unwrap();

        let mut actions = Plan::new("muide");
        actions.add_ambition("a2".into(), "Zorg dichtbij").unwrap();
        let into = follow_through::Into::NewAmbition("a1");
        follow_through::action_from_piste(&mut actions, &campaign_id, &campaign, "p1", into, "x1")
            .unwrap();
        assert_eq!(actions.ambitions[1].title, "Huisarts dichtbij");
        assert_eq!(
            actions.action("x1").unwrap().title,
            "Huisartsen op wijkbezoek"
        );
        actions.move_action("x1", "a2").unwrap();
        assert!(actions.ambitions[1].actions.is_empty(), "the actie moved");
        actions.remove_ambition("a1").unwrap();
        campaign.record_action("p1", &muide, "x1").unwrap();

        Cycle {
            register,
            plans: vec![(ledeberg, signals), (muide, actions)],
            tables: vec![(table_id, table)],
            campaigns: vec![(campaign_id, campaign)],
        }
    }

    fn check(&self, test: impl FnOnce(&Documents<'_>)) {
        let plans: Vec<(DocumentId, &Plan)> = self.plans.iter().map(|(i, p)| (*i, p)).collect();
        let tables: Vec<(DocumentId, &Table)> = self.tables.iter().map(|(i, t)| (*i, t)).collect();
        let campaigns: Vec<(DocumentId, &Campaign)> =
            self.campaigns.iter().map(|(i, c)| (*i, c)).collect();
        test(&Documents {
            register: &self.register,
            plans: &plans,
            tables: &tables,
            campaigns: &campaigns,
        });
    }
}

#[test]
fn an_actie_says_why_it_exists_back_to_its_signals() {
    let cycle = Cycle::new();
    cycle.check(|docs| {
        let why = chain::why(docs, &id(2), "x1");
        assert_eq!(
            why.campaign,
            Some((id(4), Some("Huisarts dichtbij".into())))
        );
        assert_eq!(why.piste.as_deref(), Some("Huisartsen op wijkbezoek"));
        assert_eq!(why.table, Some((id(3), Some("Nuldelijn".into()))));
        assert_eq!(
            why.knelpunt,
            Some(("k1".into(), "Nuldelijns gezondheidszorg".into()))
        );
        assert_eq!(
            why.signals,
            vec![
                ChainSignal {
                    key: SignalRef::new(&id(1), "s1"),
                    what: Some("Geen huisarts te vinden".into()),
                    withdrawn: false,
                },
                ChainSignal {
                    key: SignalRef::new(&id(1), "s2"),
                    what: None,
                    withdrawn: true,
                },
            ]
        );
        // An actie made in the plan itself has no chain.
        assert!(chain::why(docs, &id(1), "nope").is_empty());
    });
}

#[test]
fn a_signal_says_what_was_done_with_it() {
    let cycle = Cycle::new();
    cycle.check(|docs| {
        for s in ["s1", "s2"] {
            let out = chain::outcome(docs, &SignalRef::new(&id(1), s));
            assert_eq!(out.knelpunten, vec!["k1".to_owned()]);
            assert_eq!(out.tables, vec![id(3)]);
            assert_eq!(out.campaigns, vec![id(4)]);
            assert_eq!(out.actions, vec![(id(2), "x1".to_owned())]);
        }
        assert!(chain::outcome(docs, &SignalRef::new(&id(1), "s9")).is_empty());
    });
}

#[test]
fn the_chain_holds_when_the_campaign_lost_its_list_or_the_piste_its_card() {
    let mut cycle = Cycle::new();
    // Two devices apart: the campaign's list of acties missed this one, and
    // the campaign kept no text for the piste.
    cycle.campaigns[0].1.actions.clear();
    cycle.campaigns[0].1.parts.retain(|p| p.card != "p1");
    cycle.check(|docs| {
        let out = chain::outcome(docs, &SignalRef::new(&id(1), "s1"));
        assert_eq!(out.actions, vec![(id(2), "x1".to_owned())]);
        // The merged card resolves to the card it went into.
        let why = chain::why(docs, &id(2), "x1");
        assert!(why.piste.unwrap().starts_with("Een wijkverpleegkundige"));
    });
}

#[test]
fn two_offline_tablets_that_create_one_wijks_plan_make_one_plan() {
    let mut net = Star::new(2);
    let plan = wijk_plan::plan_id("ledeberg");
    for (i, (ambition, action)) in [("a1", "Buurtsoep"), ("a2", "Huiswerkklas")]
        .into_iter()
        .enumerate()
    {
        let effects = net.clients[i]
            .repo
            .insert(plan, wijk_plan::plan_document("ledeberg"));
        net.route_client(i, effects);
        net.edit(i, plan, |p| p.add_ambition(ambition.into(), ambition));
        net.edit(i, plan, |p| {
            p.add_action(ambition, format!("x-{ambition}"), action, Status::Idee)
        });
    }
    net.settle();
    assert_ne!(net.plan(0, plan), net.plan(1, plan), "both are offline");
    net.connect(0);
    net.connect(1);
    net.settle();
    let merged = net.plan(0, plan);
    assert_eq!(merged, net.plan(1, plan));
    assert_eq!(merged.wijk, "ledeberg");
    let mut titles: Vec<&str> = merged
        .ambitions
        .iter()
        .flat_map(|a| &a.actions)
        .map(|a| a.title.as_str())
        .collect();
    titles.sort_unstable();
    assert_eq!(titles, ["Buurtsoep", "Huiswerkklas"]);
    // One root: the seed change, shared.
    let relay = net.relay.doc(&plan).unwrap();
    let roots = relay
        .get_changes(&[])
        .iter()
        .filter(|c| c.deps().is_empty())
        .count();
    assert_eq!(roots, 1);
}

#[test]
fn one_domain_goes_to_its_overleg_several_to_a_ronde_tafel() {
    let mut register = Register::seed();
    for (k, domains) in [
        ("k1", vec![]),
        ("k2", vec!["wonen"]),
        ("k3", vec!["wonen", "jeugd"]),
    ] {
        let form = KnelpuntForm {
            title: k.into(),
            domains: domains.into_iter().map(String::from).collect(),
            date: "2026-11-03".into(),
            ..KnelpuntForm::default()
        };
        register.add_knelpunt(k.into(), &form).unwrap();
    }
    let routes: Vec<Route> = register
        .knelpunten
        .iter()
        .map(|k| triage::route(&register, k))
        .collect();
    assert_eq!(routes[0], Route::Undecided);
    match routes[1] {
        Route::Overleg(d) => {
            assert_eq!(d.regisseur, "Hilde Reynvoet");
            assert_eq!(d.overleg, "Lokale woonraad");
        }
        other => panic!("wonen alone goes to its overleg, not {other:?}"),
    }
    assert_eq!(routes[2], Route::RondeTafel);

    // The regisseur of wonen sees both knelpunten about wonen and the
    // signals whose thema is wonen, and not those of other domains.
    let mut plan = Plan::new("ledeberg");
    plan.add_signal("s1".into(), &signal("Schimmel", "wonen"), None)
        .unwrap();
    plan.add_signal("s2".into(), &signal("Geen opvang", "kinderopvang"), None)
        .unwrap();
    let signals: Vec<_> = plan.signals.iter().map(|s| (id(1), s)).collect();
    let inbox = triage::inbox(&register, "Hilde Reynvoet", &signals);
    let titles: Vec<&str> = inbox.knelpunten.iter().map(|k| k.title.as_str()).collect();
    assert_eq!(titles, ["k2", "k3"]);
    assert_eq!(inbox.signals.len(), 1);
    assert_eq!(inbox.signals[0].1.id, "s1");
    let gezin = triage::inbox(&register, "Els De Vos", &signals);
    assert_eq!(
        gezin.signals[0].1.id, "s2",
        "kinderopvang reaches gezinsondersteuning"
    );
    assert_eq!(plan.signals[0].kind, Some(SignalKind::Tekort));
}

#[test]
fn a_knelpunt_moves_on_with_its_tables_and_campaigns_never_back() {
    let mut cycle = Cycle::new();
    let stage_now = |c: &Cycle| {
        let tables: Vec<&Table> = c.tables.iter().map(|(_, t)| t).collect();
        let campaigns: Vec<&Campaign> = c.campaigns.iter().map(|(_, k)| k).collect();
        stage::stage(&c.register.knelpunten[0], &tables, &campaigns)
    };
    assert_eq!(stage_now(&cycle), KnelpuntStatus::Campagne);
    cycle.campaigns[0].1.status = CampaignStatus::Afgerond;
    assert_eq!(stage_now(&cycle), KnelpuntStatus::Afgesloten);
    cycle.campaigns[0].1.status = CampaignStatus::Stopgezet;
    assert_eq!(stage_now(&cycle), KnelpuntStatus::RondeTafel);
    cycle.tables[0].1.set_phase(Phase::Afspraken);
    assert_eq!(stage_now(&cycle), KnelpuntStatus::Gehouden);
    cycle.tables.clear();
    cycle.campaigns.clear();
    assert_eq!(stage_now(&cycle), KnelpuntStatus::Nieuw);
    // A person's step stands where the documents say less.
    cycle
        .register
        .set_status("k1", KnelpuntStatus::Gehouden)
        .unwrap();
    assert_eq!(stage_now(&cycle), KnelpuntStatus::Gehouden);
}

#[test]
fn enough_readiness_from_two_domains_proposes_a_table() {
    let mut register = Register::seed();
    let form = KnelpuntForm {
        title: "Woonbegeleiding jongeren".into(),
        date: "2026-11-03".into(),
        ..KnelpuntForm::default()
    };
    register.add_knelpunt("k".into(), &form).unwrap();
    let answer = |person: &str, domain: &str, joins| Readiness {
        person: person.into(),
        name: person.into(),
        organisation: "Stad Gent".into(),
        domain: Some(domain.into()),
        joins,
        contribution: String::new(),
        date: "2026-11-04".into(),
    };
    let proposes = |r: &Register| stage::proposes_table(&r.knelpunten[0]);
    register
        .answer_readiness("k", answer("p1", "wonen", true))
        .unwrap();
    register
        .answer_readiness("k", answer("p2", "wonen", true))
        .unwrap();
    assert!(
        !proposes(&register),
        "one domain alone is no cross-domain table"
    );
    register
        .answer_readiness("k", answer("p3", "jeugd", false))
        .unwrap();
    assert!(!proposes(&register), "a no is no readiness");
    register
        .answer_readiness("k", answer("p3", "jeugd", true))
        .unwrap();
    assert!(proposes(&register));
}

#[test]
fn recurrence_counts_signals_across_wijken_per_thema_and_domain() {
    let mut a = Plan::new("ledeberg");
    let mut b = Plan::new("muide");
    a.add_signal("1".into(), &signal("Schimmel", "wonen"), None)
        .unwrap();
    a.add_signal("2".into(), &signal("Vocht", "wonen"), None)
        .unwrap();
    b.add_signal("3".into(), &signal("Schimmel", "wonen"), None)
        .unwrap();
    b.add_signal("4".into(), &signal("Schulden", "armoede"), None)
        .unwrap();
    b.add_signal("5".into(), &signal("Weg", "armoede"), None)
        .unwrap();
    b.withdraw_signal("5", "2026-11-05").unwrap();
    let (themas, domains) = recurrence::across_city(&[&a, &b]);
    assert_eq!(themas[0].id, "wonen");
    assert_eq!(themas[0].signals, 3);
    assert_eq!(themas[0].wijken.len(), 2);
    assert_eq!(themas[1].signals, 1, "the withdrawn signal does not count");
    let domain_ids: Vec<&str> = domains.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(domain_ids, ["wonen", "armoedebestrijding", "inkomen"]);
}

/// Deletes `keys` from the map at `path` (keys and list indexes from the
/// root), as a document written before those fields existed would be.
fn forget(doc: &mut automerge::Automerge, path: &[&str], keys: &[&str]) {
    use automerge::transaction::Transactable as _;
    use automerge::{ROOT, ReadDoc as _};
    let mut tx = doc.transaction();
    let mut obj = ROOT;
    for step in path {
        obj = match step.parse::<usize>() {
            Ok(i) => tx.get(&obj, i).unwrap().unwrap().1,
            Err(_) => tx.get(&obj, *step).unwrap().unwrap().1,
        };
    }
    for key in keys {
        tx.delete(&obj, *key).unwrap();
    }
    tx.commit();
}

#[test]
fn documents_written_before_the_cycle_fields_still_open() {
    use regie_core::author::Stamp;
    use regie_core::directory::{self, Directory, OrganisationForm};
    use regie_core::{campaign, kind, plan, register};
    let cycle = Cycle::new();
    let stamp = Stamp::default();

    // A plan: a signal without kind or doelgroep, an actie without origin.
    let mut doc = plan::new_plan_document("muide", &stamp);
    plan::write_plan(&mut doc, &stamp, &cycle.plans[1].1).unwrap();
    plan::edit_plan(&mut doc, &stamp, |p| {
        p.add_signal("s".into(), &signal("x", "wonen"), None)
    })
    .unwrap();
    forget(&mut doc, &["signals", "0"], &["kind", "doelgroep"]);
    forget(&mut doc, &["ambitions", "0", "actions", "0"], &["origin"]);
    for read in [plan::read_plan, plan::read_plan_by_fields] {
        let old = read(&doc).unwrap();
        assert_eq!(old.signals[0].kind, None);
        assert_eq!(old.ambitions[0].actions[0].origin, None);
    }

    // A campaign without trekker, regisseur, acties or inbreng.
    let mut c = cycle.campaigns[0].1.clone();
    c.commitment = "Samen".into();
    c.sign(
        "OCMW",
        "Jan",
        "2026-12-01 10:00",
        "een maatschappelijk werker",
    )
    .unwrap();
    let mut doc = campaign::new_campaign_document(&c, &stamp);
    forget(&mut doc, &[], &["trekker", "regisseur", "actions"]);
    forget(&mut doc, &["signatures", "0"], &["inbreng"]);
    let old: Campaign = kind::read(&doc).unwrap();
    assert_eq!(
        (
            old.trekker,
            old.actions.len(),
            old.signatures[0].inbreng.clone()
        ),
        (None, 0, None)
    );

    // A register without boards or readiness.
    let mut doc = register::seed_document();
    kind::write(&mut doc, &stamp, &cycle.register).unwrap();
    forget(&mut doc, &[], &["boards"]);
    forget(&mut doc, &["knelpunten", "0"], &["readiness"]);
    let old: Register = kind::read(&doc).unwrap();
    assert!(old.boards.is_empty() && old.knelpunten[0].readiness.is_empty());

    // The adresboek's organisations without contact or wijken.
    let mut doc = directory::seed_document();
    let form = OrganisationForm {
        name: "WGC De Kaai".into(),
        ..OrganisationForm::default()
    };
    kind::edit::<Directory>(&mut doc, &stamp, |d| {
        d.add_organisation("kaai".into(), &form)
    })
    .unwrap();
    let last = (kind::read::<Directory>(&doc).unwrap().organisations.len() - 1).to_string();
    forget(&mut doc, &["organisations", &last], &["contact", "wijken"]);
    let old: Directory = kind::read(&doc).unwrap();
    assert_eq!(old.organisations.last().unwrap().contact, None);
}

#[test]
fn a_table_adds_a_kind_of_relation_and_links_with_it() {
    use regie_core::roundtable::{Named, Relation};
    let mut table = Cycle::new().tables.remove(0).1;
    table
        .add_card("o1".into(), Section::Oorzaak, "Geen vervoer", "x")
        .unwrap();
    assert!(
        table
            .add_relation_type("t0".into(), "Kosten – baten")
            .is_err(),
        "seed 003's own"
    );
    table
        .add_relation_type("t1".into(), "vraag – aanbod")
        .unwrap();
    assert!(
        table
            .add_relation_type("t2".into(), "Vraag – aanbod")
            .is_err(),
        "once"
    );
    assert!(
        table.link_added("l0".into(), "o1", "p2", "t9").is_err(),
        "an unknown kind"
    );
    table.link_added("l1".into(), "o1", "p2", "t1").unwrap();
    table
        .link("l2".into(), "o1", "p2", Relation::MachteloosheidRechtsbron)
        .unwrap();
    let named: Vec<Named> = table.named_links().into_iter().map(|(_, _, n)| n).collect();
    assert_eq!(
        named,
        [
            Named::Added("vraag – aanbod"),
            Named::Relation(Relation::MachteloosheidRechtsbron)
        ]
    );
    // An older version reads the added kind's link as its default relation.
    assert_eq!(table.links[0].relation, Relation::ProbleemOplossing);
}
