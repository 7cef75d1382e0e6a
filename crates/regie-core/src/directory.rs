//! The directory: one workspace document with the wijken and their sociaal
//! regisseur, the partner organisations, the people, and the thema's for
//! samenleven, welzijn en gezondheid (SW&G).
//!
//! Every device seeds the directory the same way: the same fixed document
//! id, and a seed change with a fixed actor and time, so the seed is byte
//! for byte the same change everywhere. Two devices that start offline and
//! meet later therefore share one history instead of two competing seeds.

use automerge::Automerge;

use autosurgeon::{Hydrate, Reconcile};

use crate::kind::DocError;
use crate::plan::validate::{self, Field};
use crate::wijken::WIJKEN;
use crate::{DocumentId, typed};

/// The `kind` field of the directory document.
pub const DIRECTORY_KIND: &str = "directory";

/// The directory's fixed document id.
pub fn directory_id() -> DocumentId {
    DocumentId::from_random_bytes(*b"regie:directory1")
}

/// The workspace directory.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Directory {
    /// Schema version.
    pub schema: u64,
    /// Always [`DIRECTORY_KIND`].
    pub kind: String,
    /// The wijken and who coordinates them.
    pub wijken: Vec<WijkEntry>,
    /// Partner organisations.
    pub organisations: Vec<Organisation>,
    /// People, each with an organisation and a role.
    pub people: Vec<Person>,
    /// Thema's for SW&G.
    pub themes: Vec<Thema>,
}

/// A wijk and its sociaal regisseur.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct WijkEntry {
    /// The slug plans refer to.
    #[key]
    pub slug: String,
    /// The name.
    pub name: String,
    /// The sociaal regisseur.
    pub regisseur: String,
}

/// A partner organisation. The seed holds the kinds of partner of seed
/// 000 as entries of their own (name and kind alike); a real organisation
/// names one of them as its kind (`wijkgezondheidscentrum`), with a
/// contact and the wijken it works in.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Organisation {
    /// Stable id, referred to by plans.
    #[key]
    pub id: String,
    /// The name.
    pub name: String,
    /// What kind of partner (seed 000): a kind's id, or for a seeded kind
    /// its own name.
    pub kind: String,
    /// How to reach it (person, phone, e-mail), as typed.
    #[autosurgeon(missing = "Option::default")]
    pub contact: Option<String>,
    /// The wijken (slugs) it works in (absent in older documents).
    #[autosurgeon(missing = "Vec::new")]
    pub wijken: Vec<String>,
}

impl Organisation {
    /// Whether this is a real organisation, not one of the seeded kinds.
    pub fn is_real(&self) -> bool {
        self.kind != self.name
    }
}

/// A new organisation as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationForm {
    /// Its name.
    pub name: String,
    /// A kind's id (see [`Directory::kinds`]), or a kind as typed.
    pub kind: String,
    /// How to reach it.
    pub contact: String,
    /// The wijken it works in (slugs).
    pub wijken: Vec<String>,
}

/// A person in the network.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Person {
    /// Stable id.
    #[key]
    pub id: String,
    /// Full name.
    pub name: String,
    /// Organisation id.
    pub organisation: String,
    /// Role, e.g. "Sociaal regisseur".
    pub role: String,
}

/// A thema.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Thema {
    /// Stable id, referred to by acties and signals.
    #[key]
    pub id: String,
    /// The name.
    pub name: String,
}

/// The partner kinds of seed 000 ("Ons lokaal netwerk van wijkpartners").
const ORGANISATIONS: [(&str, &str); 21] = [
    ("wijkgezondheidscentrum", "Wijkgezondheidscentrum"),
    ("ocmw-welzijnsbureau", "OCMW welzijnsbureau"),
    ("straathoekwerk", "Straathoekwerk"),
    ("samenlevingsopbouw", "Samenlevingsopbouw"),
    ("lokaal-dienstencentrum", "Lokaal dienstencentrum"),
    ("buurtwerk", "Buurtwerk"),
    ("jeugdwerk", "Jeugd(welzijns)werk"),
    ("brede-school", "Brede school"),
    ("inloopteam", "Inloopteam"),
    ("politie", "Politie"),
    ("zorginstelling", "Lokale zorginstelling"),
    ("wijkregie", "Wijkregie (Beleidsparticipatie)"),
    ("gemeenschapswachten", "Gemeenschapswachten"),
    ("antenne", "Antennemedewerkers"),
    ("school", "School / brugfiguur"),
    ("kras", "KRAS-dienst"),
    ("sociaal-restaurant", "Sociaal restaurant"),
    ("sociale-huisvesting", "Sociale huisvestingsmaatschappij"),
    ("kinderdagverblijf", "Kinderdagverblijf"),
    ("buitenschoolse-opvang", "Buitenschoolse opvang"),
    ("welzijn-gelijke-kansen", "Dienst Welzijn en Gelijke Kansen"),
];

/// Thema's for SW&G, after the policy domains of seed 003.
const THEMES: [(&str, &str); 14] = [
    ("wonen", "Wonen"),
    ("gezondheid", "Gezondheid"),
    ("armoede", "Inkomen en armoede"),
    ("ouderen", "Ouderen"),
    ("jeugd", "Kinderen en jeugd"),
    ("kinderopvang", "Kinderopvang"),
    ("onderwijs", "Onderwijs"),
    ("werk", "Werk"),
    ("handicap", "Handicap"),
    ("sociale-cohesie", "Sociale cohesie en samenleven"),
    ("diversiteit", "Diversiteit en gelijke kansen"),
    ("dakloosheid", "Dak- en thuisloosheid"),
    ("vrije-tijd", "Cultuur, sport en vrije tijd"),
    ("welzijn", "Welzijn"),
];

impl Directory {
    /// The directory as every device first knows it.
    pub fn seed() -> Self {
        let mut people: Vec<Person> = Vec::new();
        for w in WIJKEN {
            if !people.iter().any(|p| p.name == w.regisseur) {
                people.push(Person {
                    id: format!("regisseur-{}", people.len() + 1),
                    name: w.regisseur.to_owned(),
                    organisation: "welzijn-gelijke-kansen".to_owned(),
                    role: "Sociaal regisseur".to_owned(),
                });
            }
        }
        people.push(Person {
            id: "coordinator".to_owned(),
            name: "Katrien Van Goidsenhoven".to_owned(),
            organisation: "welzijn-gelijke-kansen".to_owned(),
            role: "Coördinator sociale regie".to_owned(),
        });
        Directory {
            schema: 1,
            kind: DIRECTORY_KIND.to_owned(),
            wijken: WIJKEN
                .iter()
                .map(|w| WijkEntry {
                    slug: w.slug.to_owned(),
                    name: w.name.to_owned(),
                    regisseur: w.regisseur.to_owned(),
                })
                .collect(),
            organisations: ORGANISATIONS
                .iter()
                .map(|(id, name)| Organisation {
                    id: (*id).to_owned(),
                    name: (*name).to_owned(),
                    kind: (*name).to_owned(),
                    contact: None,
                    wijken: Vec::new(),
                })
                .collect(),
            people,
            themes: THEMES
                .iter()
                .map(|(id, name)| Thema {
                    id: (*id).to_owned(),
                    name: (*name).to_owned(),
                })
                .collect(),
        }
    }

    /// The name of an organisation, or the id if it is not (or no longer) known.
    pub fn organisation_name(&self, id: &str) -> String {
        self.organisations
            .iter()
            .find(|o| o.id == id)
            .map_or_else(|| id.to_owned(), |o| o.name.clone())
    }

    /// The name of a thema, or the id if it is not known.
    pub fn thema_name(&self, id: &str) -> String {
        self.themes
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| id.to_owned(), |t| t.name.clone())
    }

    /// Any id (thema or organisation) to the name people see; empty stays empty.
    pub fn name_of(&self, id: &str) -> String {
        if id.is_empty() {
            return String::new();
        }
        match self.themes.iter().find(|t| t.id == id) {
            Some(t) => t.name.clone(),
            None => self.organisation_name(id),
        }
    }

    /// The kinds of partner (seed 000): (id, name).
    pub fn kinds() -> impl Iterator<Item = (&'static str, &'static str)> {
        ORGANISATIONS.iter().copied()
    }

    /// Adds a partner organisation: a name, a kind, a contact, its wijken
    /// (unknown wijken are refused).
    pub fn add_organisation(
        &mut self,
        id: String,
        form: &OrganisationForm,
    ) -> Result<(), DocError> {
        let name = validate::title(&form.name, Field::Title).map_err(|_| DocError::EmptyTitle)?;
        if form
            .wijken
            .iter()
            .any(|w| !self.wijken.iter().any(|x| &x.slug == w))
        {
            return Err(DocError::NotFound);
        }
        let contact = form.contact.trim();
        self.organisations.push(Organisation {
            id,
            name,
            kind: form.kind.trim().to_owned(),
            contact: (!contact.is_empty()).then(|| contact.to_owned()),
            wijken: form.wijken.clone(),
        });
        Ok(())
    }

    /// The name of an organisation with its kind, for choosing a trekker:
    /// "WGC De Kaai (Wijkgezondheidscentrum)"; a seeded kind by its name.
    pub fn organisation_label(&self, organisation: &Organisation) -> String {
        if organisation.is_real() && !organisation.kind.is_empty() {
            format!(
                "{} ({})",
                organisation.name,
                self.organisation_name(&organisation.kind)
            )
        } else {
            organisation.name.clone()
        }
    }

    /// Adds a person.
    pub fn add_person(
        &mut self,
        id: String,
        name: &str,
        organisation: &str,
        role: &str,
    ) -> Result<(), DocError> {
        let name = validate::title(name, Field::Title).map_err(|_| DocError::EmptyTitle)?;
        self.people.push(Person {
            id,
            name,
            organisation: organisation.to_owned(),
            role: role.trim().to_owned(),
        });
        Ok(())
    }

    /// Adds a thema.
    pub fn add_thema(&mut self, id: String, name: &str) -> Result<(), DocError> {
        let name = validate::title(name, Field::Title).map_err(|_| DocError::EmptyTitle)?;
        self.themes.push(Thema { id, name });
        Ok(())
    }

    /// Renames an organisation, person or thema (by id).
    pub fn rename(&mut self, id: &str, name: &str) -> Result<(), DocError> {
        let name = validate::title(name, Field::Title).map_err(|_| DocError::EmptyTitle)?;
        if let Some(o) = self.organisations.iter_mut().find(|o| o.id == id) {
            o.name = name;
        } else if let Some(p) = self.people.iter_mut().find(|p| p.id == id) {
            p.name = name;
        } else if let Some(t) = self.themes.iter_mut().find(|t| t.id == id) {
            t.name = name;
        } else {
            return Err(DocError::NotFound);
        }
        Ok(())
    }

    /// Sets the sociaal regisseur of a wijk.
    pub fn set_regisseur(&mut self, wijk: &str, regisseur: &str) -> Result<(), DocError> {
        let regisseur =
            validate::title(regisseur, Field::Title).map_err(|_| DocError::EmptyTitle)?;
        let entry = self
            .wijken
            .iter_mut()
            .find(|w| w.slug == wijk)
            .ok_or(DocError::NotFound)?;
        entry.regisseur = regisseur;
        Ok(())
    }
}

/// The hash of the seed's one change, the same on every device: a device
/// whose copy has it need not build the seed again.
pub const SEED_HASH: &str = "4791ef29397d38b0bf359dfe7c97acc29e254b2dd148b0d567f742f8f848d38c";

/// An organisation as the first seed wrote it.
#[derive(Reconcile)]
struct FirstSeedOrganisation {
    #[key]
    id: String,
    name: String,
    kind: String,
}

/// The directory exactly as the first seed wrote it: the released seed
/// change is built from this shape, so fields added later do not change
/// its bytes.
#[derive(Reconcile)]
struct FirstSeed {
    schema: u64,
    kind: String,
    wijken: Vec<WijkEntry>,
    organisations: Vec<FirstSeedOrganisation>,
    people: Vec<Person>,
    themes: Vec<Thema>,
}

/// The seeded directory document: the same bytes on every device.
pub fn seed_document() -> Automerge {
    let seed = Directory::seed();
    let first = FirstSeed {
        schema: seed.schema,
        kind: seed.kind,
        wijken: seed.wijken,
        organisations: seed
            .organisations
            .into_iter()
            .map(|o| FirstSeedOrganisation {
                id: o.id,
                name: o.name,
                kind: o.kind,
            })
            .collect(),
        people: seed.people,
        themes: seed.themes,
    };
    typed::seed(b"regie-directory-seed", first)
}

impl crate::kind::DocumentKind for Directory {
    const KIND: crate::kind::Kind = crate::kind::Kind::Directory;
    const TAG: &'static str = DIRECTORY_KIND;
    const SCHEMA: u64 = 1;

    fn schema_mut(&mut self) -> &mut u64 {
        &mut self.schema
    }

    fn fixed_id() -> Option<DocumentId> {
        Some(directory_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::author::Stamp;
    use crate::kind;

    #[test]
    fn the_released_seed_never_changes() {
        // Devices in the field hold this change; a different seed with the
        // same actor would be rejected by Automerge.
        assert_eq!(seed_document().get_heads()[0].to_string(), SEED_HASH);
    }

    #[test]
    fn every_device_seeds_the_same_change() {
        let mut a = seed_document();
        let b = seed_document();
        assert_eq!(a.get_heads(), b.get_heads());
        kind::edit::<Directory>(&mut a, &Stamp::default(), |d| {
            d.add_thema("mobiliteit".into(), "Mobiliteit")
        })
        .unwrap();
        let mut merged = b.clone();
        merged.merge(&mut a.clone()).unwrap();
        let directory = kind::read::<Directory>(&merged).unwrap();
        // One seed, not two: 14 seeded thema's plus the new one.
        assert_eq!(directory.themes.len(), 15);
        assert_eq!(directory.wijken.len(), 25);
        assert_eq!(
            directory
                .people
                .iter()
                .filter(|p| p.role == "Sociaal regisseur")
                .count(),
            6
        );
    }

    #[test]
    fn names_resolve_and_bad_edits_are_refused() {
        let mut doc = seed_document();
        let heads = doc.get_heads();
        assert_eq!(
            kind::edit::<Directory>(&mut doc, &Stamp::default(), |d| d
                .add_organisation("x".into(), &OrganisationForm::default())),
            Err(DocError::EmptyTitle)
        );
        let nowhere = OrganisationForm {
            name: "WGC Nergens".into(),
            wijken: vec!["atlantis".into()],
            ..OrganisationForm::default()
        };
        assert_eq!(
            kind::edit::<Directory>(&mut doc, &Stamp::default(), |d| d
                .add_organisation("y".into(), &nowhere)),
            Err(DocError::NotFound)
        );
        assert_eq!(
            kind::edit::<Directory>(&mut doc, &Stamp::default(), |d| d.rename("nope", "Iets")),
            Err(DocError::NotFound)
        );
        assert_eq!(doc.get_heads(), heads);
        kind::edit::<Directory>(&mut doc, &Stamp::default(), |d| {
            let wgc = OrganisationForm {
                name: "WGC Rabot".into(),
                kind: "wijkgezondheidscentrum".into(),
                contact: " An, 09 123 45 67 ".into(),
                wijken: vec!["rabot-blaisantvest".into()],
            };
            d.add_organisation("wgc-rabot".into(), &wgc)?;
            d.set_regisseur("ledeberg", "Nieuwe Regisseur")
        })
        .unwrap();
        let d = kind::read::<Directory>(&doc).unwrap();
        assert_eq!(d.name_of("wgc-rabot"), "WGC Rabot");
        let wgc = d
            .organisations
            .iter()
            .find(|o| o.id == "wgc-rabot")
            .unwrap();
        assert!(wgc.is_real());
        assert_eq!(wgc.contact.as_deref(), Some("An, 09 123 45 67"));
        assert_eq!(
            d.organisation_label(wgc),
            "WGC Rabot (Wijkgezondheidscentrum)"
        );
        assert!(!d.organisations[0].is_real(), "a seeded kind");
        assert_eq!(d.name_of("wonen"), "Wonen");
        assert_eq!(d.name_of("onbekend"), "onbekend");
        assert_eq!(d.name_of(""), "");
        assert_eq!(
            d.wijken
                .iter()
                .find(|w| w.slug == "ledeberg")
                .unwrap()
                .regisseur,
            "Nieuwe Regisseur"
        );
    }
}
