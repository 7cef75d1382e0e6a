//! The ronde tafel (seed 003): one document per table. A knelpunt and/or
//! signals in the middle; partners map problem definitions, actors, causes,
//! effects and pistes as cards, link cards with typed relations, and score
//! every piste on haalbaarheid and effect from their own device.
//!
//! Concurrency is designed in: cards are list items with stable ids; a
//! merged card keeps its id and points to the card it went into, so links
//! and campaigns that name it still resolve; scores live in one flat map
//! keyed by piste *and* participant, so people scoring at the same moment
//! write different keys and never overwrite each other.

use std::collections::HashMap;

use automerge::Automerge;

use crate::author::Stamp;
use autosurgeon::{Hydrate, Reconcile};

use crate::kind::DocError;
use crate::plan::LongText;
use crate::plan::validate::{self, Field};
use crate::register::SignalRef;

/// The `kind` field of a ronde tafel document.
pub const TABLE_KIND: &str = "rondetafel";

/// A ronde tafel.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Table {
    /// Schema version.
    pub schema: u64,
    /// Always [`TABLE_KIND`].
    pub kind: String,
    /// What the table is about.
    pub title: String,
    /// The wijk it was started from (a signal of that wijk's plan); none
    /// for a table about a knelpunt of the city's register. Access follows
    /// it (`crate::scope`).
    pub wijk: Option<String>,
    /// The knelpunt in the middle (register id), if any.
    pub knelpunt: Option<String>,
    /// Signals in the middle.
    pub signals: Vec<SignalRef>,
    /// The insteek: what is known (signals, steps taken, known projects).
    pub insteek: LongText,
    /// The phase the facilitator started.
    pub phase: Phase,
    /// When the facilitator's timer ends (ms since the epoch), if running.
    pub timer_ends: Option<i64>,
    /// Who is at the table.
    pub participants: Vec<Participant>,
    /// The cards, in every section.
    pub cards: Vec<Card>,
    /// Typed links between cards.
    pub links: Vec<Link>,
    /// Scores, keyed `<piste id>/<participant id>`.
    pub scores: HashMap<String, Score>,
    /// Kinds of relation the partners added to the seven of seed 003
    /// ("… machteloosheid-rechtsbron, ...": the list is open); absent in
    /// older documents.
    #[autosurgeon(missing = "Vec::new")]
    pub relation_types: Vec<RelationType>,
    /// Who leads the table (a person id, as participants have): the person
    /// who started it, or to whom the role was handed. Only they move the
    /// phase and run the timer; others propose. None in older tables,
    /// where anyone who may edit leads.
    #[autosurgeon(missing = "Option::default")]
    pub facilitator: Option<String>,
    /// Phases proposed by others, keyed by who proposes (one writer per
    /// key); cleared when the facilitator moves the phase.
    #[autosurgeon(missing = "HashMap::new")]
    pub proposals: HashMap<String, Phase>,
}

/// A kind of relation a table added.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct RelationType {
    /// Stable id, named by links.
    #[key]
    pub id: String,
    /// What people call it, e.g. "vraag – aanbod".
    pub label: String,
}

/// What a link says the relation is: one of seed 003's, or one the table added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named<'a> {
    /// One of [`Relation::ALL`].
    Relation(Relation),
    /// The label of one of the table's [`RelationType`]s.
    Added(&'a str),
}

/// The phases a facilitator leads the table through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Phase {
    /// Getting to know the problem.
    Verkennen,
    /// Causes and effects.
    Analyseren,
    /// Ideas, projects, actions.
    Pistes,
    /// Scoring the pistes.
    Beoordelen,
    /// Agreements.
    Afspraken,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 5] = [
        Phase::Verkennen,
        Phase::Analyseren,
        Phase::Pistes,
        Phase::Beoordelen,
        Phase::Afspraken,
    ];

    /// The Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Verkennen => "Verkennen",
            Phase::Analyseren => "Analyseren",
            Phase::Pistes => "Pistes",
            Phase::Beoordelen => "Beoordelen",
            Phase::Afspraken => "Afspraken",
        }
    }
}

/// A participant at the table.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Participant {
    /// Stable id (one per person and device session).
    #[key]
    pub id: String,
    /// Name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// Whether they can decide for their organisation.
    pub decides: bool,
}

/// The columns of the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Reconcile, Hydrate)]
pub enum Section {
    /// Problem definitions.
    Probleem,
    /// Actors: present, or who should be involved.
    Actor,
    /// Causes.
    Oorzaak,
    /// Effects.
    Effect,
    /// Tracks: ideas, projects, actions.
    Piste,
}

impl Section {
    /// Every section, in board order.
    pub const ALL: [Section; 5] = [
        Section::Probleem,
        Section::Actor,
        Section::Oorzaak,
        Section::Effect,
        Section::Piste,
    ];

    /// The column heading.
    pub fn label(self) -> &'static str {
        match self {
            Section::Probleem => "Probleemdefinities",
            Section::Actor => "Actoren",
            Section::Oorzaak => "Oorzaken",
            Section::Effect => "Effecten",
            Section::Piste => "Pistes",
        }
    }

    /// A stable machine name.
    pub fn slug(self) -> &'static str {
        match self {
            Section::Probleem => "probleem",
            Section::Actor => "actor",
            Section::Oorzaak => "oorzaak",
            Section::Effect => "effect",
            Section::Piste => "piste",
        }
    }

    /// Parses [`Section::slug`].
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// A card on the board.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Card {
    /// Stable id.
    #[key]
    pub id: String,
    /// Its column.
    pub section: Section,
    /// The text, typed together.
    pub text: LongText,
    /// For actors: the organisation (empty otherwise).
    pub organisation: String,
    /// For actors: present at the table (else: should be involved).
    pub present: bool,
    /// Who wrote it.
    pub author: String,
    /// The card this one was merged into, if any (it is then hidden).
    pub merged_into: Option<String>,
    /// Removed from the board: hidden, with its links, but kept, so a
    /// campaign or an actie that names it still finds it.
    #[autosurgeon(missing = "bool::default")]
    pub removed: bool,
}

impl Card {
    /// Whether the card shows on the board (not merged away, not removed).
    pub fn on_board(&self) -> bool {
        self.merged_into.is_none() && !self.removed
    }
}

/// The relations of "verbindend werken" (seed 003).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Relation {
    /// Problem – solution.
    ProbleemOplossing,
    /// Cause – consequence.
    OorzaakGevolg,
    /// Means – end.
    MiddelDoel,
    /// Condition – result.
    VoorwaardeResultaat,
    /// Costs – benefits.
    KostenBaten,
    /// Target group – audience.
    DoelgroepPubliek,
    /// Powerlessness – source of rights.
    MachteloosheidRechtsbron,
}

impl Relation {
    /// Every relation.
    pub const ALL: [Relation; 7] = [
        Relation::ProbleemOplossing,
        Relation::OorzaakGevolg,
        Relation::MiddelDoel,
        Relation::VoorwaardeResultaat,
        Relation::KostenBaten,
        Relation::DoelgroepPubliek,
        Relation::MachteloosheidRechtsbron,
    ];

    /// The Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Relation::ProbleemOplossing => "probleem – oplossing",
            Relation::OorzaakGevolg => "oorzaak – gevolg",
            Relation::MiddelDoel => "middel – doel",
            Relation::VoorwaardeResultaat => "voorwaarde – resultaat",
            Relation::KostenBaten => "kosten – baten",
            Relation::DoelgroepPubliek => "doelgroep – publiek",
            Relation::MachteloosheidRechtsbron => "machteloosheid – rechtsbron",
        }
    }

    /// A stable machine name.
    pub fn slug(self) -> &'static str {
        match self {
            Relation::ProbleemOplossing => "probleem-oplossing",
            Relation::OorzaakGevolg => "oorzaak-gevolg",
            Relation::MiddelDoel => "middel-doel",
            Relation::VoorwaardeResultaat => "voorwaarde-resultaat",
            Relation::KostenBaten => "kosten-baten",
            Relation::DoelgroepPubliek => "doelgroep-publiek",
            Relation::MachteloosheidRechtsbron => "machteloosheid-rechtsbron",
        }
    }

    /// Parses [`Relation::slug`].
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.slug() == slug)
    }
}

/// A typed link from one card to another.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Link {
    /// Stable id.
    #[key]
    pub id: String,
    /// The first card (problem, cause, means, ...).
    pub from: String,
    /// The second card (solution, consequence, end, ...).
    pub to: String,
    /// What kind of link. For a link of an added kind this is the
    /// default, kept so that an older version still reads the link.
    pub relation: Relation,
    /// The id of one of the table's [`RelationType`]s, when the link is of
    /// an added kind (it then names the relation).
    #[autosurgeon(missing = "Option::default")]
    pub custom: Option<String>,
}

/// One participant's score of one piste, 1–5 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Score {
    /// Feasibility.
    pub haalbaarheid: u64,
    /// Effect.
    pub effect: u64,
}

/// Where a piste stands in the haalbaarheid × effect grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assessment {
    /// Number of participants who scored it.
    pub scores: usize,
    /// Mean feasibility.
    pub haalbaarheid: f64,
    /// Mean effect.
    pub effect: f64,
    /// Standard deviation of feasibility (how much people disagree).
    pub haalbaarheid_spread: f64,
    /// Standard deviation of effect.
    pub effect_spread: f64,
}

impl Table {
    /// A new table about a knelpunt and/or signals.
    pub fn new(
        title: &str,
        knelpunt: Option<String>,
        signals: Vec<SignalRef>,
        wijk: Option<String>,
    ) -> Result<Self, DocError> {
        let title = validate::title(title, Field::Title).map_err(|_| DocError::EmptyTitle)?;
        Ok(Table {
            schema: 1,
            kind: TABLE_KIND.to_owned(),
            title,
            wijk,
            knelpunt,
            signals,
            insteek: LongText::default(),
            phase: Phase::Verkennen,
            timer_ends: None,
            participants: Vec::new(),
            cards: Vec::new(),
            links: Vec::new(),
            scores: HashMap::new(),
            relation_types: Vec::new(),
            facilitator: None,
            proposals: HashMap::new(),
        })
    }

    /// The table led by `person` (who starts it).
    pub fn led_by(mut self, person: &str) -> Self {
        self.facilitator = Some(person.to_owned());
        self
    }

    /// Whether `person` leads the table (anyone does at an older table
    /// that names no facilitator).
    pub fn leads(&self, person: &str) -> bool {
        self.facilitator.as_deref().is_none_or(|f| f == person)
    }

    /// Refuses anyone but the facilitator.
    pub fn check_leads(&self, person: &str) -> Result<(), DocError> {
        if self.leads(person) {
            Ok(())
        } else {
            Err(DocError::NotFacilitator)
        }
    }

    /// The facilitator moves the table to `phase`; the proposals are done.
    pub fn lead_phase(&mut self, person: &str, phase: Phase) -> Result<(), DocError> {
        self.check_leads(person)?;
        self.phase = phase;
        self.proposals.clear();
        Ok(())
    }

    /// Someone who does not lead proposes a phase.
    pub fn propose_phase(&mut self, person: &str, phase: Phase) {
        self.proposals.insert(person.to_owned(), phase);
    }

    /// The facilitator hands the role to a participant.
    pub fn hand_over(&mut self, person: &str, to: &str) -> Result<(), DocError> {
        self.check_leads(person)?;
        if !self.participants.iter().any(|p| p.id == to) {
            return Err(DocError::NotFound);
        }
        self.facilitator = Some(to.to_owned());
        Ok(())
    }

    /// Joins the table (or updates one's details).
    pub fn join(&mut self, participant: Participant) -> Result<(), DocError> {
        if participant.name.trim().is_empty() {
            return Err(DocError::EmptyTitle);
        }
        match self
            .participants
            .iter_mut()
            .find(|p| p.id == participant.id)
        {
            Some(p) => *p = participant,
            None => self.participants.push(participant),
        }
        Ok(())
    }

    /// Adds a card.
    pub fn add_card(
        &mut self,
        id: String,
        section: Section,
        text: &str,
        author: &str,
    ) -> Result<(), DocError> {
        let text = validate::title(text, Field::Text).map_err(|_| DocError::EmptyTitle)?;
        self.cards.push(Card {
            id,
            section,
            text: LongText(text),
            organisation: String::new(),
            present: false,
            author: author.to_owned(),
            merged_into: None,
            removed: false,
        });
        Ok(())
    }

    /// Adds an actor card: an organisation at the table or one that should be.
    pub fn add_actor(
        &mut self,
        id: String,
        text: &str,
        organisation: &str,
        present: bool,
        author: &str,
    ) -> Result<(), DocError> {
        self.add_card(id.clone(), Section::Actor, text, author)?;
        let card = self.card_mut(&id)?;
        card.organisation = organisation.trim().to_owned();
        card.present = present;
        Ok(())
    }

    fn card_mut(&mut self, id: &str) -> Result<&mut Card, DocError> {
        self.cards
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or(DocError::NotFound)
    }

    /// The card a card id stands for now: itself, or (after merges) the
    /// card it went into. Chains and cycles from concurrent merges end.
    pub fn resolve<'a>(&'a self, id: &'a str) -> Option<&'a Card> {
        let mut current = self.cards.iter().find(|c| c.id == id)?;
        for _ in 0..self.cards.len() {
            match current
                .merged_into
                .as_deref()
                .and_then(|next| self.cards.iter().find(|c| c.id == next))
            {
                Some(next) if next.id != id => current = next,
                _ => break,
            }
        }
        Some(current)
    }

    /// Replaces a card's text (written as text splices); it may not become empty.
    pub fn set_card_text(&mut self, id: &str, text: &str) -> Result<(), DocError> {
        if text.trim().is_empty() {
            return Err(DocError::EmptyTitle);
        }
        text.clone_into(&mut self.card_mut(id)?.text.0);
        Ok(())
    }

    /// Moves a card to another column.
    pub fn move_card(&mut self, id: &str, section: Section) -> Result<(), DocError> {
        self.card_mut(id)?.section = section;
        Ok(())
    }

    /// Merges card `from` into card `into`: the text is appended and `from`
    /// is hidden but keeps pointing to `into`, so links and campaigns that
    /// name it still find the merged card.
    pub fn merge_cards(&mut self, from: &str, into: &str) -> Result<(), DocError> {
        if from == into {
            return Err(DocError::NotFound);
        }
        let target = self.resolve(into).ok_or(DocError::NotFound)?.id.clone();
        if target == from {
            return Err(DocError::NotFound);
        }
        let text = self.card_mut(from)?.text.0.clone();
        let into_card = self.card_mut(&target)?;
        into_card.text.0.push('\n');
        into_card.text.0.push_str(&text);
        self.card_mut(from)?.merged_into = Some(target);
        Ok(())
    }

    /// The cards shown in a column (merged and removed ones are hidden).
    pub fn column(&self, section: Section) -> impl Iterator<Item = &Card> {
        self.cards
            .iter()
            .filter(move |c| c.section == section && c.on_board())
    }

    /// Removes a card from the board. It is kept (hidden, with its links),
    /// so whatever names it still resolves; history can bring it back.
    pub fn remove_card(&mut self, id: &str) -> Result<(), DocError> {
        self.card_mut(id)?.removed = true;
        Ok(())
    }

    /// Links two cards.
    pub fn link(
        &mut self,
        id: String,
        from: &str,
        to: &str,
        relation: Relation,
    ) -> Result<(), DocError> {
        if from == to || self.resolve(from).is_none() || self.resolve(to).is_none() {
            return Err(DocError::NotFound);
        }
        self.links.push(Link {
            id,
            from: from.to_owned(),
            to: to.to_owned(),
            relation,
            custom: None,
        });
        Ok(())
    }

    /// Adds a kind of relation, checked: a name that is neither one of seed
    /// 003's nor one this table has.
    pub fn add_relation_type(&mut self, id: String, label: &str) -> Result<(), DocError> {
        let label = validate::title(label, Field::Title).map_err(|_| DocError::EmptyTitle)?;
        let taken = Relation::ALL
            .iter()
            .map(|r| r.label())
            .chain(self.relation_types.iter().map(|t| t.label.as_str()))
            .any(|known| known.to_lowercase() == label.to_lowercase());
        if taken {
            return Err(validate::Problems::one(
                Field::Title,
                validate::Message::Duplicate,
            ));
        }
        self.relation_types.push(RelationType { id, label });
        Ok(())
    }

    /// Links two cards with a relation of a kind the table added.
    pub fn link_added(
        &mut self,
        id: String,
        from: &str,
        to: &str,
        relation_type: &str,
    ) -> Result<(), DocError> {
        if !self.relation_types.iter().any(|t| t.id == relation_type) {
            return Err(DocError::NotFound);
        }
        self.link(id.clone(), from, to, Relation::ProbleemOplossing)?;
        if let Some(link) = self.links.iter_mut().find(|l| l.id == id) {
            link.custom = Some(relation_type.to_owned());
        }
        Ok(())
    }

    /// What a link says the relation is (an added kind that is gone reads
    /// as the default it was stored with).
    pub fn named(&self, link: &Link) -> Named<'_> {
        link.custom
            .as_deref()
            .and_then(|id| self.relation_types.iter().find(|t| t.id == id))
            .map_or(Named::Relation(link.relation), |t| Named::Added(&t.label))
    }

    /// [`Table::visible_links`] with what each relation is called.
    pub fn named_links(&self) -> Vec<(&Card, &Card, Named<'_>)> {
        self.links
            .iter()
            .filter_map(|l| {
                let (from, to) = (self.resolve(&l.from)?, self.resolve(&l.to)?);
                (from.id != to.id && !from.removed && !to.removed)
                    .then(|| (from, to, self.named(l)))
            })
            .collect()
    }

    /// The links as they stand now, with merged cards resolved, and links
    /// that became a card to itself or touch a removed card left out.
    pub fn visible_links(&self) -> Vec<(&Card, &Card, Relation)> {
        self.links
            .iter()
            .filter_map(|l| {
                let (from, to) = (self.resolve(&l.from)?, self.resolve(&l.to)?);
                (from.id != to.id && !from.removed && !to.removed).then_some((from, to, l.relation))
            })
            .collect()
    }

    /// Starts a phase.
    pub fn set_phase(&mut self, phase: Phase) {
        self.phase = phase;
    }

    /// Starts the timer for `minutes` from `now_ms` (the clock is passed in).
    pub fn start_timer(&mut self, now_ms: i64, minutes: u64) -> Result<(), DocError> {
        if !(1..=180).contains(&minutes) {
            return Err(validate::Problems::one(
                Field::Text,
                validate::Message::TimerRange,
            ));
        }
        self.timer_ends = Some(now_ms + (minutes as i64) * 60_000);
        Ok(())
    }

    /// Stops the timer.
    pub fn stop_timer(&mut self) {
        self.timer_ends = None;
    }

    /// A participant scores a piste (1–5 on each axis).
    pub fn score(&mut self, piste: &str, participant: &str, score: Score) -> Result<(), DocError> {
        let valid = (1..=5).contains(&score.haalbaarheid) && (1..=5).contains(&score.effect);
        if !valid {
            return Err(validate::Problems::one(
                Field::Text,
                validate::Message::ScoreRange,
            ));
        }
        let card = self.resolve(piste).ok_or(DocError::NotFound)?;
        if card.section != Section::Piste || !self.participants.iter().any(|p| p.id == participant)
        {
            return Err(DocError::NotFound);
        }
        let key = format!("{}/{participant}", card.id);
        self.scores.insert(key, score);
        Ok(())
    }

    /// A participant's score of a piste, if given.
    pub fn score_of(&self, piste: &str, participant: &str) -> Option<Score> {
        self.scores.get(&format!("{piste}/{participant}")).copied()
    }

    /// Each participant's score of a piste, by participant id: scores
    /// given to cards merged into it count for it, and each participant
    /// counts once, with their score on the piste itself taking precedence.
    pub fn scores_for(&self, piste: &str) -> Vec<(&str, Score)> {
        let mut by_participant: HashMap<&str, (bool, Score)> = HashMap::new();
        for (key, score) in &self.scores {
            let Some((card, participant)) = key.rsplit_once('/') else {
                continue;
            };
            if self.resolve(card).map(|c| c.id.as_str()) != Some(piste) {
                continue;
            }
            let direct = card == piste;
            match by_participant.get(participant) {
                Some((true, _)) if !direct => {}
                _ => {
                    by_participant.insert(participant, (direct, *score));
                }
            }
        }
        let mut scores: Vec<(&str, Score)> = by_participant
            .into_iter()
            .map(|(who, (_, score))| (who, score))
            .collect();
        scores.sort_by_key(|(who, _)| *who);
        scores
    }

    /// The mean and spread of a piste's scores ([`Table::scores_for`]).
    pub fn assessment(&self, piste: &str) -> Option<Assessment> {
        let scores: Vec<Score> = self.scores_for(piste).into_iter().map(|(_, s)| s).collect();
        stats(&scores)
    }

    /// The piste's scores per organisation at the table (a participant who
    /// left the list counts under no organisation, ""), by organisation.
    pub fn assessment_by_organisation(&self, piste: &str) -> Vec<(String, Assessment)> {
        let mut grouped: std::collections::BTreeMap<String, Vec<Score>> = Default::default();
        for (who, score) in self.scores_for(piste) {
            let organisation = self
                .participants
                .iter()
                .find(|p| p.id == who)
                .map_or_else(String::new, |p| p.organisation.clone());
            grouped.entry(organisation).or_default().push(score);
        }
        grouped
            .into_iter()
            .filter_map(|(organisation, scores)| Some((organisation, stats(&scores)?)))
            .collect()
    }

    /// The piste the partners disagree on most (the largest spread over
    /// both axes, among pistes two or more people scored): the table's
    /// next topic. None while nobody disagrees.
    pub fn most_disputed(&self) -> Option<&Card> {
        self.column(Section::Piste)
            .filter_map(|card| {
                let a = self.assessment(&card.id)?;
                let spread = a.haalbaarheid_spread + a.effect_spread;
                (a.scores >= 2 && spread > 0.0).then_some((card, spread))
            })
            .max_by(|(_, a), (_, b)| a.total_cmp(b))
            .map(|(card, _)| card)
    }
}

/// Mean and spread of some scores; none for no scores.
fn stats(scores: &[Score]) -> Option<Assessment> {
    if scores.is_empty() {
        return None;
    }
    let n = scores.len() as f64;
    let mean = |f: fn(&Score) -> u64| scores.iter().map(|s| f(s) as f64).sum::<f64>() / n;
    let spread = |f: fn(&Score) -> u64, m: f64| {
        (scores
            .iter()
            .map(|s| (f(s) as f64 - m).powi(2))
            .sum::<f64>()
            / n)
            .sqrt()
    };
    let h = mean(|s| s.haalbaarheid);
    let e = mean(|s| s.effect);
    Some(Assessment {
        scores: scores.len(),
        haalbaarheid: h,
        effect: e,
        haalbaarheid_spread: spread(|s| s.haalbaarheid, h),
        effect_spread: spread(|s| s.effect, e),
    })
}

/// A new document holding a table.
pub fn new_table_document(table: &Table, stamp: &Stamp) -> Automerge {
    let mut doc = Automerge::new();
    crate::kind::write(&mut doc, stamp, table).expect("a fresh table always reconciles");
    doc
}

impl crate::kind::DocumentKind for Table {
    const KIND: crate::kind::Kind = crate::kind::Kind::Table;
    const TAG: &'static str = TABLE_KIND;
    const SCHEMA: u64 = 1;

    fn schema_mut(&mut self) -> &mut u64 {
        &mut self.schema
    }
}
