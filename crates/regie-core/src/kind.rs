//! What every kind of document has in common: a name, a schema version
//! that writing brings older documents up to, a reader, and one error type
//! whose messages name the kind and have a locale key.
//!
//! A kind is a Rust value stored in an Automerge document (autosurgeon's
//! `Hydrate` + `Reconcile`). [`read`], [`edit`] and [`restore`] work for
//! every kind, so the app reads, edits and restores any document through
//! one generic path (see ARCHITECTURE.md, "How to add a document kind").

use automerge::{Automerge, ChangeHash};
use autosurgeon::{Hydrate, Reconcile};

use crate::author::Stamp;
use crate::plan::validate::Problems;

/// The kinds of document, for messages and keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A wijkactieplan.
    Plan,
    /// A ronde tafel.
    Table,
    /// A campagne.
    Campaign,
    /// The adresboek.
    Directory,
    /// The register of knelpunten.
    Register,
    /// A wijkactieteam meeting.
    Meeting,
    /// A document whose kind the reader does not know (conflicts, history).
    Any,
}

impl Kind {
    /// Machine name, for locale keys and performance counters.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::Table => "table",
            Kind::Campaign => "campaign",
            Kind::Directory => "directory",
            Kind::Register => "register",
            Kind::Meeting => "meeting",
            Kind::Any => "document",
        }
    }

    /// "This document is not a readable …", in Dutch (the locale files say
    /// it in every language under `core.unreadable.<name>`).
    fn unreadable(self) -> &'static str {
        match self {
            Kind::Plan => "Dit document is geen leesbaar wijkactieplan",
            Kind::Table => "Dit document is geen leesbare ronde tafel",
            Kind::Campaign => "Dit document is geen leesbare campagne",
            Kind::Directory => "Dit document is geen leesbaar adresboek",
            Kind::Register => "Dit document is geen leesbaar register",
            Kind::Meeting => "Dit document is geen leesbare vergadering",
            Kind::Any => "Dit document is niet leesbaar",
        }
    }
}

/// An edit or read that cannot be done, with the Dutch message (the UI
/// shows [`DocError::key`] in the interface language).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    /// A title is empty or only spaces.
    #[error("Geef een titel op.")]
    EmptyTitle,
    /// The item was removed (perhaps by someone else) in the meantime.
    #[error("Dit onderdeel bestaat niet meer; misschien heeft iemand anders het verwijderd.")]
    NotFound,
    /// This device's link only allows reading.
    #[error("Je hebt alleen leesrechten voor dit document.")]
    ReadOnly,
    /// Something still holds items (an ambitie its acties).
    #[error("Dit onderdeel is niet leeg; verplaats of verwijder eerst wat erin zit.")]
    NotEmpty,
    /// Only the facilitator of a ronde tafel moves its phase and timer.
    #[error("Alleen wie de tafel begeleidt, kan dit; stel het voor.")]
    NotFacilitator,
    /// The document is not a `kind` this version understands.
    #[error("{} ({detail}).", kind.unreadable())]
    Unreadable {
        /// What it should have been.
        kind: Kind,
        /// What the reader found wrong (technical; shown in brackets).
        detail: String,
    },
    /// A form has problems; nothing was saved.
    #[error("{0}")]
    Invalid(Problems),
}

impl DocError {
    /// A document that does not read as `kind`.
    pub fn unreadable(kind: Kind, detail: impl std::fmt::Display) -> Self {
        DocError::Unreadable {
            kind,
            detail: detail.to_string(),
        }
    }

    /// The locale key of the message; `None` for [`DocError::Invalid`],
    /// whose problems each have their own.
    pub fn key(&self) -> Option<&'static str> {
        Some(match self {
            DocError::EmptyTitle => "validate.title_missing",
            DocError::NotFound => "core.not_found",
            DocError::ReadOnly => "core.read_only",
            DocError::NotEmpty => "core.not_empty",
            DocError::NotFacilitator => "core.not_facilitator",
            DocError::Unreadable { kind, .. } => match kind {
                Kind::Plan => "core.unreadable.plan",
                Kind::Table => "core.unreadable.table",
                Kind::Campaign => "core.unreadable.campaign",
                Kind::Directory => "core.unreadable.directory",
                Kind::Register => "core.unreadable.register",
                Kind::Meeting => "core.unreadable.meeting",
                Kind::Any => "core.unreadable.document",
            },
            DocError::Invalid(_) => return None,
        })
    }
}

impl From<Problems> for DocError {
    fn from(problems: Problems) -> Self {
        DocError::Invalid(problems)
    }
}

/// A kind of document: a Rust value kept in an Automerge document.
pub trait DocumentKind: Hydrate + Reconcile + Sized + 'static {
    /// Which kind, for messages and keys.
    const KIND: Kind;
    /// The value of the document's root `kind` field.
    const TAG: &'static str;
    /// The schema version this build writes; documents of older versions
    /// are read with defaults for what they lack and upgraded on writing.
    const SCHEMA: u64;

    /// The value's schema field.
    fn schema_mut(&mut self) -> &mut u64;

    /// The id of the one document of this kind, for kinds that exist once
    /// per workspace with a fixed id (the directory, the register).
    fn fixed_id() -> Option<crate::DocumentId> {
        None
    }

    /// Reads the value (autosurgeon, field by field; a kind may read faster).
    fn read(doc: &Automerge) -> Result<Self, DocError> {
        autosurgeon::hydrate(doc).map_err(|e| DocError::unreadable(Self::KIND, e))
    }
}

/// Whether a document says it is of kind `K` (its root `kind` field);
/// `None` when it does not say (an empty document, or one written by
/// another client), so only reading it can tell.
pub fn is_of_kind<K: DocumentKind>(doc: &Automerge) -> Option<bool> {
    use automerge::ReadDoc as _;
    match doc.get(automerge::ROOT, "kind") {
        Ok(Some((automerge::Value::Scalar(tag), _))) => match tag.as_ref() {
            automerge::ScalarValue::Str(tag) => Some(tag.as_str() == K::TAG),
            _ => None,
        },
        _ => None,
    }
}

/// Reads a document as kind `K`.
pub fn read<K: DocumentKind>(doc: &Automerge) -> Result<K, DocError> {
    K::read(doc)
}

/// Writes a value as one change stamped with its author and time. Only
/// what differs from the document is written, so concurrent edits of other
/// fields survive; the schema is brought up to this build's.
pub fn write<K: DocumentKind>(
    doc: &mut Automerge,
    stamp: &Stamp,
    value: &K,
) -> Result<(), DocError> {
    doc.transact_with(
        |_| stamp.commit_options(),
        |tx| autosurgeon::reconcile(tx, value),
    )
    .map(|_| ())
    .map_err(|f| DocError::unreadable(K::KIND, f.error))
}

/// Reads, edits and writes back in one change; nothing is written when the
/// edit fails. Writing upgrades an older document.
pub fn edit<K: DocumentKind>(
    doc: &mut Automerge,
    stamp: &Stamp,
    edit: impl FnOnce(&mut K) -> Result<(), DocError>,
) -> Result<(), DocError> {
    let mut value = K::read(doc)?;
    edit(&mut value)?;
    upgrade(&mut value);
    write(doc, stamp, &value)
}

/// Sets a document back to how it was at `heads`, as a new change on top
/// of everything since (nothing is rewritten).
pub fn restore<K: DocumentKind>(
    doc: &mut Automerge,
    stamp: &Stamp,
    heads: &[ChangeHash],
) -> Result<(), DocError> {
    let then = crate::history::as_of(doc, heads).ok_or(DocError::NotFound)?;
    let mut value = K::read(&then)?;
    upgrade(&mut value);
    write(doc, stamp, &value)
}

fn upgrade<K: DocumentKind>(value: &mut K) {
    let schema = value.schema_mut();
    *schema = (*schema).max(K::SCHEMA);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roundtable::Table;

    #[test]
    fn an_unreadable_document_says_which_kind_it_should_be() {
        let doc = Automerge::new();
        let error = read::<Table>(&doc).unwrap_err();
        assert_eq!(error.key(), Some("core.unreadable.table"));
        assert!(
            error
                .to_string()
                .starts_with("Dit document is geen leesbare ronde tafel ("),
            "{error}"
        );
    }

    #[test]
    fn a_document_says_its_kind() {
        let table = crate::roundtable::new_table_document(
            &Table::new("Een tafel", None, Vec::new(), None).unwrap(),
            &Stamp::default(),
        );
        assert_eq!(is_of_kind::<Table>(&table), Some(true));
        assert_eq!(is_of_kind::<crate::plan::Plan>(&table), Some(false));
        assert_eq!(is_of_kind::<Table>(&Automerge::new()), None);
    }

    #[test]
    fn every_error_but_a_form_problem_has_a_key() {
        let errors = [
            DocError::EmptyTitle,
            DocError::NotFound,
            DocError::ReadOnly,
            DocError::unreadable(Kind::Any, "x"),
        ];
        for error in errors {
            assert!(error.key().is_some(), "{error:?}");
        }
        assert_eq!(DocError::Invalid(Problems(Vec::new())).key(), None);
    }
}
