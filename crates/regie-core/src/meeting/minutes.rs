//! The verslag (minutes) of a meeting as a list of blocks: headings,
//! paragraphs, list items and a table of attendance. The print page draws
//! the blocks, and [`super::docx`] writes the same blocks as an editable
//! document, so what is printed and what is filed say the same.
//!
//! Words come as [`Piece`]s: locale keys with their values (the interface
//! puts them in the reader's language) or text people typed, kept as is.

use crate::directory::Directory;
use crate::plan::{Plan, euro_label};
use crate::text::{self, Text};
use crate::wijken;

use super::agenda::{ChangeKind, ChangeNote};
use super::{Decision, Meeting, NEW_SIGNALS, OPEN_DECISIONS};

/// A piece of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Words of the interface, by key.
    Said(Text),
    /// Text as people typed it (names, titles, notes).
    Typed(String),
}

/// How a block is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Style {
    /// The document's title.
    Title,
    /// A section heading.
    Heading,
    /// An agenda item's heading.
    Subheading,
    /// A paragraph.
    Paragraph,
    /// An item of a list.
    Item,
}

/// One block of the minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A line of text, set in a style.
    Line(Style, Vec<Piece>),
    /// A table: a header row, then rows; each cell one piece.
    Table(Vec<Vec<Piece>>),
}

fn said(key: &'static str) -> Piece {
    Piece::Said(Text::key(key))
}

fn typed(text: impl Into<String>) -> Piece {
    Piece::Typed(text.into())
}

fn line(style: Style, pieces: Vec<Piece>) -> Block {
    Block::Line(style, pieces)
}

/// The minutes of `meeting` about `plan`, naming organisations from
/// `directory`: the heading, who was there, each agenda item with what
/// changed, its note and its decisions, and the decisions that stay open.
pub fn minutes(meeting: &Meeting, plan: &Plan, directory: &Directory) -> Vec<Block> {
    let wijk = wijken::by_slug(&meeting.wijk).map_or(meeting.wijk.as_str(), |w| w.name);
    let mut blocks = vec![
        line(
            Style::Title,
            vec![Piece::Said(Text::key("minutes.title").with("wijk", wijk))],
        ),
        line(
            Style::Paragraph,
            vec![Piece::Said(
                Text::key("minutes.when_where")
                    .with("date", text::date(&meeting.date))
                    .with("place", &meeting.place),
            )],
        ),
        line(Style::Heading, vec![said("minutes.attendance")]),
    ];
    if meeting.attendance.is_empty() {
        blocks.push(line(Style::Paragraph, vec![said("minutes.nobody")]));
    } else {
        let mut rows = vec![vec![
            said("minutes.organisation"),
            said("minutes.people"),
            said("minutes.presence"),
        ]];
        for a in &meeting.attendance {
            rows.push(vec![
                typed(directory.organisation_name(&a.organisation)),
                typed(a.people.clone()),
                said(if a.present {
                    "minutes.present"
                } else {
                    "minutes.excused"
                }),
            ]);
        }
        blocks.push(Block::Table(rows));
    }
    blocks.push(line(Style::Heading, vec![said("minutes.agenda")]));
    for (number, item) in meeting.agenda.iter().enumerate() {
        let title = match item.id.as_str() {
            OPEN_DECISIONS => said("meeting.item.open_decisions"),
            NEW_SIGNALS => said("meeting.item.new_signals"),
            _ => typed(item.title.clone()),
        };
        blocks.push(line(
            Style::Subheading,
            vec![typed(format!("{}. ", number + 1)), title],
        ));
        for change in &item.changes {
            blocks.push(line(Style::Item, change_pieces(change)));
        }
        if !item.note.0.trim().is_empty() {
            blocks.push(line(Style::Paragraph, vec![typed(item.note.0.trim())]));
        }
        for decision in meeting
            .decisions
            .iter()
            .filter(|d| d.item.as_deref() == Some(item.id.as_str()))
        {
            blocks.push(line(Style::Item, decision_pieces(decision, plan)));
        }
    }
    let loose: Vec<&Decision> = meeting
        .decisions
        .iter()
        .filter(|d| d.item.as_deref().is_none_or(|i| meeting.item(i).is_none()))
        .collect();
    if !loose.is_empty() {
        blocks.push(line(Style::Heading, vec![said("minutes.other_decisions")]));
        for decision in loose {
            blocks.push(line(Style::Item, decision_pieces(decision, plan)));
        }
    }
    blocks.push(line(Style::Heading, vec![said("minutes.open")]));
    let open: Vec<&Decision> = meeting.open_decisions().collect();
    if open.is_empty() {
        blocks.push(line(Style::Paragraph, vec![said("minutes.none_open")]));
    }
    for decision in open {
        blocks.push(line(Style::Item, decision_pieces(decision, plan)));
    }
    blocks
}

/// A change in words: what happened to which actie.
pub fn change_pieces(change: &ChangeNote) -> Vec<Piece> {
    let mut text = Text::key(change.kind.key()).with("title", &change.title);
    match change.kind {
        ChangeKind::StatusChanged | ChangeKind::Finished => {
            let mut pieces = vec![Piece::Said(text)];
            if let (Some(from), Some(to)) = (change.from, change.to) {
                pieces.extend([
                    typed(" ("),
                    said(from.key()),
                    typed(" → "),
                    said(to.key()),
                    typed(")"),
                ]);
            }
            return pieces;
        }
        ChangeKind::BudgetMoved => {
            text = text
                .with("planned", signed_euro(change.planned_cents.unwrap_or(0)))
                .with("spent", signed_euro(change.spent_cents.unwrap_or(0)));
        }
        ChangeKind::Overdue => {
            text = text.with("end", text::date(change.end.as_deref().unwrap_or_default()));
        }
        ChangeKind::NewAction | ChangeKind::NewSignal => {}
    }
    vec![Piece::Said(text)]
}

fn signed_euro(cents: i64) -> String {
    if cents > 0 {
        format!("+{}", euro_label(cents))
    } else {
        euro_label(cents)
    }
}

/// A decision in words: the text, the acties it concerns, who takes it up,
/// by when, and whether it is done.
pub fn decision_pieces(decision: &Decision, plan: &Plan) -> Vec<Piece> {
    let mut pieces = vec![
        said(if decision.done {
            "minutes.decision_done"
        } else {
            "minutes.decision"
        }),
        typed(decision.text.clone()),
    ];
    let titles: Vec<String> = decision
        .actions
        .iter()
        .map(|id| {
            plan.action(id)
                .map_or_else(|| id.clone(), |a| a.title.clone())
        })
        .collect();
    if !titles.is_empty() {
        pieces.push(Piece::Said(
            Text::key("minutes.about").with("acties", titles.join(", ")),
        ));
    }
    if !decision.owner.is_empty() {
        pieces.push(Piece::Said(
            Text::key("minutes.owner").with("owner", &decision.owner),
        ));
    }
    if let Some(due) = &decision.due {
        pieces.push(Piece::Said(
            Text::key("minutes.due").with("due", text::date(due)),
        ));
    }
    pieces.push(Piece::Said(
        Text::key("minutes.recorded")
            .with("by", &decision.by)
            .with("date", text::date(&decision.date)),
    ));
    pieces
}

/// The blocks with every piece put into words by `say` (a locale lookup),
/// as plain strings: what the export writes.
pub fn in_words(blocks: &[Block], say: &dyn Fn(&Text) -> String) -> Vec<WordsBlock> {
    let words = |pieces: &[Piece]| -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Said(text) => say(text),
                Piece::Typed(text) => text.clone(),
            })
            .collect()
    };
    blocks
        .iter()
        .map(|block| match block {
            Block::Line(style, pieces) => WordsBlock::Line(*style, words(pieces)),
            Block::Table(rows) => WordsBlock::Table(
                rows.iter()
                    .map(|row| {
                        row.iter()
                            .map(|cell| words(std::slice::from_ref(cell)))
                            .collect()
                    })
                    .collect(),
            ),
        })
        .collect()
}

/// A block in words (also what the app hands the export worker, as JSON).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WordsBlock {
    /// A line in a style.
    Line(Style, String),
    /// A table of cells, the first row its header.
    Table(Vec<Vec<String>>),
}
