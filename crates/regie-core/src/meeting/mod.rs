//! A wijkactieteam meeting (vergadering): its agenda, who was there, a note
//! per agenda item and the decisions taken, which the minutes are made of.
//!
//! A meeting is a document of its own, placed in its wijk like a ronde
//! tafel (the team edits it, the netwerk reads it). It names the plan it is
//! about; its agenda is proposed from the plan's history since the
//! previous meeting ([`agenda`]), and it starts with that meeting's open
//! decisions carried over, so each meeting's decisions stand on their own.
//! A decision about acties also becomes a dated, attributed follow-up note
//! (opvolging) on each of them ([`follow_up`]), keyed by the decision so it
//! lands once.
//!
//! Concurrency: three tablets at one meeting write different keys —
//! attendance is keyed per organisation, items and decisions by their own
//! ids, and an item's note is Automerge text that two people can type in.
//!
//! - [`agenda`]: what changed in the plan since a moment.
//! - [`minutes`]: the verslag as blocks, for print and for export.
//! - [`docx`]: the verslag as an editable Word document.

pub mod agenda;
pub mod docx;
pub mod minutes;

use automerge::Automerge;
use autosurgeon::{Hydrate, Reconcile};

use crate::author::Stamp;
use crate::kind::DocError;
use crate::plan::validate::{self, Checker, Field};
use crate::plan::{FollowUp, LongText, Plan};
use agenda::{AmbitionChanges, ChangeNote};

/// The `kind` field of a meeting document.
pub const MEETING_KIND: &str = "vergadering";

/// Longest text kept in a meeting field that is not typed together
/// (titles, places, names, decisions): enough for a paragraph.
pub const MAX_TEXT: usize = 2_000;

/// A meeting of a wijk's wijkactieteam.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Meeting {
    /// Schema version.
    pub schema: u64,
    /// Always [`MEETING_KIND`].
    pub kind: String,
    /// The wijk (slug).
    pub wijk: String,
    /// The plan it is about (document id).
    pub plan: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Where (may be empty).
    pub place: String,
    /// Changes to the plan after this moment (seconds since the Unix
    /// epoch) were proposed for the agenda.
    pub since: i64,
    /// The meeting before it, whose open decisions it carried over.
    pub previous: Option<String>,
    /// The agenda, in order.
    pub agenda: Vec<AgendaItem>,
    /// Who was there, per organisation.
    pub attendance: Vec<Attendance>,
    /// Decisions taken here, and those carried over still open.
    pub decisions: Vec<Decision>,
    /// When the meeting was closed (seconds), after which the next one
    /// proposes what changed since.
    pub closed: Option<i64>,
}

/// One item of the agenda.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct AgendaItem {
    /// Stable id.
    #[key]
    pub id: String,
    /// What it is about.
    pub title: String,
    /// The ambitie it is about, for items proposed from the plan.
    pub ambition: Option<String>,
    /// What changed, for items proposed from the plan.
    pub changes: Vec<ChangeNote>,
    /// Who added it (none: proposed from the documents).
    pub added_by: Option<String>,
    /// What was said, typed together.
    pub note: LongText,
}

/// An organisation at the meeting.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Attendance {
    /// The organisation (directory id or name); also the key.
    #[key]
    pub organisation: String,
    /// Who came (names as typed; may be empty).
    pub people: String,
    /// Present (`false`: sent apologies).
    pub present: bool,
}

/// A decision.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Decision {
    /// Stable id (kept when carried over).
    #[key]
    pub id: String,
    /// The agenda item it was taken under, if any.
    pub item: Option<String>,
    /// What was decided.
    pub text: String,
    /// The acties of the plan it concerns.
    pub actions: Vec<String>,
    /// Who takes it up (an organisation or a person; may be empty).
    pub owner: String,
    /// By when, `YYYY-MM-DD`.
    pub due: Option<String>,
    /// Who recorded it.
    pub by: String,
    /// `YYYY-MM-DD` it was taken.
    pub date: String,
    /// Done.
    pub done: bool,
    /// The meeting it was carried over from, if it was.
    pub carried_from: Option<String>,
}

/// What a new meeting needs to start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingForm {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Where.
    pub place: String,
}

/// A decision as a form gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionForm {
    /// The agenda item (empty: none).
    pub item: String,
    /// What was decided.
    pub text: String,
    /// The acties it concerns.
    pub actions: Vec<String>,
    /// Who takes it up.
    pub owner: String,
    /// By when (empty: no date).
    pub due: String,
}

/// A text trimmed and cut to [`MAX_TEXT`] characters.
fn bounded(text: &str) -> String {
    text.trim().chars().take(MAX_TEXT).collect()
}

impl Meeting {
    /// A new meeting of the team of `plan`'s wijk about plan `plan_id`:
    /// the agenda proposed from what changed since `since` (the ambities
    /// with changes, then new signals), and the open decisions of
    /// `previous` carried over (with an item of their own).
    pub fn new(
        form: &MeetingForm,
        plan_id: &str,
        plan: &Plan,
        since: i64,
        proposed: (Vec<AmbitionChanges>, Vec<ChangeNote>),
        previous: Option<(&str, &Meeting)>,
    ) -> Result<Self, DocError> {
        let mut checker = Checker::default();
        let date = checker.take(validate::date(&form.date, Field::Date));
        checker.finish()?;
        let date = date.unwrap_or_default();
        let (per_ambition, signals) = proposed;
        let mut agenda: Vec<AgendaItem> = Vec::new();
        let mut decisions = Vec::new();
        if let Some((previous_id, previous)) = previous {
            decisions = previous
                .decisions
                .iter()
                .filter(|d| !d.done)
                .map(|d| Decision {
                    item: Some(OPEN_DECISIONS.to_owned()),
                    carried_from: d.carried_from.clone().or(Some(previous_id.to_owned())),
                    ..d.clone()
                })
                .collect();
            if !decisions.is_empty() {
                agenda.push(proposed_item(OPEN_DECISIONS, "", None, Vec::new()));
            }
        }
        for changed in per_ambition {
            agenda.push(proposed_item(
                &format!("ambitie-{}", changed.ambition),
                &changed.title,
                Some(changed.ambition),
                changed.changes,
            ));
        }
        if !signals.is_empty() {
            agenda.push(proposed_item(NEW_SIGNALS, "", None, signals));
        }
        Ok(Meeting {
            schema: 1,
            kind: MEETING_KIND.to_owned(),
            wijk: plan.wijk.clone(),
            plan: plan_id.to_owned(),
            date,
            place: bounded(&form.place),
            since,
            previous: previous.map(|(id, _)| id.to_owned()),
            agenda,
            attendance: Vec::new(),
            decisions,
            closed: None,
        })
    }

    /// Adds an item someone brings in.
    pub fn add_item(&mut self, id: String, title: &str, by: &str) -> Result<(), DocError> {
        let title =
            validate::title(&bounded(title), Field::Title).map_err(|_| DocError::EmptyTitle)?;
        self.agenda.push(AgendaItem {
            added_by: Some(bounded(by)),
            ..proposed_item(&id, &title, None, Vec::new())
        });
        Ok(())
    }

    /// Says who of an organisation came (or that it sent apologies).
    pub fn set_attendance(
        &mut self,
        organisation: &str,
        people: &str,
        present: bool,
    ) -> Result<(), DocError> {
        let organisation = validate::title(&bounded(organisation), Field::Title)
            .map_err(|_| DocError::EmptyTitle)?;
        let entry = Attendance {
            organisation,
            people: bounded(people),
            present,
        };
        match self
            .attendance
            .iter_mut()
            .find(|a| a.organisation == entry.organisation)
        {
            Some(existing) => *existing = entry,
            None => self.attendance.push(entry),
        }
        Ok(())
    }

    /// Takes an organisation off the list.
    pub fn remove_attendance(&mut self, organisation: &str) -> Result<(), DocError> {
        let before = self.attendance.len();
        self.attendance.retain(|a| a.organisation != organisation);
        if before == self.attendance.len() {
            return Err(DocError::NotFound);
        }
        Ok(())
    }

    /// Records a decision taken today by `by`; the acties it names must be
    /// in `plan`.
    pub fn decide(
        &mut self,
        id: String,
        form: &DecisionForm,
        plan: &Plan,
        by: &str,
        today: &str,
    ) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let text = checker.take(validate::title(&bounded(&form.text), Field::Text));
        let due = checker.take(validate::optional_date(&form.due, Field::Date));
        checker.finish()?;
        let item = Some(form.item.trim().to_owned()).filter(|i| !i.is_empty());
        if let Some(item) = &item
            && !self.agenda.iter().any(|a| &a.id == item)
        {
            return Err(DocError::NotFound);
        }
        if form.actions.iter().any(|a| plan.action(a).is_none()) {
            return Err(DocError::NotFound);
        }
        let mut actions: Vec<String> = Vec::new();
        for action in &form.actions {
            if !actions.contains(action) {
                actions.push(action.clone());
            }
        }
        self.decisions.push(Decision {
            id,
            item,
            text: text.unwrap_or_default(),
            actions,
            owner: bounded(&form.owner),
            due: due.flatten(),
            by: bounded(by),
            date: today.to_owned(),
            done: false,
            carried_from: None,
        });
        Ok(())
    }

    /// Marks a decision done or open again.
    pub fn set_done(&mut self, decision: &str, done: bool) -> Result<(), DocError> {
        let decision = self
            .decisions
            .iter_mut()
            .find(|d| d.id == decision)
            .ok_or(DocError::NotFound)?;
        decision.done = done;
        Ok(())
    }

    /// Closes the meeting at `time` (seconds): the next one proposes what
    /// changed after it. Closing again keeps the first time.
    pub fn close(&mut self, time: i64) {
        self.closed.get_or_insert(time);
    }

    /// The moment the next meeting proposes changes after: when this one
    /// was closed, or else its own starting point.
    pub fn next_since(&self) -> i64 {
        self.closed.unwrap_or(self.since)
    }

    /// The decisions still open.
    pub fn open_decisions(&self) -> impl Iterator<Item = &Decision> {
        self.decisions.iter().filter(|d| !d.done)
    }

    /// The agenda item with `id`.
    pub fn item(&self, id: &str) -> Option<&AgendaItem> {
        self.agenda.iter().find(|i| i.id == id)
    }
}

/// The id of the item that holds the decisions carried over.
pub const OPEN_DECISIONS: &str = "open-besluiten";
/// The id of the item that holds the new signals.
pub const NEW_SIGNALS: &str = "nieuwe-signalen";

fn proposed_item(
    id: &str,
    title: &str,
    ambition: Option<String>,
    changes: Vec<ChangeNote>,
) -> AgendaItem {
    AgendaItem {
        id: id.to_owned(),
        title: title.to_owned(),
        ambition,
        changes,
        added_by: None,
        note: LongText::default(),
    }
}

/// The id of the follow-up note a decision leaves on an actie: the same
/// on every device, so recording it twice leaves one note.
pub fn follow_up_id(decision: &str) -> String {
    format!("besluit-{decision}")
}

/// Puts `decision` (taken at a meeting on `meeting_date`) on each actie it
/// concerns as a follow-up note, dated and attributed; an actie that
/// already has it, or is no longer in the plan, is left alone. Returns how
/// many notes were added.
pub fn follow_up(plan: &mut Plan, decision: &Decision, meeting_date: &str) -> usize {
    let id = follow_up_id(&decision.id);
    let mut added = 0;
    for action_id in &decision.actions {
        let Ok(action) = plan.action_mut(action_id) else {
            continue;
        };
        if action.notes.iter().any(|n| n.id == id) {
            continue;
        }
        action.notes.push(FollowUp {
            id: id.clone(),
            date: meeting_date.to_owned(),
            author: if decision.by.is_empty() {
                "Onbekend".to_owned()
            } else {
                decision.by.clone()
            },
            text: LongText(decision_note(decision)),
        });
        added += 1;
    }
    added
}

/// The note's words: the decision, who takes it up and by when. Dutch,
/// like every note people type into the plan.
fn decision_note(decision: &Decision) -> String {
    let mut text = format!("Besluit wijkactieteam: {}", decision.text);
    if !decision.owner.is_empty() {
        text.push_str(&format!(" (opgenomen door {})", decision.owner));
    }
    if let Some(due) = &decision.due {
        text.push_str(&format!(" — tegen {}", crate::text::date(due)));
    }
    text
}

/// A new document holding a meeting.
pub fn new_meeting_document(meeting: &Meeting, stamp: &Stamp) -> Automerge {
    let mut doc = Automerge::new();
    crate::kind::write(&mut doc, stamp, meeting).expect("a fresh meeting always reconciles");
    doc
}

impl crate::kind::DocumentKind for Meeting {
    const KIND: crate::kind::Kind = crate::kind::Kind::Meeting;
    const TAG: &'static str = MEETING_KIND;
    const SCHEMA: u64 = 1;

    fn schema_mut(&mut self) -> &mut u64 {
        &mut self.schema
    }
}
