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
}

/// Where a knelpunt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate)]
pub enum KnelpuntStatus {
    /// Raised, not discussed yet.
    Nieuw,
    /// On a ronde tafel.
    RondeTafel,
    /// A campaign works on it.
    Campagne,
    /// Closed.
    Afgesloten,
}

impl KnelpuntStatus {
    /// Every status, in order.
    pub const ALL: [KnelpuntStatus; 4] = [
        KnelpuntStatus::Nieuw,
        KnelpuntStatus::RondeTafel,
        KnelpuntStatus::Campagne,
        KnelpuntStatus::Afgesloten,
    ];

    /// The Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            KnelpuntStatus::Nieuw => "Nieuw",
            KnelpuntStatus::RondeTafel => "Op een ronde tafel",
            KnelpuntStatus::Campagne => "In campagne",
            KnelpuntStatus::Afgesloten => "Afgesloten",
        }
    }

    /// A stable machine name.
    pub fn slug(self) -> &'static str {
        match self {
            KnelpuntStatus::Nieuw => "nieuw",
            KnelpuntStatus::RondeTafel => "ronde-tafel",
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

/// The policy domains of seed 003: (id, domain, regisseur, overleg).
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

impl Register {
    /// The register as every device first knows it: the domains, no knelpunten.
    pub fn seed() -> Self {
        Register {
            schema: 1,
            kind: REGISTER_KIND.to_owned(),
            domains: DOMAINS
                .iter()
                .map(|(id, name, regisseur, overleg)| Domain {
                    id: (*id).to_owned(),
                    name: (*name).to_owned(),
                    regisseur: (*regisseur).to_owned(),
                    overleg: (*overleg).to_owned(),
                })
                .collect(),
            knelpunten: Vec::new(),
            plans: Vec::new(),
        }
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

    /// The listed plans' ids (entries that do not parse are skipped).
    pub fn plan_ids(&self) -> Vec<DocumentId> {
        self.plans
            .iter()
            .filter_map(|p| p.id.parse().ok())
            .collect()
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

/// The hash of the seed's one change, the same on every device: a device
/// whose copy has it need not build the seed again.
pub const SEED_HASH: &str = "f04c4ad5675e990c16908b83c7ebb56bda77ee759de16654fb97f6cc4a74db2b";

/// The seeded register document: the same bytes on every device.
pub fn seed_document() -> Automerge {
    typed::seed(b"regie-register-seed", Register::seed())
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
        // Devices hold this change; a different seed with the same actor
        // would be rejected by Automerge.
        assert_eq!(seed_document().get_heads()[0].to_string(), SEED_HASH);
        assert_eq!(seed_document().get_heads(), seed_document().get_heads());
    }
}
