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
//!
//! A change message is written by whoever made the change, so an author
//! read back is cleaned before anyone shows it ([`Author::sanitised`]): the
//! colour goes into a `style` attribute and is kept only as `#rrggbb`,
//! names lose control characters and are bounded. Presence records pass the
//! same checks ([`is_hex_colour`], [`clean_text`]).

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

/// The colour shown for an author whose colour is not `#rrggbb`: a neutral
/// grey (4.5:1 against white).
pub const FALLBACK_COLOUR: &str = "#767676";
/// Characters of a name kept from a peer; the rest is cut.
pub const MAX_NAME_CHARS: usize = 80;
/// Characters of an organisation kept from a peer; the rest is cut.
pub const MAX_ORGANISATION_CHARS: usize = 120;
/// Bytes of a person id kept from a change (ours are 32 hex digits).
pub const MAX_PERSON_ID_BYTES: usize = 64;

/// True only for a colour written `#rrggbb` (hex digits of either case):
/// the one form that is safe to put into a `style` attribute.
pub fn is_hex_colour(colour: &str) -> bool {
    let bytes = colour.as_bytes();
    bytes.len() == 7 && bytes[0] == b'#' && bytes[1..].iter().all(u8::is_ascii_hexdigit)
}

/// Characters that change how text around them is shown: controls
/// (newlines, ESC, ...) and the bidirectional overrides and isolates.
fn is_disruptive(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text from someone else made fit to show: control characters and
/// bidirectional overrides removed, then cut to `max_chars` characters.
pub fn clean_text(text: &str, max_chars: usize) -> String {
    text.chars()
        .filter(|c| !is_disruptive(*c))
        .take(max_chars)
        .collect()
}

/// True for text that has no character [`clean_text`] would remove.
pub(crate) fn is_clean(text: &str) -> bool {
    !text.chars().any(is_disruptive)
}

impl Author {
    /// This author as it may be shown: the colour `#rrggbb` or else
    /// [`FALLBACK_COLOUR`], name, organisation and person id without control
    /// characters and bounded ([`MAX_NAME_CHARS`], [`MAX_ORGANISATION_CHARS`],
    /// [`MAX_PERSON_ID_BYTES`], cut on a character boundary).
    pub fn sanitised(self) -> Self {
        let mut person = clean_text(&self.person, MAX_PERSON_ID_BYTES);
        let mut cut = person.len().min(MAX_PERSON_ID_BYTES);
        while !person.is_char_boundary(cut) {
            cut -= 1;
        }
        person.truncate(cut);
        Self {
            person,
            name: clean_text(&self.name, MAX_NAME_CHARS),
            organisation: clean_text(&self.organisation, MAX_ORGANISATION_CHARS),
            colour: if is_hex_colour(&self.colour) {
                self.colour
            } else {
                FALLBACK_COLOUR.to_owned()
            },
        }
    }
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
                    author: author.clone().sanitised(),
                };
                options.with_message(
                    serde_json::to_string(&message).expect("an author always serialises"),
                )
            }
            None => options,
        }
    }
}

/// The author recorded in a change, if it was made by Regie with a known
/// person; [sanitised](Author::sanitised), since anyone can write a change.
pub fn author_of(change: &Change) -> Option<Author> {
    let message = change.message()?;
    serde_json::from_str::<Message>(message)
        .ok()
        .filter(|m| m.regie == 1)
        .map(|m| m.author.sanitised())
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

    fn stamped_by(author: Author) -> Option<Author> {
        let mut doc = Automerge::new();
        // Written as another client could: straight into the message.
        let message = serde_json::to_string(&Message { regie: 1, author }).unwrap();
        doc.transact_with::<_, _, automerge::AutomergeError, _>(
            |_| CommitOptions::default().with_message(message.clone()),
            |tx| tx.put(automerge::ROOT, "x", 1).map(|_| ()),
        )
        .unwrap();
        author_of(&doc.get_changes(&[])[0])
    }

    #[test]
    fn colours_are_only_hex_triplets() {
        for good in ["#0b5394", "#A4161A", "#000000", "#ffFFff"] {
            assert!(is_hex_colour(good), "{good}");
        }
        for bad in [
            "red;position:fixed;inset:0;background:url(http://evil.example/x.png)",
            "red",
            "#fff",
            "#0b53940",
            "#0b539g",
            " #0b5394",
            "#0b5394;",
            "rgb(1,2,3)",
            "",
            "#ｆｆｆｆｆｆ",
        ] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
    }

    #[test]
    fn authors_read_back_are_sanitised() {
        let forged = Author {
            person: format!("p\n{}", "é".repeat(40)),
            name: "Ann\n\u{1b}[31mRood\u{202e}".into(),
            organisation: "O".repeat(500),
            colour: "red;position:fixed;inset:0;background:url(http://evil.example/x.png)".into(),
        };
        let read = stamped_by(forged).unwrap();
        assert_eq!(read.name, "Ann[31mRood");
        assert_eq!(read.colour, FALLBACK_COLOUR);
        assert_eq!(read.organisation, "O".repeat(MAX_ORGANISATION_CHARS));
        // 63 bytes: 'p' and 31 two-byte 'é', cut on a character boundary.
        assert_eq!(read.person, format!("p{}", "é".repeat(31)));
        let long_name = Author {
            name: "ë".repeat(MAX_NAME_CHARS + 1),
            ..ann()
        };
        assert_eq!(
            stamped_by(long_name).unwrap().name.chars().count(),
            MAX_NAME_CHARS
        );
        // A good author reads back unchanged.
        assert_eq!(stamped_by(ann()), Some(ann()));
    }
}
