//! The organisation check for a link made for an organisation: through it,
//! a campagne's signatures are that organisation's only. Its changes may
//! add a signature for its organisation, replace or remove that
//! organisation's signature, and nothing of another organisation's; the
//! rest of the campagne is as the link's scope allows. Checked on the
//! operations, like [`super::signals_only`].

use std::collections::HashMap;

use automerge::legacy::{ElementId, Key, ObjectId, OpId, OpType};
use automerge::{Automerge, Change, ObjId, ObjType, ROOT, ReadDoc as _, ScalarValue, Value};

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a link for one organisation signed for another")]
pub struct OtherOrganisation;

fn op_id(id: &ObjId) -> Option<OpId> {
    match id {
        ObjId::Root => None,
        ObjId::Id(counter, actor, _) => Some(OpId(*counter, actor.clone())),
    }
}

/// Each existing signature's map, with the organisation it names.
fn signatures(doc: &Automerge) -> Option<(OpId, HashMap<OpId, Option<String>>)> {
    let Ok(Some((Value::Object(ObjType::List), list))) = doc.get(ROOT, "signatures") else {
        return None;
    };
    let mut maps = HashMap::new();
    for i in 0..doc.length(&list) {
        if let Ok(Some((Value::Object(ObjType::Map), map))) = doc.get(&list, i) {
            let organisation = match doc.get(&map, "organisation") {
                Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
                    ScalarValue::Str(text) => Some(text.to_string()),
                    _ => None,
                },
                _ => None,
            };
            if let Some(id) = op_id(&map) {
                maps.insert(id, organisation);
            }
        }
    }
    Some((op_id(&list)?, maps))
}

/// Checks `changes` (new to `before`, in causal order) made through a link
/// for `organisation`. A document without signatures passes.
pub fn check(
    before: &Automerge,
    changes: &[Change],
    organisation: &str,
) -> Result<(), OtherOrganisation> {
    let Some((list, existing)) = signatures(before) else {
        return Ok(());
    };
    let ours = |id: &OpId| {
        existing
            .get(id)
            .is_some_and(|o| o.as_deref() == Some(organisation))
    };
    let mut made: Vec<OpId> = Vec::new();
    for change in changes {
        let expanded = change.decode();
        for (i, op) in expanded.operations.iter().enumerate() {
            let id = OpId(
                expanded.start_op.get() + i as u64,
                expanded.actor_id.clone(),
            );
            let ObjectId::Id(target) = &op.obj else {
                continue;
            };
            if *target == list {
                match (&op.action, &op.key) {
                    (OpType::Make(_), _) if op.insert => {
                        // Not the id of an existing signature (see
                        // `signals_only::names_existing`).
                        if super::signals_only::names_existing(before, &id) {
                            return Err(OtherOrganisation);
                        }
                        made.push(id);
                    }
                    (OpType::Delete, Key::Seq(ElementId::Id(element))) if ours(element) => {}
                    _ => return Err(OtherOrganisation),
                }
            } else if made.contains(target) || existing.contains_key(target) {
                let names = matches!(&op.key, Key::Map(key) if key.as_str() == "organisation");
                let named_ours = matches!(&op.action, OpType::Put(ScalarValue::Str(text)) if text.as_str() == organisation);
                let fine = if names {
                    named_ours && (made.contains(target) || ours(target))
                } else {
                    made.contains(target) || ours(target)
                };
                if !fine {
                    return Err(OtherOrganisation);
                }
            }
        }
    }
    Ok(())
}
