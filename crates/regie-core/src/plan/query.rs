//! The table view's filter and sort, kept here so they are tested natively.

use std::cmp::Ordering;

use super::model::{Action, Plan};
use super::progress;
use super::status::Status;

/// What the table shows; `None` means "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only acties with this status.
    pub status: Option<Status>,
    /// Only acties with this thema id.
    pub thema: Option<String>,
    /// Only acties led by this organisation id.
    pub trekker: Option<String>,
    /// Only acties this organisation id leads or takes part in.
    pub partner: Option<String>,
    /// Only acties past their end date and not closed.
    pub overdue: bool,
}

/// A column to sort on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// The actie's title.
    Title,
    /// Status, in the order of an actie's life.
    Status,
    /// Thema name.
    Thema,
    /// Lead partner's name.
    Trekker,
    /// End date (acties without one last).
    End,
    /// Progress.
    Progress,
}

impl SortKey {
    /// Every column, in table order.
    pub const ALL: [SortKey; 6] = [
        SortKey::Title,
        SortKey::Status,
        SortKey::Thema,
        SortKey::Trekker,
        SortKey::End,
        SortKey::Progress,
    ];

    /// The column heading.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Title => "Actie",
            SortKey::Status => "Status",
            SortKey::Thema => "Thema",
            SortKey::Trekker => "Trekker",
            SortKey::End => "Einddatum",
            SortKey::Progress => "Voortgang",
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    /// The ambitie the actie serves.
    pub ambition: &'a str,
    /// The actie.
    pub action: &'a Action,
}

/// Whether an actie is past its end date (`today` as `YYYY-MM-DD`) and not closed.
pub fn is_overdue(action: &Action, today: &str) -> bool {
    !action.status.is_closed() && action.end.as_deref().is_some_and(|end| end < today)
}

impl Filter {
    /// Whether an actie passes.
    pub fn accepts(&self, action: &Action, today: &str) -> bool {
        self.status.is_none_or(|s| action.status == s)
            && self.thema.as_ref().is_none_or(|t| &action.thema == t)
            && self.trekker.as_ref().is_none_or(|t| &action.trekker == t)
            && self
                .partner
                .as_ref()
                .is_none_or(|p| &action.trekker == p || action.partners.contains(p))
            && (!self.overdue || is_overdue(action, today))
    }
}

/// The rows to show, filtered and sorted. `name` turns a directory id into
/// the name people see, so thema and trekker sort alphabetically.
pub fn rows<'a>(
    plan: &'a Plan,
    filter: &Filter,
    sort: SortKey,
    descending: bool,
    today: &str,
    name: impl Fn(&str) -> String,
) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = plan
        .ambitions
        .iter()
        .flat_map(|amb| {
            amb.actions.iter().map(move |action| Row {
                ambition: &amb.title,
                action,
            })
        })
        .filter(|row| filter.accepts(row.action, today))
        .collect();
    let compare = |a: &Action, b: &Action| -> Ordering {
        match sort {
            SortKey::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
            SortKey::Status => a.status.cmp(&b.status),
            SortKey::Thema => name(&a.thema).cmp(&name(&b.thema)),
            SortKey::Trekker => name(&a.trekker).cmp(&name(&b.trekker)),
            SortKey::End => match (&a.end, &b.end) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            SortKey::Progress => progress::of_action(a).cmp(&progress::of_action(b)),
        }
    };
    // A stable sort keeps plan order among equals.
    rows.sort_by(|x, y| {
        let order = compare(x.action, y.action);
        if descending { order.reverse() } else { order }
    });
    rows
}
