//! The wijkbudget of seed 004 (`regie_core::plan::budget`): envelopes per
//! round and a fund for acute needs, the acties' lines counted against
//! them, set on two tablets at once; and the "acute nood" flag.

use regie_core::author::Stamp;
use regie_core::plan::budget::{self, Fund};
use regie_core::plan::{BudgetForm, Status, edit_plan, new_plan_document, read_plan};

fn line(label: &str, planned: &str, committed: &str, spent: &str) -> BudgetForm {
    BudgetForm {
        label: label.into(),
        planned: planned.into(),
        committed: committed.into(),
        spent: spent.into(),
        wijkbudget: true,
        ..BudgetForm::default()
    }
}

#[test]
fn lines_count_against_the_envelope_of_their_round_and_fund() {
    let mut doc = new_plan_document("ledeberg", &Stamp::default());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("a".into(), "Ontmoeting")?;
        p.add_action("a", "x".into(), "Buurtsoep", Status::Lopend)?;
        p.add_action("a", "y".into(), "Noodhulp", Status::Lopend)?;
        p.add_budget_line("x", "b1".into(), &line("Zaal", "1.000", "800", "500"))?;
        p.add_budget_line(
            "x",
            "b2".into(),
            &BudgetForm {
                round: "2".into(),
                ..line("Soep", "300", "", "")
            },
        )?;
        p.add_budget_line(
            "y",
            "b3".into(),
            &BudgetForm {
                acute: true,
                ..line("Pakketten", "200", "250", "100")
            },
        )?;
        // Not from the wijkbudget: not counted against it.
        p.add_budget_line(
            "y",
            "b4".into(),
            &BudgetForm {
                wijkbudget: false,
                ..line("Eigen middelen", "999", "", "")
            },
        )?;
        Ok(())
    })
    .unwrap();
    // Two tablets set different envelopes at the same time: both stay.
    let mut other = doc.fork();
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.set_envelope(Fund::Wijkbudget, 1, "150.000")
    })
    .unwrap();
    edit_plan(&mut other, &Stamp::default(), |p| {
        p.set_envelope(Fund::AcuteNood, 1, "10.000")
    })
    .unwrap();
    doc.merge(&mut other).unwrap();
    let plan = read_plan(&doc).unwrap();

    // fund, round, envelope, planned, committed, spent, remaining
    type Row = (Fund, u64, Option<i64>, i64, i64, i64, Option<i64>);
    let rows: Vec<Row> = budget::summary(&plan)
        .into_iter()
        .map(|(u, used)| {
            (
                u.fund,
                u.round,
                u.envelope,
                u.planned,
                u.committed,
                u.spent,
                u.remaining(used),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                Fund::Wijkbudget,
                1,
                Some(15_000_000),
                100_000,
                80_000,
                50_000,
                Some(14_900_000)
            ),
            (Fund::Wijkbudget, 2, None, 30_000, 0, 0, None),
            (
                Fund::AcuteNood,
                1,
                Some(1_000_000),
                20_000,
                25_000,
                10_000,
                Some(975_000)
            ),
        ]
    );
}

#[test]
fn envelopes_and_rounds_are_checked_and_an_empty_amount_removes_one() {
    let mut plan = regie_core::plan::Plan::new("ledeberg");
    assert!(plan.set_envelope(Fund::Wijkbudget, 0, "100").is_err());
    assert!(plan.set_envelope(Fund::Wijkbudget, 10, "100").is_err());
    assert!(plan.set_envelope(Fund::Wijkbudget, 1, "-5").is_err());
    assert!(plan.set_envelope(Fund::Wijkbudget, 1, "veel").is_err());
    plan.set_envelope(Fund::Wijkbudget, 2, "350.000").unwrap();
    assert_eq!(plan.envelopes.get("wijkbudget/2"), Some(&35_000_000));
    plan.set_envelope(Fund::Wijkbudget, 2, " ").unwrap();
    assert!(plan.envelopes.is_empty());
    plan.add_ambition("a".into(), "A").unwrap();
    plan.add_action("a", "x".into(), "X", Status::Idee).unwrap();
    let bad_round = BudgetForm {
        round: "3e".into(),
        ..line("Zaal", "10", "", "")
    };
    assert!(plan.add_budget_line("x", "b".into(), &bad_round).is_err());
    plan.set_acute("x", true).unwrap();
    assert!(plan.action("x").unwrap().acute);
    assert!(plan.set_acute("nope", true).is_err());
}

#[test]
fn a_signal_link_still_writes_on_a_plan_an_older_version_made() {
    use automerge::transaction::Transactable as _;
    use automerge::{ObjType, ROOT, ReadDoc as _};
    use regie_core::plan::{SignalForm, write_signals};
    use regie_core::scope::signals_only;

    // A plan as an older version wrote it: no envelopes, an actie without
    // the acute flag.
    let mut doc = new_plan_document("ledeberg", &Stamp::default());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("a".into(), "Ontmoeting")?;
        p.add_action("a", "x".into(), "Buurtsoep", Status::Lopend)
    })
    .unwrap();
    let mut tx = doc.transaction();
    tx.delete(ROOT, "envelopes").unwrap();
    let ambitions = tx.get(ROOT, "ambitions").unwrap().unwrap().1;
    let ambition = tx.get(&ambitions, 0).unwrap().unwrap().1;
    let actions = tx.get(&ambition, "actions").unwrap().unwrap().1;
    let action = tx.get(&actions, 0).unwrap().unwrap().1;
    tx.delete(&action, "acute").unwrap();
    tx.commit();
    assert_eq!(doc.object_type(&action).unwrap(), ObjType::Map);

    let before = read_plan(&doc).unwrap();
    let mut after = before.clone();
    let form = SignalForm {
        what: "Eenzame senioren".into(),
        date: "2026-12-08".into(),
        ..SignalForm::default()
    };
    after
        .add_signal("s1".into(), &form, Some("link-1"))
        .unwrap();

    // A full write fills in the new fields, which a signal link may not.
    let mut full = doc.clone();
    regie_core::plan::write_plan(&mut full, &Stamp::default(), &after).unwrap();
    let changes = full.get_changes(&doc.get_heads());
    assert!(signals_only::check(&doc, &changes, Some("link-1")).is_err());

    // Writing only the signals passes, and the signal is there.
    let mut only = doc.clone();
    write_signals(
        &mut only,
        &Stamp::default(),
        &before.signals,
        &after.signals,
    )
    .unwrap();
    let changes = only.get_changes(&doc.get_heads());
    signals_only::check(&doc, &changes, Some("link-1")).unwrap();
    assert_eq!(read_plan(&only).unwrap().signals, after.signals);
    // Removing a signal is not something a signal link writes.
    assert!(write_signals(&mut only, &Stamp::default(), &after.signals, &[]).is_err());
}
