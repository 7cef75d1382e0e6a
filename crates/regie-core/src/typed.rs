//! Rust values in Automerge documents: read (autosurgeon hydrate), edit as
//! one change (reconcile, which writes only what differs), and seed the same
//! first change on every device.

use automerge::transaction::CommitOptions;
use automerge::{ActorId, Automerge, ChangeHash};
use autosurgeon::{Hydrate, Reconcile, hydrate, reconcile};

use crate::author::Stamp;
use crate::plan::PlanError;

/// Reads a value from a document.
pub fn read<T: Hydrate>(doc: &Automerge) -> Result<T, PlanError> {
    hydrate(doc).map_err(|e| PlanError::Unreadable(e.to_string()))
}

/// Writes a value into a document as one change, stamped with its author
/// and time.
pub fn write<T: Reconcile>(doc: &mut Automerge, stamp: &Stamp, value: &T) -> Result<(), PlanError> {
    doc.transact_with(|_| stamp.commit_options(), |tx| reconcile(tx, value))
        .map(|_| ())
        .map_err(|f| PlanError::Unreadable(f.error.to_string()))
}

/// Reads, edits and writes back in one change; nothing is written when the
/// edit fails.
pub fn edit<T: Hydrate + Reconcile>(
    doc: &mut Automerge,
    stamp: &Stamp,
    edit: impl FnOnce(&mut T) -> Result<(), PlanError>,
) -> Result<(), PlanError> {
    let mut value = read(doc)?;
    edit(&mut value)?;
    write(doc, stamp, &value)
}

/// Sets a document back to how it was at `heads`, as a new change on top of
/// everything since (nothing is rewritten).
pub fn restore<T: Hydrate + Reconcile>(
    doc: &mut Automerge,
    stamp: &Stamp,
    heads: &[ChangeHash],
) -> Result<(), PlanError> {
    let then = crate::history::as_of(doc, heads).ok_or(PlanError::NotFound)?;
    let value: T = read(&then)?;
    write(doc, stamp, &value)
}

/// A document whose first change is byte for byte the same wherever it is
/// made: a fixed actor and time 0. Documents with a fixed id (the directory,
/// the register) are seeded this way, so devices that each start one
/// offline share one history instead of two competing roots. A seed must
/// never change once released: a different change with the same actor and
/// sequence number would be rejected by Automerge.
pub fn seed<T: Reconcile>(actor: &[u8], value: T) -> Automerge {
    let mut doc = Automerge::new().with_actor(ActorId::from(actor));
    doc.transact_with::<_, _, autosurgeon::ReconcileError, _>(
        |_| CommitOptions::default().with_time(0),
        |tx| reconcile(tx, value),
    )
    .expect("a seed always reconciles");
    doc
}
