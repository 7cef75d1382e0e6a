//! [`MeetingCtx`]: what the meeting page and the minutes share with their
//! parts through context (the meeting, the plan it is about, the
//! adresboek), and the words of the agenda's lines in the interface
//! language.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::directory::Directory;
use regie_core::kind::DocError;
use regie_core::meeting::minutes::Piece;
use regie_core::meeting::{AgendaItem, Meeting, NEW_SIGNALS, OPEN_DECISIONS};
use regie_core::plan::Plan;

use crate::platform::Workspace;
use crate::ui::common::text::{said_text, tr};

/// What the meeting page shares with its parts.
#[derive(Clone, Copy)]
pub struct MeetingCtx {
    /// The meeting's document.
    pub id: DocumentId,
    /// The meeting as it is now.
    pub meeting: Memo<Option<Arc<Meeting>>>,
    /// The plan it is about (once this device holds it).
    pub plan: Memo<Option<Arc<Plan>>>,
    /// The adresboek, for organisation names.
    pub directory: Memo<Option<Arc<Directory>>>,
}

impl MeetingCtx {
    /// Reads the meeting, the plan it names and the directory.
    pub fn new(id: DocumentId, meeting: Memo<Option<Arc<Meeting>>>) -> Self {
        let workspace = expect_context::<Workspace>();
        let plan_id = Memo::new(move |_| {
            meeting.with(|m| m.as_ref().and_then(|m| m.plan.parse::<DocumentId>().ok()))
        });
        let plan = Memo::new(move |_| {
            plan_id
                .get()
                .and_then(|p| workspace.read::<Plan>(p).ready())
        });
        let directory = Memo::new(move |_| workspace.fixed::<Directory>());
        MeetingCtx {
            id,
            meeting,
            plan,
            directory,
        }
    }

    /// Edits the meeting.
    pub fn edit(
        &self,
        change: impl FnOnce(&mut Meeting) -> Result<(), DocError>,
    ) -> Result<(), DocError> {
        expect_context::<Workspace>().edit::<Meeting>(self.id, change)
    }

    /// Whether this link may change the meeting.
    pub fn writable(&self) -> bool {
        expect_context::<Workspace>().may_edit(self.id)
    }

    /// An organisation's name (a directory id, or a name as typed).
    pub fn organisation(&self, id: &str) -> String {
        self.directory.with(|d| {
            d.as_ref()
                .map_or_else(|| id.to_owned(), |d| d.organisation_name(id))
        })
    }
}

/// An item's title in the interface language (the items the documents
/// proposed without a title of their own have a fixed one).
pub fn item_title(item: &AgendaItem) -> String {
    match item.id.as_str() {
        OPEN_DECISIONS => tr("meeting.item.open_decisions"),
        NEW_SIGNALS => tr("meeting.item.new_signals"),
        _ => item.title.clone(),
    }
}

/// Pieces of a line in words, in the interface language.
pub fn words(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Said(text) => said_text(text),
            Piece::Typed(text) => text.clone(),
        })
        .collect()
}
