//! A wijkactieteam meeting (`regie_core::meeting`): the agenda proposed
//! from the plan's history since the previous meeting, decisions landing as
//! opvolging on the acties they concern (once, also when two tablets record
//! them), open decisions carried to the next meeting, and minutes that
//! name every attendee, decision and change, written as a valid .docx.

use std::io::Read as _;

use quick_xml::events::Event;

use automerge::Automerge;
use regie_core::author::{Author, Stamp};
use regie_core::directory::Directory;
use regie_core::kind;
use regie_core::meeting::agenda::{self, ChangeKind};
use regie_core::meeting::minutes::{self, Style, WordsBlock};
use regie_core::meeting::{
    DecisionForm, Meeting, MeetingForm, NEW_SIGNALS, OPEN_DECISIONS, docx, follow_up, follow_up_id,
};
use regie_core::plan::{
    BudgetForm, Details, Plan, SignalForm, Status, edit_plan, new_plan_document, read_plan,
};
use regie_core::text::Text;

const DAY: i64 = 86_400;
/// 2026-11-02 00:00 UTC.
const T0: i64 = 1_793_577_600;

fn stamp(name: &str, time: i64) -> Stamp {
    Stamp::new(
        Some(Author {
            person: name.to_lowercase(),
            name: name.into(),
            organisation: "OCMW Gent".into(),
            colour: "#336699".into(),
        }),
        time,
    )
}

fn edit(
    doc: &mut Automerge,
    who: &str,
    time: i64,
    f: impl FnOnce(&mut Plan) -> Result<(), regie_core::kind::DocError>,
) {
    edit_plan(doc, &stamp(who, time), f).unwrap();
}

/// A plan with two ambities and three acties before the first meeting,
/// and the plan's changes after it (at `T0 + 10 days`): one actie new, one
/// finished, one started, money planned, a signal; one actie past its end.
fn plan_with_history() -> Automerge {
    let mut doc = new_plan_document("ledeberg", &stamp("Anna", T0));
    edit(&mut doc, "Anna", T0 + DAY, |p| {
        p.add_ambition("a1".into(), "Iedereen een huisarts")?;
        p.add_ambition("a2".into(), "Ontmoeting in de wijk")?;
        p.add_action(
            "a1",
            "x1".into(),
            "Infomarkt eerstelijnszorg",
            Status::Gepland,
        )?;
        p.add_action("a1", "x2".into(), "Huisbezoeken senioren", Status::Lopend)?;
        p.add_action("a2", "x3".into(), "Buurtsoep op vrijdag", Status::Lopend)?;
        let before = p.action("x3").unwrap().details();
        let details = Details {
            end: Some("2026-11-20".into()),
            ..before.clone()
        };
        p.set_details("x3", details, &before)
    });
    edit(&mut doc, "Jan", T0 + 10 * DAY, |p| {
        p.add_action("a2", "x4".into(), "Repaircafé", Status::Idee)?;
        p.set_status("x2", Status::Afgerond)?;
        p.set_status("x1", Status::Lopend)?;
        p.add_budget_line(
            "x1",
            "b1".into(),
            &BudgetForm {
                label: "Zaalhuur".into(),
                planned: "250".into(),
                spent: "".into(),
                wijkbudget: true,
                ..BudgetForm::default()
            },
        )?;
        p.add_signal(
            "s1".into(),
            &SignalForm {
                what: "Wachtlijst bij de tandarts".into(),
                thema: "gezondheid".into(),
                date: "2026-11-10".into(),
                ..SignalForm::default()
            },
            None,
        )
    });
    doc
}

#[test]
fn the_agenda_says_what_changed_since_the_previous_meeting_from_the_history() {
    let doc = plan_with_history();
    let since = T0 + 5 * DAY;
    let before = agenda::plan_at(&doc, since).expect("the plan existed then");
    assert_eq!(
        before.action_count(),
        3,
        "the plan as it was at the meeting"
    );
    let now = read_plan(&doc).unwrap();
    let (per_ambition, signals) = agenda::changes(Some(&before), &now, "2026-11-25");

    let kinds = |ambition: &str| -> Vec<(ChangeKind, String)> {
        per_ambition
            .iter()
            .find(|a| a.ambition == ambition)
            .map(|a| a.changes.iter().map(|c| (c.kind, c.item.clone())).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        kinds("a1"),
        vec![
            (ChangeKind::StatusChanged, "x1".into()),
            (ChangeKind::BudgetMoved, "x1".into()),
            (ChangeKind::Finished, "x2".into()),
        ]
    );
    assert_eq!(
        kinds("a2"),
        vec![
            (ChangeKind::Overdue, "x3".into()),
            (ChangeKind::NewAction, "x4".into()),
        ]
    );
    let started = &per_ambition[0].changes[0];
    assert_eq!(
        (started.from, started.to),
        (Some(Status::Gepland), Some(Status::Lopend))
    );
    assert_eq!(per_ambition[0].changes[1].planned_cents, Some(25_000));
    assert_eq!(signals.len(), 1);
    assert_eq!(signals[0].title, "Wachtlijst bij de tandarts");

    // Since a moment after everything: only what is overdue on the day.
    let later = agenda::plan_at(&doc, T0 + 20 * DAY).unwrap();
    let (quiet, no_signals) = agenda::changes(Some(&later), &now, "2026-11-25");
    assert_eq!(quiet.len(), 1);
    assert_eq!(quiet[0].changes[0].kind, ChangeKind::Overdue);
    assert!(no_signals.is_empty());
    // Before the plan existed, every actie is new.
    assert!(agenda::plan_at(&doc, T0 - DAY).is_none());
    let (all_new, _) = agenda::changes(None, &now, "2026-11-01");
    let new_actions = all_new
        .iter()
        .flat_map(|a| &a.changes)
        .filter(|c| c.kind == ChangeKind::NewAction)
        .count();
    assert_eq!(new_actions, 4);
}

fn meeting_form(date: &str) -> MeetingForm {
    MeetingForm {
        date: date.into(),
        place: "Buurtcentrum Ledeberg".into(),
    }
}

fn first_meeting(doc: &Automerge) -> Meeting {
    let since = T0 + 5 * DAY;
    let now = read_plan(doc).unwrap();
    let proposed = agenda::changes(agenda::plan_at(doc, since).as_ref(), &now, "2026-11-25");
    Meeting::new(
        &meeting_form("2026-11-25"),
        "plan-id",
        &now,
        since,
        proposed,
        None,
    )
    .unwrap()
}

#[test]
fn a_new_meeting_proposes_its_agenda_and_refuses_a_bad_date() {
    let doc = plan_with_history();
    let meeting = first_meeting(&doc);
    let ids: Vec<&str> = meeting.agenda.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["ambitie-a1", "ambitie-a2", NEW_SIGNALS]);
    assert_eq!(meeting.agenda[0].title, "Iedereen een huisarts");
    assert_eq!(meeting.wijk, "ledeberg");
    let now = read_plan(&doc).unwrap();
    let bad = Meeting::new(
        &meeting_form("25/11/2026"),
        "p",
        &now,
        0,
        (vec![], vec![]),
        None,
    );
    assert!(bad.is_err());
}

#[test]
fn decisions_land_as_opvolging_on_the_acties_they_concern_once() {
    let mut doc = plan_with_history();
    let mut meeting = first_meeting(&doc);
    let plan = read_plan(&doc).unwrap();
    meeting
        .decide(
            "d1".into(),
            &DecisionForm {
                item: "ambitie-a1".into(),
                text: "Tweede infomarkt in het voorjaar".into(),
                actions: vec!["x1".into(), "x1".into()],
                owner: "WGC De Kaai".into(),
                due: "2027-03-01".into(),
            },
            &plan,
            "Anna",
            "2026-11-25",
        )
        .unwrap();
    // An actie that is not in the plan, an unknown item, an empty text:
    // refused, and nothing recorded.
    let refused = [
        DecisionForm {
            text: "x".into(),
            actions: vec!["nope".into()],
            ..DecisionForm::default()
        },
        DecisionForm {
            text: "x".into(),
            item: "nope".into(),
            ..DecisionForm::default()
        },
        DecisionForm::default(),
        DecisionForm {
            text: "x".into(),
            due: "morgen".into(),
            ..DecisionForm::default()
        },
    ];
    for form in refused {
        assert!(
            meeting
                .decide("dx".into(), &form, &plan, "Anna", "2026-11-25")
                .is_err()
        );
    }
    assert_eq!(meeting.decisions.len(), 1);
    assert_eq!(
        meeting.decisions[0].actions,
        ["x1"],
        "an actie named twice is named once"
    );

    // The tablet that records the decision puts it on the plan while
    // another tablet, apart, adds its own note to the same actie.
    let mut other = doc.fork();
    let decision = meeting.decisions[0].clone();
    edit(&mut doc, "Anna", T0 + 30 * DAY, |p| {
        assert_eq!(follow_up(p, &decision, "2026-11-25"), 1);
        assert_eq!(follow_up(p, &decision, "2026-11-25"), 0, "once per actie");
        Ok(())
    });
    edit(&mut other, "Jan", T0 + 30 * DAY, |p| {
        let note = regie_core::plan::NoteForm {
            date: "2026-11-26".into(),
            author: "Jan".into(),
            text: "Zaal gereserveerd".into(),
        };
        p.add_note("x1", "n-jan".into(), &note)
    });
    doc.merge(&mut other).unwrap();
    let plan = read_plan(&doc).unwrap();
    let on = |id: &str| -> Vec<String> {
        plan.action(id)
            .unwrap()
            .notes
            .iter()
            .map(|n| format!("{} {} {}", n.date, n.author, n.text.0))
            .collect()
    };
    let keyed = plan
        .action("x1")
        .unwrap()
        .notes
        .iter()
        .filter(|n| n.id == follow_up_id("d1"));
    assert_eq!(keyed.count(), 1, "the note carries the decision's key");
    let mut notes = on("x1");
    notes.sort();
    assert_eq!(
        notes,
        [
            "2026-11-25 Anna Besluit wijkactieteam: Tweede infomarkt in het voorjaar \
             (opgenomen door WGC De Kaai) — tegen 01/03/2027",
            "2026-11-26 Jan Zaal gereserveerd",
        ]
    );
    assert!(
        on("x2").is_empty() && on("x3").is_empty(),
        "only on the actie it concerns"
    );
}

#[test]
fn the_next_meeting_starts_from_the_open_decisions() {
    let doc = plan_with_history();
    let plan = read_plan(&doc).unwrap();
    let mut first = first_meeting(&doc);
    for (id, text) in [("d1", "Zaal boeken"), ("d2", "Flyers drukken")] {
        let form = DecisionForm {
            text: text.into(),
            ..DecisionForm::default()
        };
        first
            .decide(id.into(), &form, &plan, "Anna", "2026-11-25")
            .unwrap();
    }
    first.set_done("d2", true).unwrap();
    first.close(T0 + 24 * DAY);
    assert_eq!(first.next_since(), T0 + 24 * DAY);
    first.close(T0 + 99 * DAY);
    assert_eq!(
        first.next_since(),
        T0 + 24 * DAY,
        "closing again keeps the first time"
    );

    let proposed = agenda::changes(
        agenda::plan_at(&doc, first.next_since()).as_ref(),
        &plan,
        "2026-12-20",
    );
    let next = Meeting::new(
        &meeting_form("2026-12-20"),
        "plan-id",
        &plan,
        first.next_since(),
        proposed,
        Some(("meeting-1", &first)),
    )
    .unwrap();
    assert_eq!(next.agenda[0].id, OPEN_DECISIONS);
    let carried: Vec<(&str, Option<&str>)> = next
        .decisions
        .iter()
        .map(|d| (d.text.as_str(), d.carried_from.as_deref()))
        .collect();
    assert_eq!(carried, [("Zaal boeken", Some("meeting-1"))]);
    assert_eq!(next.previous.as_deref(), Some("meeting-1"));
}

#[test]
fn a_meeting_on_three_tablets_merges_attendance_notes_and_decisions() {
    let doc = plan_with_history();
    let plan = read_plan(&doc).unwrap();
    let meeting = first_meeting(&doc);
    let mut a = regie_core::meeting::new_meeting_document(&meeting, &stamp("Anna", T0 + 30 * DAY));
    let mut b = a.fork();
    let mut c = a.fork();
    let at = T0 + 30 * DAY;
    kind::edit::<Meeting>(&mut a, &stamp("Anna", at), |m| {
        m.set_attendance("OCMW Gent", "Anna", true)
    })
    .unwrap();
    kind::edit::<Meeting>(&mut b, &stamp("Jan", at), |m| {
        m.set_attendance("WGC De Kaai", "Jan, Els", true)?;
        m.add_item("extra".into(), "Varia", "Jan")
    })
    .unwrap();
    kind::edit::<Meeting>(&mut c, &stamp("Mo", at), |m| {
        m.set_attendance("Buurtwerk", "", false)?;
        let form = DecisionForm {
            text: "Repaircafé maandelijks".into(),
            actions: vec!["x4".into()],
            ..DecisionForm::default()
        };
        m.decide("d9".into(), &form, &plan, "Mo", "2026-11-25")
    })
    .unwrap();
    a.merge(&mut b).unwrap();
    a.merge(&mut c).unwrap();
    let merged: Meeting = kind::read(&a).unwrap();
    let mut orgs: Vec<&str> = merged
        .attendance
        .iter()
        .map(|x| x.organisation.as_str())
        .collect();
    orgs.sort();
    assert_eq!(orgs, ["Buurtwerk", "OCMW Gent", "WGC De Kaai"]);
    assert!(merged.item("extra").is_some());
    assert_eq!(merged.decisions.len(), 1);
}

/// Puts the locale keys into words the way the app does, from the Dutch
/// locale file (so a key missing there fails here too).
fn say(text: &Text) -> String {
    let file = include_str!("../../../locales/nl.yml");
    let yaml = nl_value(file, text.key).unwrap_or_else(|| panic!("no Dutch text for {}", text.key));
    text.values.iter().fold(yaml, |s, (name, value)| {
        s.replace(&format!("%{{{name}}}"), value)
    })
}

/// The value of a dotted key in a simple two-space-indented YAML file.
fn nl_value(file: &str, key: &str) -> Option<String> {
    let parts: Vec<&str> = key.split('.').collect();
    let mut depth = 0;
    for line in file.lines() {
        let indent = line.len() - line.trim_start().len();
        if indent != depth * 2 {
            if indent < depth * 2 && depth > 0 {
                return None;
            }
            continue;
        }
        let Some((name, value)) = line.trim().split_once(':') else {
            continue;
        };
        if name != parts[depth] {
            continue;
        }
        if depth + 1 == parts.len() {
            let value = value.trim();
            return Some(
                value
                    .strip_prefix('"')?
                    .strip_suffix('"')?
                    .replace("\\\"", "\""),
            );
        }
        depth += 1;
    }
    None
}

#[test]
fn the_minutes_name_every_attendee_decision_and_change_and_open_as_docx() {
    let mut doc = plan_with_history();
    let plan = read_plan(&doc).unwrap();
    let mut meeting = first_meeting(&doc);
    meeting
        .set_attendance("OCMW Gent", "Anna Peeters", true)
        .unwrap();
    meeting
        .set_attendance("WGC De Kaai", "Jan & Els <zorg>", true)
        .unwrap();
    meeting.set_attendance("Buurtwerk", "", false).unwrap();
    meeting.agenda[0].note.0 =
        "Infomarkt goed bezocht.\nVolgende keer in het Nederlands en Turks.".into();
    let form = DecisionForm {
        item: "ambitie-a1".into(),
        text: "Tweede infomarkt in het voorjaar".into(),
        actions: vec!["x1".into()],
        owner: "WGC De Kaai".into(),
        due: "2027-03-01".into(),
    };
    meeting
        .decide("d1".into(), &form, &plan, "Anna", "2026-11-25")
        .unwrap();
    edit(&mut doc, "Anna", T0 + 30 * DAY, |p| {
        follow_up(p, &meeting.decisions[0], &meeting.date);
        Ok(())
    });

    let blocks = minutes::minutes(&meeting, &plan, &Directory::seed());
    let words = minutes::in_words(&blocks, &say);
    let all: String = words
        .iter()
        .map(|b| match b {
            WordsBlock::Line(_, text) => text.clone(),
            WordsBlock::Table(rows) => rows
                .iter()
                .map(|r| r.join(" | "))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect::<Vec<_>>()
        .join("\n");
    for expected in [
        "Verslag wijkactieteam Ledeberg",
        "Vergadering van 25/11/2026, Buurtcentrum Ledeberg",
        "OCMW Gent | Anna Peeters | aanwezig",
        "WGC De Kaai | Jan & Els <zorg> | aanwezig",
        "Buurtwerk |  | verontschuldigd",
        "1. Iedereen een huisarts",
        "Status gewijzigd: Infomarkt eerstelijnszorg (Gepland → Lopend)",
        "Budget van Infomarkt eerstelijnszorg: gepland +€ 250,00, uitgegeven € 0,00",
        "Afgerond: Huisbezoeken senioren",
        "Achterstallig sinds 20/11/2026: Buurtsoep op vrijdag",
        "Nieuwe actie: Repaircafé",
        "Nieuw signaal: Wachtlijst bij de tandarts",
        "Infomarkt goed bezocht.\nVolgende keer in het Nederlands en Turks.",
        "Besluit: Tweede infomarkt in het voorjaar — over Infomarkt eerstelijnszorg — \
         opgenomen door WGC De Kaai — tegen 01/03/2027 (genoteerd door Anna op 25/11/2026)",
        "Openstaande besluiten",
    ] {
        assert!(
            all.contains(expected),
            "the minutes lack {expected:?}:\n{all}"
        );
    }
    assert!(matches!(words[0], WordsBlock::Line(Style::Title, _)));

    let file = docx::write(&words).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(file)).expect("a .docx is a zip");
    for part in [
        "[Content_Types].xml",
        "word/document.xml",
        "word/styles.xml",
    ] {
        assert!(zip.by_name(part).is_ok(), "{part} is in the file");
    }
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // Well-formed XML whose text holds every line of the minutes.
    let mut text = String::new();
    let mut depth = 0i32;
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(_) => depth += 1,
            Event::Empty(e) if e.local_name().as_ref() == b"br" => text.push('\n'),
            Event::End(e) => {
                depth -= 1;
                if matches!(e.local_name().as_ref(), b"p" | b"tc") {
                    text.push('\n');
                }
            }
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => text.push(r.resolve_char_ref().unwrap().unwrap_or_else(|| {
                match r.decode().unwrap().as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unknown entity {other}"),
                }
            })),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    for line in [
        "Verslag wijkactieteam Ledeberg",
        "Jan & Els <zorg>",
        "Infomarkt goed bezocht.\nVolgende keer in het Nederlands en Turks.",
        "• Besluit: Tweede infomarkt in het voorjaar",
        "Nieuw signaal: Wachtlijst bij de tandarts",
    ] {
        assert!(text.contains(line), "document.xml lacks {line:?}:\n{text}");
    }
}

#[test]
fn texts_typed_into_a_meeting_are_bounded() {
    use regie_core::meeting::MAX_TEXT;
    let doc = plan_with_history();
    let plan = read_plan(&doc).unwrap();
    let mut meeting = first_meeting(&doc);
    let huge = "x".repeat(MAX_TEXT * 50);
    meeting.set_attendance("OCMW Gent", &huge, true).unwrap();
    meeting.add_item("i".into(), &huge, &huge).unwrap();
    let form = DecisionForm {
        text: huge.clone(),
        owner: huge.clone(),
        ..DecisionForm::default()
    };
    meeting
        .decide("d".into(), &form, &plan, &huge, "2026-11-25")
        .unwrap();
    let item = meeting.item("i").unwrap();
    let decision = &meeting.decisions[0];
    for kept in [
        &meeting.attendance[0].people,
        &item.title,
        item.added_by.as_ref().unwrap(),
        &decision.text,
        &decision.owner,
        &decision.by,
    ] {
        assert_eq!(kept.chars().count(), MAX_TEXT);
    }
    let long_place = MeetingForm {
        date: "2026-11-25".into(),
        place: huge,
    };
    let bounded = Meeting::new(&long_place, "p", &plan, 0, (vec![], vec![]), None).unwrap();
    assert_eq!(bounded.place.chars().count(), MAX_TEXT);
}
