//! Concurrent values of one field, made visible instead of silently lost.
//!
//! When two people set the same field while apart (two offline tablets set
//! an actie's status), Automerge keeps both values and lets one win
//! deterministically. Regie shows every such field with each value and who
//! wrote it ([`conflicts`]); choosing one ([`resolve`]) writes it again as a
//! new change that supersedes all of them, on every device.
//!
//! Long texts never conflict: concurrent typing merges character by
//! character. Only plain values (titles, statuses, dates, amounts) can.

use std::collections::HashMap;

use automerge::transaction::Transactable as _;
use automerge::{ActorId, Automerge, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};

use crate::author::{Author, Stamp, authors_by_actor};
use crate::history::{Crumb, label_of};
use crate::kind::DocError;

/// A field holding more than one concurrent value.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The object holding the field.
    pub obj: ObjId,
    /// The items around the field, outermost first (an ambitie, its actie).
    pub item: Vec<Crumb>,
    /// The `id` of the innermost item, if it has one (an actie's id).
    pub item_id: Option<String>,
    /// The field (a schema key such as `status`).
    pub field: String,
    /// Every concurrent value; the first is the one shown now.
    pub values: Vec<Candidate>,
}

/// One of the concurrent values, and who wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The value as text.
    pub text: String,
    /// The value itself, written again when chosen.
    pub value: ScalarValue,
    /// Who wrote it, if known.
    pub author: Option<Author>,
}

/// Every field with concurrent plain values, in document order.
pub fn conflicts(doc: &Automerge) -> Vec<Conflict> {
    let authors = authors_by_actor(doc);
    let mut found = Vec::new();
    walk(doc, &authors, &ROOT, &mut Vec::new(), None, &mut found);
    found
}

/// Visits a map: its conflicting keys, then the objects below it.
fn walk(
    doc: &Automerge,
    authors: &HashMap<ActorId, Author>,
    obj: &ObjId,
    item: &mut Vec<Crumb>,
    item_id: Option<String>,
    found: &mut Vec<Conflict>,
) {
    for key in doc.keys(obj).collect::<Vec<_>>() {
        let values = doc.get_all(obj, key.as_str()).unwrap_or_default();
        if values.len() > 1 && values.iter().all(|(v, _)| matches!(v, Value::Scalar(_))) {
            // `get_all` lists the winner last; show it first.
            let values = values
                .iter()
                .rev()
                .filter_map(|(value, id)| {
                    let Value::Scalar(scalar) = value else {
                        return None;
                    };
                    Some(Candidate {
                        text: scalar_text(scalar),
                        value: scalar.clone().into_owned(),
                        author: actor_of(id).and_then(|actor| authors.get(actor)).cloned(),
                    })
                })
                .collect();
            found.push(Conflict {
                obj: obj.clone(),
                item: item.clone(),
                item_id: item_id.clone(),
                field: key.clone(),
                values,
            });
        }
        match doc.get(obj, key.as_str()).ok().flatten() {
            Some((Value::Object(ObjType::Map), child)) => {
                walk(doc, authors, &child, item, item_id.clone(), found);
            }
            Some((Value::Object(ObjType::List), list)) => {
                let heads = doc.get_heads();
                for i in 0..doc.length(&list) {
                    if let Some((Value::Object(ObjType::Map), child)) =
                        doc.get(&list, i).ok().flatten()
                    {
                        let id = string_at(doc, &child, "id");
                        item.push(Crumb {
                            list: key.clone(),
                            label: label_of(doc, &child, &heads),
                            id: id.clone(),
                        });
                        walk(
                            doc,
                            authors,
                            &child,
                            item,
                            id.or_else(|| Some(i.to_string())),
                            found,
                        );
                        item.pop();
                    }
                }
            }
            _ => {}
        }
    }
}

/// Writes the chosen value over all concurrent ones, as a new change.
pub fn resolve(
    doc: &mut Automerge,
    stamp: &Stamp,
    conflict: &Conflict,
    choice: usize,
) -> Result<(), DocError> {
    let chosen = conflict.values.get(choice).ok_or(DocError::NotFound)?;
    doc.transact_with::<_, _, automerge::AutomergeError, _>(
        |_| stamp.commit_options(),
        |tx| tx.put(&conflict.obj, conflict.field.as_str(), chosen.value.clone()),
    )
    .map(|_| ())
    .map_err(|f| DocError::unreadable(crate::kind::Kind::Any, f.error))
}

/// The actor that made an operation.
fn actor_of(id: &ObjId) -> Option<&ActorId> {
    match id {
        ObjId::Id(_, actor, _) => Some(actor),
        ObjId::Root => None,
    }
}

fn string_at(doc: &Automerge, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok().flatten() {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        Some((Value::Object(ObjType::Text), text)) => doc.text(&text).ok(),
        _ => None,
    }
}

fn scalar_text(value: &ScalarValue) -> String {
    match value {
        ScalarValue::Str(s) => s.to_string(),
        ScalarValue::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Status, edit_plan, new_plan_document, read_plan};

    fn person(id: &str, name: &str) -> Stamp {
        Stamp::new(
            Some(Author {
                person: id.into(),
                name: name.into(),
                organisation: String::new(),
                colour: String::new(),
            }),
            10,
        )
    }

    /// Two copies of one plan with an actie, as two offline tablets hold it.
    fn two_copies() -> (Automerge, Automerge) {
        let mut a = new_plan_document("ledeberg", &Stamp::default());
        edit_plan(&mut a, &Stamp::default(), |p| {
            p.add_ambition("a1".into(), "Ontmoeting")?;
            p.add_action("a1", "x1".into(), "Buurtfeest", Status::Gepland)
        })
        .unwrap();
        let b = a.fork();
        (a, b)
    }

    #[test]
    fn concurrent_statuses_are_both_shown_with_their_authors() {
        let (mut a, mut b) = two_copies();
        edit_plan(&mut a, &person("p1", "Ann"), |p| {
            p.set_status("x1", Status::Lopend)
        })
        .unwrap();
        edit_plan(&mut b, &person("p2", "Bert"), |p| {
            p.set_status("x1", Status::Afgerond)
        })
        .unwrap();
        a.merge(&mut b).unwrap();

        let found = conflicts(&a);
        assert_eq!(found.len(), 1, "{found:?}");
        let conflict = &found[0];
        assert_eq!(conflict.field, "status");
        assert_eq!(conflict.item_id.as_deref(), Some("x1"));
        assert_eq!(conflict.item.last().unwrap().label, "Buurtfeest");
        let mut shown: Vec<(String, String)> = conflict
            .values
            .iter()
            .map(|c| (c.text.clone(), c.author.as_ref().unwrap().name.clone()))
            .collect();
        // The value shown now comes first.
        let now = read_plan(&a).unwrap().ambitions[0].actions[0].status;
        assert_eq!(shown[0].0, format!("{now:?}"));
        shown.sort();
        assert_eq!(
            shown,
            vec![
                ("Afgerond".into(), "Bert".into()),
                ("Lopend".into(), "Ann".into())
            ]
        );
    }

    #[test]
    fn resolving_keeps_the_choice_everywhere_and_ends_the_conflict() {
        let (mut a, mut b) = two_copies();
        edit_plan(&mut a, &person("p1", "Ann"), |p| {
            p.rename_action("x1", "Buurtfeest 2027")
        })
        .unwrap();
        edit_plan(&mut b, &person("p2", "Bert"), |p| {
            p.rename_action("x1", "Straatfeest")
        })
        .unwrap();
        a.merge(&mut b).unwrap();
        b.merge(&mut a).unwrap();

        let conflict = conflicts(&a).remove(0);
        let pick = conflict
            .values
            .iter()
            .position(|c| c.text == "Straatfeest")
            .unwrap();
        resolve(&mut a, &person("p1", "Ann"), &conflict, pick).unwrap();
        b.merge(&mut a).unwrap();

        for doc in [&a, &b] {
            assert!(conflicts(doc).is_empty());
            assert_eq!(
                read_plan(doc).unwrap().ambitions[0].actions[0].title,
                "Straatfeest"
            );
        }
    }

    #[test]
    fn edits_one_after_the_other_are_no_conflict() {
        let (mut a, mut b) = two_copies();
        edit_plan(&mut a, &person("p1", "Ann"), |p| {
            p.set_status("x1", Status::Lopend)
        })
        .unwrap();
        b.merge(&mut a).unwrap();
        edit_plan(&mut b, &person("p2", "Bert"), |p| {
            p.set_status("x1", Status::Afgerond)
        })
        .unwrap();
        a.merge(&mut b).unwrap();
        assert!(conflicts(&a).is_empty());
    }
}
