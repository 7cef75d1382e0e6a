//! A document's history, for people: who changed what, and when.
//!
//! - [`sessions`] groups the changes into working sessions: per author,
//!   changes less than a gap apart form one session (typing a paragraph is
//!   hundreds of changes, one session).
//! - [`describe`] says what a set of changes did, field by field, naming the
//!   item (an actie, a card) by its title. Each change is compared with its
//!   own dependencies, so a session interleaved with someone else's work is
//!   described without their edits.
//! - [`heads_at`] and [`as_of`] give the document as it was at a time, to show
//!   read-only; restoring writes that old state as a *new* change (see
//!   `plan::restore_plan`), so nothing is ever rewritten.
//!
//! Field names are the schema's keys (`title`, `status`, ...); the app puts
//! them into words in the interface language.

use std::collections::{HashMap, HashSet};

use automerge::{Automerge, ChangeHash, ObjId, ObjType, Prop, ReadDoc, ScalarValue, Value};

use crate::author::{Author, author_of};

/// Changes by one author without a pause longer than the gap.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Who made the changes (`None`: not made by a known person, such as a
    /// seed or another automerge-repo client).
    pub author: Option<Author>,
    /// Time of the first change, seconds since the Unix epoch.
    pub start: i64,
    /// Time of the last change.
    pub end: i64,
    /// The changes, oldest first.
    pub changes: Vec<ChangeHash>,
}

/// Groups every change of a document into sessions, newest session first.
/// `gap` is the longest pause (seconds) within one session.
pub fn sessions(doc: &Automerge, gap: i64) -> Vec<Session> {
    // Per person (or per actor for changes without an author), in the
    // order Automerge applied them, which respects causality.
    let mut by_author: HashMap<String, Vec<(Option<Author>, i64, ChangeHash)>> = HashMap::new();
    for change in doc.get_changes(&[]) {
        let author = author_of(&change);
        let key = author
            .as_ref()
            .map(|a| format!("person:{}", a.person))
            .unwrap_or_else(|| format!("actor:{}", change.actor_id()));
        by_author
            .entry(key)
            .or_default()
            .push((author, change.timestamp(), change.hash()));
    }
    let mut sessions = Vec::new();
    for changes in by_author.into_values() {
        let mut current: Option<Session> = None;
        for (author, time, hash) in changes {
            match current.as_mut() {
                Some(session) if (time - session.end).abs() <= gap => {
                    session.end = session.end.max(time);
                    session.start = session.start.min(time);
                    session.changes.push(hash);
                    // The newest name the person gave.
                    if author.is_some() {
                        session.author = author;
                    }
                }
                _ => {
                    sessions.extend(current.take());
                    current = Some(Session {
                        author,
                        start: time,
                        end: time,
                        changes: vec![hash],
                    });
                }
            }
        }
        sessions.extend(current);
    }
    sessions.sort_by(|a, b| b.end.cmp(&a.end).then(b.start.cmp(&a.start)));
    sessions
}

/// An item a change touched, named for people: the list it is in (a schema
/// key such as `actions`) and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crumb {
    /// The key of the list holding the item.
    pub list: String,
    /// The item's title, name or text; empty if it has none.
    pub label: String,
    /// The item's `id`, if it has one (an actie's id).
    pub id: Option<String>,
}

/// What happened to a field or an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditKind {
    /// An item was added to the list named by `field`.
    Added {
        /// The new item's title, name or text.
        label: String,
    },
    /// An item was removed from the list named by `field`.
    Removed {
        /// The removed item's title, name or text.
        label: String,
    },
    /// A value was set.
    Set {
        /// The value before, if there was one.
        from: Option<String>,
        /// The new value.
        to: String,
    },
    /// A field was cleared.
    Cleared,
    /// Text was typed into or deleted from a long text.
    TextEdited,
}

/// One edit in words: where (`item`, `field`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The items around the field, outermost first (an ambitie, then its actie).
    pub item: Vec<Crumb>,
    /// The field (a schema key), or the list an item was added to or removed from.
    pub field: String,
    /// What happened.
    pub kind: EditKind,
}

/// At most this many changes are compared when describing; a session of
/// typing can be thousands of changes that all say "text edited".
pub const DESCRIBE_LIMIT: usize = 200;

/// What `changes` did, in order, with repeated edits of one field folded
/// into one (typing a sentence is one "text edited"; setting a status twice
/// is one change from the first old value to the last new one).
pub fn describe(doc: &Automerge, changes: &[ChangeHash]) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    for hash in changes.iter().take(DESCRIBE_LIMIT) {
        let Some(change) = doc.get_change_by_hash(hash) else {
            continue;
        };
        let before: Vec<ChangeHash> = change.deps().to_vec();
        let after = vec![*hash];
        for edit in describe_patches(doc, &before, &after) {
            fold(&mut edits, edit);
        }
    }
    edits
}

/// Adds an edit, folding it into an earlier one of the same field.
fn fold(edits: &mut Vec<Edit>, edit: Edit) {
    let same = edits
        .iter_mut()
        .find(|e| e.item == edit.item && e.field == edit.field);
    match (same, edit.kind) {
        (Some(earlier), EditKind::TextEdited) if earlier.kind == EditKind::TextEdited => {}
        (Some(earlier), EditKind::Set { to, .. }) => match &mut earlier.kind {
            EditKind::Set { to: last, .. } => *last = to,
            EditKind::Added { .. } => {}
            kind => {
                *kind = EditKind::Set { from: None, to };
            }
        },
        (_, kind) => edits.push(Edit { kind, ..edit }),
    }
}

/// The edits between two states of a document.
fn describe_patches(doc: &Automerge, before: &[ChangeHash], after: &[ChangeHash]) -> Vec<Edit> {
    let mut created: HashSet<ObjId> = HashSet::new();
    let mut edits = Vec::new();
    for patch in doc.diff(before, after) {
        // Contents of an object made in this change belong to its "added".
        if created.contains(&patch.obj) || patch.path.iter().any(|(o, _)| created.contains(o)) {
            continue;
        }
        let item = crumbs(doc, &patch.path, &patch.obj, after);
        let parent_key = || match patch.path.last() {
            Some((_, Prop::Map(key))) => key.clone(),
            _ => String::new(),
        };
        match patch.action {
            automerge::PatchAction::PutMap { key, value, .. } => match value {
                (Value::Object(ObjType::Text), _) => edits.push(Edit {
                    item,
                    field: key,
                    kind: EditKind::TextEdited,
                }),
                (Value::Object(_), id) => {
                    created.insert(id);
                }
                (Value::Scalar(new), _) => {
                    let from = doc
                        .get_at(&patch.obj, key.as_str(), before)
                        .ok()
                        .flatten()
                        .and_then(|(v, _)| scalar_text(&v));
                    let kind = match scalar_text(&Value::Scalar(new)) {
                        Some(to) => EditKind::Set { from, to },
                        None => EditKind::Cleared,
                    };
                    edits.push(Edit {
                        item,
                        field: key,
                        kind,
                    });
                }
            },
            automerge::PatchAction::Insert { values, .. } => {
                for (value, id, _) in values.iter() {
                    let label = match value {
                        Value::Object(_) => label_of(doc, id, after),
                        Value::Scalar(_) => scalar_text(value).unwrap_or_default(),
                    };
                    created.insert(id.clone());
                    edits.push(Edit {
                        item: item.clone(),
                        field: parent_key(),
                        kind: EditKind::Added { label },
                    });
                }
            }
            automerge::PatchAction::DeleteSeq { index, length } => {
                for i in index..index + length {
                    let label = match doc.get_at(&patch.obj, i, before).ok().flatten() {
                        Some((Value::Object(_), id)) => label_of(doc, &id, before),
                        Some((value, _)) => scalar_text(&value).unwrap_or_default(),
                        None => String::new(),
                    };
                    edits.push(Edit {
                        item: item.clone(),
                        field: parent_key(),
                        kind: EditKind::Removed { label },
                    });
                }
            }
            automerge::PatchAction::DeleteMap { key } => edits.push(Edit {
                item,
                field: key,
                kind: EditKind::Cleared,
            }),
            automerge::PatchAction::SpliceText { .. } => {
                let (item, field) = text_field(doc, &patch.path, after);
                edits.push(Edit {
                    item,
                    field,
                    kind: EditKind::TextEdited,
                });
            }
            automerge::PatchAction::PutSeq { value, .. } => {
                if let Some(to) = scalar_text(&value.0) {
                    edits.push(Edit {
                        item,
                        field: parent_key(),
                        kind: EditKind::Set { from: None, to },
                    });
                }
            }
            automerge::PatchAction::Increment { .. }
            | automerge::PatchAction::Conflict { .. }
            | automerge::PatchAction::Mark { .. } => {}
        }
    }
    edits
}

/// For a splice into a text: the items around it and the text's key.
fn text_field(
    doc: &Automerge,
    path: &[(ObjId, Prop)],
    heads: &[ChangeHash],
) -> (Vec<Crumb>, String) {
    match path.split_last() {
        Some(((owner, Prop::Map(key)), rest)) => (crumbs(doc, rest, owner, heads), key.clone()),
        _ => (Vec::new(), String::new()),
    }
}

/// The list items along a path to `obj`, each named by its title.
fn crumbs(
    doc: &Automerge,
    path: &[(ObjId, Prop)],
    obj: &ObjId,
    heads: &[ChangeHash],
) -> Vec<Crumb> {
    let mut crumbs = Vec::new();
    let mut list_key = String::new();
    for (i, (_, prop)) in path.iter().enumerate() {
        match prop {
            Prop::Map(key) => list_key = key.clone(),
            Prop::Seq(_) => {
                let item = path.get(i + 1).map_or(obj, |(o, _)| o);
                crumbs.push(Crumb {
                    list: list_key.clone(),
                    label: label_of(doc, item, heads),
                    id: match doc.get_at(item, "id", heads).ok().flatten() {
                        Some((value, _)) => scalar_text(&value),
                        None => None,
                    },
                });
            }
        }
    }
    crumbs
}

/// The name people know an item by: its title, name, label or text.
pub(crate) fn label_of(doc: &Automerge, obj: &ObjId, heads: &[ChangeHash]) -> String {
    for key in ["title", "name", "label", "what", "text"] {
        match doc.get_at(obj, key, heads).ok().flatten() {
            Some((Value::Object(ObjType::Text), text)) => {
                if let Ok(text) = doc.text_at(&text, heads) {
                    return shorten(&text);
                }
            }
            Some((value, _)) => {
                if let Some(text) = scalar_text(&value) {
                    return shorten(&text);
                }
            }
            None => {}
        }
    }
    String::new()
}

/// A long label cut to a readable length.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A scalar as text; `None` for null and for objects.
fn scalar_text(value: &Value<'_>) -> Option<String> {
    match value {
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            ScalarValue::Int(n) => Some(n.to_string()),
            ScalarValue::Uint(n) => Some(n.to_string()),
            ScalarValue::F64(n) => Some(n.to_string()),
            ScalarValue::Boolean(b) => Some(b.to_string()),
            ScalarValue::Timestamp(t) => Some(t.to_string()),
            ScalarValue::Counter(c) => Some(i64::from(c).to_string()),
            ScalarValue::Null => None,
            ScalarValue::Bytes(_) | ScalarValue::Unknown { .. } => Some(String::from("…")),
        },
        Value::Object(_) => None,
    }
}

/// The heads of the document as it was at `time` (seconds since the Unix
/// epoch): every change made at or before that time, and what they build on.
/// Empty when nothing had been made yet.
pub fn heads_at(doc: &Automerge, time: i64) -> Vec<ChangeHash> {
    let changes = doc.get_changes(&[]);
    let by_hash: HashMap<ChangeHash, &automerge::Change> =
        changes.iter().map(|c| (c.hash(), c)).collect();
    // A change made "before" on a device with a wrong clock may build on a
    // "later" one: keep the dependencies so the state is a real one.
    let mut included: HashSet<ChangeHash> = HashSet::new();
    let mut todo: Vec<ChangeHash> = changes
        .iter()
        .filter(|c| c.timestamp() <= time)
        .map(|c| c.hash())
        .collect();
    while let Some(hash) = todo.pop() {
        if included.insert(hash)
            && let Some(change) = by_hash.get(&hash)
        {
            todo.extend(change.deps().iter().copied());
        }
    }
    let depended_on: HashSet<ChangeHash> = included
        .iter()
        .filter_map(|h| by_hash.get(h))
        .flat_map(|c| c.deps().iter().copied())
        .collect();
    let mut heads: Vec<ChangeHash> = included.difference(&depended_on).copied().collect();
    heads.sort();
    heads
}

/// The edits of `changes` that touched the item with `id` (an actie), or
/// something inside it.
pub fn describe_item(doc: &Automerge, changes: &[ChangeHash], id: &str) -> Vec<Edit> {
    describe(doc, changes)
        .into_iter()
        .filter(|edit| edit.item.iter().any(|c| c.id.as_deref() == Some(id)))
        .collect()
}

/// The document as it was at `heads`, to read (a copy; the document itself
/// is not touched).
pub fn as_of(doc: &Automerge, heads: &[ChangeHash]) -> Option<Automerge> {
    doc.fork_at(heads).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::author::Stamp;
    use crate::kind::DocError;
    use crate::plan::{Status, TextField, edit_plan, edit_text, new_plan_document};

    fn person(id: &str, name: &str) -> Author {
        Author {
            person: id.into(),
            name: name.into(),
            organisation: String::new(),
            colour: "#0b5394".into(),
        }
    }

    fn at(who: &Author, time: i64) -> Stamp {
        Stamp::new(Some(who.clone()), time)
    }

    fn add_action(p: &mut crate::plan::Plan, id: &str, title: &str) -> Result<(), DocError> {
        p.add_action("a1", id.into(), title, Status::Gepland)
    }

    #[test]
    fn sessions_split_on_author_and_pause_and_name_the_author() {
        let ann = person("p1", "Ann");
        let bert = person("p2", "Bert");
        let mut doc = new_plan_document("ledeberg", &at(&ann, 1000));
        edit_plan(&mut doc, &at(&ann, 1100), |p| {
            p.add_ambition("a1".into(), "Ontmoeting")
        })
        .unwrap();
        edit_plan(&mut doc, &at(&bert, 1200), |p| {
            add_action(p, "x1", "Buurtfeest")
        })
        .unwrap();
        // Ann again, two hours later: a new session.
        edit_plan(&mut doc, &at(&ann, 8300), |p| {
            p.set_status("x1", Status::Lopend)
        })
        .unwrap();

        let sessions = sessions(&doc, 30 * 60);
        let summary: Vec<(&str, i64, i64, usize)> = sessions
            .iter()
            .map(|s| {
                (
                    s.author.as_ref().unwrap().name.as_str(),
                    s.start,
                    s.end,
                    s.changes.len(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("Ann", 8300, 8300, 1),
                ("Bert", 1200, 1200, 1),
                ("Ann", 1000, 1100, 2)
            ]
        );
    }

    #[test]
    fn describe_names_the_item_the_field_and_the_values() {
        let ann = person("p1", "Ann");
        let mut doc = new_plan_document("ledeberg", &at(&ann, 1));
        edit_plan(&mut doc, &at(&ann, 2), |p| {
            p.add_ambition("a1".into(), "Ontmoeting")?;
            add_action(p, "x1", "Buurtfeest")
        })
        .unwrap();
        let before = doc.get_heads();
        edit_plan(&mut doc, &at(&ann, 3), |p| {
            p.set_status("x1", Status::Lopend)
        })
        .unwrap();
        edit_plan(&mut doc, &at(&ann, 4), |p| {
            p.set_status("x1", Status::Afgerond)
        })
        .unwrap();
        edit_text(
            &mut doc,
            &at(&ann, 5),
            TextField::Description("x1"),
            "Op het plein",
        )
        .unwrap();
        edit_text(
            &mut doc,
            &at(&ann, 6),
            TextField::Description("x1"),
            "Op het pleintje",
        )
        .unwrap();
        let new: Vec<ChangeHash> = doc.get_changes(&before).iter().map(|c| c.hash()).collect();

        let edits = describe(&doc, &new);
        assert_eq!(describe_item(&doc, &new, "x1"), edits);
        assert!(describe_item(&doc, &new, "x2").is_empty());
        let crumbs = vec![
            Crumb {
                list: "ambitions".into(),
                label: "Ontmoeting".into(),
                id: Some("a1".into()),
            },
            Crumb {
                list: "actions".into(),
                label: "Buurtfeest".into(),
                id: Some("x1".into()),
            },
        ];
        assert_eq!(
            edits,
            vec![
                Edit {
                    item: crumbs.clone(),
                    field: "status".into(),
                    kind: EditKind::Set {
                        from: Some("Gepland".into()),
                        to: "Afgerond".into()
                    },
                },
                Edit {
                    item: crumbs,
                    field: "description".into(),
                    kind: EditKind::TextEdited
                },
            ]
        );
    }

    #[test]
    fn describe_reports_added_and_removed_items_by_title() {
        let ann = person("p1", "Ann");
        let mut doc = new_plan_document("ledeberg", &at(&ann, 1));
        edit_plan(&mut doc, &at(&ann, 2), |p| {
            p.add_ambition("a1".into(), "Ontmoeting")
        })
        .unwrap();
        let before = doc.get_heads();
        edit_plan(&mut doc, &at(&ann, 3), |p| {
            add_action(p, "x1", "Buurtfeest")
        })
        .unwrap();
        let added = doc.get_heads();
        edit_plan(&mut doc, &at(&ann, 4), |p| p.remove_action("x1")).unwrap();
        let removed = doc.get_heads();

        let ambition = vec![Crumb {
            list: "ambitions".into(),
            label: "Ontmoeting".into(),
            id: Some("a1".into()),
        }];
        assert_eq!(
            describe(&doc, &added),
            vec![Edit {
                item: ambition.clone(),
                field: "actions".into(),
                kind: EditKind::Added {
                    label: "Buurtfeest".into()
                },
            }]
        );
        assert_eq!(
            describe(&doc, &removed),
            vec![Edit {
                item: ambition,
                field: "actions".into(),
                kind: EditKind::Removed {
                    label: "Buurtfeest".into()
                },
            }]
        );
        assert_ne!(before, added);
    }

    #[test]
    fn restoring_adds_a_change_and_brings_back_what_was() {
        let ann = person("p1", "Ann");
        let mut doc = new_plan_document("ledeberg", &at(&ann, 100));
        edit_plan(&mut doc, &at(&ann, 200), |p| {
            p.add_ambition("a1".into(), "Ontmoeting")?;
            add_action(p, "x1", "Buurtfeest")?;
            add_action(p, "x2", "Repair café")
        })
        .unwrap();
        edit_text(
            &mut doc,
            &at(&ann, 210),
            TextField::Description("x1"),
            "Op het plein",
        )
        .unwrap();
        let good = heads_at(&doc, 250);
        edit_plan(&mut doc, &at(&ann, 300), |p| {
            p.remove_action("x1")?;
            p.set_status("x2", Status::Stopgezet)
        })
        .unwrap();
        let changes_before = doc.get_changes(&[]).len();

        crate::plan::restore_action(&mut doc, &at(&ann, 400), &good, "x1").unwrap();
        let plan = crate::plan::read_plan(&doc).unwrap();
        let x1 = plan.action("x1").expect("the removed actie is back");
        assert_eq!(x1.description.0, "Op het plein");
        assert_eq!(
            plan.action("x2").unwrap().status,
            Status::Stopgezet,
            "only x1 restored"
        );

        crate::plan::restore_plan(&mut doc, &at(&ann, 500), &good).unwrap();
        let plan = crate::plan::read_plan(&doc).unwrap();
        assert_eq!(plan.action("x2").unwrap().status, Status::Gepland);
        // Nothing rewritten: the restores are new changes.
        assert_eq!(doc.get_changes(&[]).len(), changes_before + 2);
        assert_eq!(sessions(&doc, 1000)[0].author.as_ref().unwrap().name, "Ann");
    }

    #[test]
    fn the_document_as_it_was_at_a_time() {
        let ann = person("p1", "Ann");
        let mut doc = new_plan_document("ledeberg", &at(&ann, 100));
        edit_plan(&mut doc, &at(&ann, 200), |p| {
            p.add_ambition("a1".into(), "Ontmoeting")
        })
        .unwrap();
        edit_plan(&mut doc, &at(&ann, 300), |p| {
            add_action(p, "x1", "Buurtfeest")
        })
        .unwrap();

        assert!(heads_at(&doc, 50).is_empty());
        let then = as_of(&doc, &heads_at(&doc, 250)).unwrap();
        let plan = crate::plan::read_plan(&then).unwrap();
        assert_eq!(plan.ambitions.len(), 1);
        assert!(plan.ambitions[0].actions.is_empty());
        assert_eq!(heads_at(&doc, 300), doc.get_heads());
    }
}
