//! Reading strings that other automerge-repo clients may have written as
//! collaborative text.

use automerge::ObjId;
use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc};

use super::status::Status;

/// Reads a string whether it was written as a plain string (as we do) or
/// as collaborative text (as automerge-repo JS clients do when they assign
/// a string), so documents edited by other clients still open.
pub(super) fn text_or_string<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<String, HydrateError> {
    match String::hydrate(doc, obj, prop.clone()) {
        Ok(text) => Ok(text),
        Err(_) => autosurgeon::Text::hydrate(doc, obj, prop).map(|t| t.as_str().to_owned()),
    }
}

/// A status written as a plain string or as text, by variant name.
pub(super) fn status_text_or_string<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Status, HydrateError> {
    if let Ok(status) = Status::hydrate(doc, obj, prop.clone()) {
        return Ok(status);
    }
    let name = text_or_string(doc, obj, prop)?;
    Status::ALL
        .into_iter()
        .find(|s| s.label() == name)
        .ok_or_else(|| {
            HydrateError::unexpected(
                "a status (Idee, Gepland, Lopend, Afgerond, Stopgezet)",
                name,
            )
        })
}
