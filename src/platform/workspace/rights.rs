//! What this browser's link may do with each document (its scope in the
//! regie, `regie_core::scope`), for the views, for edits and for fetching:
//! a wijk's team edits its wijk's documents; a netwerk link reads them and
//! passes on signals; other wijken's plans are neither fetched nor shown.
//! The relay and every direct peer enforce the same table; here it keeps
//! the UI honest and stops an edit the relay would refuse before it is
//! made (such a change would close the link each time it is offered).
//!
//! Also where a revoked link is noticed and "Wis van dit toestel" happens.

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::scope::{DocScope, LinkScope, Right};

use super::Workspace;
use crate::platform::access;

/// The static slug of a wijk (an unknown one never matches a scope).
fn wijk_slug(slug: &str) -> &'static str {
    regie_core::wijken::by_slug(slug).map_or("", |w| w.slug)
}

impl Workspace {
    /// What this link may do with document `id`, as far as it is known here
    /// (reactive: re-runs when the document or the access changes).
    pub fn right(&self, id: DocumentId) -> Right {
        self.track(id);
        self.right_untracked(id)
    }

    pub(super) fn right_untracked(&self, id: DocumentId) -> Right {
        let access = self.link_access.get_untracked();
        let scope = {
            let engine = self.engine();
            let repo = engine.repo.borrow();
            repo.doc(&id)
                .map_or(DocScope::Unknown, |doc| DocScope::of(&id, doc))
        };
        // A document not here yet is nothing to a scoped link: it is shown
        // once it arrives, which the relay allows only within the scope.
        access.right(&id, scope)
    }

    /// Whether this link may change document `id` freely.
    pub fn may_edit(&self, id: DocumentId) -> bool {
        self.link_access.track();
        self.write.get() != Some(false) && self.right(id) == Right::Write
    }

    /// Whether this link may add signals to plan `id` (a team edits it; a
    /// netwerk link passes signals on).
    pub fn may_add_signals(&self, id: DocumentId) -> bool {
        self.link_access.track();
        self.write.get() != Some(false) && self.right(id) >= Right::SignalsOnly
    }

    /// The link id a signal added to plan `id` carries: only through a
    /// signals-only link, so it may correct and withdraw it later.
    pub fn signal_link(&self, id: DocumentId) -> Option<String> {
        (self.right_untracked(id) == Right::SignalsOnly)
            .then(|| self.link_access.get_untracked().link.map(|l| l.to_string()))
            .flatten()
    }

    /// Whether this link may make a plan for wijk `slug`.
    pub fn may_create_plan(&self, slug: &str) -> bool {
        let access = self.link_access.get();
        self.write.get() != Some(false)
            && access.only.is_none()
            && access
                .scope
                .is_none_or(|s| s.right(DocScope::Plan(wijk_slug(slug))) == Right::Write)
    }

    /// This link's scope, if it has one (none: the city's, or unknown).
    pub fn scope(&self) -> Option<LinkScope> {
        self.link_access.get().scope
    }

    /// Whether plans of wijk `slug` are this link's to fetch.
    pub(super) fn covers_wijk(&self, slug: &str) -> bool {
        let access = self.link_access.get_untracked();
        access.only.is_none() && access.scope.is_none_or(|s| s.covers_wijk(slug))
    }

    /// The organisation this link was made for, if any: what this person
    /// signs and scores for.
    pub fn link_organisation(&self) -> Option<String> {
        self.link_access.track();
        access::stored_organisation()
    }

    /// Whether the relay refused a link that used to work (revoked).
    pub fn link_revoked(&self) -> bool {
        self.revoked.get()
    }

    /// Asks for the documents the relay listed for a scoped link.
    pub(super) fn fetch_covered(self) {
        for id in access::stored_docs() {
            let missing = self.engine().repo.borrow().doc(&id).is_none();
            if missing {
                let effects = self.engine().repo.borrow_mut().want(id);
                self.apply(effects);
            }
        }
    }

    /// "Wis van dit toestel": every document and the link leave this
    /// browser (for a revoked link, or a tablet lost or handed on), then
    /// the page starts anew. Changes not yet on the server are lost, which
    /// the UI says before it asks.
    pub async fn wipe(self) -> Result<(), String> {
        let store = self.engine().store.borrow().clone();
        if let Some(store) = store {
            store.clear().await.map_err(|e| format!("{e:?}"))?;
        }
        access::forget_link();
        if let Some(window) = web_sys::window() {
            let _ = window.location().replace("/");
        }
        Ok(())
    }
}
