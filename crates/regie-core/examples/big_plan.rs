//! Writes the benchmark plan: 300 acties under 10 ambities with 5,000
//! changes of history (creation, typing in descriptions keystroke by
//! keystroke, status changes), as a relay storage file in the directory
//! given as the first argument. Prints one JSON line with its id and size.
//!
//! `cargo run --release -p regie-core --example big_plan -- <dir>`

use regie_core::DocumentId;
use regie_core::author::Stamp;
use regie_core::plan::{Status, TextField, edit_plan, edit_text, new_plan_document};

const AMBITIONS: usize = 10;
const ACTIONS_PER_AMBITION: usize = 30;
const CHANGES: usize = 5_000;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: big_plan <relay data dir>");
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
    let mut texts = vec![String::new(); actions];
    let mut n = 0usize;
    while doc.get_changes(&[]).len() < CHANGES {
        let action = n % actions;
        if n % 10 == 9 {
            let status = Status::ALL[(n / 10) % Status::ALL.len()];
            edit_plan(&mut doc, &Stamp::default(), |p| {
                p.set_status(&format!("x{action}"), status)
            })
            .unwrap();
        } else {
            let next = typed
                .chars()
                .nth(texts[action].chars().count() % typed.chars().count())
                .unwrap();
            texts[action].push(next);
            edit_text(
                &mut doc,
                &Stamp::default(),
                TextField::Description(&format!("x{action}")),
                &texts[action],
            )
            .unwrap();
        }
        n += 1;
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
