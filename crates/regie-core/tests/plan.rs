//! The wijkactieplan's behaviour as the team uses it: roll-up, table
//! queries, signals, old documents, and two people editing one actie.

use automerge::transaction::Transactable as _;
use automerge::{Automerge, ObjType, ROOT};
use regie_core::author::Stamp;
use regie_core::kind::DocError;
use regie_core::plan::query::{Filter, SortKey, rows};
use regie_core::plan::{
    BudgetForm, Circle, DetailsForm, IndicatorForm, NoteForm, Plan, SignalForm, Status, TextField,
    edit_plan, edit_text, progress, read_plan, read_plan_by_fields, signals, write_plan,
};

fn plan_with(actions: &[(&str, Status, Option<u64>, u64)]) -> Plan {
    let mut plan = Plan::new("ledeberg");
    plan.add_ambition("a1".into(), "Eenzaamheid verminderen")
        .unwrap();
    plan.add_ambition("a2".into(), "Gezond in de wijk").unwrap();
    for (i, (id, status, override_, weight)) in actions.iter().enumerate() {
        let ambition = if i % 2 == 0 { "a1" } else { "a2" };
        plan.add_action(ambition, (*id).into(), id, *status)
            .unwrap();
        let action = plan.action_mut(id).unwrap();
        action.progress = *override_;
        action.weight = *weight;
    }
    plan
}

#[test]
fn progress_rolls_up_weighted_and_skips_stopped_actions() {
    let plan = plan_with(&[
        ("x1", Status::Afgerond, None, 1),   // 100, ambitie a1
        ("x2", Status::Lopend, None, 3),     // 50 ×3, ambitie a2
        ("x3", Status::Idee, None, 1),       // 0, ambitie a1
        ("x4", Status::Lopend, Some(80), 1), // 80 (override), ambitie a2
        ("x5", Status::Stopgezet, None, 5),  // left out
    ]);
    assert_eq!(progress::of_ambition(&plan.ambitions[0]), Some(50.0));
    assert_eq!(
        progress::of_ambition(&plan.ambitions[1]),
        Some((150.0 + 80.0) / 4.0)
    );
    // Plan: (100 + 150 + 0 + 80) / (1 + 3 + 1 + 1) = 55.
    assert_eq!(progress::of_plan(&plan), Some(55.0));
    assert_eq!(progress::label(progress::of_plan(&plan)), "55 %");
    assert_eq!(progress::of_plan(&Plan::new("ledeberg")), None);
    assert_eq!(progress::label(None), "–");
}

#[test]
fn status_defaults_give_way_to_an_override() {
    let plan = plan_with(&[
        ("x1", Status::Gepland, None, 1),
        ("x2", Status::Gepland, Some(35), 1),
    ]);
    assert_eq!(progress::of_action(plan.action("x1").unwrap()), 10);
    assert_eq!(progress::of_action(plan.action("x2").unwrap()), 35);
}

#[test]
fn table_filters_and_sorts() {
    let mut plan = plan_with(&[
        ("Buurtsoep", Status::Lopend, None, 1),
        ("Huisbezoeken", Status::Gepland, None, 1),
        ("Fietsherstel", Status::Afgerond, None, 1),
        ("Telefooncirkel", Status::Lopend, None, 1),
    ]);
    let set = |plan: &mut Plan, id: &str, thema: &str, trekker: &str, end: Option<&str>| {
        let a = plan.action_mut(id).unwrap();
        a.thema = thema.into();
        a.trekker = trekker.into();
        a.end = end.map(Into::into);
    };
    set(&mut plan, "Buurtsoep", "ouderen", "ldc", Some("2026-01-31"));
    set(
        &mut plan,
        "Huisbezoeken",
        "ouderen",
        "wgc",
        Some("2027-06-30"),
    );
    set(
        &mut plan,
        "Fietsherstel",
        "sport",
        "ldc",
        Some("2025-12-01"),
    );
    set(&mut plan, "Telefooncirkel", "gezondheid", "ocmw", None);
    plan.action_mut("Telefooncirkel").unwrap().partners = vec!["ldc".into()];
    let today = "2026-11-23";
    let titles = |filter: &Filter, sort: SortKey, desc: bool| -> Vec<String> {
        rows(&plan, filter, sort, desc, today, str::to_owned)
            .iter()
            .map(|r| r.action.title.clone())
            .collect()
    };
    let all = Filter::default();
    assert_eq!(
        titles(&all, SortKey::Title, false),
        [
            "Buurtsoep",
            "Fietsherstel",
            "Huisbezoeken",
            "Telefooncirkel"
        ]
    );
    assert_eq!(
        titles(&all, SortKey::End, false),
        [
            "Fietsherstel",
            "Buurtsoep",
            "Huisbezoeken",
            "Telefooncirkel"
        ]
    );
    assert_eq!(titles(&all, SortKey::Progress, true)[0], "Fietsherstel");
    let lopend = Filter {
        status: Some(Status::Lopend),
        ..Filter::default()
    };
    assert_eq!(
        titles(&lopend, SortKey::Title, false),
        ["Buurtsoep", "Telefooncirkel"]
    );
    let ouderen = Filter {
        thema: Some("ouderen".into()),
        ..Filter::default()
    };
    assert_eq!(
        titles(&ouderen, SortKey::Title, false),
        ["Buurtsoep", "Huisbezoeken"]
    );
    // A partner filter finds acties the organisation leads or joins.
    let ldc = Filter {
        partner: Some("ldc".into()),
        ..Filter::default()
    };
    assert_eq!(
        titles(&ldc, SortKey::Title, false),
        ["Buurtsoep", "Fietsherstel", "Telefooncirkel"]
    );
    let led_by_ldc = Filter {
        trekker: Some("ldc".into()),
        ..Filter::default()
    };
    assert_eq!(
        titles(&led_by_ldc, SortKey::Title, false),
        ["Buurtsoep", "Fietsherstel"]
    );
    // Overdue: past the end date and not closed (Fietsherstel is done).
    let overdue = Filter {
        overdue: true,
        ..Filter::default()
    };
    assert_eq!(titles(&overdue, SortKey::Title, false), ["Buurtsoep"]);
}

#[test]
fn signals_count_per_thema_and_recurrences_group() {
    let mut plan = plan_with(&[("x1", Status::Lopend, None, 1)]);
    let form = |what: &str, thema: &str, same_as: &str| SignalForm {
        what: what.into(),
        thema: thema.into(),
        date: "2026-11-20".into(),
        same_as: same_as.into(),
        ..SignalForm::default()
    };
    plan.add_signal(
        "s1".into(),
        &form("Schimmel in sociale woningen", "wonen", ""),
        None,
    )
    .unwrap();
    plan.add_signal(
        "s2".into(),
        &form("Vocht en schimmel, Bomastraat", "wonen", "s1"),
        None,
    )
    .unwrap();
    plan.add_signal("s3".into(), &form("Geen huisarts", "gezondheid", ""), None)
        .unwrap();
    plan.add_signal(
        "s4".into(),
        &form("Schimmel, kinderen ziek", "gezondheid", "s2"),
        None,
    )
    .unwrap();
    assert_eq!(
        signals::count_by_thema(&plan.signals),
        [("gezondheid".to_owned(), 2), ("wonen".to_owned(), 2)]
    );
    assert_eq!(signals::recurrences(&plan.signals), [("s1".to_owned(), 3)]);
    // A link to a signal that does not exist is refused; nothing is added.
    assert_eq!(
        plan.add_signal("s5".into(), &form("x", "wonen", "nope"), None),
        Err(DocError::NotFound)
    );
    assert_eq!(plan.signals.len(), 4);
    // A cycle (two people linking each other's signals at once) ends the walk.
    plan.signals[0].same_as = Some("s4".into());
    // s1 → s4 → s2 → s1 is still one problem, named after its smallest id.
    assert_eq!(signals::recurrences(&plan.signals), [("s1".to_owned(), 3)]);
    plan.link_signal("s3", "x1", true).unwrap();
    assert_eq!(plan.signals[2].actions, ["x1"]);
}

#[test]
fn a_signal_needs_what_and_a_valid_date() {
    let mut plan = Plan::new("ledeberg");
    let err = plan
        .add_signal(
            "s1".into(),
            &SignalForm {
                date: "2026-02-30".into(),
                ..SignalForm::default()
            },
            None,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Vul dit veld in. Dit is geen geldige datum; gebruik de vorm jjjj-mm-dd."
    );
    assert!(plan.signals.is_empty());
}

#[test]
fn details_indicators_budget_and_notes_round_trip_through_the_document() {
    let mut doc = regie_core::plan::new_plan_document("rabot-blaisantvest", &Stamp::default());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "Iedereen een huisarts")?;
        p.add_action("a1", "x1".into(), "Huisartsenzoeker", Status::Idee)
    })
    .unwrap();
    let before = read_plan(&doc).unwrap().action("x1").unwrap().details();
    let form = DetailsForm {
        title: "Huisartsenzoeker in het buurthuis".into(),
        thema: "gezondheid".into(),
        trekker: "wgc".into(),
        partners: vec!["ocmw".into(), "ocmw".into(), "ldc".into()],
        status: Some(Status::Lopend),
        progress: "40".into(),
        weight: "2".into(),
        start: "2026-09-01".into(),
        end: "2027-06-30".into(),
    };
    let details = form.check().unwrap();
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.set_details("x1", details, &before)?;
        p.add_indicator(
            "x1",
            "i1".into(),
            &IndicatorForm {
                text: "Mensen met een vaste huisarts".into(),
                target: "40".into(),
                measured: "12".into(),
            },
        )?;
        p.add_budget_line(
            "x1",
            "b1".into(),
            &BudgetForm {
                label: "Drukwerk".into(),
                planned: "1.250,50".into(),
                spent: "300".into(),
                wijkbudget: true,
                ..BudgetForm::default()
            },
        )?;
        p.add_note(
            "x1",
            "n1".into(),
            &NoteForm {
                date: "2026-11-20".into(),
                author: "Nele".into(),
                text: "Eerste zitdag: 9 mensen.".into(),
            },
        )?;
        p.set_member("wgc", Some(Circle::Wijkactieteam))?;
        p.set_member("politie", Some(Circle::Netwerk))
    })
    .unwrap();
    edit_text(
        &mut doc,
        &Stamp::default(),
        TextField::Description("x1"),
        "Elke dinsdag in het buurthuis.",
    )
    .unwrap();
    let loaded = Automerge::load(&doc.save()).unwrap();
    let plan = read_plan(&loaded).unwrap();
    // The one-pass reader and autosurgeon read every field the same.
    assert_eq!(plan, read_plan_by_fields(&loaded).unwrap());
    let action = plan.action("x1").unwrap();
    assert_eq!(action.partners, ["ocmw", "ldc"]);
    assert_eq!((action.progress, action.weight), (Some(40), 2));
    assert_eq!(action.end.as_deref(), Some("2027-06-30"));
    assert_eq!(action.indicators[0].measured, Some(12.0));
    assert_eq!(action.budget_totals(), (125_050, 30_000));
    assert_eq!(plan.budget_totals(), (125_050, 30_000, 125_050));
    assert_eq!(regie_core::plan::euro_label(125_050), "€ 1.250,50");
    assert_eq!(action.notes[0].text.as_str(), "Eerste zitdag: 9 mensen.");
    assert_eq!(
        action.description.as_str(),
        "Elke dinsdag in het buurthuis."
    );
    assert_eq!(plan.members.len(), 2);
    assert_eq!(plan.schema, regie_core::plan::SCHEMA_VERSION);
}

#[test]
fn a_bad_form_saves_nothing() {
    let mut doc = regie_core::plan::new_plan_document("ledeberg", &Stamp::default());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "A")?;
        p.add_action("a1", "x1".into(), "X", Status::Idee)
    })
    .unwrap();
    let heads = doc.get_heads();
    let bad_budget = edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_budget_line(
            "x1",
            "b1".into(),
            &BudgetForm {
                label: "Huur zaal".into(),
                planned: "-20".into(),
                ..BudgetForm::default()
            },
        )
    });
    assert_eq!(
        bad_budget.unwrap_err().to_string(),
        "Een bedrag kan niet negatief zijn."
    );
    let bad_dates = DetailsForm {
        title: "X".into(),
        start: "2026-05-01".into(),
        end: "2026-01-01".into(),
        ..DetailsForm::default()
    };
    assert!(bad_dates.check().is_err());
    assert_eq!(doc.get_heads(), heads);
}

/// A document as schema 1 wrote it: titles and statuses only.
fn schema_1_document() -> Automerge {
    let mut doc = Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "schema", 1u64)?;
        tx.put(ROOT, "kind", "wijkactieplan")?;
        tx.put(ROOT, "wijk", "ledeberg")?;
        let ambitions = tx.put_object(ROOT, "ambitions", ObjType::List)?;
        let ambition = tx.insert_object(&ambitions, 0, ObjType::Map)?;
        tx.put(&ambition, "id", "a1")?;
        tx.put(&ambition, "title", "Ontmoeting")?;
        let actions = tx.put_object(&ambition, "actions", ObjType::List)?;
        let action = tx.insert_object(&actions, 0, ObjType::Map)?;
        tx.put(&action, "id", "x1")?;
        tx.put(&action, "title", "Buurtsoep")?;
        tx.put(&action, "status", "Lopend")?;
        Ok(())
    })
    .unwrap();
    doc
}

#[test]
fn a_schema_1_document_opens_and_upgrades_on_the_first_edit() {
    let mut doc = schema_1_document();
    let plan = read_plan(&doc).unwrap();
    assert_eq!(plan, read_plan_by_fields(&doc).unwrap());
    let action = plan.action("x1").unwrap();
    assert_eq!(
        (action.status, action.weight, action.progress),
        (Status::Lopend, 1, None)
    );
    assert_eq!(action.description.as_str(), "");
    assert!(plan.signals.is_empty() && plan.members.is_empty());
    // Typing into a description the old schema never had creates it.
    edit_text(
        &mut doc,
        &Stamp::default(),
        TextField::Description("x1"),
        "Soep en babbel",
    )
    .unwrap();
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.set_status("x1", Status::Afgerond)
    })
    .unwrap();
    let plan = read_plan(&doc).unwrap();
    assert_eq!(plan.schema, 2);
    assert_eq!(
        plan.action("x1").unwrap().description.as_str(),
        "Soep en babbel"
    );
    assert_eq!(plan.action("x1").unwrap().status, Status::Afgerond);
}

#[test]
fn two_people_editing_different_fields_of_one_action_both_win() {
    let mut a = regie_core::plan::new_plan_document("ledeberg", &Stamp::default());
    edit_plan(&mut a, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "A")?;
        p.add_action("a1", "x1".into(), "Buurtsoep", Status::Gepland)
    })
    .unwrap();
    let mut b = a.fork();
    // Both open the details form at the same moment.
    let before = read_plan(&a).unwrap().action("x1").unwrap().details();
    let mut on_a = before.clone();
    on_a.end = Some("2027-01-31".into());
    let mut on_b = before.clone();
    on_b.status = Status::Lopend;
    on_b.trekker = "ldc".into();
    edit_plan(&mut a, &Stamp::default(), |p| {
        p.set_details("x1", on_a, &before)
    })
    .unwrap();
    edit_plan(&mut b, &Stamp::default(), |p| {
        p.set_details("x1", on_b, &before)
    })
    .unwrap();
    a.merge(&mut b).unwrap();
    b.merge(&mut a).unwrap();
    let merged = read_plan(&a).unwrap();
    assert_eq!(merged, read_plan(&b).unwrap());
    assert_eq!(merged, read_plan_by_fields(&a).unwrap());
    let action = merged.action("x1").unwrap();
    assert_eq!(action.end.as_deref(), Some("2027-01-31"));
    assert_eq!(action.status, Status::Lopend);
    assert_eq!(action.trekker, "ldc");
}

#[test]
fn a_form_opened_before_someone_elses_edit_does_not_undo_it() {
    let mut doc = regie_core::plan::new_plan_document("ledeberg", &Stamp::default());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "A")?;
        p.add_action("a1", "x1".into(), "Buurtsoep", Status::Gepland)
    })
    .unwrap();
    // A opens the details form; then B's status change arrives.
    let opened = read_plan(&doc).unwrap().action("x1").unwrap().details();
    let mut other = doc.fork();
    edit_plan(&mut other, &Stamp::default(), |p| {
        p.set_status("x1", Status::Afgerond)
    })
    .unwrap();
    doc.merge(&mut other).unwrap();
    // A saves the form, having changed only the end date; the form still
    // shows the old status, which must not be written back.
    let mut submitted = opened.clone();
    submitted.end = Some("2027-03-31".into());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.set_details("x1", submitted, &opened)
    })
    .unwrap();
    let plan = read_plan(&doc).unwrap();
    let action = plan.action("x1").unwrap();
    assert_eq!(action.status, Status::Afgerond, "B's status survives");
    assert_eq!(action.end.as_deref(), Some("2027-03-31"));
}

#[test]
fn two_people_typing_in_one_description_keep_both_their_words() {
    let mut a = regie_core::plan::new_plan_document("ledeberg", &Stamp::default());
    edit_plan(&mut a, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "A")?;
        p.add_action("a1", "x1".into(), "Buurtsoep", Status::Gepland)
    })
    .unwrap();
    edit_text(
        &mut a,
        &Stamp::default(),
        TextField::Description("x1"),
        "Soep op vrijdag.",
    )
    .unwrap();
    let mut b = a.fork();
    // Keystroke by keystroke, as the app sends them.
    let mut text_a = "Soep op vrijdag.".to_owned();
    for c in " Gratis voor wie het moeilijk heeft.".chars() {
        text_a.push(c);
        edit_text(
            &mut a,
            &Stamp::default(),
            TextField::Description("x1"),
            &text_a,
        )
        .unwrap();
    }
    let mut text_b = "Soep op vrijdag.".to_owned();
    for (i, c) in "Verse ".chars().enumerate() {
        text_b.insert(i + "Soep op ".len(), c);
        edit_text(
            &mut b,
            &Stamp::default(),
            TextField::Description("x1"),
            &text_b,
        )
        .unwrap();
    }
    a.merge(&mut b).unwrap();
    let merged = read_plan(&a).unwrap();
    assert_eq!(
        merged.action("x1").unwrap().description.as_str(),
        "Soep op Verse vrijdag. Gratis voor wie het moeilijk heeft."
    );
    // Accents count as one character each, wherever they are typed.
    edit_text(
        &mut a,
        &Stamp::default(),
        TextField::Description("x1"),
        "Één soep per café.",
    )
    .unwrap();
    let mut c = a.fork();
    edit_text(
        &mut a,
        &Stamp::default(),
        TextField::Description("x1"),
        "Één warme soep per café.",
    )
    .unwrap();
    edit_text(
        &mut c,
        &Stamp::default(),
        TextField::Description("x1"),
        "Één soep per café, élke week.",
    )
    .unwrap();
    a.merge(&mut c).unwrap();
    assert_eq!(
        read_plan(&a)
            .unwrap()
            .action("x1")
            .unwrap()
            .description
            .as_str(),
        "Één warme soep per café, élke week."
    );
    // A plan already read, patched with the same typing, equals a fresh read.
    let mut patched = read_plan(&a).unwrap();
    edit_text(
        &mut a,
        &Stamp::default(),
        TextField::Description("x1"),
        "Één warme soep, élke week.",
    )
    .unwrap();
    patched
        .set_text(TextField::Description("x1"), "Één warme soep, élke week.")
        .unwrap();
    assert_eq!(patched, read_plan(&a).unwrap());
    // Unchanged text writes nothing.
    let heads = a.get_heads();
    edit_text(
        &mut a,
        &Stamp::default(),
        TextField::Description("x1"),
        "Één warme soep, élke week.",
    )
    .unwrap();
    assert_eq!(a.get_heads(), heads);
    assert_eq!(
        edit_text(
            &mut a,
            &Stamp::default(),
            TextField::Description("nope"),
            "x"
        ),
        Err(DocError::NotFound)
    );
}

#[test]
fn a_whole_plan_survives_write_and_read() {
    let mut plan = plan_with(&[("x1", Status::Lopend, Some(20), 4)]);
    plan.set_member("ldc", Some(Circle::Netwerk)).unwrap();
    plan.set_member("ldc", Some(Circle::Wijkactieteam)).unwrap();
    plan.set_member("ocmw", Some(Circle::Netwerk)).unwrap();
    plan.set_member("ocmw", None).unwrap();
    let mut doc = Automerge::new();
    write_plan(&mut doc, &Stamp::default(), &plan).unwrap();
    let read = read_plan(&doc).unwrap();
    assert_eq!(read, plan);
    assert_eq!(read, read_plan_by_fields(&doc).unwrap());
    assert_eq!(read.members.len(), 1);
    assert_eq!(read.members[0].circle, Circle::Wijkactieteam);
}
