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

/// Whether `id` is the id of an object `doc` already has.
pub(super) fn names_existing(doc: &Automerge, id: &OpId) -> bool {
    doc.object_type(ObjId::Id(id.0, id.1.clone(), 0)).is_ok()
}

/// What an existing object is, for a signal link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A signal's map that the link made, or an object inside it.
    Own { signal_map: bool },
    /// Anything else.
    Other,
}

/// Where the existing object `target` sits: in a signal that `link` made
/// (looked up through the object's parents, so only the objects a change
/// touches are read, however many signals the plan has).
fn place(doc: &Automerge, signals: &ObjId, target: &OpId, link: Option<&str>) -> Place {
    let Some(link) = link else {
        return Place::Other;
    };
    // The actor index is only a hint: Automerge looks the actor up.
    let exid = ObjId::Id(target.0, target.1.clone(), 0);
    let Ok(parents) = doc.parents(&exid) else {
        return Place::Other;
    };
    // The signal is the object whose parent is the signals list.
    let mut child = exid;
    for (depth, parent) in parents.enumerate() {
        if parent.obj == *signals {
            let own = text_of(doc, &child, BY_LINK).as_deref() == Some(link);
            return if own {
                Place::Own {
                    signal_map: depth == 0,
                }
            } else {
                Place::Other
            };
        }
        child = parent.obj;
    }
    Place::Other
}

/// Checks `changes` (new to `before`, in causal order) made through a
/// signals-only link whose id is `link` (`None`: not proven, so only new
/// signals pass).
pub fn check(before: &Automerge, changes: &[Change], link: Option<&str>) -> Result<(), Refused> {
    let Ok(Some((Value::Object(ObjType::List), signals))) = before.get(ROOT, "signals") else {
        return Err(Refused::NoSignals);
    };
    let list = op_id(&signals).ok_or(Refused::NoSignals)?;
    // Where each existing object touched sits, looked up once.
    let mut places: std::collections::HashMap<OpId, Place> = std::collections::HashMap::new();
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
            } else if !made.contains(target) {
                let place = *places
                    .entry(target.clone())
                    .or_insert_with(|| place(before, &signals, target, link));
                match place {
                    Place::Own { signal_map: true } if names_link => {
                        return Err(Refused::WrongLink);
                    }
                    Place::Own { .. } => {}
                    Place::Other => return Err(Refused::OutsideSignals),
                }
            }
            if matches!(op.action, OpType::Make(_)) {
                // A forged change could give a new object the id of one that
                // exists, and then pass its edits off as edits of its own.
                if names_existing(before, &id) {
                    return Err(Refused::OutsideSignals);
                }
                made.insert(id);
            }
        }
    }
    Ok(())
}
