//! Writes a benchmark plan: 300 acties under 10 ambities with a history of
//! 5,000 changes, or as many as the second argument says (creation, typing
//! in descriptions keystroke by keystroke, status changes), as a relay
//! storage file in the directory given as the first argument. Prints one
//! JSON line with its id, change count and `save()` size.
//!
//! `cargo run --release -p regie-core --example big_plan -- <dir> [changes]`

use automerge::transaction::Transactable as _;
use automerge::{Automerge, AutomergeError, ObjId, ObjType, ReadDoc as _, ScalarValue, Value};
use regie_core::DocumentId;
use regie_core::author::{Author, Stamp};
use regie_core::plan::{Status, TextField, edit_plan, edit_text, new_plan_document};

const AMBITIONS: usize = 10;
const ACTIONS_PER_AMBITION: usize = 30;
/// History length when none is given.
const DEFAULT_CHANGES: usize = 5_000;

fn main() {
    let usage = "usage: big_plan <relay data dir> [changes]";
    let dir = std::env::args().nth(1).expect(usage);
    let changes: usize = std::env::args()
        .nth(2)
        .map_or(DEFAULT_CHANGES, |n| n.parse().expect(usage));
    let id = DocumentId::from_random_bytes(*b"regie:bench-plan");
    let mut doc = new_plan_document("ledeberg", &Stamp::default());
    for a in 0..AMBITIONS {
        edit_plan(&mut doc, &Stamp::default(), |p| {
            p.add_ambition(
                format!("a{a}"),
                &format!("Ambitie {a}: samen sterker in de wijk"),
            )
        })
        .unwrap();
        for x in 0..ACTIONS_PER_AMBITION {
            let n = a * ACTIONS_PER_AMBITION + x;
            edit_plan(&mut doc, &Stamp::default(), |p| {
                p.add_action(
                    &format!("a{a}"),
                    format!("x{n}"),
                    &format!("Actie {n}"),
                    Status::Idee,
                )
            })
            .unwrap();
        }
    }
    let actions = AMBITIONS * ACTIONS_PER_AMBITION;
    let typed = "Buurtsoep op vrijdag in het buurthuis, met vrijwilligers uit de wijk. ";
    let objects = action_objects(&doc);
    assert_eq!(objects.len(), actions, "every actie was created");
    // Each status as the app writes it (one `edit_plan` on a scratch copy),
    // so the history below can write the same value directly.
    let written: Vec<ScalarValue> = Status::ALL
        .iter()
        .map(|&status| {
            let mut scratch = doc.fork();
            edit_plan(&mut scratch, &Stamp::default(), |p| {
                p.set_status("x0", status)
            })
            .unwrap();
            match scratch.get(&objects[0], "status") {
                Ok(Some((Value::Scalar(v), _))) => v.into_owned(),
                other => panic!("a status is a scalar, got {other:?}"),
            }
        })
        .collect();
    let mut status = vec![Status::Idee; actions];
    let mut texts: Vec<Option<ObjId>> = vec![None; actions];
    let mut typed_chars = vec![0usize; actions];
    let mut n = 0usize;
    // The same edits as the app makes (typing into a description: a splice
    // of one character; a status: one put), but written straight to the
    // document with objects looked up once. Going through `edit_plan` and
    // `edit_text` each time (a read of the whole plan, a search for the
    // actie) makes a 50k-change history take many minutes to write.
    // Counted as we go: asking the document for all its changes after every
    // edit would make long histories quadratic.
    let mut made = doc.get_changes(&[]).len();
    // Stamped as the app stamps a person's edits (author in the message, the
    // time), a keystroke every 300 ms: without them the history compresses
    // to almost nothing and its size says little about real plans.
    let author = Author {
        person: "bench-person".into(),
        name: "Sam Janssens".into(),
        organisation: "OCMW Gent".into(),
        colour: "#2a6f97".into(),
    };
    let stamp_at =
        |made: usize| Stamp::new(Some(author.clone()), 1_767_225_600_000 + made as i64 * 300);
    while made < changes {
        let stamp = stamp_at(made);
        let action = n % actions;
        n += 1;
        if n.is_multiple_of(10) {
            let next = Status::ALL[(n / 10) % Status::ALL.len()];
            if next == status[action] {
                continue;
            }
            status[action] = next;
            let value = written[Status::ALL.iter().position(|&s| s == next).unwrap()].clone();
            doc.transact_with::<_, _, AutomergeError, _>(
                |_| stamp.commit_options(),
                |tx| tx.put(&objects[action], "status", value),
            )
            .unwrap();
        } else {
            let at = typed_chars[action];
            let next = typed.chars().nth(at % typed.chars().count()).unwrap();
            typed_chars[action] += 1;
            match &texts[action] {
                // The first keystroke goes through the app's own code, which
                // makes the text object if the actie has none yet.
                None => {
                    edit_text(
                        &mut doc,
                        &stamp,
                        TextField::Description(&format!("x{action}")),
                        &next.to_string(),
                    )
                    .unwrap();
                    texts[action] = match doc.get(&objects[action], "description") {
                        Ok(Some((Value::Object(ObjType::Text), text))) => Some(text),
                        other => panic!("a description is text, got {other:?}"),
                    };
                }
                Some(text) => {
                    doc.transact_with::<_, _, AutomergeError, _>(
                        |_| stamp.commit_options(),
                        |tx| tx.splice_text(text, at, 0, &next.to_string()),
                    )
                    .unwrap();
                }
            }
        }
        made += 1;
    }
    let bytes = doc.save();
    let path = std::path::Path::new(&dir).join(format!("{id}.automerge"));
    std::fs::write(&path, &bytes).expect("writable data dir");
    println!(
        "{{\"id\":\"{id}\",\"actions\":{actions},\"changes\":{},\"bytes\":{}}}",
        doc.get_changes(&[]).len(),
        bytes.len()
    );
}

/// The map of every actie, in the order of their ids (`x0`, `x1`, ...).
fn action_objects(doc: &Automerge) -> Vec<ObjId> {
    let child = |obj: &ObjId, prop: &str| match doc.get(obj, prop) {
        Ok(Some((Value::Object(_), id))) => id,
        other => panic!("{prop} is an object, got {other:?}"),
    };
    let ambitions = child(&automerge::ROOT, "ambitions");
    let mut found = Vec::new();
    for a in 0..doc.length(&ambitions) {
        let Ok(Some((_, ambition))) = doc.get(&ambitions, a) else {
            continue;
        };
        let list = child(&ambition, "actions");
        for x in 0..doc.length(&list) {
            let Ok(Some((_, action))) = doc.get(&list, x) else {
                continue;
            };
            let id = match doc.get(&action, "id") {
                Ok(Some((Value::Scalar(v), _))) => v.as_str().map(str::to_owned),
                Ok(Some((Value::Object(ObjType::Text), text))) => doc.text(&text).ok(),
                _ => None,
            };
            let n: usize = id
                .and_then(|id| id.strip_prefix('x')?.parse().ok())
                .expect("actie ids are x<n>");
            found.push((n, action));
        }
    }
    found.sort_by_key(|(n, _)| *n);
    found.into_iter().map(|(_, obj)| obj).collect()
}
