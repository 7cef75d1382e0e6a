//! Regie's pure core.
//!
//! Everything here is deterministic and free of IO: no web-sys, no leptos, no
//! tokio. The browser app and the relay both drive the same code, which is why
//! multi-peer and offline scenarios can be tested natively and fast.
//!
//! - [`campaign`]: a campagne composed from a ronde tafel, signed by partners.
//! - [`roundtable`]: the ronde tafel board: cards, typed links, phases, scores.
//! - [`author`]: who made a change and when (the stamp on every local change).
//! - [`kind`]: what every kind of document has: its name, reading, upgrading, errors.
//! - [`reconnect`]: when to try a link again (delays with jitter, tickets for timers).
//! - [`wijken`]: the 25 Ghent wijken and their sociaal regisseur (seed 000).
//! - [`direct`]: direct links between devices: frames split for data channels, pairing codes.
//! - [`directory`]: the workspace directory (wijken, partners, people, thema's).
//! - [`conflicts`]: concurrent values of one field, shown with their authors and resolved.
//! - [`cycle`]: the regie cycle as one chain: one plan per wijk, knelpunt stages, triage, why an actie exists.
//! - [`export`]: CSV of acties and signals, JSON of any document.
//! - [`meeting`]: a wijkactieteam meeting: agenda from the plan's history, attendance, decisions, minutes.
//! - [`history`]: who changed what and when; a document as it was.
//! - [`doc_id`]: automerge-repo document ids (base58check of a UUID).
//! - [`plan`]: the wijkactieplan domain model and its Automerge schema.
//! - [`presence`]: who is in a document and what they edit (ephemeral).
//! - [`protocol`]: the automerge-repo v1 wire messages (CBOR).
//! - [`register`]: the workspace's beleidsknelpunten and policy domains (seed 003).
//! - [`typed`]: seeds: the same first change on every device.
//! - [`repo`]: the sans-IO sync engine: events in, effects out.
//! - [`stored`]: a snapshot with appended change chunks; a torn tail is dropped.
//! - [`ledger`]: what is stored of each document, and whether the next write appends or snapshots.
//! - [`seeds`]: the documents everyone seeds identically (directory, register).
//! - [`text`]: a message for people as a locale key with its values.
//! - [`untrusted`]: refuses the inputs that make Automerge 0.12 panic.

pub mod access;
pub mod author;
pub mod backup;
pub mod campaign;
pub mod conflicts;
pub mod cycle;
pub mod direct;
pub mod directory;
pub mod doc_id;
pub mod export;
pub mod history;
pub mod kind;
pub mod ledger;
pub mod meeting;
pub mod plan;
pub mod presence;
pub mod protocol;
pub mod reconnect;
pub mod register;
pub mod repo;
pub mod roundtable;
pub mod scope;
pub mod seeds;
pub mod stored;
pub mod text;
pub mod typed;
pub mod untrusted;
pub mod wijken;

pub use access::{Access, LinkId};
pub use doc_id::DocumentId;
pub use protocol::PeerId;
pub use repo::{ConnId, Effect, PersistId, Repo, SharePolicy};
