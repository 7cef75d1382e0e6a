//! Links: connections to other peers that carry automerge-repo v1 frames.
//! The relay's WebSocket ([`socket`]), each other tab of this browser over
//! a BroadcastChannel ([`broadcast`]) and other devices over WebRTC data
//! channels ([`direct`]); every kind of link is a module with a [`Link`]
//! and the same table holds them all.
//!
//! The table numbers every link with one counter (the sync engine's
//! [`ConnId`]) and knows its kind (whether its handshake is done is the
//! engine's to know), so the
//! workspace routes the engine's effects by looking a link up, never by
//! what range a number falls in.

pub mod broadcast;
pub mod direct;
pub mod socket;

use std::collections::BTreeMap;

use regie_core::ConnId;

/// One connection to another peer, as far as sending goes.
pub trait Link {
    /// Sends a frame; false when the link is gone (the frame is lost, and
    /// the caller must treat the connection as closed).
    fn send(&self, frame: &[u8]) -> bool;
    /// Closes the link without reporting it (the caller knows).
    fn close(&self);
}

/// What is at the other end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// The relay; only its confirmations count as "saved elsewhere".
    Relay,
    /// Another tab of this browser, by its tab id.
    Tab(String),
    /// Another device, over a WebRTC data channel (its peer is the
    /// engine's to know once the handshake is done).
    Direct,
}

/// A link in the table.
struct LiveLink {
    kind: LinkKind,
    /// `None` while it is being opened (the relay's access check).
    link: Option<Box<dyn Link>>,
}

/// Every live link of this tab.
#[derive(Default)]
pub struct Links {
    next: u64,
    live: BTreeMap<ConnId, LiveLink>,
}

impl Links {
    /// Adds a link of `kind` (its transport may follow with [`Links::attach`])
    /// and returns its number.
    pub fn add(&mut self, kind: LinkKind, link: Option<Box<dyn Link>>) -> ConnId {
        let conn = ConnId(self.next);
        self.next += 1;
        self.live.insert(conn, LiveLink { kind, link });
        conn
    }

    /// Gives a link its transport once it exists. False when the link was
    /// removed meanwhile (the transport is closed then).
    pub fn attach(&mut self, conn: ConnId, link: Box<dyn Link>) -> bool {
        match self.live.get_mut(&conn) {
            Some(live) => {
                live.link = Some(link);
                true
            }
            None => {
                link.close();
                false
            }
        }
    }

    /// Sends a frame on a link; false when there is no such link or it is gone.
    pub fn send(&self, conn: ConnId, frame: &[u8]) -> bool {
        self.live
            .get(&conn)
            .and_then(|l| l.link.as_ref())
            .is_some_and(|link| link.send(frame))
    }

    /// Closes and forgets a link; its kind, if it was live.
    pub fn remove(&mut self, conn: ConnId) -> Option<LinkKind> {
        let live = self.live.remove(&conn)?;
        if let Some(link) = live.link {
            link.close();
        }
        Some(live.kind)
    }

    /// What a link is connected to.
    pub fn kind(&self, conn: ConnId) -> Option<&LinkKind> {
        self.live.get(&conn).map(|l| &l.kind)
    }

    /// The link to a tab, if there is one.
    pub fn tab(&self, tab: &str) -> Option<ConnId> {
        self.live
            .iter()
            .find(|(_, l)| matches!(&l.kind, LinkKind::Tab(t) if t == tab))
            .map(|(conn, _)| *conn)
    }

    /// The link to the relay, if there is one (opening or open).
    pub fn relay(&self) -> Option<ConnId> {
        self.live
            .iter()
            .find(|(_, l)| l.kind == LinkKind::Relay)
            .map(|(conn, _)| *conn)
    }
}
