//! The 25 Ghent wijken and the six sociaal regisseurs who coordinate them
//! (seed 000, "25 Gentse wijken - 6 sociaal regisseurs").

/// One wijk (neighbourhood) of Ghent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wijk {
    /// Stable identifier, used in documents and URLs.
    pub slug: &'static str,
    /// The name as people in Ghent write it.
    pub name: &'static str,
    /// The sociaal regisseur of this wijk.
    pub regisseur: &'static str,
}

const LIEN: &str = "Lien Baes";
const DAVY: &str = "Davy Van Den Heede";
const NELE: &str = "Nele Descheemaeker";
const BJORN: &str = "Björn Denaert";
const JOHAN: &str = "Johan Geldof";
const BIEKE: &str = "Bieke Verplanken";

const fn wijk(slug: &'static str, name: &'static str, regisseur: &'static str) -> Wijk {
    Wijk {
        slug,
        name,
        regisseur,
    }
}

/// All 25 wijken, grouped by regisseur as in the seed.
pub const WIJKEN: [Wijk; 25] = [
    wijk("nieuw-gent-uz", "Nieuw Gent - UZ", LIEN),
    wijk("zwijnaarde", "Zwijnaarde", LIEN),
    wijk("sint-denijs-westrem", "Sint-Denijs-Westrem", LIEN),
    wijk("stationsbuurt-zuid", "Stationsbuurt Zuid", LIEN),
    wijk("stationsbuurt-noord", "Stationsbuurt Noord", LIEN),
    wijk("watersportbaan-ekkergem", "Watersportbaan - Ekkergem", LIEN),
    wijk(
        "elisabethbegijnhof-papegaai",
        "Elisabethbegijnhof - Papegaai",
        LIEN,
    ),
    wijk("brugse-poort-rooigem", "Brugse Poort - Rooigem", DAVY),
    wijk("rabot-blaisantvest", "Rabot - Blaisantvest", DAVY),
    wijk("ledeberg", "Ledeberg", NELE),
    wijk("moscou-vogelhoek", "Moscou - Vogelhoek", NELE),
    wijk("gentbrugge", "Gentbrugge", NELE),
    wijk("oud-gentbrugge", "Oud-Gentbrugge", NELE),
    wijk("macharius-heirnis", "Macharius - Heirnis", NELE),
    wijk(
        "muide-meulestede-afrikalaan",
        "Muide - Meulestede - Afrikalaan",
        BJORN,
    ),
    wijk("bloemekenswijk", "Bloemekenswijk", BJORN),
    wijk("wondelgem", "Wondelgem", BJORN),
    wijk("mariakerke", "Mariakerke", BJORN),
    wijk("drongen", "Drongen", BJORN),
    wijk("dampoort", "Dampoort", JOHAN),
    wijk("sint-amandsberg", "Sint-Amandsberg", JOHAN),
    wijk("oostakker", "Oostakker", JOHAN),
    wijk("kanaaldorpen", "Kanaaldorpen", JOHAN),
    wijk("binnenstad", "Binnenstad", BIEKE),
    wijk("sluizeken-tolhuis-ham", "Sluizeken - Tolhuis - Ham", BIEKE),
];

/// Looks a wijk up by its slug.
pub fn by_slug(slug: &str) -> Option<&'static Wijk> {
    WIJKEN.iter().find(|w| w.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn twenty_five_distinct_wijken_and_six_regisseurs() {
        let slugs: BTreeSet<_> = WIJKEN.iter().map(|w| w.slug).collect();
        assert_eq!(slugs.len(), 25);
        let regisseurs: BTreeSet<_> = WIJKEN.iter().map(|w| w.regisseur).collect();
        assert_eq!(regisseurs.len(), 6);
        assert_eq!(by_slug("ledeberg").map(|w| w.regisseur), Some(NELE));
        assert!(by_slug("atlantis").is_none());
    }
}
