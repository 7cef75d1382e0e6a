//! Who made a change, and when: every local change carries a [`Stamp`].
//!
//! Automerge gives each change an actor id (one per device session), a time
//! and an optional message. Regie writes the author (name, organisation,
//! colour and a stable person id) into the message as a small JSON object
//! and the time in seconds since the Unix epoch, as Automerge's own tools
//! do. So attribution travels with the change itself, to every peer and into
//! every backup, and an actor id is bound to a person by the changes it made
//! ([`authors_by_actor`]). Changes from other automerge-repo clients simply
//! have no author.

use std::collections::HashMap;

use automerge::transaction::CommitOptions;
use automerge::{ActorId, Automerge, Change};
use serde::{Deserialize, Serialize};

/// The person behind a change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Author {
    /// A random id kept by the person's browser, stable across renames.
    #[serde(rename = "id")]
    pub person: String,
    /// Name as the person gave it.
    pub name: String,
    /// Organisation.
    #[serde(rename = "org", default)]
    pub organisation: String,
    /// Marker colour (CSS colour).
    #[serde(default)]
    pub colour: String,
}

/// Author and time given to a local change. The caller supplies both: the
/// core reads no clock.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamp {
    /// Who makes the change; `None` when the person has not said who they are.
    pub author: Option<Author>,
    /// Seconds since the Unix epoch.
    pub time: i64,
}

/// The envelope in a change message, versioned so that later fields can be
/// added without misreading older changes.
#[derive(Serialize, Deserialize)]
struct Message {
    regie: u8,
    author: Author,
}

impl Stamp {
    /// A stamp for `author` at `time` (seconds since the Unix epoch).
    pub fn new(author: Option<Author>, time: i64) -> Self {
        Self { author, time }
    }

    /// The commit options carrying this stamp.
    pub fn commit_options(&self) -> CommitOptions {
        let options = CommitOptions::default().with_time(self.time);
        match &self.author {
            Some(author) => {
                let message = Message {
                    regie: 1,
                    author: author.clone(),
                };
                options.with_message(
                    serde_json::to_string(&message).expect("an author always serialises"),
                )
            }
            None => options,
        }
    }
}

/// The author recorded in a change, if it was made by Regie with a known person.
pub fn author_of(change: &Change) -> Option<Author> {
    let message = change.message()?;
    serde_json::from_str::<Message>(message)
        .ok()
        .filter(|m| m.regie == 1)
        .map(|m| m.author)
}

/// The person behind each actor, from the newest change of that actor that
/// names one (so a rename shows everywhere).
pub fn authors_by_actor(doc: &Automerge) -> HashMap<ActorId, Author> {
    let mut authors = HashMap::new();
    for change in doc.get_changes(&[]) {
        if let Some(author) = author_of(&change) {
            authors.insert(change.actor_id().clone(), author);
        }
    }
    authors
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ReadDoc;
    use automerge::transaction::Transactable;

    pub(crate) fn ann() -> Author {
        Author {
            person: "p-ann".into(),
            name: "Ann".into(),
            organisation: "OCMW".into(),
            colour: "#0b5394".into(),
        }
    }

    #[test]
    fn a_stamped_change_carries_its_author_and_time() {
        let mut doc = Automerge::new();
        let stamp = Stamp::new(Some(ann()), 1_790_000_000);
        doc.transact_with::<_, _, automerge::AutomergeError, _>(
            |_| stamp.commit_options(),
            |tx| tx.put(automerge::ROOT, "x", 1).map(|_| ()),
        )
        .unwrap();
        let change = &doc.get_changes(&[])[0];
        assert_eq!(change.timestamp(), 1_790_000_000);
        assert_eq!(author_of(change), Some(ann()));
        let actor = doc.get_actor().clone();
        assert_eq!(authors_by_actor(&doc).get(&actor), Some(&ann()));
        assert!(doc.get(automerge::ROOT, "x").unwrap().is_some());
    }

    #[test]
    fn other_messages_name_no_author() {
        let mut doc = Automerge::new();
        doc.transact_with::<_, _, automerge::AutomergeError, _>(
            |_| CommitOptions::default().with_message("made in JavaScript"),
            |tx| tx.put(automerge::ROOT, "x", 1).map(|_| ()),
        )
        .unwrap();
        assert_eq!(author_of(&doc.get_changes(&[])[0]), None);
        assert!(authors_by_actor(&doc).is_empty());
    }
}
