//! Carrying out what the sync engine returns, in order: frames go to the
//! link they name (looked up in the link table), documents to storage,
//! changes to the views of that document, presence to the presence map.

use leptos::prelude::*;
use regie_core::Effect;
use regie_core::register;

use super::Workspace;
use crate::platform::links::LinkKind;

impl Workspace {
    /// Carries out the core's effects, in order.
    pub(super) fn apply(self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } => {
                    let sent = self.engine().links.borrow().send(conn, &frame);
                    if !sent {
                        // The sync state now believes the frame went out; only a
                        // fresh connection (fresh state) is safe from here.
                        self.link_lost(conn);
                    }
                }
                Effect::Close { conn, reason } => {
                    leptos::logging::warn!("connection closed: {reason}");
                    self.link_lost(conn);
                }
                Effect::Persist { doc, id } => self.write(doc, Some(id)),
                Effect::DocChanged { doc } => {
                    if self.unavailable.with_untracked(|u| u.contains(&doc)) {
                        self.unavailable.update(|u| {
                            u.remove(&doc);
                        });
                    }
                    self.changed(doc);
                    if doc == register::register_id() {
                        self.fetch_listed();
                    }
                }
                Effect::DocUnavailable { doc } => self.unavailable.update(|u| {
                    u.insert(doc);
                }),
                Effect::Connected { conn, peer } => {
                    let kind = self.engine().links.borrow().kind(conn).cloned();
                    match kind {
                        Some(LinkKind::Relay) => {
                            self.relay_up();
                            self.hello_all();
                        }
                        Some(LinkKind::Tab(_)) => self.reached_elsewhere(peer),
                        Some(LinkKind::Direct) => {
                            self.direct_connected(conn, peer);
                            self.hello_all();
                        }
                        None => {}
                    }
                    self.announce();
                }
                Effect::Confirmed { doc } => self.remember_confirmed(doc),
                Effect::Ephemeral { doc, from, data } => {
                    if !self.heard_signal(doc, &from, &data) {
                        self.heard(doc, from, &data);
                    }
                }
                // Only a relay keeps an audit trail.
                Effect::Delivered { .. } => {}
            }
        }
    }

    /// A link failed or was closed by the engine: the relay is retried as
    /// its policy says, another tab is forgotten until it greets again.
    pub(super) fn link_lost(self, conn: regie_core::ConnId) {
        let kind = self.engine().links.borrow().kind(conn).cloned();
        match kind {
            Some(LinkKind::Relay) => self.relay_lost(conn),
            Some(LinkKind::Tab(_)) => self.forget_link(conn),
            Some(LinkKind::Direct) => self.direct_failed(conn, "closed by this device's engine"),
            None => {}
        }
    }

    /// Closes a link and drops the engine's sync states for it.
    pub(super) fn forget_link(self, conn: regie_core::ConnId) {
        let engine = self.engine();
        engine.links.borrow_mut().remove(conn);
        engine.repo.borrow_mut().disconnect(conn);
    }
}
