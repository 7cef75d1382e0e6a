//! The relay link: the share-link token is checked with the relay, then a
//! WebSocket carries the sync; when it fails, the reconnect policy
//! ([`regie_core::reconnect`]) says when to try again, and this module only
//! carries that out (timers, the browser's online and offline events).

use leptos::prelude::*;
use leptos::task::spawn_local;
use regie_core::DocumentId;
use regie_core::reconnect::{Decision, LinkEvent};
use regie_core::text::Text;

use super::Workspace;
use crate::platform::access::{self, AccessError};
use crate::platform::links::LinkKind;
use crate::platform::links::socket::{Socket, SocketEvents};
use crate::platform::share_links;

/// Whether this device can reach the relay right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// Trying to reach the relay.
    Connecting,
    /// Connected: edits reach others as they are made.
    Online,
    /// Not connected: edits are kept here and sent later.
    Offline,
    /// The relay refused this browser's share link (or it has none).
    NoAccess,
}

impl SyncStatus {
    /// Machine name, for CSS, tests and the locale key `sync.<slug>`.
    pub fn slug(self) -> &'static str {
        match self {
            SyncStatus::Connecting => "connecting",
            SyncStatus::Online => "online",
            SyncStatus::Offline => "offline",
            SyncStatus::NoAccess => "no-access",
        }
    }
}

impl Workspace {
    /// The share-link token this browser uses, if any.
    pub fn token(&self) -> Option<String> {
        self.token.get_value()
    }

    /// The link that gives edit access to the page shown (a plan, a ronde
    /// tafel, a campaign), if this browser has one and it is the city's (a
    /// scoped link is never handed on whole: see [`Self::create_edit_link`]).
    pub fn edit_link(&self) -> Option<String> {
        if self.write.get() != Some(true) || self.link_access.get().is_scoped() {
            return None;
        }
        let token = self.token()?;
        Some(share_links::page_link(&token))
    }

    /// Asks the relay for a read-only link to a document.
    pub async fn create_read_link(&self, id: DocumentId) -> Result<String, Text> {
        let token = self.token().ok_or(Text::key("core.no_share_link"))?;
        share_links::create_doc_link(&token, id, false).await
    }

    /// Asks the relay for an edit link to one document, within this link's
    /// scope (what a scoped link hands on instead of itself).
    pub async fn create_edit_link(&self, id: DocumentId) -> Result<String, Text> {
        let token = self.token().ok_or(Text::key("core.no_share_link"))?;
        share_links::create_doc_link(&token, id, true).await
    }

    /// Whether this browser may hand on an edit link for document `id`.
    pub fn may_share_edit(&self, id: DocumentId) -> bool {
        self.token().is_some() && self.write.get() == Some(true) && self.may_edit(id)
    }

    /// Starts the relay link.
    pub(super) fn want_relay(self) {
        self.decide(LinkEvent::Wanted);
    }

    /// Reports an event to the reconnect policy and carries out its decision.
    fn decide(self, event: LinkEvent) {
        let decision = self
            .engine()
            .reconnect
            .borrow_mut()
            .on(event, js_sys::Math::random());
        match decision {
            Decision::Stay => {}
            Decision::ConnectNow => self.connect(),
            Decision::RetryIn { ms, ticket } => {
                self.drop_relay();
                self.status.set(SyncStatus::Offline);
                gloo_timers::callback::Timeout::new(ms, move || {
                    self.decide(LinkEvent::RetryDue(ticket));
                })
                .forget();
            }
            Decision::GiveUp => {
                self.drop_relay();
                self.status.set(SyncStatus::NoAccess);
            }
        }
    }

    fn drop_relay(self) {
        let relay = self.engine().links.borrow().relay();
        if let Some(conn) = relay {
            self.forget_link(conn);
        }
    }

    /// Reacts to the browser's own view of the network at once, rather than
    /// waiting for a dead socket to time out or a retry timer to fire.
    pub(super) fn follow_network(self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let offline = gloo_events::EventListener::new(&window, "offline", move |_| {
            self.decide(LinkEvent::NetworkDown)
        });
        let online = gloo_events::EventListener::new(&window, "online", move |_| {
            self.decide(LinkEvent::NetworkUp)
        });
        // The listeners live as long as the page.
        offline.forget();
        online.forget();
    }

    /// Checks the token with the relay, then opens the sync connection.
    fn connect(self) {
        self.drop_relay();
        let conn = self.engine().links.borrow_mut().add(LinkKind::Relay, None);
        let Some(token) = self.token() else {
            return self.decide(LinkEvent::Refused);
        };
        let current = move || self.engine().links.borrow().relay() == Some(conn);
        spawn_local(async move {
            match access::check(&token).await {
                Ok(info) => {
                    self.write.set(Some(info.write));
                    self.link_access.set(access::stored_access());
                    self.revoked.set(false);
                    self.fetch_covered();
                    if current() {
                        self.open_socket(conn, &token);
                    }
                }
                Err(AccessError::Refused) if current() => {
                    self.revoked.set(access::was_revoked());
                    self.decide(LinkEvent::Refused);
                }
                Err(AccessError::Refused) => {}
                Err(AccessError::Unreachable) => self.relay_lost(conn),
            }
        });
    }

    fn open_socket(self, conn: regie_core::ConnId, token: &str) {
        let events = SocketEvents {
            on_open: Box::new(move || {
                let effects = self.engine().repo.borrow_mut().connect_upstream(conn);
                self.apply(effects);
            }),
            on_frame: Box::new(move |frame| {
                let effects = self.engine().repo.borrow_mut().receive(conn, &frame);
                self.apply(effects);
            }),
            on_close: Box::new(move || self.relay_lost(conn)),
        };
        let (url, protocols) = access::sync_url(token);
        match Socket::open(&url, &protocols, events) {
            Ok(socket) => {
                self.engine()
                    .links
                    .borrow_mut()
                    .attach(conn, Box::new(socket));
            }
            Err(e) => {
                leptos::logging::warn!("cannot open a WebSocket: {e}");
                self.relay_lost(conn);
            }
        }
    }

    /// The relay link `conn` failed (a stale link's news is ignored).
    pub(super) fn relay_lost(self, conn: regie_core::ConnId) {
        if self.engine().links.borrow().relay() == Some(conn) {
            self.decide(LinkEvent::Lost);
        }
    }

    /// The relay's handshake is done.
    pub(super) fn relay_up(self) {
        self.status.set(SyncStatus::Online);
        self.decide(LinkEvent::Up);
    }
}
