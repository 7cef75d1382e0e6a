//! What a document is, for access: read from its fixed id (the register,
//! the adresboek) or from two root fields every other kind writes when it is
//! created (`kind`, and `wijk` for plans, tafels, campagnes and meetings). A document
//! whose kind or wijk is not known here (empty, damaged, from a newer
//! version) is [`DocScope::Unknown`]: only the city sees it.
//!
//! The engine refuses a change through a scoped link that would move a
//! document to another scope (`crate::repo`), so these fields are as fixed
//! as the id for everyone but the city.

use automerge::{Automerge, ObjType, ROOT, ReadDoc as _, ScalarValue, Value};

use crate::campaign::CAMPAIGN_KIND;
use crate::meeting::MEETING_KIND;
use crate::plan::PLAN_KIND;
use crate::roundtable::TABLE_KIND;
use crate::{DocumentId, directory, register, wijken};

/// What a document is, for access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocScope {
    /// A wijkactieplan of a wijk.
    Plan(&'static str),
    /// A ronde tafel or a campagne started from a wijk's plan, or a
    /// meeting of its wijkactieteam.
    Derived(&'static str),
    /// A ronde tafel or a campagne started from a knelpunt of the register.
    CityDerived,
    /// The knelpunten register.
    Register,
    /// The adresboek.
    Directory,
    /// Not known here: only the city sees it.
    Unknown,
}

/// Longest `kind` or `wijk` read (real ones are under 40 characters).
const MAX_FIELD: usize = 64;

/// A string at the root, if there is one: a plain string, or text as other
/// automerge-repo clients write strings (read only when short).
fn root_text(doc: &Automerge, key: &str) -> Option<String> {
    match doc.get(ROOT, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(text) if text.len() <= MAX_FIELD => Some(text.to_string()),
            _ => None,
        },
        (Value::Object(ObjType::Text), text) if doc.length(&text) <= MAX_FIELD => {
            doc.text(&text).ok()
        }
        _ => None,
    }
}

impl DocScope {
    /// The scope of document `id` as it stands.
    pub fn of(id: &DocumentId, doc: &Automerge) -> DocScope {
        if *id == register::register_id() {
            return DocScope::Register;
        }
        if *id == directory::directory_id() {
            return DocScope::Directory;
        }
        let wijk = root_text(doc, "wijk").and_then(|w| wijken::by_slug(&w).map(|w| w.slug));
        match (root_text(doc, "kind").as_deref(), wijk) {
            (Some(PLAN_KIND), Some(w)) => DocScope::Plan(w),
            (Some(TABLE_KIND | CAMPAIGN_KIND | MEETING_KIND), Some(w)) => DocScope::Derived(w),
            (Some(TABLE_KIND | CAMPAIGN_KIND), None) if root_text(doc, "wijk").is_none() => {
                DocScope::CityDerived
            }
            _ => DocScope::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::author::Stamp;
    use crate::plan::new_plan_document;

    #[test]
    fn documents_are_placed_by_id_kind_and_wijk() {
        let stamp = Stamp::default();
        let plan = new_plan_document("ledeberg", &stamp);
        let id = DocumentId::from_random_bytes([3; 16]);
        assert_eq!(DocScope::of(&id, &plan), DocScope::Plan("ledeberg"));
        assert_eq!(
            DocScope::of(&register::register_id(), &Automerge::new()),
            DocScope::Register
        );
        assert_eq!(
            DocScope::of(&directory::directory_id(), &Automerge::new()),
            DocScope::Directory
        );
        assert_eq!(DocScope::of(&id, &Automerge::new()), DocScope::Unknown);
        let mut odd = new_plan_document("ledeberg", &stamp);
        use automerge::transaction::Transactable as _;
        let mut tx = odd.transaction();
        tx.put(ROOT, "wijk", "atlantis").unwrap();
        tx.commit();
        assert_eq!(DocScope::of(&id, &odd), DocScope::Unknown, "no such wijk");
        // As a JS client writes strings: text objects.
        let mut js = Automerge::new();
        let mut tx = js.transaction();
        for (key, value) in [("kind", "wijkactieplan"), ("wijk", "ledeberg")] {
            let text = tx.put_object(ROOT, key, ObjType::Text).unwrap();
            tx.splice_text(&text, 0, 0, value).unwrap();
        }
        tx.commit();
        assert_eq!(DocScope::of(&id, &js), DocScope::Plan("ledeberg"));
    }
}
