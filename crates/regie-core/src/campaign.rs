//! A campagne: the outcome of a ronde tafel (seed 003) — problem
//! definitions, analysis (causes and effects), actors and pistes picked from
//! the board, a commitment text every partner organisation signs, and the
//! follow-up.
//!
//! A campaign keeps the ids of the cards it was composed from (and of the
//! table, knelpunt and signals), so it can always point back; the table's
//! `resolve` finds a card even after it was moved or merged. A signature
//! records the version of the text it was given for; once the text changes,
//! the signature shows as "signed an earlier version".

use automerge::Automerge;

use crate::author::Stamp;
use autosurgeon::{Hydrate, Reconcile};

use crate::kind::DocError;
use crate::plan::LongText;
use crate::plan::validate::{self, Checker, Field};
use crate::register::SignalRef;
use crate::roundtable::{Section, Table};

/// The `kind` field of a campaign document.
pub const CAMPAIGN_KIND: &str = "campagne";

/// A campaign.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Campaign {
    /// Schema version.
    pub schema: u64,
    /// Always [`CAMPAIGN_KIND`].
    pub kind: String,
    /// Title.
    pub title: String,
    /// The wijk of the table it came from (none: the city's).
    pub wijk: Option<String>,
    /// The ronde tafel it came from (document id).
    pub table: String,
    /// The knelpunt at the table, if any.
    pub knelpunt: Option<String>,
    /// The signals at the table.
    pub signals: Vec<SignalRef>,
    /// The cards it was composed from, per section.
    pub parts: Vec<Part>,
    /// The commitment every partner signs.
    pub commitment: LongText,
    /// Signatures, one per organisation.
    pub signatures: Vec<Signature>,
    /// Where the campaign stands.
    pub status: CampaignStatus,
    /// Dated updates for the wider group.
    pub updates: Vec<Update>,
    /// The organisation that pulls the campaign (a directory id or a name;
    /// seed 003: "een trekker en een regisseur").
    #[autosurgeon(missing = "Option::default")]
    pub trekker: Option<String>,
    /// The regisseur who follows it up.
    #[autosurgeon(missing = "Option::default")]
    pub regisseur: Option<String>,
    /// The acties its pistes became in wijkactieplannen (absent in older documents).
    #[autosurgeon(missing = "Vec::new")]
    pub actions: Vec<ActionRef>,
}

/// An actie in a wijkactieplan that a piste of the campaign became.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct ActionRef {
    /// `<plan id>/<actie id>`, which is also the list key.
    #[key]
    pub key: String,
    /// The piste (card id) it came from.
    pub card: String,
}

impl ActionRef {
    /// The plan and actie it names, if the key is well formed.
    pub fn target(&self) -> Option<(crate::DocumentId, &str)> {
        let (plan, action) = self.key.split_once('/')?;
        Some((plan.parse().ok()?, action))
    }
}

/// A card taken from the board, with its text as it was then.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Part {
    /// The card's id on the table.
    #[key]
    pub card: String,
    /// Its section.
    pub section: Section,
    /// Its text when the campaign was composed.
    pub text: String,
}

/// A partner organisation's commitment.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Signature {
    /// The organisation (also the key: one signature per organisation).
    #[key]
    pub organisation: String,
    /// Who signed.
    pub who: String,
    /// When (`YYYY-MM-DD HH:MM`, the signer's clock).
    pub when: String,
    /// The version of the commitment text signed ([`text_version`]).
    pub version: String,
    /// What the organisation contributes ("inbreng"), signed with the text.
    #[autosurgeon(missing = "Option::default")]
    pub inbreng: Option<String>,
}

/// Where a campaign stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate)]
pub enum CampaignStatus {
    /// Proposed.
    Voorgesteld,
    /// Running.
    Lopend,
    /// Done.
    Afgerond,
    /// Stopped.
    Stopgezet,
}

impl CampaignStatus {
    /// Every status, in order.
    pub const ALL: [CampaignStatus; 4] = [
        CampaignStatus::Voorgesteld,
        CampaignStatus::Lopend,
        CampaignStatus::Afgerond,
        CampaignStatus::Stopgezet,
    ];

    /// The Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            CampaignStatus::Voorgesteld => "Voorgesteld",
            CampaignStatus::Lopend => "Lopend",
            CampaignStatus::Afgerond => "Afgerond",
            CampaignStatus::Stopgezet => "Stopgezet",
        }
    }

    /// A stable machine name.
    pub fn slug(self) -> &'static str {
        match self {
            CampaignStatus::Voorgesteld => "voorgesteld",
            CampaignStatus::Lopend => "lopend",
            CampaignStatus::Afgerond => "afgerond",
            CampaignStatus::Stopgezet => "stopgezet",
        }
    }

    /// Parses [`CampaignStatus::slug`].
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// A dated update.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Update {
    /// Stable id.
    #[key]
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Who wrote it.
    pub author: String,
    /// What happened.
    pub text: String,
}

/// Whether a signature is for the text as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureState {
    /// Signed this very text.
    Current,
    /// Signed before the text changed.
    EarlierVersion,
}

/// A short fingerprint of a text (FNV-1a, 64 bits, hex): enough to tell
/// versions of one commitment apart. It identifies, it does not protect.
pub fn text_version(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

impl Campaign {
    /// Composes a campaign from cards of a table (ids as on the board;
    /// merged cards resolve to the card they went into).
    pub fn compose(
        title: &str,
        table_id: &str,
        table: &Table,
        cards: &[String],
    ) -> Result<Self, DocError> {
        let title = validate::title(title, Field::Title).map_err(|_| DocError::EmptyTitle)?;
        let mut parts: Vec<Part> = Vec::new();
        for id in cards {
            let card = table.resolve(id).ok_or(DocError::NotFound)?;
            if !parts.iter().any(|p| p.card == card.id) {
                parts.push(Part {
                    card: card.id.clone(),
                    section: card.section,
                    text: card.text.0.clone(),
                });
            }
        }
        if !parts.iter().any(|p| p.section == Section::Piste) {
            return Err(validate::Problems::one(
                Field::Text,
                validate::Message::ChoosePiste,
            ));
        }
        Ok(Campaign {
            schema: 1,
            kind: CAMPAIGN_KIND.to_owned(),
            title,
            table: table_id.to_owned(),
            wijk: table.wijk.clone(),
            knelpunt: table.knelpunt.clone(),
            signals: table.signals.clone(),
            parts,
            commitment: LongText::default(),
            signatures: Vec::new(),
            status: CampaignStatus::Voorgesteld,
            updates: Vec::new(),
            trekker: None,
            regisseur: None,
            actions: Vec::new(),
        })
    }

    /// An organisation signs the commitment as it is now, with what it
    /// contributes (empty: nothing said).
    pub fn sign(
        &mut self,
        organisation: &str,
        who: &str,
        when: &str,
        inbreng: &str,
    ) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let organisation = checker.take(validate::title(organisation, Field::Title));
        let who = checker.take(validate::title(who, Field::Text));
        checker.finish()?;
        if self.commitment.0.trim().is_empty() {
            return Err(validate::Problems::one(
                Field::Text,
                validate::Message::CommitmentFirst,
            ));
        }
        let signature = Signature {
            organisation: organisation.unwrap_or_default(),
            who: who.unwrap_or_default(),
            when: when.to_owned(),
            version: text_version(&self.commitment.0),
            inbreng: Some(inbreng.trim().to_owned()).filter(|i| !i.is_empty()),
        };
        self.signatures
            .retain(|s| s.organisation != signature.organisation);
        self.signatures.push(signature);
        Ok(())
    }

    /// Whether a signature is for the current text.
    pub fn signature_state(&self, signature: &Signature) -> SignatureState {
        if signature.version == text_version(&self.commitment.0) {
            SignatureState::Current
        } else {
            SignatureState::EarlierVersion
        }
    }

    /// Sets the trekker and the regisseur (empty: none yet).
    pub fn set_leads(&mut self, trekker: &str, regisseur: &str) {
        let some = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        self.trekker = some(trekker);
        self.regisseur = some(regisseur);
    }

    /// Records that piste `card` became actie `action` of plan `plan`.
    pub fn record_action(
        &mut self,
        card: &str,
        plan: &crate::DocumentId,
        action: &str,
    ) -> Result<(), DocError> {
        if !self
            .parts
            .iter()
            .any(|p| p.card == card && p.section == Section::Piste)
        {
            return Err(DocError::NotFound);
        }
        let key = format!("{plan}/{action}");
        if !self.actions.iter().any(|a| a.key == key) {
            self.actions.push(ActionRef {
                key,
                card: card.to_owned(),
            });
        }
        Ok(())
    }

    /// The pistes of the campaign.
    pub fn pistes(&self) -> impl Iterator<Item = &Part> {
        self.parts.iter().filter(|p| p.section == Section::Piste)
    }

    /// Adds a dated update.
    pub fn add_update(
        &mut self,
        id: String,
        date: &str,
        author: &str,
        text: &str,
    ) -> Result<(), DocError> {
        let mut checker = Checker::default();
        let date = checker.take(validate::date(date, Field::Date));
        let text = checker.take(validate::title(text, Field::Text));
        checker.finish()?;
        self.updates.push(Update {
            id,
            date: date.unwrap_or_default(),
            author: author.trim().to_owned(),
            text: text.unwrap_or_default(),
        });
        Ok(())
    }
}

/// A new document holding a campaign.
pub fn new_campaign_document(campaign: &Campaign, stamp: &Stamp) -> Automerge {
    let mut doc = Automerge::new();
    crate::kind::write(&mut doc, stamp, campaign).expect("a fresh campaign always reconciles");
    doc
}

impl crate::kind::DocumentKind for Campaign {
    const KIND: crate::kind::Kind = crate::kind::Kind::Campaign;
    const TAG: &'static str = CAMPAIGN_KIND;
    const SCHEMA: u64 = 1;

    fn schema_mut(&mut self) -> &mut u64 {
        &mut self.schema
    }
}
