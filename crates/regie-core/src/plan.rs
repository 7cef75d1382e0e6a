//! The wijkactieplan: ambities with their acties, and how a plan is kept in
//! an Automerge document.
//!
//! The document root is a map `{ schema, kind, wijk, ambitions: [...] }`;
//! list items carry a stable `id` so that concurrent edits to different items
//! merge instead of overwriting each other (autosurgeon matches list items by
//! that key when it reconciles).

use automerge::{Automerge, ObjId};
use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc, Reconcile, hydrate, reconcile};

/// The schema version written by this code.
pub const SCHEMA_VERSION: u64 = 1;

/// The `kind` field of a plan document.
pub const PLAN_KIND: &str = "wijkactieplan";

/// A wijkactieplan.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Plan {
    /// Schema version of the document.
    pub schema: u64,
    /// Always [`PLAN_KIND`].
    #[autosurgeon(hydrate = "text_or_string")]
    pub kind: String,
    /// Slug of the wijk (see [`crate::wijken`]).
    #[autosurgeon(hydrate = "text_or_string")]
    pub wijk: String,
    /// The ambities, in the order people put them.
    pub ambitions: Vec<Ambition>,
}

/// An ambitie: a goal with the actions that serve it.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Ambition {
    /// Stable id, unique within the plan.
    #[key]
    pub id: String,
    /// What the wijk wants to achieve.
    #[autosurgeon(hydrate = "text_or_string")]
    pub title: String,
    /// The acties under this ambitie.
    pub actions: Vec<Action>,
}

/// An actie.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Action {
    /// Stable id, unique within the plan.
    #[key]
    pub id: String,
    /// Short title.
    #[autosurgeon(hydrate = "text_or_string")]
    pub title: String,
    /// Where the action stands.
    #[autosurgeon(hydrate = "status_text_or_string")]
    pub status: Status,
}

/// The status of an actie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Status {
    /// An idea, not planned yet.
    Idee,
    /// Planned.
    Gepland,
    /// Running.
    Lopend,
    /// Done.
    Afgerond,
    /// Stopped.
    Stopgezet,
}

impl Status {
    /// Every status, in the order of the action's life.
    pub const ALL: [Status; 5] = [
        Status::Idee,
        Status::Gepland,
        Status::Lopend,
        Status::Afgerond,
        Status::Stopgezet,
    ];

    /// The Dutch label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Idee => "Idee",
            Status::Gepland => "Gepland",
            Status::Lopend => "Lopend",
            Status::Afgerond => "Afgerond",
            Status::Stopgezet => "Stopgezet",
        }
    }

    /// A stable machine name (for forms and CSS classes).
    pub fn slug(self) -> &'static str {
        match self {
            Status::Idee => "idee",
            Status::Gepland => "gepland",
            Status::Lopend => "lopend",
            Status::Afgerond => "afgerond",
            Status::Stopgezet => "stopgezet",
        }
    }

    /// Parses [`Status::slug`].
    pub fn from_slug(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.slug() == key)
    }
}

/// Reads a string whether it was written as a plain string (as we do) or
/// as collaborative text (as automerge-repo JS clients do when they assign
/// a string), so documents edited by other clients still open.
fn text_or_string<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<String, HydrateError> {
    match String::hydrate(doc, obj, prop.clone()) {
        Ok(text) => Ok(text),
        Err(_) => autosurgeon::Text::hydrate(doc, obj, prop).map(|t| t.as_str().to_owned()),
    }
}

/// A status written as a plain string or as text, by variant name.
fn status_text_or_string<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Status, HydrateError> {
    if let Ok(status) = Status::hydrate(doc, obj, prop.clone()) {
        return Ok(status);
    }
    let name = text_or_string(doc, obj, prop)?;
    Status::ALL
        .into_iter()
        .find(|s| s.label() == name)
        .ok_or_else(|| {
            HydrateError::unexpected(
                "a status (Idee, Gepland, Lopend, Afgerond, Stopgezet)",
                name,
            )
        })
}

/// A plan edit that cannot be made, with the message shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// A title is empty or only spaces.
    #[error("Geef een titel op.")]
    EmptyTitle,
    /// The item was removed (perhaps by someone else) in the meantime.
    #[error("Dit onderdeel bestaat niet meer; misschien heeft iemand anders het verwijderd.")]
    NotFound,
    /// This device's link only allows reading.
    #[error("Je hebt alleen leesrechten voor dit plan.")]
    ReadOnly,
    /// The document is not a plan this version understands.
    #[error("Dit document is geen leesbaar wijkactieplan ({0}).")]
    Unreadable(String),
}

fn clean_title(title: &str) -> Result<String, PlanError> {
    let title = title.trim();
    if title.is_empty() {
        Err(PlanError::EmptyTitle)
    } else {
        Ok(title.to_owned())
    }
}

impl Plan {
    /// A new, empty plan for a wijk.
    pub fn new(wijk: &str) -> Self {
        Plan {
            schema: SCHEMA_VERSION,
            kind: PLAN_KIND.to_owned(),
            wijk: wijk.to_owned(),
            ambitions: Vec::new(),
        }
    }

    /// Adds an ambitie at the end.
    pub fn add_ambition(&mut self, id: String, title: &str) -> Result<(), PlanError> {
        let title = clean_title(title)?;
        self.ambitions.push(Ambition {
            id,
            title,
            actions: Vec::new(),
        });
        Ok(())
    }

    /// Adds an actie at the end of an ambitie.
    pub fn add_action(
        &mut self,
        ambition_id: &str,
        id: String,
        title: &str,
        status: Status,
    ) -> Result<(), PlanError> {
        let title = clean_title(title)?;
        let ambition = self
            .ambitions
            .iter_mut()
            .find(|a| a.id == ambition_id)
            .ok_or(PlanError::NotFound)?;
        ambition.actions.push(Action { id, title, status });
        Ok(())
    }

    /// Finds an actie anywhere in the plan.
    pub fn action_mut(&mut self, action_id: &str) -> Result<&mut Action, PlanError> {
        self.ambitions
            .iter_mut()
            .flat_map(|a| a.actions.iter_mut())
            .find(|a| a.id == action_id)
            .ok_or(PlanError::NotFound)
    }

    /// Changes the status of an actie.
    pub fn set_status(&mut self, action_id: &str, status: Status) -> Result<(), PlanError> {
        self.action_mut(action_id)?.status = status;
        Ok(())
    }

    /// Renames an actie.
    pub fn rename_action(&mut self, action_id: &str, title: &str) -> Result<(), PlanError> {
        let title = clean_title(title)?;
        self.action_mut(action_id)?.title = title;
        Ok(())
    }

    /// Number of acties in the plan.
    pub fn action_count(&self) -> usize {
        self.ambitions.iter().map(|a| a.actions.len()).sum()
    }
}

/// Reads the plan from a document.
pub fn read_plan(doc: &Automerge) -> Result<Plan, PlanError> {
    hydrate(doc).map_err(|e| PlanError::Unreadable(e.to_string()))
}

/// Whether the document holds anything yet (an empty document is one that was
/// requested but has not arrived).
pub fn is_empty(doc: &Automerge) -> bool {
    doc.get_heads().is_empty()
}

/// Writes a plan into a document as one change. Only what differs from the
/// document is written, so concurrent edits elsewhere in the plan survive.
pub fn write_plan(doc: &mut Automerge, plan: &Plan) -> Result<(), PlanError> {
    doc.transact(|tx| reconcile(tx, plan))
        .map(|_| ())
        .map_err(|f| PlanError::Unreadable(f.error.to_string()))
}

/// Applies an edit to the plan in a document: read, edit, write back. Nothing
/// is written when the edit fails.
pub fn edit_plan(
    doc: &mut Automerge,
    edit: impl FnOnce(&mut Plan) -> Result<(), PlanError>,
) -> Result<(), PlanError> {
    let mut plan = read_plan(doc)?;
    edit(&mut plan)?;
    write_plan(doc, &plan)
}

/// A new document holding an empty plan for `wijk`.
pub fn new_plan_document(wijk: &str) -> Automerge {
    let mut doc = Automerge::new();
    write_plan(&mut doc, &Plan::new(wijk)).expect("a fresh plan always reconciles");
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable as _;

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
        write_plan(&mut doc, &sample()).unwrap();
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
            write_plan(&mut doc, &plan).unwrap();
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
        write_plan(&mut doc, &sample()).unwrap();
        let heads = doc.get_heads();
        assert_eq!(
            edit_plan(&mut doc, |p| p.add_ambition("a2".into(), "   ")),
            Err(PlanError::EmptyTitle)
        );
        assert_eq!(
            edit_plan(&mut doc, |p| p.set_status("nope", Status::Afgerond)),
            Err(PlanError::NotFound)
        );
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn concurrent_edits_to_different_actions_merge() {
        let mut a = Automerge::new();
        write_plan(&mut a, &sample()).unwrap();
        let mut b = a.fork();
        edit_plan(&mut a, |p| p.set_status("x1", Status::Afgerond)).unwrap();
        edit_plan(&mut b, |p| p.rename_action("x2", "Huisbezoeken bij 80+")).unwrap();
        edit_plan(&mut b, |p| {
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
        write_plan(&mut doc, &sample()).unwrap();
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
        edit_plan(&mut doc, |p| p.rename_action("x2", "Huisbezoeken 80+")).unwrap();
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
        assert!(matches!(read_plan(&doc), Err(PlanError::Unreadable(_))));
    }
}
