//! Seeds: the same first change on every device, for the documents with a
//! fixed id. (Reading, editing and restoring any kind: [`crate::kind`].)

use automerge::transaction::CommitOptions;
use automerge::{ActorId, Automerge};
use autosurgeon::{Reconcile, reconcile};

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
