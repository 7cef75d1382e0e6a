//! Knelpunten, the ronde tafel and campaigns: what must hold when several
//! partners work on them at once.

use automerge::Automerge;
use regie_core::DocumentId;
use regie_core::author::Stamp;
use regie_core::campaign::{Campaign, SignatureState, new_campaign_document};
use regie_core::kind;
use regie_core::kind::DocError;
use regie_core::plan::SignalForm;
use regie_core::register::{self, KnelpuntForm, Register, SignalRef};
use regie_core::roundtable::{Participant, Relation, Score, Section, Table, new_table_document};

fn participant(id: &str, organisation: &str) -> Participant {
    Participant {
        id: id.into(),
        name: format!("Persoon {id}"),
        organisation: organisation.into(),
        decides: true,
    }
}

/// A table with three participants and two pistes, as a document.
fn table_document() -> Automerge {
    let mut table = Table::new(
        "Schimmel in sociale woningen",
        Some("k1".into()),
        Vec::new(),
        None,
    )
    .unwrap();
    for (id, org) in [("p1", "Wonen"), ("p2", "WGC"), ("p3", "OCMW")] {
        table.join(participant(id, org)).unwrap();
    }
    table
        .add_card(
            "c1".into(),
            Section::Probleem,
            "Gezinnen wonen in vochtige woningen",
            "p1",
        )
        .unwrap();
    table
        .add_card("c2".into(), Section::Piste, "Schimmelteam", "p2")
        .unwrap();
    table
        .add_card("c3".into(), Section::Piste, "Premie voor ventilatie", "p3")
        .unwrap();
    new_table_document(&table, &Stamp::default())
}

#[test]
fn concurrent_scores_are_all_kept_and_mean_and_spread_are_right() {
    let base = table_document();
    let mut devices: Vec<Automerge> = (0..3).map(|_| base.fork()).collect();
    // Everyone scores both pistes at the same moment, offline from each other.
    let scores = [
        ("p1", (4, 5), (2, 2)),
        ("p2", (2, 3), (3, 2)),
        ("p3", (3, 4), (4, 2)),
    ];
    for (doc, (who, c2, c3)) in devices.iter_mut().zip(scores) {
        kind::edit::<Table>(doc, &Stamp::default(), |t| {
            t.score(
                "c2",
                who,
                Score {
                    haalbaarheid: c2.0,
                    effect: c2.1,
                },
            )?;
            t.score(
                "c3",
                who,
                Score {
                    haalbaarheid: c3.0,
                    effect: c3.1,
                },
            )
        })
        .unwrap();
    }
    let mut merged = base.fork();
    for doc in &mut devices {
        merged.merge(doc).unwrap();
    }
    let table = kind::read::<Table>(&merged).unwrap();
    assert_eq!(table.scores.len(), 6, "no score overwrote another");
    let a = table.assessment("c2").unwrap();
    assert_eq!(a.scores, 3);
    assert_eq!(a.haalbaarheid, 3.0);
    assert_eq!(a.effect, 4.0);
    // Population standard deviation of 4, 2, 3 and of 5, 3, 4.
    assert!((a.haalbaarheid_spread - (2.0f64 / 3.0).sqrt()).abs() < 1e-9);
    assert!((a.effect_spread - (2.0f64 / 3.0).sqrt()).abs() < 1e-9);
    let b = table.assessment("c3").unwrap();
    assert_eq!((b.haalbaarheid, b.effect, b.effect_spread), (3.0, 2.0, 0.0));
    // Re-scoring replaces one's own score only.
    let mut doc = merged.fork();
    kind::edit::<Table>(&mut doc, &Stamp::default(), |t| {
        t.score(
            "c2",
            "p1",
            Score {
                haalbaarheid: 1,
                effect: 1,
            },
        )
    })
    .unwrap();
    let again = kind::read::<Table>(&doc).unwrap().assessment("c2").unwrap();
    assert_eq!((again.scores, again.haalbaarheid), (3, 2.0));
}

#[test]
fn scores_outside_one_to_five_or_by_strangers_are_refused() {
    let mut doc = table_document();
    let heads = doc.get_heads();
    assert!(matches!(
        kind::edit::<Table>(&mut doc, &Stamp::default(), |t| t.score(
            "c2",
            "p1",
            Score {
                haalbaarheid: 6,
                effect: 3
            }
        )),
        Err(DocError::Invalid(_))
    ));
    assert_eq!(
        kind::edit::<Table>(&mut doc, &Stamp::default(), |t| t.score(
            "c2",
            "stranger",
            Score {
                haalbaarheid: 3,
                effect: 3
            }
        )),
        Err(DocError::NotFound)
    );
    assert_eq!(
        kind::edit::<Table>(&mut doc, &Stamp::default(), |t| t.score(
            "c1",
            "p1",
            Score {
                haalbaarheid: 3,
                effect: 3
            }
        )),
        Err(DocError::NotFound),
        "only pistes are scored"
    );
    assert_eq!(doc.get_heads(), heads);
}

#[test]
fn a_campaign_keeps_working_links_when_cards_are_moved_or_merged() {
    let mut doc = table_document();
    kind::edit::<Table>(&mut doc, &Stamp::default(), |t| {
        t.add_card("c4".into(), Section::Oorzaak, "Slechte ventilatie", "p1")?;
        t.link("l1".into(), "c4", "c1", Relation::OorzaakGevolg)?;
        t.link("l2".into(), "c1", "c3", Relation::ProbleemOplossing)
    })
    .unwrap();
    let table = kind::read::<Table>(&doc).unwrap();
    let mut campaign = Campaign::compose(
        "Droge woningen",
        "table-1",
        &table,
        &["c1".into(), "c4".into(), "c3".into()],
    )
    .unwrap();
    campaign.commitment.0 = "Wij pakken schimmel samen aan.".into();
    // On the board, later: c4 moves to effects, c3 is merged into c2.
    kind::edit::<Table>(&mut doc, &Stamp::default(), |t| {
        t.move_card("c4", Section::Effect)?;
        t.merge_cards("c3", "c2")
    })
    .unwrap();
    let table = kind::read::<Table>(&doc).unwrap();
    for part in &campaign.parts {
        assert!(
            table.resolve(&part.card).is_some(),
            "{} still resolves",
            part.card
        );
    }
    assert_eq!(
        table.resolve("c3").unwrap().id,
        "c2",
        "a merged card points to where it went"
    );
    assert_eq!(table.resolve("c4").unwrap().section, Section::Effect);
    assert!(
        table
            .resolve("c2")
            .unwrap()
            .text
            .as_str()
            .contains("Premie voor ventilatie")
    );
    assert_eq!(
        table.column(Section::Piste).count(),
        1,
        "the merged card is hidden"
    );
    // The link to c3 now shows as a link to c2.
    let links = table.visible_links();
    assert!(links.iter().any(|(from, to, r)| from.id == "c1"
        && to.id == "c2"
        && *r == Relation::ProbleemOplossing));
    // Scores given to the merged card count for the card it went into.
    kind::edit::<Table>(&mut doc, &Stamp::default(), |t| {
        t.score(
            "c2",
            "p1",
            Score {
                haalbaarheid: 5,
                effect: 5,
            },
        )
    })
    .unwrap();
    assert_eq!(
        kind::read::<Table>(&doc)
            .unwrap()
            .assessment("c2")
            .unwrap()
            .scores,
        1
    );
    // A campaign needs a piste.
    assert!(matches!(
        Campaign::compose("Zonder piste", "table-1", &table, &["c1".into()]),
        Err(DocError::Invalid(_))
    ));
}

#[test]
fn changing_the_text_after_signing_marks_signatures_as_earlier_versions() {
    let table = kind::read::<Table>(&table_document()).unwrap();
    let mut campaign =
        Campaign::compose("Droge woningen", "table-1", &table, &["c2".into()]).unwrap();
    assert!(
        matches!(
            campaign.sign("WGC", "An", "2026-11-23 10:00", ""),
            Err(DocError::Invalid(_))
        ),
        "nothing to sign yet"
    );
    campaign.commitment.0 = "Wij zetten samen een schimmelteam op.".into();
    let mut a = new_campaign_document(&campaign, &Stamp::default());
    let mut b = a.fork();
    // Two organisations sign at the same time on their own devices.
    kind::edit::<Campaign>(&mut a, &Stamp::default(), |c| {
        c.sign("WGC De Kaai", "An", "2026-11-23 10:00", "")
    })
    .unwrap();
    kind::edit::<Campaign>(&mut b, &Stamp::default(), |c| {
        c.sign("OCMW", "Bert", "2026-11-23 10:01", "")
    })
    .unwrap();
    a.merge(&mut b).unwrap();
    let signed = kind::read::<Campaign>(&a).unwrap();
    assert_eq!(signed.signatures.len(), 2);
    assert!(
        signed
            .signatures
            .iter()
            .all(|s| signed.signature_state(s) == SignatureState::Current)
    );
    // Then someone edits the text: both signatures are for an earlier version.
    kind::edit::<Campaign>(&mut a, &Stamp::default(), |c| {
        c.commitment.0.push_str(" Start in januari.");
        Ok(())
    })
    .unwrap();
    let edited = kind::read::<Campaign>(&a).unwrap();
    assert!(
        edited
            .signatures
            .iter()
            .all(|s| edited.signature_state(s) == SignatureState::EarlierVersion)
    );
    // Signing again makes that organisation's signature current.
    kind::edit::<Campaign>(&mut a, &Stamp::default(), |c| {
        c.sign("OCMW", "Bert", "2026-11-23 11:00", "")
    })
    .unwrap();
    let resigned = kind::read::<Campaign>(&a).unwrap();
    let states: Vec<_> = resigned
        .signatures
        .iter()
        .map(|s| (s.organisation.as_str(), resigned.signature_state(s)))
        .collect();
    assert!(states.contains(&("OCMW", SignatureState::Current)));
    assert!(states.contains(&("WGC De Kaai", SignatureState::EarlierVersion)));
}

#[test]
fn signals_linked_to_no_knelpunt_need_attention() {
    let mut reg = register::seed_document();
    assert_eq!(
        reg.get_heads(),
        register::seed_document().get_heads(),
        "one seed everywhere"
    );
    let plan_id = DocumentId::from_random_bytes([7; 16]);
    let mut plan = regie_core::plan::Plan::new("ledeberg");
    for (id, what) in [("s1", "Schimmel"), ("s2", "Geen huisarts"), ("s3", "Vocht")] {
        plan.add_signal(
            id.into(),
            &SignalForm {
                what: what.into(),
                date: "2026-11-20".into(),
                ..SignalForm::default()
            },
            None,
        )
        .unwrap();
    }
    kind::edit::<Register>(&mut reg, &Stamp::default(), |r| {
        r.add_knelpunt(
            "k1".into(),
            &KnelpuntForm {
                title: "Vochtige sociale woningen".into(),
                question: "Hoe pakken wonen en gezondheid schimmel samen aan?".into(),
                domains: vec!["wonen".into(), "gezondheid".into()],
                raised_by: "Hilde Reynvoet".into(),
                date: "2026-11-21".into(),
            },
        )?;
        r.link_signal("k1", SignalRef::new(&plan_id, "s1"), true)?;
        r.link_signal("k1", SignalRef::new(&plan_id, "s3"), true)
    })
    .unwrap();
    let register = kind::read::<Register>(&reg).unwrap();
    assert_eq!(register.knelpunten[0].signals.len(), 2);
    let all: Vec<_> = plan.signals.iter().map(|s| (plan_id, s)).collect();
    let attention: Vec<&str> = register
        .needs_attention(&all)
        .iter()
        .map(|(_, s)| s.id.as_str())
        .collect();
    assert_eq!(attention, ["s2"]);
    // Unknown domains and bad dates are refused; nothing is written.
    let heads = reg.get_heads();
    assert_eq!(
        kind::edit::<Register>(&mut reg, &Stamp::default(), |r| r.add_knelpunt(
            "k2".into(),
            &KnelpuntForm {
                title: "X".into(),
                date: "2026-11-21".into(),
                domains: vec!["nope".into()],
                ..KnelpuntForm::default()
            }
        )),
        Err(DocError::NotFound)
    );
    assert!(
        kind::edit::<Register>(&mut reg, &Stamp::default(), |r| r.add_knelpunt(
            "k2".into(),
            &KnelpuntForm {
                title: "".into(),
                date: "21/11".into(),
                ..KnelpuntForm::default()
            }
        ))
        .is_err()
    );
    assert_eq!(reg.get_heads(), heads);
    assert_eq!(register.domains.len(), 21, "every domain of seed 003");
    // Plans are listed once, so every device can fetch them all.
    kind::edit::<Register>(&mut reg, &Stamp::default(), |r| {
        r.add_plan(&plan_id, "ledeberg");
        r.add_plan(&plan_id, "ledeberg");
        Ok(())
    })
    .unwrap();
    assert_eq!(kind::read::<Register>(&reg).unwrap().plan_ids(), [plan_id]);
}

#[test]
fn only_the_facilitator_moves_the_phase_and_hands_the_role_on() {
    use regie_core::roundtable::Phase;
    let mut table = Table::new("Schimmel", None, Vec::new(), None)
        .unwrap()
        .led_by("hilde");
    table.join(participant("hilde", "Dienst Wonen")).unwrap();
    table.join(participant("leen", "WGC De Kaai")).unwrap();
    assert_eq!(
        table.lead_phase("leen", Phase::Pistes),
        Err(DocError::NotFacilitator)
    );
    assert_eq!(
        table.phase,
        Phase::Verkennen,
        "a participant's click moves nothing"
    );
    assert_eq!(
        table.check_leads("leen"),
        Err(DocError::NotFacilitator),
        "nor the timer"
    );
    table.propose_phase("leen", Phase::Pistes);
    assert_eq!(table.proposals.get("leen"), Some(&Phase::Pistes));
    table.lead_phase("hilde", Phase::Pistes).unwrap();
    assert_eq!(table.phase, Phase::Pistes);
    assert!(table.proposals.is_empty(), "a move answers the proposals");
    assert_eq!(table.hand_over("hilde", "nobody"), Err(DocError::NotFound));
    assert_eq!(
        table.hand_over("leen", "leen"),
        Err(DocError::NotFacilitator)
    );
    table.hand_over("hilde", "leen").unwrap();
    assert!(table.leads("leen") && !table.leads("hilde"));
    // An older table names no facilitator: anyone who may edit leads.
    let older = Table::new("Ouder", None, Vec::new(), None).unwrap();
    assert!(older.leads("anyone"));
}

#[test]
fn the_piste_the_partners_disagree_on_most_is_the_next_topic() {
    let mut table = Table::new("Schimmel", None, Vec::new(), None).unwrap();
    for who in ["a", "b", "c"] {
        table.join(participant(who, "org")).unwrap();
    }
    for (id, text) in [
        ("p1", "Woonzoekteam"),
        ("p2", "Vochtmeters"),
        ("p3", "Nieuwe folder"),
    ] {
        table
            .add_card(id.into(), Section::Piste, text, "a")
            .unwrap();
    }
    assert_eq!(table.most_disputed(), None, "nothing scored");
    let score = |h, e| Score {
        haalbaarheid: h,
        effect: e,
    };
    // p1: everyone agrees; p2: a split on effect; p3: one voice only.
    for (who, p1, p2) in [
        ("a", score(4, 4), score(2, 5)),
        ("b", score(4, 4), score(3, 1)),
        ("c", score(4, 4), score(2, 4)),
    ] {
        table.score("p1", who, p1).unwrap();
        table.score("p2", who, p2).unwrap();
    }
    table.score("p3", "a", score(1, 5)).unwrap();
    assert_eq!(table.most_disputed().map(|c| c.id.as_str()), Some("p2"));
    // Once everyone agrees on p2 too, nothing is disputed.
    for who in ["a", "b", "c"] {
        table.score("p2", who, score(3, 3)).unwrap();
    }
    assert_eq!(table.most_disputed(), None);
}

#[test]
fn a_removed_card_leaves_the_board_and_its_links_but_still_resolves() {
    let mut table = Table::new("Schimmel", None, Vec::new(), None).unwrap();
    table
        .add_card("c1".into(), Section::Oorzaak, "Slechte ventilatie", "a")
        .unwrap();
    table
        .add_card("p1".into(), Section::Piste, "Ventilatiepremie", "a")
        .unwrap();
    table
        .link("l1".into(), "c1", "p1", Relation::ProbleemOplossing)
        .unwrap();
    assert_eq!(table.visible_links().len(), 1);
    table.remove_card("p1").unwrap();
    assert_eq!(table.column(Section::Piste).count(), 0, "off the board");
    assert!(table.visible_links().is_empty(), "its links too");
    assert!(table.named_links().is_empty());
    assert_eq!(
        table.resolve("p1").map(|c| c.text.0.as_str()),
        Some("Ventilatiepremie"),
        "a campaign that names it still finds it"
    );
    assert_eq!(table.remove_card("nope"), Err(DocError::NotFound));
}

#[test]
fn scores_show_per_person_and_per_organisation() {
    let mut table = Table::new("Schimmel", None, Vec::new(), None).unwrap();
    // Two people of OCMW share one tablet; a third sits at another.
    table.join(participant("tablet-1", "OCMW")).unwrap();
    table.join(participant("tablet-1-b", "OCMW")).unwrap();
    table.join(participant("laptop", "WGC")).unwrap();
    table
        .add_card("p".into(), Section::Piste, "Woonzoekteam", "a")
        .unwrap();
    let score = |h, e| Score {
        haalbaarheid: h,
        effect: e,
    };
    table.score("p", "tablet-1", score(2, 4)).unwrap();
    table.score("p", "tablet-1-b", score(4, 4)).unwrap();
    table.score("p", "laptop", score(5, 1)).unwrap();
    let people: Vec<(&str, u64, u64)> = table
        .scores_for("p")
        .into_iter()
        .map(|(who, s)| (who, s.haalbaarheid, s.effect))
        .collect();
    assert_eq!(
        people,
        [("laptop", 5, 1), ("tablet-1", 2, 4), ("tablet-1-b", 4, 4)]
    );
    let organisations: Vec<(String, usize, f64, f64)> = table
        .assessment_by_organisation("p")
        .into_iter()
        .map(|(org, a)| (org, a.scores, a.haalbaarheid, a.effect))
        .collect();
    assert_eq!(
        organisations,
        [
            ("OCMW".to_owned(), 2, 3.0, 4.0),
            ("WGC".to_owned(), 1, 5.0, 1.0)
        ]
    );
    assert_eq!(table.assessment("p").unwrap().scores, 3);
}
