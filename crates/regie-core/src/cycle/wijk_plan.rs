//! One plan per wijk, also offline: the plan of a wijk has an id derived
//! from the wijk and a first change that is the same on every device (a
//! fixed actor and time 0, like the directory's seed). Two tablets that
//! each create the plan of one wijk while apart therefore make one
//! document with one root, and when they meet their ambities and acties
//! merge instead of making two plans.

use automerge::Automerge;
use sha2::{Digest, Sha256};

use autosurgeon::Reconcile;

use crate::DocumentId;
use crate::plan::{Ambition, Member, PLAN_KIND, Signal};

/// The id of wijk `slug`'s plan: the first 16 bytes of a SHA-256 of the slug.
pub fn plan_id(slug: &str) -> DocumentId {
    let digest = Sha256::digest(format!("regie:plan:{slug}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    DocumentId::from_random_bytes(bytes)
}

/// The first change of Ledeberg's plan, as released (the test pins it).
pub const LEDEBERG_SEED_HASH: &str =
    "e21888303269532cb9b0b8f24ac91342af54202fde6410832b5af7b44a2d3b65";

/// A wijk's plan as its seed was released: the first change is built from
/// this shape, not from [`Plan`], so fields (or a schema version) that
/// `Plan` gains later do not change its bytes.
#[derive(Reconcile)]
struct SeedPlan {
    schema: u64,
    kind: String,
    wijk: String,
    ambitions: Vec<Ambition>,
    members: Vec<Member>,
    signals: Vec<Signal>,
}

/// The plan of wijk `slug` as it starts everywhere: an empty plan, made by
/// the wijk's fixed actor at time 0.
pub fn plan_document(slug: &str) -> Automerge {
    let actor = format!("regie-plan-seed:{slug}");
    let seed = SeedPlan {
        schema: 2,
        kind: PLAN_KIND.to_owned(),
        wijk: slug.to_owned(),
        ambitions: Vec::new(),
        members: Vec::new(),
        signals: Vec::new(),
    };
    crate::typed::seed(actor.as_bytes(), seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;

    #[test]
    fn each_wijk_has_its_own_id_and_the_same_first_change_everywhere() {
        assert_eq!(plan_id("ledeberg"), plan_id("ledeberg"));
        assert_ne!(plan_id("ledeberg"), plan_id("brugse-poort"));
        assert_eq!(
            plan_document("ledeberg").get_heads(),
            plan_document("ledeberg").get_heads()
        );
        assert_ne!(
            plan_document("ledeberg").get_heads(),
            plan_document("muide").get_heads()
        );
        let plan = crate::plan::read_plan(&plan_document("ledeberg")).unwrap();
        assert_eq!(plan, Plan::new("ledeberg"));
        // Released: devices hold it, and a different first change by the
        // same actor would be refused.
        assert_eq!(
            plan_document("ledeberg").get_heads()[0].to_string(),
            LEDEBERG_SEED_HASH
        );
    }
}
