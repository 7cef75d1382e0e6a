//! The life of an actie: its status and the progress each status implies.

use autosurgeon::{Hydrate, Reconcile};

/// The status of an actie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Reconcile, Hydrate)]
pub enum Status {
    /// An idea, not planned yet.
    Idee,
    /// Planned.
    Gepland,
    /// Running.
    Lopend,
    /// Done.
    Afgerond,
    /// Stopped.
    Stopgezet,
}

impl Status {
    /// Every status, in the order of the action's life.
    pub const ALL: [Status; 5] = [
        Status::Idee,
        Status::Gepland,
        Status::Lopend,
        Status::Afgerond,
        Status::Stopgezet,
    ];

    /// The key of its label in the app's locale files (`status.<slug>`), so
    /// an interface in another language can show its own word.
    pub fn key(self) -> &'static str {
        match self {
            Status::Idee => "status.idee",
            Status::Gepland => "status.gepland",
            Status::Lopend => "status.lopend",
            Status::Afgerond => "status.afgerond",
            Status::Stopgezet => "status.stopgezet",
        }
    }

    /// The Dutch label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Idee => "Idee",
            Status::Gepland => "Gepland",
            Status::Lopend => "Lopend",
            Status::Afgerond => "Afgerond",
            Status::Stopgezet => "Stopgezet",
        }
    }

    /// A stable machine name (for forms and CSS classes).
    pub fn slug(self) -> &'static str {
        match self {
            Status::Idee => "idee",
            Status::Gepland => "gepland",
            Status::Lopend => "lopend",
            Status::Afgerond => "afgerond",
            Status::Stopgezet => "stopgezet",
        }
    }

    /// Parses [`Status::slug`].
    pub fn from_slug(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.slug() == key)
    }

    /// The progress an actie in this status has unless someone says otherwise.
    pub fn default_progress(self) -> u64 {
        match self {
            Status::Idee => 0,
            Status::Gepland => 10,
            Status::Lopend => 50,
            Status::Afgerond => 100,
            // A stopped actie keeps no promise; it is left out of roll-ups.
            Status::Stopgezet => 0,
        }
    }

    /// Whether the actie is over (done or stopped), so it can no longer be late.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Afgerond | Status::Stopgezet)
    }
}
