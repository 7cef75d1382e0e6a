//! The effect check for a link that may only pass on signals (a netwerk
//! SW&G link on its wijk's plan): its changes may add signals to the plan's
//! `signals` list and change the signals its own link made, and nothing
//! else. Checked on the operations themselves, not on what a diff shows, so
//! a value that loses a conflict cannot slip in either.
//!
//! A signal is the link's own when its `by_link` field names the link's id.
//! The relay knows the id of every connection's link, so through the relay
//! a netwerk partner corrects or withdraws their signals; a direct peer's
//! link id is not proven, so through a direct link only new signals pass.
//! A new signal must name the link it came through, when that is known;
//! `by_link` of an existing signal never changes.

use std::collections::HashSet;

use automerge::legacy::{Key, ObjectId, OpId, OpType};
use automerge::{ActorId, Automerge, Change, ObjId, ObjType, ROOT, ReadDoc as _};
use automerge::{ScalarValue, Value};

/// The field of a signal naming the link it came through.
pub const BY_LINK: &str = "by_link";

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The document has no signals list (it is not a plan).
    #[error("the document has no signals")]
    NoSignals,
    /// An operation outside the link's own signals.
    #[error("a signal link changed something other than its own signals")]
    OutsideSignals,
    /// A new signal named another link than the one it came through, or a
    /// signal's link was changed.
    #[error("a signal named the wrong link")]
    WrongLink,
}

fn op_id(id: &ObjId) -> Option<OpId> {
    match id {
        ObjId::Root => None,
        ObjId::Id(counter, actor, _) => Some(OpId(*counter, actor.clone())),
    }
}

fn text_of(doc: &Automerge, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(text) => Some(text.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The objects of `doc`'s signals that `link` made: each signal's map and
/// the objects in it (its `actions` list).
fn own_objects(doc: &Automerge, signals: &ObjId, link: &str) -> (HashSet<OpId>, HashSet<OpId>) {
    let (mut maps, mut inner) = (HashSet::new(), HashSet::new());
    for i in 0..doc.length(signals) {
        let Ok(Some((Value::Object(ObjType::Map), signal))) = doc.get(signals, i) else {
            continue;
        };
        if text_of(doc, &signal, BY_LINK).as_deref() != Some(link) {
            continue;
        }
        for key in doc.keys(&signal) {
            if let Ok(Some((Value::Object(_), obj))) = doc.get(&signal, key.as_str()) {
                inner.extend(op_id(&obj));
            }
        }
        maps.extend(op_id(&signal));
    }
    (maps, inner)
}

/// Checks `changes` (new to `before`, in causal order) made through a
/// signals-only link whose id is `link` (`None`: not proven, so only new
/// signals pass).
pub fn check(before: &Automerge, changes: &[Change], link: Option<&str>) -> Result<(), Refused> {
    let Ok(Some((Value::Object(ObjType::List), signals))) = before.get(ROOT, "signals") else {
        return Err(Refused::NoSignals);
    };
    let list = op_id(&signals).ok_or(Refused::NoSignals)?;
    let (own_maps, own_inner) = match link {
        Some(link) => own_objects(before, &signals, link),
        None => Default::default(),
    };
    // Objects these changes made, and among them the new signals.
    let mut made: HashSet<OpId> = HashSet::new();
    let mut new_signals: HashSet<OpId> = HashSet::new();
    for change in changes {
        let expanded = change.decode();
        let actor: &ActorId = &expanded.actor_id;
        for (i, op) in expanded.operations.iter().enumerate() {
            let id = OpId(expanded.start_op.get() + i as u64, actor.clone());
            let ObjectId::Id(target) = &op.obj else {
                return Err(Refused::OutsideSignals);
            };
            let key = match &op.key {
                Key::Map(key) => Some(key.as_str()),
                Key::Seq(_) => None,
            };
            let names_link = key == Some(BY_LINK);
            if *target == list {
                if !(op.insert && matches!(op.action, OpType::Make(ObjType::Map))) {
                    return Err(Refused::OutsideSignals);
                }
                new_signals.insert(id.clone());
            } else if new_signals.contains(target) && names_link {
                let named = match &op.action {
                    OpType::Put(ScalarValue::Str(text)) => Some(text.as_str()),
                    _ => None,
                };
                if link.is_some_and(|link| named != Some(link)) {
                    return Err(Refused::WrongLink);
                }
            } else if own_maps.contains(target) && names_link {
                return Err(Refused::WrongLink);
            } else if !(made.contains(target)
                || own_maps.contains(target)
                || own_inner.contains(target))
            {
                return Err(Refused::OutsideSignals);
            }
            if matches!(op.action, OpType::Make(_)) {
                made.insert(id);
            }
        }
    }
    Ok(())
}
