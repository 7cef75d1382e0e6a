//! regie-relay: one small binary that serves the Regie web app and syncs its
//! documents between browsers over the automerge-repo v1 protocol, keeping
//! every document on local disk.
//!
//! - [`config`]: flags, environment variables and subcommands.
//! - [`cli`]: `regie-relay token create | list | revoke`.
//! - [`tokens`]: capability tokens (edit / read-only), stored hashed.
//! - [`headers`]: security headers on every answer; hidden files never served.
//! - [`rate`]: per-connection rate limiting.
//! - [`storage`]: documents on disk, written atomically.
//! - [`hub`]: the sync engine on its own thread and the connections' bounded outboxes.
//! - [`logsafe`]: peer-chosen text made safe for log lines.
//! - [`listener`]: accepting connections within caps and timeouts, serving HTTP on them.
//! - [`server`]: HTTP routes: the app, `/sync` (WebSocket), `/healthz`, `/api`.
//! - [`socket`]: one sync WebSocket, bounded in rate, engine time and silence.
//! - [`upstream`]: forwarding every document to another relay.

pub mod api;
pub mod audit;
pub mod cli;
pub mod config;
pub mod headers;
pub mod hub;
pub mod listener;
pub mod logsafe;
pub mod rate;
pub mod server;
pub mod socket;
pub mod storage;
pub mod tokens;
pub mod upstream;
