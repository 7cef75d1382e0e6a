//! Reading and writing a plan in an Automerge document, and typing into
//! its long texts.

use automerge::transaction::Transactable as _;
use automerge::{Automerge, ChangeHash, ObjId, ObjType, ReadDoc as _, Value};

use super::SCHEMA_VERSION;
use super::model::{Plan, Signal};
use crate::author::Stamp;
use crate::kind::DocError;
use crate::kind::{self, DocumentKind, Kind};

impl DocumentKind for Plan {
    const KIND: Kind = Kind::Plan;
    const TAG: &'static str = super::PLAN_KIND;
    const SCHEMA: u64 = SCHEMA_VERSION;

    fn schema_mut(&mut self) -> &mut u64 {
        &mut self.schema
    }

    /// In one pass when the document is shaped as expected (see
    /// [`super::fast_read`]), else field by field, which says what is wrong.
    fn read(doc: &Automerge) -> Result<Self, DocError> {
        match super::fast_read::plan(doc) {
            Some(plan) => Ok(plan),
            None => read_plan_by_fields(doc),
        }
    }
}

/// Reads the plan from a document (see [`DocumentKind::read`] for [`Plan`]).
pub fn read_plan(doc: &Automerge) -> Result<Plan, DocError> {
    kind::read(doc)
}

/// Reads the plan field by field with autosurgeon: the reference reader
/// (the one-pass reader must agree with it) and the fallback.
pub fn read_plan_by_fields(doc: &Automerge) -> Result<Plan, DocError> {
    autosurgeon::hydrate(doc).map_err(|e| DocError::unreadable(Kind::Plan, e))
}

/// Whether the document holds anything yet (an empty document is one that was
/// requested but has not arrived).
pub fn is_empty(doc: &Automerge) -> bool {
    doc.get_heads().is_empty()
}

/// Writes a plan into a document as one change. Only what differs from the
/// document is written, so concurrent edits elsewhere in the plan survive.
pub fn write_plan(doc: &mut Automerge, stamp: &Stamp, plan: &Plan) -> Result<(), DocError> {
    kind::write(doc, stamp, plan)
}

/// Applies an edit to the plan in a document: read, edit, write back (which
/// upgrades an older document). Nothing is written when the edit fails.
pub fn edit_plan(
    doc: &mut Automerge,
    stamp: &Stamp,
    edit: impl FnOnce(&mut Plan) -> Result<(), DocError>,
) -> Result<(), DocError> {
    kind::edit(doc, stamp, edit)
}

/// Writes only what changed in the plan's signals since `before`: signals
/// added at the end and signals changed in place, each on its own. This is
/// how a signal link writes (see `crate::scope::signals_only`): a full
/// write would also fill in fields a newer version added elsewhere (an
/// empty map at the root, a default in every older actie or signal), which
/// such a link may not touch. A signal removed or reordered is refused.
pub fn write_signals(
    doc: &mut Automerge,
    stamp: &Stamp,
    before: &[Signal],
    after: &[Signal],
) -> Result<(), DocError> {
    if after.len() < before.len() || before.iter().zip(after).any(|(b, a)| b.id != a.id) {
        return Err(DocError::ReadOnly);
    }
    let unreadable = |e: &dyn std::fmt::Display| DocError::unreadable(Kind::Plan, e);
    doc.transact_with::<_, _, DocError, _>(
        |_| stamp.commit_options(),
        |tx| {
            let signals = match tx
                .get(automerge::ROOT, "signals")
                .map_err(|e| unreadable(&e))?
            {
                Some((automerge::Value::Object(automerge::ObjType::List), id)) => id,
                _ => return Err(unreadable(&"no signals list")),
            };
            for (index, signal) in after.iter().enumerate() {
                match before.get(index) {
                    Some(old) if old == signal => {}
                    Some(_) => autosurgeon::reconcile_prop(tx, &signals, index, signal)
                        .map_err(|e| unreadable(&e))?,
                    None => autosurgeon::reconcile_insert(tx, signals.clone(), index, signal)
                        .map_err(|e| unreadable(&e))?,
                }
            }
            Ok(())
        },
    )
    .map(|_| ())
    .map_err(|failure| failure.error)
}

/// Sets the whole plan back to how it was at `heads`, as a new change on top
/// of everything since: nothing is rewritten, and the history keeps both.
pub fn restore_plan(
    doc: &mut Automerge,
    stamp: &Stamp,
    heads: &[ChangeHash],
) -> Result<(), DocError> {
    kind::restore::<Plan>(doc, stamp, heads)
}

/// Sets one actie back to how it was at `heads`, as a new change; an actie
/// removed since comes back in its ambitie (and the ambitie with it).
pub fn restore_action(
    doc: &mut Automerge,
    stamp: &Stamp,
    heads: &[ChangeHash],
    action_id: &str,
) -> Result<(), DocError> {
    let then = crate::history::as_of(doc, heads).ok_or(DocError::NotFound)?;
    let old = read_plan(&then)?;
    let ambition = old
        .ambitions
        .iter()
        .find(|a| a.actions.iter().any(|x| x.id == action_id))
        .ok_or(DocError::NotFound)?;
    let action = ambition
        .actions
        .iter()
        .find(|x| x.id == action_id)
        .cloned()
        .ok_or(DocError::NotFound)?;
    edit_plan(doc, stamp, |plan| {
        plan.restore_action(ambition, action);
        Ok(())
    })
}

/// A new document holding an empty plan for `wijk`.
pub fn new_plan_document(wijk: &str, stamp: &Stamp) -> Automerge {
    let mut doc = Automerge::new();
    write_plan(&mut doc, stamp, &Plan::new(wijk)).expect("a fresh plan always reconciles");
    doc
}

/// A long text of an actie that people type into together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField<'a> {
    /// The actie's description.
    Description(&'a str),
    /// The actie's evaluation.
    Evaluation(&'a str),
    /// A follow-up note's text: (actie id, note id).
    Note(&'a str, &'a str),
}

/// Types into a long text: the difference between what is there and
/// `value` becomes Automerge text splices, so someone typing elsewhere in
/// the same text keeps their words. Writes nothing when nothing changed.
pub fn edit_text(
    doc: &mut Automerge,
    stamp: &Stamp,
    field: TextField<'_>,
    value: &str,
) -> Result<(), DocError> {
    let (action_id, note_id, key) = match field {
        TextField::Description(action) => (action, None, "description"),
        TextField::Evaluation(action) => (action, None, "evaluation"),
        TextField::Note(action, note) => (action, Some(note), "text"),
    };
    let action = find_action(doc, action_id).ok_or(DocError::NotFound)?;
    let owner = match note_id {
        None => action,
        Some(note) => find_by_id(doc, &action, "notes", note).ok_or(DocError::NotFound)?,
    };
    let existing = match doc.get(&owner, key) {
        Ok(Some((Value::Object(ObjType::Text), text))) => Some(text),
        _ => None,
    };
    if existing
        .as_ref()
        .is_some_and(|t| doc.text(t).is_ok_and(|now| now == value))
    {
        return Ok(());
    }
    doc.transact_with::<_, _, automerge::AutomergeError, _>(
        |_| stamp.commit_options(),
        |tx| {
            let text = match &existing {
                Some(text) => text.clone(),
                // Documents from schema 1 have no text here yet.
                None => tx.put_object(&owner, key, ObjType::Text)?,
            };
            tx.update_text(&text, value)?;
            Ok(())
        },
    )
    .map(|_| ())
    .map_err(|f| DocError::unreadable(Kind::Plan, f.error))
}

/// The map of the actie with this id, wherever it is in the plan.
fn find_action(doc: &Automerge, action_id: &str) -> Option<ObjId> {
    let (_, ambitions) = doc.get(automerge::ROOT, "ambitions").ok()??;
    (0..doc.length(&ambitions)).find_map(|i| {
        let (_, ambition) = doc.get(&ambitions, i).ok()??;
        find_by_id(doc, &ambition, "actions", action_id)
    })
}

/// The map in list `parent[list]` whose `id` is `id`.
fn find_by_id(doc: &Automerge, parent: &ObjId, list: &str, id: &str) -> Option<ObjId> {
    let (_, items) = doc.get(parent, list).ok()??;
    (0..doc.length(&items)).find_map(|i| {
        let (_, item) = doc.get(&items, i).ok()??;
        let matches = match doc.get(&item, "id").ok()?? {
            (Value::Scalar(s), _) => s.as_str() == Some(id),
            (Value::Object(ObjType::Text), text) => doc.text(&text).is_ok_and(|t| t == id),
            _ => false,
        };
        matches.then_some(item)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Status;

    fn sample() -> Plan {
        let mut plan = Plan::new("ledeberg");
        plan.add_ambition("a1".into(), "Eenzaamheid bij ouderen verminderen")
            .unwrap();
        plan.add_action("a1", "x1".into(), "Buurtsoep op vrijdag", Status::Lopend)
            .unwrap();
        plan.add_action("a1", "x2".into(), "Huisbezoeken", Status::Idee)
            .unwrap();
        plan
    }

    #[test]
    fn schema_round_trips_through_bytes() {
        let mut doc = Automerge::new();
        write_plan(&mut doc, &Stamp::default(), &sample()).unwrap();
        let bytes = doc.save();
        let loaded = Automerge::load(&bytes).unwrap();
        assert_eq!(read_plan(&loaded).unwrap(), sample());
    }

    #[test]
    fn every_status_round_trips() {
        for status in Status::ALL {
            let mut plan = sample();
            plan.set_status("x2", status).unwrap();
            let mut doc = Automerge::new();
            write_plan(&mut doc, &Stamp::default(), &plan).unwrap();
            assert_eq!(
                read_plan(&doc).unwrap().ambitions[0].actions[1].status,
                status
            );
            assert_eq!(Status::from_slug(status.slug()), Some(status));
        }
    }

    #[test]
    fn invalid_edits_change_nothing() {
        let mut doc = Automerge::new();
        write_plan(&mut doc, &Stamp::default(), &sample()).unwrap();
        let heads = doc.get_heads();
        assert_eq!(
            edit_plan(&mut doc, &Stamp::default(), |p| p
                .add_ambition("a2".into(), "   ")),
            Err(DocError::EmptyTitle)
        );
        assert_eq!(
            edit_plan(&mut doc, &Stamp::default(), |p| p
                .set_status("nope", Status::Afgerond)),
            Err(DocError::NotFound)
        );
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn concurrent_edits_to_different_actions_merge() {
        let mut a = Automerge::new();
        write_plan(&mut a, &Stamp::default(), &sample()).unwrap();
        let mut b = a.fork();
        edit_plan(&mut a, &Stamp::default(), |p| {
            p.set_status("x1", Status::Afgerond)
        })
        .unwrap();
        edit_plan(&mut b, &Stamp::default(), |p| {
            p.rename_action("x2", "Huisbezoeken bij 80+")
        })
        .unwrap();
        edit_plan(&mut b, &Stamp::default(), |p| {
            p.add_action("a1", "x3".into(), "Telefooncirkel", Status::Gepland)
        })
        .unwrap();
        a.merge(&mut b).unwrap();
        let plan = read_plan(&a).unwrap();
        let actions = &plan.ambitions[0].actions;
        assert_eq!(actions.len(), 3);
        assert_eq!(actions[0].status, Status::Afgerond);
        assert_eq!(actions[1].title, "Huisbezoeken bij 80+");
        assert_eq!(actions[2].id, "x3");
    }

    #[test]
    fn strings_written_as_text_by_other_clients_still_read() {
        let mut doc = Automerge::new();
        write_plan(&mut doc, &Stamp::default(), &sample()).unwrap();
        // What an automerge-repo JS client does with `d.ambitions[0].title = "..."`
        // and `status = "Afgerond"`: it writes collaborative text.
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            use automerge::ReadDoc as AmRead;
            let (_, ambitions) = AmRead::get(tx, automerge::ROOT, "ambitions")?.unwrap();
            let (_, first) = AmRead::get(tx, &ambitions, 0)?.unwrap();
            let title = tx.put_object(&first, "title", automerge::ObjType::Text)?;
            tx.splice_text(&title, 0, 0, "Zorg heel dichtbij")?;
            let (_, actions) = AmRead::get(tx, &first, "actions")?.unwrap();
            let (_, action) = AmRead::get(tx, &actions, 0)?.unwrap();
            let status = tx.put_object(&action, "status", automerge::ObjType::Text)?;
            tx.splice_text(&status, 0, 0, "Afgerond")?;
            Ok(())
        })
        .unwrap();
        let plan = read_plan(&doc).unwrap();
        assert_eq!(plan.ambitions[0].title, "Zorg heel dichtbij");
        assert_eq!(plan.ambitions[0].actions[0].status, Status::Afgerond);
        // Our next edit writes a plain string again and keeps everything.
        edit_plan(&mut doc, &Stamp::default(), |p| {
            p.rename_action("x2", "Huisbezoeken 80+")
        })
        .unwrap();
        assert_eq!(
            read_plan(&doc).unwrap().ambitions[0].title,
            "Zorg heel dichtbij"
        );
    }

    #[test]
    fn a_non_plan_document_is_reported_not_panicked() {
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, "ambitions", "geen lijst")?;
            Ok(())
        })
        .unwrap();
        assert!(matches!(
            read_plan(&doc),
            Err(DocError::Unreadable {
                kind: Kind::Plan,
                ..
            })
        ));
    }
}
