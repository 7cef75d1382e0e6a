//! The plan's types and how each maps onto the Automerge document.
//!
//! Fields added after schema 1 carry `missing = ...`, so a document written
//! by an older version still hydrates (with empty defaults) and is upgraded
//! the next time anyone edits it. Long texts are [`LongText`] (Automerge text),
//! so two people typing in one description both keep their words.

use automerge::ObjId;
use autosurgeon::reconcile::{NoKey, TextReconciler as _};
use autosurgeon::{Hydrate, HydrateError, ReadDoc, Reconcile, Reconciler};

use super::status::Status;
use super::strings::{status_text_or_string, text_or_string};

/// A wijkactieplan.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Plan {
    /// Schema version of the document.
    pub schema: u64,
    /// Always [`super::PLAN_KIND`].
    #[autosurgeon(hydrate = "text_or_string")]
    pub kind: String,
    /// Slug of the wijk (see [`crate::wijken`]).
    #[autosurgeon(hydrate = "text_or_string")]
    pub wijk: String,
    /// The ambities, in the order people put them.
    pub ambitions: Vec<Ambition>,
    /// Partner organisations and the circle they are in.
    #[autosurgeon(missing = "Vec::new")]
    pub members: Vec<Member>,
    /// Signals captured in this wijk.
    #[autosurgeon(missing = "Vec::new")]
    pub signals: Vec<Signal>,
    /// The wijk's envelopes in cents, keyed `<fund>/<round>` (see
    /// [`super::budget`]): the wijkbudget per round and the fund for acute
    /// needs (seed 004). A map, so two people setting different envelopes
    /// at once both keep theirs.
    #[autosurgeon(missing = "std::collections::HashMap::new")]
    pub envelopes: std::collections::HashMap<String, i64>,
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
    /// What the action is, typed together.
    #[autosurgeon(missing = "LongText::default")]
    pub description: LongText,
    /// Thema id from the directory (empty: none chosen).
    #[autosurgeon(missing = "String::new")]
    pub thema: String,
    /// Organisation id of the lead partner (empty: none chosen).
    #[autosurgeon(missing = "String::new")]
    pub trekker: String,
    /// Organisation ids of the partners involved.
    #[autosurgeon(missing = "Vec::new")]
    pub partners: Vec<String>,
    /// Progress in percent when someone overrode the status's default.
    #[autosurgeon(missing = "Option::default")]
    pub progress: Option<u64>,
    /// Weight in the roll-up (1 unless someone says otherwise).
    #[autosurgeon(missing = "default_weight")]
    pub weight: u64,
    /// Start date, `YYYY-MM-DD`.
    #[autosurgeon(missing = "Option::default")]
    pub start: Option<String>,
    /// End date, `YYYY-MM-DD`.
    #[autosurgeon(missing = "Option::default")]
    pub end: Option<String>,
    /// How the action is measured.
    #[autosurgeon(missing = "Vec::new")]
    pub indicators: Vec<Indicator>,
    /// Money planned and spent.
    #[autosurgeon(missing = "Vec::new")]
    pub budget: Vec<BudgetLine>,
    /// Dated follow-up notes (opvolging), oldest first.
    #[autosurgeon(missing = "Vec::new")]
    pub notes: Vec<FollowUp>,
    /// The evaluation, typed together.
    #[autosurgeon(missing = "LongText::default")]
    pub evaluation: LongText,
    /// Where it came from, when a campaign's piste became this actie:
    /// `<campaign id>/<card id>` (see `crate::cycle::chain`).
    #[autosurgeon(missing = "Option::default")]
    pub origin: Option<String>,
    /// "Acute nood": an acute need of people in a vulnerable position
    /// (seed 004), which puts the actie on top.
    #[autosurgeon(missing = "bool::default")]
    pub acute: bool,
}

fn default_weight() -> u64 {
    1
}

/// How an action is measured: what, the target and what was measured.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Indicator {
    /// Stable id.
    #[key]
    pub id: String,
    /// What is counted, e.g. "deelnemers aan de buurtsoep".
    pub text: String,
    /// The target value.
    pub target: Option<f64>,
    /// The value measured so far.
    pub measured: Option<f64>,
}

/// A budget line, in euro cents.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct BudgetLine {
    /// Stable id.
    #[key]
    pub id: String,
    /// What the money is for.
    pub label: String,
    /// Planned, in cents.
    pub planned_cents: i64,
    /// Spent so far, in cents.
    pub spent_cents: i64,
    /// Whether it is paid from the wijkbudget (seed 004).
    pub wijkbudget: bool,
    /// Committed (vastgelegd), in cents.
    #[autosurgeon(missing = "i64::default")]
    pub committed_cents: i64,
    /// The wijkbudget round it is paid from (none: the first).
    #[autosurgeon(missing = "Option::default")]
    pub round: Option<u64>,
    /// Paid from the fund for acute needs instead.
    #[autosurgeon(missing = "bool::default")]
    pub acute: bool,
}

/// A dated follow-up note.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct FollowUp {
    /// Stable id.
    #[key]
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Who wrote it (name, as the person gave it).
    pub author: String,
    /// What happened or was agreed.
    pub text: LongText,
}

/// The two circles around a plan (seed 000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Circle {
    /// Drafts, follows up and carries out the plan.
    Wijkactieteam,
    /// Shares information, passes on signals, gets feedback.
    Netwerk,
}

impl Circle {
    /// Both circles, inner first.
    pub const ALL: [Circle; 2] = [Circle::Wijkactieteam, Circle::Netwerk];

    /// The Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Circle::Wijkactieteam => "Wijkactieteam",
            Circle::Netwerk => "Netwerk SW&G",
        }
    }

    /// A stable machine name.
    pub fn slug(self) -> &'static str {
        match self {
            Circle::Wijkactieteam => "wijkactieteam",
            Circle::Netwerk => "netwerk",
        }
    }

    /// Parses [`Circle::slug`].
    pub fn from_slug(slug: &str) -> Option<Circle> {
        Circle::ALL.into_iter().find(|c| c.slug() == slug)
    }
}

/// A partner organisation's place around the plan.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Member {
    /// Organisation id from the directory.
    #[key]
    pub organisation: String,
    /// Which circle it is in.
    pub circle: Circle,
}

/// A signal: a recurring, structural problem seen in the field.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Signal {
    /// Stable id.
    #[key]
    pub id: String,
    /// What was seen.
    pub what: String,
    /// Where in the wijk (street, place); may be empty.
    pub place: String,
    /// Thema id.
    pub thema: String,
    /// Organisation id (or name) it came from.
    pub source: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Ids of actions in this plan that address it.
    pub actions: Vec<String>,
    /// The signal this one repeats ("same problem"), if any.
    pub same_as: Option<String>,
    /// The id of the link it came through, when a signal link passed it on
    /// (that link may correct and withdraw it; see `crate::scope`).
    pub by_link: Option<String>,
    /// `YYYY-MM-DD` it was withdrawn, if it was: it then leaves every view,
    /// count and export, and is kept only for the record.
    pub withdrawn: Option<String>,
    /// What kind of signal (seed 003: a problem, a shortage or a need).
    #[autosurgeon(missing = "Option::default")]
    pub kind: Option<SignalKind>,
    /// Who it is about (the doelgroep), as typed.
    #[autosurgeon(missing = "Option::default")]
    pub doelgroep: Option<String>,
}

/// The kinds of signal seed 003 names: "een persoons- en
/// situatieoverstijgend probleem, tekort en/of behoefte".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate)]
pub enum SignalKind {
    /// A problem.
    Probleem,
    /// A shortage of some offer.
    Tekort,
    /// A need.
    Behoefte,
}

impl SignalKind {
    /// Every kind.
    pub const ALL: [SignalKind; 3] = [
        SignalKind::Probleem,
        SignalKind::Tekort,
        SignalKind::Behoefte,
    ];

    /// A stable machine name (also what the document holds).
    pub fn slug(self) -> &'static str {
        match self {
            SignalKind::Probleem => "probleem",
            SignalKind::Tekort => "tekort",
            SignalKind::Behoefte => "behoefte",
        }
    }

    /// Parses [`SignalKind::slug`].
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

impl Signal {
    /// Whether it counts (it was not withdrawn).
    pub fn is_current(&self) -> bool {
        self.withdrawn.is_none()
    }
}

/// A long text (description, note, evaluation), kept as Automerge text so
/// that people can type in it at the same time. Typing goes through
/// [`super::edit_text`]; writing a whole plan only turns differences into
/// splices, and writes nothing when the text is unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LongText(pub String);

impl LongText {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for LongText {
    fn from(text: &str) -> Self {
        LongText(text.to_owned())
    }
}

impl Reconcile for LongText {
    type Key<'a> = NoKey;

    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        // Reuses the text object that is there (or creates one) and diffs.
        reconciler.text()?.update(&self.0)
    }
}

impl Hydrate for LongText {
    fn hydrate_text<D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<Self, HydrateError> {
        Ok(LongText(doc.text(obj)?))
    }

    fn hydrate_string(value: &'_ str) -> Result<Self, HydrateError> {
        Ok(LongText(value.to_owned()))
    }
}
