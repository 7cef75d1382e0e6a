//! What every document page uses, whatever the page: it imports no page.
//!
//! - [`text`]: texts by locale key in the interface language, messages.
//! - [`forms`]: labelled selects, inputs with messages, live text areas.
//! - [`dialog`]: a modal dialog that keeps focus inside and gives it back.
//! - [`share`]: the links to share a document.
//! - [`nearby`]: pairing with a device nearby by QR code or text (the header's button).
//! - [`export`]: print, CSV, JSON and `.automerge` downloads.
//! - [`conflicts`]: fields with concurrent values and "Deze houden".
//! - [`cycle`]: the regie cycle's documents as views read them, signals and boards as lists show them.
//! - [`history`]: sessions, edits in words, restore; [`as_of`]: the plan as it was.
//! - [`print`]: the "printed on" line of printed pages.
//! - [`wipe`]: "Wis van dit toestel", and the banner for a revoked link.

pub mod as_of;
pub mod conflicts;
pub mod cycle;
pub mod dialog;
pub mod export;
pub mod forms;
pub mod history;
pub mod nearby;
pub mod print;
pub mod share;
pub mod text;
pub mod wipe;
