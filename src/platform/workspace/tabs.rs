//! Links to the other tabs of this browser: each tab that greets on the
//! BroadcastChannel becomes a link in the table and a connection in the
//! engine, like any peer.

use std::rc::Rc;

use super::Workspace;
use crate::platform::links::LinkKind;
use crate::platform::links::broadcast::{TabEvent, TabLink, TabPeer};

impl Workspace {
    /// Starts syncing with the other tabs of this browser.
    pub(super) fn link_tabs(self) {
        let me = self.engine().repo.borrow().peer_id().0.clone();
        let channel = TabLink::open(me, move |event| self.on_tab_event(event)).map(Rc::new);
        *self.engine().tabs.borrow_mut() = channel;
    }

    fn on_tab_event(self, event: TabEvent) {
        let engine = self.engine();
        let effects = match event {
            TabEvent::Opened { tab, initiator } => {
                let Some(channel) = engine.tabs.borrow().clone() else {
                    return;
                };
                let peer = TabPeer {
                    channel,
                    tab: tab.clone(),
                };
                let conn = engine
                    .links
                    .borrow_mut()
                    .add(LinkKind::Tab(tab), Some(Box::new(peer)));
                engine.repo.borrow_mut().connect(conn, initiator)
            }
            TabEvent::Frame { tab, frame } => {
                let Some(conn) = engine.links.borrow().tab(&tab) else {
                    return;
                };
                engine.repo.borrow_mut().receive(conn, &frame)
            }
            TabEvent::Closed { tab } => {
                // Bound first: the borrow must end before forget_link borrows again.
                let conn = engine.links.borrow().tab(&tab);
                if let Some(conn) = conn {
                    self.forget_link(conn);
                }
                return;
            }
        };
        self.apply(effects);
    }
}
