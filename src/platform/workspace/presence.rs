//! Presence: who is at this browser, which document they have open and
//! what they edit, told to the peers of that document as ephemeral
//! messages (repeated on a heartbeat), and who else is where.

use leptos::prelude::*;
use regie_core::presence::{self, PresenceInfo};
use regie_core::{DocumentId, PeerId};

use super::Workspace;
use crate::platform::identity::{self, Identity};

impl Workspace {
    /// Repeats this person's presence and forgets silent peers.
    pub(super) fn keep_presence(self) {
        gloo_timers::callback::Interval::new(presence::HEARTBEAT_MS as u32, move || {
            self.announce()
        })
        .forget();
        gloo_timers::callback::Interval::new(5_000, move || {
            let now = js_sys::Date::now();
            let expired = self
                .presence
                .with_untracked(|all| all.values().any(|p| p.clone().expire(now)));
            if expired {
                self.presence.update(|all| {
                    for p in all.values_mut() {
                        p.expire(now);
                    }
                });
            }
        })
        .forget();
    }

    /// Tells the peers of the open document who is here and what they edit.
    pub(super) fn announce(self) {
        let (Some(me), Some((doc, editing))) =
            (self.me.get_untracked(), self.viewing.get_untracked())
        else {
            return;
        };
        let data = me.presence(editing).encode();
        let effects = self
            .engine()
            .repo
            .borrow_mut()
            .broadcast_ephemeral(doc, data);
        self.apply(effects);
    }

    /// A peer said where it is.
    pub(super) fn heard(self, doc: DocumentId, from: PeerId, data: &[u8]) {
        let Some(info) = PresenceInfo::decode(data) else {
            return;
        };
        let now = js_sys::Date::now();
        let newcomer = self.presence.with_untracked(|all| {
            all.get(&doc)
                .is_none_or(|p| p.present().all(|(peer, _)| *peer != from))
        });
        self.presence
            .update(|all| all.entry(doc).or_default().heard(from, info, now));
        // Answer a newcomer at once rather than at our next heartbeat.
        if newcomer {
            self.announce();
        }
    }

    /// The person at this browser, if they said who they are.
    pub fn me(&self) -> Option<Identity> {
        self.me.get()
    }

    /// Remembers who is at this browser and tells the open document.
    pub fn set_me(&self, me: Identity) {
        identity::save(&me);
        self.me.set(Some(me));
        self.announce();
    }

    /// The document now on screen (or none).
    pub fn set_viewing(&self, doc: Option<DocumentId>) {
        self.viewing.set(doc.map(|d| (d, None)));
        self.announce();
    }

    /// The item this person is editing in the open document.
    pub fn set_editing(&self, item: Option<String>) {
        let changed = self.viewing.try_update(|v| {
            if let Some((_, editing)) = v
                && *editing != item
            {
                *editing = item;
                return true;
            }
            false
        });
        if changed == Some(true) {
            self.announce();
        }
    }

    /// The other people in a document, each with whether this device
    /// reaches them directly (not only through the server).
    pub fn present(&self, doc: DocumentId) -> Vec<(PresenceInfo, bool)> {
        let direct = self.direct.get();
        self.presence.with(|all| {
            let mut people: Vec<(PresenceInfo, bool)> = all
                .get(&doc)
                .map(|p| {
                    p.present()
                        .map(|(peer, info)| (info.clone(), direct.contains(peer)))
                        .collect()
                })
                .unwrap_or_default();
            // The same person in two tabs is one person, reached directly
            // if either tab is.
            people.sort_by(|(a, da), (b, db)| {
                (&a.name, &a.organisation, !da).cmp(&(&b.name, &b.organisation, !db))
            });
            people.dedup_by(|(a, _), (b, _)| a.name == b.name && a.organisation == b.organisation);
            people
        })
    }

    /// Others editing an item of a document.
    pub fn editing_item(&self, doc: DocumentId, item: &str) -> Vec<PresenceInfo> {
        self.presence.with(|all| {
            all.get(&doc)
                .map(|p| p.editing(item).cloned().collect())
                .unwrap_or_default()
        })
    }
}
