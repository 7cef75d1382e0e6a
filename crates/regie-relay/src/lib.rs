//! regie-relay: one small binary that serves the Regie web app and syncs its
//! documents between browsers over the automerge-repo v1 protocol, keeping
//! every document on local disk.
//!
//! - [`config`]: flags and environment variables.
//! - [`storage`]: documents on disk, written atomically.
//! - [`hub`]: the shared sync engine and the connections' outboxes.
//! - [`server`]: HTTP routes: the app, `/sync` (WebSocket) and `/healthz`.

pub mod config;
pub mod hub;
pub mod server;
pub mod storage;
