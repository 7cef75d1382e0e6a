//! The register: the workspace's beleidsknelpunten (policy bottlenecks, seed
//! 003) with the policy domains they touch, and which wijk signals each one
//! is linked to.
//!
//! Like the directory, the register is one document with a fixed id whose
//! first change is the same on every device (fixed actor, time 0), so two
//! devices that each start it offline share one history.

use automerge::Automerge;

use autosurgeon::{Hydrate, Reconcile};

use crate::kind::DocError;
use crate::plan::validate::{self, Checker, Field};
use crate::plan::{LongText, Signal};
use crate::{DocumentId, typed};

/// The `kind` field of the register document.
pub const REGISTER_KIND: &str = "register";

/// The register's fixed document id.
pub fn register_id() -> DocumentId {
    DocumentId::from_random_bytes(*b"regie:register01")
}

/// The register of knelpunten.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Register {
    /// Schema version.
    pub schema: u64,
    /// Always [`REGISTER_KIND`].
    pub kind: String,
    /// Policy domains with their regisseur and overleg (seed 003).
    pub domains: Vec<Domain>,
    /// The knelpunten, oldest first.
    pub knelpunten: Vec<Knelpunt>,
    /// Every wijkactieplan of the workspace, so each device can fetch them
    /// all (their signals feed the register).
    pub plans: Vec<PlanEntry>,
    /// Every ronde tafel and campagne, so they can be found again without
    /// a URL (absent in older documents).
    #[autosurgeon(missing = "Vec::new")]
    pub boards: Vec<BoardEntry>,
    /// Every wijkactieteam meeting, so devices find them (absent in older
    /// documents).
    #[autosurgeon(missing = "Vec::new")]
    pub meetings: Vec<MeetingEntry>,
}

/// A wijkactieteam meeting as the register lists it.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct MeetingEntry {
    /// The meeting's document id.
    #[key]
    pub id: String,
    /// Its wijk.
    pub wijk: String,
    /// The plan it is about (document id).
    pub plan: String,
    /// `YYYY-MM-DD` it is held.
    pub date: String,
}

/// A ronde tafel or campagne as the register lists it: enough to find it,
/// place it (wijk, knelpunt) and show it before it is fetched.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct BoardEntry {
    /// The document's id.
    #[key]
    pub id: String,
    /// Which kind of document.
    pub kind: BoardKind,
    /// Its title when it was listed (the document's own title wins).
    pub title: String,
    /// Its wijk (none: the city's).
    pub wijk: Option<String>,
    /// The knelpunt it is about, if any.
    pub knelpunt: Option<String>,
    /// For a campagne: the ronde tafel it came from.
    pub table: Option<String>,
    /// `YYYY-MM-DD` it was started.
    pub date: String,
}

/// The kinds of document [`BoardEntry`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate)]
pub enum BoardKind {
    /// A ronde tafel.
    Tafel,
    /// A campagne.
    Campagne,
}

/// A wijkactieplan of the workspace.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct PlanEntry {
    /// The plan's document id.
    #[key]
    pub id: String,
    /// Its wijk.
    pub wijk: String,
}

/// A policy domain (beleidsdomein).
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Domain {
    /// Stable id.
    #[key]
    pub id: String,
    /// The domain.
    pub name: String,
    /// Its regisseur.
    pub regisseur: String,
    /// Its thematic overleg ("-" when there is none).
    pub overleg: String,
}

/// A beleidsknelpunt: a question for an approach that one domain cannot
/// answer alone.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Knelpunt {
    /// Stable id.
    #[key]
    pub id: String,
    /// Short title.
    pub title: String,
    /// The question for an approach.
    pub question: LongText,
    /// Ids of the policy domains involved.
    pub domains: Vec<String>,
    /// Who raised it (a regisseur or a member of the sounding board).
    pub raised_by: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Where it stands.
    pub status: KnelpuntStatus,
    /// Signals (in wijk plans) that point to it.
    pub signals: Vec<SignalRef>,
    /// The answers to "would you join?" (bereidheid polsen, seed 003 e),
    /// one per person (absent in older documents).
    #[autosurgeon(missing = "Vec::new")]
    pub readiness: Vec<Readiness>,
}

/// One regisseur's or partner's answer to "would you join a ronde tafel
/// about this knelpunt, and what could your domain contribute?".
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Readiness {
    /// The person's stable id (one answer per person; a new one replaces it).
    #[key]
    pub person: String,
    /// Their name.
    pub name: String,
    /// Their organisation.
    pub organisation: String,
    /// The policy domain they answer for (a domain id), if any.
    pub domain: Option<String>,
    /// Whether they would join.
    pub joins: bool,
    /// What their domain could contribute.
    pub contribution: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// Where a knelpunt stands: the steps of seed 003, in order. A person
/// sets a step; where the documents already say more (a table exists, a
/// campaign was composed) the step shown is derived from them
/// (`crate::cycle::stage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Reconcile, Hydrate)]
pub enum KnelpuntStatus {
    /// Raised, not discussed yet.
    Nieuw,
    /// Regisseurs and partners are asked whether they would join.
    Bereidheid,
    /// A ronde tafel is planned.
    RondeTafel,
    /// The ronde tafel was held (it reached its agreements).
    Gehouden,
    /// A campaign works on it.
    Campagne,
    /// Closed.
    Afgesloten,
}

impl KnelpuntStatus {
    /// Every status, in order.
    pub const ALL: [KnelpuntStatus; 6] = [
        KnelpuntStatus::Nieuw,
        KnelpuntStatus::Bereidheid,
        KnelpuntStatus::RondeTafel,
        KnelpuntStatus::Gehouden,
        KnelpuntStatus::Campagne,
        KnelpuntStatus::Afgesloten,
    ];

    /// The Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            KnelpuntStatus::Nieuw => "Nieuw",
            KnelpuntStatus::Bereidheid => "Bereidheid polsen",
            KnelpuntStatus::RondeTafel => "Ronde tafel gepland",
            KnelpuntStatus::Gehouden => "Ronde tafel gehouden",
            KnelpuntStatus::Campagne => "Campagne lopend",
            KnelpuntStatus::Afgesloten => "Afgerond",
        }
    }

    /// A stable machine name.
    pub fn slug(self) -> &'static str {
        match self {
            KnelpuntStatus::Nieuw => "nieuw",
            KnelpuntStatus::Bereidheid => "bereidheid",
            KnelpuntStatus::RondeTafel => "ronde-tafel",
            KnelpuntStatus::Gehouden => "gehouden",
            KnelpuntStatus::Campagne => "campagne",
            KnelpuntStatus::Afgesloten => "afgesloten",
        }
    }

    /// Parses [`KnelpuntStatus::slug`].
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// A signal in a wijk plan: the plan's document id and the signal's id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Reconcile, Hydrate)]
pub struct SignalRef {
    /// `<plan id>/<signal id>`, which is also the list key.
    #[key]
    pub key: String,
}

impl SignalRef {
    /// The reference to a signal of a plan.
    pub fn new(plan: &DocumentId, signal: &str) -> Self {
        SignalRef {
            key: format!("{plan}/{signal}"),
        }
    }
}

/// A new knelpunt as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnelpuntForm {
    /// Title.
    pub title: String,
    /// The question for an approach.
    pub question: String,
    /// Policy domain ids.
    pub domains: Vec<String>,
    /// Who raised it.
    pub raised_by: String,
    /// Date as typed.
    pub date: String,
}

/// The policy domains of seed 003 as first released: (id, domain,
/// regisseur, overleg). Part of the seed, so never changed.
const DOMAINS: [(&str, &str, &str, &str); 19] = [
    ("welzijn", "Welzijn", "Resul Tapmaz", "Regisseursoverleg"),
    (
        "tewerkstelling",
        "Tewerkstelling",
        "Marieke Stubbe",
        "Gent, Stad in Werking (GSIW)",
    ),
    (
        "inkomen",
        "Inkomen, schuldbegeleiding, sociale dienstverlening",
        "Claudine Roelkens",
        "Beleidsteam Sociale dienst OCMW / BCSD algemene zaken",
    ),
    (
        "onderwijs",
        "Flankerend onderwijsbeleid",
        "Arwen De Wilde",
        "Beleidsgroep Onderwijs Gent (BOG)",
    ),
    (
        "kinderopvang",
        "Kinderopvang",
        "Danny Verdonck",
        "Lokaal Overleg Kinderopvang (LOK)",
    ),
    (
        "handicap",
        "Handicap",
        "Stefan Van Hove",
        "Adviesraad voor PMH",
    ),
    ("wonen", "Wonen", "Hilde Reynvoet", "Lokale woonraad"),
    (
        "gezondheid",
        "Gezondheid",
        "Leen Van Zele",
        "Gezondheidsraad, SOGA",
    ),
    ("ouderen", "Ouderen", "Liesbet Vandewalle", "SEL Gent"),
    (
        "cultuurparticipatie",
        "Cultuurparticipatie",
        "Marijke Leye",
        "Netwerk vrijetijdsparticipatie",
    ),
    ("jeugd", "Jeugd", "Kathleen Snoeck", "-"),
    ("sport", "Sport", "Piet Meneve", "-"),
    (
        "wijkwelzijnsoverleg",
        "Wijkwelzijnsoverleg",
        "Lut Kwanten",
        "11 Wijkwelzijnsoverleggen",
    ),
    (
        "gebiedsgericht",
        "Gebiedsgerichte werking",
        "Els Lecompte",
        "-",
    ),
    ("sociale-cohesie", "Sociale cohesie", "Lieve Destoop", "-"),
    (
        "ecd",
        "Etnisch-culturele diversiteit",
        "Kathleen Van de Kerckhove",
        "-",
    ),
    (
        "iem",
        "Intra-Europese migratie",
        "Maaïke Buyst",
        "(POC) Permanent overlegcomité IEM",
    ),
    (
        "gelijke-kansen",
        "Diversiteit en gelijke kansen",
        "Joke Vasseur",
        "-",
    ),
    (
        "dakloosheid",
        "Dak- en thuisloosheid",
        "Thomas Maesele",
        "Werkgroep dak- en thuislozen",
    ),
];

/// The two domains of seed 003's table that the first seed missed, added
/// by the register's second fixed change ([`seed_document`]).
const DOMAINS_ADDED: [(&str, &str, &str, &str); 2] = [
    (
        "armoedebestrijding",
        "Armoedebestrijding",
        "Joris Beaumon",
        "-",
    ),
    (
        "gezinsondersteuning",
        "Preventieve gezinsondersteuning",
        "Els De Vos",
        "Samenwerkingsplatform preventieve gezinsondersteuning",
    ),
];

fn domains(table: &[(&str, &str, &str, &str)]) -> Vec<Domain> {
    table
        .iter()
        .map(|(id, name, regisseur, overleg)| Domain {
            id: (*id).to_owned(),
            name: (*name).to_owned(),
            regisseur: (*regisseur).to_owned(),
            overleg: (*overleg).to_owned(),
        })
        .collect()
}

/// The register exactly as the first seed wrote it (schema 1's fields, in
/// their order): the released seed change is built from this shape, so
/// fields added later do not change its bytes.
#[derive(Reconcile)]
struct FirstSeed {
    schema: u64,
    kind: String,
    domains: Vec<Domain>,
    knelpunten: Vec<Knelpunt>,
    plans: Vec<PlanEntry>,
}

/// The register's fields when the second seed change was released: that
/// change is built from this shape, so fields added later do not change
/// its bytes either.
#[derive(Reconcile)]
struct SecondSeed {
    schema: u64,
    kind: String,
    domains: Vec<Domain>,
    knelpunten: Vec<Knelpunt>,
    plans: Vec<PlanEntry>,
    boards: Vec<BoardEntry>,
}

impl Register {
    /// The register as every device knows it from the seed: every domain
    /// of seed 003, no knelpunten.
    pub fn seed() -> Self {
        let mut all = domains(&DOMAINS);
        all.extend(domains(&DOMAINS_ADDED));
        Register {
            schema: 1,
            kind: REGISTER_KIND.to_owned(),
            domains: all,
            knelpunten: Vec::new(),
            plans: Vec::new(),
            boards: Vec::new(),
            meetings: Vec::new(),
        }
    }

    /// Lists a meeting (once).
    pub fn add_meeting(&mut self, entry: MeetingEntry) {
        if !self.meetings.iter().any(|m| m.id == entry.id) {
            self.meetings.push(entry);
        }
    }

    /// Adds a policy domain ("nieuw prioritair thema"), checked: a name,
    /// a regisseur, and no domain of that name yet.
    pub fn add_domain(
        &mut self,
        id: String,
        name: &str,
        regisseur: &str,
        overleg: &str,
    ) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let name = checker.take(validate::title(name, Field::Title));
        let regisseur = checker.take(validate::title(regisseur, Field::Text));
        checker.finish()?;
        let name = name.unwrap_or_default();
        if self
            .domains
            .iter()
            .any(|d| d.name.eq_ignore_ascii_case(&name))
        {
            return Err(validate::Problems::one(
                Field::Title,
                validate::Message::Duplicate,
            ));
        }
        let overleg = overleg.trim();
        self.domains.push(Domain {
            id,
            name,
            regisseur: regisseur.unwrap_or_default(),
            overleg: if overleg.is_empty() { "-" } else { overleg }.to_owned(),
        });
        Ok(())
    }

    /// Lists a ronde tafel or campagne (once).
    pub fn add_board(&mut self, entry: BoardEntry) {
        if !self.boards.iter().any(|b| b.id == entry.id) {
            self.boards.push(entry);
        }
    }

    /// The listed boards of one kind, each once (two devices may list the
    /// same one while apart).
    pub fn boards_of(&self, kind: BoardKind) -> Vec<&BoardEntry> {
        let mut seen = std::collections::BTreeSet::new();
        self.boards
            .iter()
            .filter(|b| b.kind == kind && seen.insert(b.id.as_str()))
            .collect()
    }

    /// Records one person's answer on a knelpunt (replacing their earlier one).
    pub fn answer_readiness(&mut self, id: &str, answer: Readiness) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let name = checker.take(validate::title(&answer.name, Field::Text));
        let date = checker.take(validate::date(&answer.date, Field::Date));
        checker.finish()?;
        if let Some(domain) = &answer.domain
            && !self.domains.iter().any(|d| &d.id == domain)
        {
            return Err(DocError::NotFound);
        }
        let knelpunt = self.knelpunt_mut(id)?;
        knelpunt.readiness.retain(|r| r.person != answer.person);
        knelpunt.readiness.push(Readiness {
            name: name.unwrap_or_default(),
            date: date.unwrap_or_default(),
            organisation: answer.organisation.trim().to_owned(),
            contribution: answer.contribution.trim().to_owned(),
            ..answer
        });
        if knelpunt.status == KnelpuntStatus::Nieuw {
            knelpunt.status = KnelpuntStatus::Bereidheid;
        }
        Ok(())
    }

    /// Lists a plan (once).
    pub fn add_plan(&mut self, id: &DocumentId, wijk: &str) {
        let id = id.to_string();
        if !self.plans.iter().any(|p| p.id == id) {
            self.plans.push(PlanEntry {
                id,
                wijk: wijk.to_owned(),
            });
        }
    }

    /// The listed plans' ids, each once (entries that do not parse are
    /// skipped).
    pub fn plan_ids(&self) -> Vec<DocumentId> {
        let mut ids: Vec<DocumentId> = self
            .plans
            .iter()
            .filter_map(|p| p.id.parse().ok())
            .collect();
        ids.sort_unstable_by_key(|id| *id.as_bytes());
        ids.dedup();
        ids
    }

    /// Adds a knelpunt, checked as a whole.
    pub fn add_knelpunt(&mut self, id: String, form: &KnelpuntForm) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let title = checker.take(validate::title(&form.title, Field::Title));
        let date = checker.take(validate::date(&form.date, Field::Date));
        checker.finish()?;
        let mut domains: Vec<String> = Vec::new();
        for d in &form.domains {
            if !self.domains.iter().any(|known| &known.id == d) {
                return Err(DocError::NotFound);
            }
            if !domains.contains(d) {
                domains.push(d.clone());
            }
        }
        self.knelpunten.push(Knelpunt {
            id,
            title: title.unwrap_or_default(),
            question: LongText(form.question.trim().to_owned()),
            domains,
            raised_by: form.raised_by.trim().to_owned(),
            date: date.unwrap_or_default(),
            status: KnelpuntStatus::Nieuw,
            signals: Vec::new(),
            readiness: Vec::new(),
        });
        Ok(())
    }

    fn knelpunt_mut(&mut self, id: &str) -> Result<&mut Knelpunt, DocError> {
        self.knelpunten
            .iter_mut()
            .find(|k| k.id == id)
            .ok_or(DocError::NotFound)
    }

    /// Changes the status of a knelpunt.
    pub fn set_status(&mut self, id: &str, status: KnelpuntStatus) -> Result<(), DocError> {
        self.knelpunt_mut(id)?.status = status;
        Ok(())
    }

    /// Links a signal to a knelpunt, or unlinks it.
    pub fn link_signal(
        &mut self,
        id: &str,
        signal: SignalRef,
        linked: bool,
    ) -> Result<(), DocError> {
        let knelpunt = self.knelpunt_mut(id)?;
        knelpunt.signals.retain(|s| *s != signal);
        if linked {
            knelpunt.signals.push(signal);
        }
        Ok(())
    }

    /// The signals that no knelpunt points to: they need the regisseurs'
    /// attention (seed 003). `signals` are every wijk plan's signals, with
    /// the plan's id.
    pub fn needs_attention<'a>(
        &self,
        signals: &[(DocumentId, &'a Signal)],
    ) -> Vec<(DocumentId, &'a Signal)> {
        signals
            .iter()
            .filter(|(plan, signal)| {
                let key = SignalRef::new(plan, &signal.id);
                !self.knelpunten.iter().any(|k| k.signals.contains(&key))
            })
            .copied()
            .collect()
    }

    /// The name of a domain, or its id if unknown.
    pub fn domain_name(&self, id: &str) -> String {
        self.domains
            .iter()
            .find(|d| d.id == id)
            .map_or_else(|| id.to_owned(), |d| d.name.clone())
    }
}

/// The hash of the first seed change (schema 1, 19 domains).
pub const FIRST_SEED_HASH: &str =
    "f04c4ad5675e990c16908b83c7ebb56bda77ee759de16654fb97f6cc4a74db2b";

/// The hash of the seed's last change, the same on every device: a device
/// whose copy has it need not build the seed again.
pub const SEED_HASH: &str = "245f3a6f0e1264c6b5bb209f0f136c609915cb1a3005a6362c0e6416025e041c";

/// The seeded register document, the same bytes on every device: the first
/// seed, then one more fixed change that adds the domains it missed.
pub fn seed_document() -> Automerge {
    let mut doc = typed::seed(
        b"regie-register-seed",
        FirstSeed {
            schema: 1,
            kind: REGISTER_KIND.to_owned(),
            domains: domains(&DOMAINS),
            knelpunten: Vec::new(),
            plans: Vec::new(),
        },
    );
    typed::seed_next(&mut doc, b"regie-register-seed-2", |tx| {
        let register: Register = autosurgeon::hydrate(tx).map_err(|e| e.to_string())?;
        let mut second = SecondSeed {
            schema: register.schema,
            kind: register.kind,
            domains: register.domains,
            knelpunten: register.knelpunten,
            plans: register.plans,
            boards: register.boards,
        };
        second.domains.extend(domains(&DOMAINS_ADDED));
        autosurgeon::reconcile(tx, &second).map_err(|e| e.to_string())
    });
    doc
}

impl crate::kind::DocumentKind for Register {
    const KIND: crate::kind::Kind = crate::kind::Kind::Register;
    const TAG: &'static str = REGISTER_KIND;
    const SCHEMA: u64 = 1;

    fn schema_mut(&mut self) -> &mut u64 {
        &mut self.schema
    }

    fn fixed_id() -> Option<DocumentId> {
        Some(register_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_released_seed_never_changes() {
        // Devices hold these changes; a different seed with the same actor
        // would be rejected by Automerge.
        let doc = seed_document();
        assert_eq!(doc.get_heads()[0].to_string(), SEED_HASH);
        assert_eq!(doc.get_heads(), seed_document().get_heads());
        let first: automerge::ChangeHash = FIRST_SEED_HASH.parse().unwrap();
        assert!(automerge::ReadDoc::get_change_by_hash(&doc, &first).is_some());
        assert_eq!(doc.get_changes(&[]).len(), 2);
    }

    #[test]
    fn two_fresh_devices_edit_the_seeded_register_and_merge() {
        // Edits after the seed must not be made by the seed's fixed actor,
        // or the second device's change is refused as a duplicate.
        let (mut a, mut b) = (seed_document(), seed_document());
        for (doc, id) in [(&mut a, "ka"), (&mut b, "kb")] {
            let form = KnelpuntForm {
                title: id.into(),
                date: "2026-12-01".into(),
                ..KnelpuntForm::default()
            };
            crate::kind::edit::<Register>(doc, &crate::author::Stamp::default(), |r| {
                r.add_knelpunt(id.into(), &form)
            })
            .unwrap();
        }
        a.merge(&mut b).unwrap();
        let register: Register = crate::kind::read(&a).unwrap();
        assert_eq!(register.knelpunten.len(), 2);
    }

    #[test]
    fn the_seed_holds_every_domain_of_seed_003() {
        let register: Register = crate::kind::read(&seed_document()).unwrap();
        assert_eq!(register.domains, Register::seed().domains);
        assert_eq!(register.domains.len(), 21);
        let armoede = register
            .domains
            .iter()
            .find(|d| d.id == "armoedebestrijding")
            .unwrap();
        assert_eq!(armoede.regisseur, "Joris Beaumon");
        assert!(register.boards.is_empty());
    }

    #[test]
    fn a_domain_is_added_once_by_name() {
        let mut register = Register::seed();
        register
            .add_domain("d1".into(), "Mobiliteit", "An Peeters", "")
            .unwrap();
        assert_eq!(register.domains.last().unwrap().overleg, "-");
        assert!(
            register
                .add_domain("d2".into(), "mobiliteit", "Jan", "")
                .is_err()
        );
        assert!(register.add_domain("d3".into(), " ", "Jan", "").is_err());
        assert_eq!(register.domains.len(), 22);
    }

    #[test]
    fn one_answer_per_person_and_the_first_moves_the_knelpunt_on() {
        let mut register = Register::seed();
        let form = KnelpuntForm {
            title: "Nuldelijns GGZ".into(),
            date: "2026-12-01".into(),
            ..KnelpuntForm::default()
        };
        register.add_knelpunt("k".into(), &form).unwrap();
        let answer = |joins| Readiness {
            person: "p1".into(),
            name: "Leen".into(),
            organisation: "Gezondheidsdienst".into(),
            domain: Some("gezondheid".into()),
            joins,
            contribution: "tandzorg".into(),
            date: "2026-12-02".into(),
        };
        register.answer_readiness("k", answer(false)).unwrap();
        register.answer_readiness("k", answer(true)).unwrap();
        let k = &register.knelpunten[0];
        assert_eq!(k.readiness.len(), 1);
        assert!(k.readiness[0].joins);
        assert_eq!(k.status, KnelpuntStatus::Bereidheid);
        let unknown = Readiness {
            domain: Some("nope".into()),
            ..answer(true)
        };
        assert!(register.answer_readiness("k", unknown).is_err());
    }
}
