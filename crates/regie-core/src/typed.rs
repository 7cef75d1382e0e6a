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
/// sequence number would be rejected by Automerge. The document returned
/// edits with a random actor.
pub fn seed<T: Reconcile>(actor: &[u8], value: T) -> Automerge {
    let mut doc = Automerge::new().with_actor(ActorId::from(actor));
    doc.transact_with::<_, _, autosurgeon::ReconcileError, _>(
        |_| CommitOptions::default().with_time(0),
        |tx| reconcile(tx, value),
    )
    .expect("a seed always reconciles");
    // Edits after the seed are this device's own: were they made with the
    // fixed actor, two devices would each write its change number 2, and
    // Automerge refuses the second one it sees.
    doc.set_actor(ActorId::random());
    doc
}

/// One more fixed change on top of a seed, made the same way (its own
/// fixed actor, time 0), for what a released seed missed: every device
/// that builds it makes the same change, so it too is one history.
pub fn seed_next(
    doc: &mut Automerge,
    actor: &[u8],
    edit: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), String>,
) {
    let mut next = doc.fork().with_actor(ActorId::from(actor));
    next.transact_with::<_, _, String, _>(|_| CommitOptions::default().with_time(0), edit)
        .expect("a seed always reconciles");
    doc.merge(&mut next).expect("a fork merges back");
}
