//! Reading a plan in one pass. autosurgeon looks every field up in the
//! document separately, which for a plan of 300 acties with a long history
//! takes four times longer than Automerge's own `hydrate`, which walks the
//! document once. Opening a plan and every remote change pay for a read, so
//! this reader converts that one-pass tree instead.
//!
//! It must read exactly what the autosurgeon mapping in [`super::model`]
//! writes; `tests/plan.rs` checks both readers agree. Anything unexpected
//! makes it give up (`None`), and [`super::read_plan`] falls back to
//! autosurgeon, which also explains what is wrong.

use automerge::hydrate::{Map, Value};
use automerge::{Automerge, ScalarValue};

use super::model::{
    Action, Ambition, BudgetLine, Circle, FollowUp, Indicator, LongText, Member, Plan, Signal,
    SignalKind,
};
use super::status::Status;

/// The plan in `doc`, or `None` if it is not shaped as this version writes.
pub(super) fn plan(doc: &Automerge) -> Option<Plan> {
    let Value::Map(root) = doc.hydrate(None) else {
        return None;
    };
    Some(Plan {
        schema: uint(root.get("schema")?)?,
        kind: string(root.get("kind")?)?,
        wijk: string(root.get("wijk")?)?,
        ambitions: maps(root.get("ambitions")?, ambition)?,
        members: or_default(root.get("members"), |v| maps(v, member))?,
        signals: or_default(root.get("signals"), |v| maps(v, signal))?,
        envelopes: or_default(root.get("envelopes"), envelopes)?,
    })
}

fn ambition(m: &Map) -> Option<Ambition> {
    Some(Ambition {
        id: string(m.get("id")?)?,
        title: string(m.get("title")?)?,
        actions: maps(m.get("actions")?, action)?,
    })
}

fn action(m: &Map) -> Option<Action> {
    Some(Action {
        id: string(m.get("id")?)?,
        title: string(m.get("title")?)?,
        status: status(m.get("status")?)?,
        description: or_default(m.get("description"), long_text)?,
        thema: or_default(m.get("thema"), string)?,
        trekker: or_default(m.get("trekker"), string)?,
        partners: or_default(m.get("partners"), strings)?,
        progress: optional(m.get("progress"), uint)?,
        weight: match m.get("weight") {
            None => 1,
            Some(v) => uint(v)?,
        },
        start: optional(m.get("start"), string)?,
        end: optional(m.get("end"), string)?,
        indicators: or_default(m.get("indicators"), |v| maps(v, indicator))?,
        budget: or_default(m.get("budget"), |v| maps(v, budget_line))?,
        notes: or_default(m.get("notes"), |v| maps(v, note))?,
        evaluation: or_default(m.get("evaluation"), long_text)?,
        origin: optional(m.get("origin"), string)?,
        acute: or_default(m.get("acute"), boolean)?,
    })
}

fn envelopes(v: &Value) -> Option<std::collections::HashMap<String, i64>> {
    let Value::Map(m) = v else {
        return None;
    };
    m.iter()
        .map(|(key, value)| Some((key.to_string(), int(&value.value)?)))
        .collect()
}

fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Scalar(ScalarValue::Boolean(b)) => Some(*b),
        _ => None,
    }
}

fn indicator(m: &Map) -> Option<Indicator> {
    Some(Indicator {
        id: string(m.get("id")?)?,
        text: string(m.get("text")?)?,
        target: optional(m.get("target"), float)?,
        measured: optional(m.get("measured"), float)?,
    })
}

fn budget_line(m: &Map) -> Option<BudgetLine> {
    Some(BudgetLine {
        id: string(m.get("id")?)?,
        label: string(m.get("label")?)?,
        planned_cents: int(m.get("planned_cents")?)?,
        spent_cents: int(m.get("spent_cents")?)?,
        wijkbudget: boolean(m.get("wijkbudget")?)?,
        committed_cents: or_default(m.get("committed_cents"), int)?,
        round: optional(m.get("round"), uint)?,
        acute: or_default(m.get("acute"), boolean)?,
    })
}

fn note(m: &Map) -> Option<FollowUp> {
    Some(FollowUp {
        id: string(m.get("id")?)?,
        date: string(m.get("date")?)?,
        author: string(m.get("author")?)?,
        text: long_text(m.get("text")?)?,
    })
}

fn member(m: &Map) -> Option<Member> {
    let circle = match string(m.get("circle")?)?.as_str() {
        "Wijkactieteam" => Circle::Wijkactieteam,
        "Netwerk" => Circle::Netwerk,
        _ => return None,
    };
    Some(Member {
        organisation: string(m.get("organisation")?)?,
        circle,
    })
}

fn signal(m: &Map) -> Option<Signal> {
    Some(Signal {
        id: string(m.get("id")?)?,
        what: string(m.get("what")?)?,
        place: string(m.get("place")?)?,
        thema: string(m.get("thema")?)?,
        source: string(m.get("source")?)?,
        date: string(m.get("date")?)?,
        actions: strings(m.get("actions")?)?,
        same_as: optional(m.get("same_as"), string)?,
        by_link: optional(m.get("by_link"), string)?,
        withdrawn: optional(m.get("withdrawn"), string)?,
        kind: optional(m.get("kind"), signal_kind)?,
        doelgroep: optional(m.get("doelgroep"), string)?,
    })
}

/// A signal kind is written as its variant name.
fn signal_kind(v: &Value) -> Option<SignalKind> {
    match string(v)?.as_str() {
        "Probleem" => Some(SignalKind::Probleem),
        "Tekort" => Some(SignalKind::Tekort),
        "Behoefte" => Some(SignalKind::Behoefte),
        _ => None,
    }
}

/// A status is written as its variant name, which is also its label.
fn status(v: &Value) -> Option<Status> {
    let name = string(v)?;
    Status::ALL.into_iter().find(|s| s.label() == name)
}

fn string(v: &Value) -> Option<String> {
    match v {
        Value::Scalar(ScalarValue::Str(s)) => Some(s.to_string()),
        Value::Text(t) => Some(String::from(t)),
        _ => None,
    }
}

fn long_text(v: &Value) -> Option<LongText> {
    string(v).map(LongText)
}

fn uint(v: &Value) -> Option<u64> {
    match v {
        Value::Scalar(ScalarValue::Uint(n)) => Some(*n),
        Value::Scalar(ScalarValue::Int(n)) => u64::try_from(*n).ok(),
        _ => None,
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Scalar(ScalarValue::Int(n)) => Some(*n),
        Value::Scalar(ScalarValue::Uint(n)) => i64::try_from(*n).ok(),
        _ => None,
    }
}

fn float(v: &Value) -> Option<f64> {
    match v {
        Value::Scalar(ScalarValue::F64(n)) => Some(*n),
        _ => None,
    }
}

fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::List(list) => list.iter().map(|item| string(&item.value)).collect(),
        _ => None,
    }
}

fn maps<T>(v: &Value, read: impl Fn(&Map) -> Option<T>) -> Option<Vec<T>> {
    match v {
        Value::List(list) => list
            .iter()
            .map(|item| match &item.value {
                Value::Map(m) => read(m),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// A field added after schema 1: absent means its default.
fn or_default<T: Default>(v: Option<&Value>, read: impl Fn(&Value) -> Option<T>) -> Option<T> {
    match v {
        None => Some(T::default()),
        Some(v) => read(v),
    }
}

/// An `Option` field: absent or null is `None`.
fn optional<T>(v: Option<&Value>, read: impl Fn(&Value) -> Option<T>) -> Option<Option<T>> {
    match v {
        None | Some(Value::Scalar(ScalarValue::Null)) => Some(None),
        Some(v) => read(v).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::author::Stamp;
    use crate::plan::{
        BudgetForm, IndicatorForm, NoteForm, SignalForm, TextField, edit_plan, edit_text,
        new_plan_document, read_plan_by_fields,
    };

    #[test]
    fn reads_every_field_as_autosurgeon_does() {
        let mut doc = new_plan_document("ledeberg", &Stamp::default());
        edit_plan(&mut doc, &Stamp::default(), |p| {
            p.add_ambition("a1".into(), "Ontmoeting")?;
            p.add_action("a1", "x1".into(), "Buurtsoep", Status::Lopend)?;
            p.add_action("a1", "x2".into(), "Huisbezoeken", Status::Stopgezet)?;
            let x1 = p.action_mut("x1")?;
            x1.progress = Some(35);
            x1.weight = 3;
            x1.end = Some("2027-01-31".into());
            x1.partners = vec!["ocmw".into(), "ldc".into()];
            x1.origin = Some("campagne/piste".into());
            p.add_indicator(
                "x1",
                "i1".into(),
                &IndicatorForm {
                    text: "Deelnemers".into(),
                    target: "40".into(),
                    measured: "".into(),
                },
            )?;
            p.add_budget_line(
                "x1",
                "b1".into(),
                &BudgetForm {
                    label: "Soep".into(),
                    planned: "120,50".into(),
                    spent: "".into(),
                    wijkbudget: true,
                    ..BudgetForm::default()
                },
            )?;
            p.add_budget_line(
                "x1",
                "b2".into(),
                &BudgetForm {
                    label: "Noodpakket".into(),
                    planned: "80".into(),
                    committed: "60".into(),
                    round: "2".into(),
                    acute: true,
                    ..BudgetForm::default()
                },
            )?;
            p.set_acute("x1", true)?;
            p.set_envelope(super::super::budget::Fund::Wijkbudget, 2, "150.000")?;
            p.add_note(
                "x1",
                "n1".into(),
                &NoteForm {
                    date: "2026-11-02".into(),
                    author: "Nele".into(),
                    text: "Goed begonnen".into(),
                },
            )?;
            p.set_member("ldc", Some(Circle::Netwerk))?;
            p.add_signal(
                "s1".into(),
                &SignalForm {
                    what: "Eenzaam".into(),
                    date: "2026-11-01".into(),
                    action: "x1".into(),
                    ..SignalForm::default()
                },
                None,
            )?;
            p.add_signal(
                "s2".into(),
                &SignalForm {
                    what: "Weer eenzaam".into(),
                    date: "2026-11-03".into(),
                    same_as: "s1".into(),
                    kind: "behoefte".into(),
                    doelgroep: "ouderen".into(),
                    ..SignalForm::default()
                },
                None,
            )
        })
        .unwrap();
        edit_text(
            &mut doc,
            &Stamp::default(),
            TextField::Evaluation("x1"),
            "Geslaagd.",
        )
        .unwrap();
        let fast = plan(&doc).expect("the one-pass reader reads what we write");
        assert_eq!(fast, read_plan_by_fields(&doc).unwrap());
        assert_eq!(fast.signals[1].same_as.as_deref(), Some("s1"));
    }
}
