//! Links for other people, made with this browser's link: which ones it may
//! make (never wider than itself, `regie_core::scope::may_make`; the relay
//! checks again), making one, the list of those made with it, revoking.

use leptos::prelude::*;
use regie_core::scope::{Capability, LinkScope, may_make};
use regie_core::text::Text;
use regie_core::wijken::WIJKEN;

use super::Workspace;
use crate::platform::access;
use crate::platform::share_links::{self, AuditEntry, LinkInfo, NewLink};

impl Workspace {
    /// What this link is, for making links from it (none: the city's).
    fn capability(&self) -> Capability {
        Capability {
            scope: self.link_access.get().scope.unwrap_or(LinkScope::Stad),
            organisation: access::stored_organisation(),
        }
    }

    /// Whether this browser may make links for others (an edit link for
    /// every document of its scope).
    pub fn may_make_links(&self) -> bool {
        let access = self.link_access.get();
        self.token().is_some() && self.write.get() == Some(true) && access.only.is_none()
    }

    /// Every scope this link may make a link for, in the order of the seed
    /// (team and netwerk per wijk, then regisseurs).
    pub fn makeable_scopes(&self) -> Vec<LinkScope> {
        let own = self.capability();
        let mut scopes: Vec<LinkScope> = Vec::new();
        for w in &WIJKEN {
            scopes.push(LinkScope::Team(w.slug));
            scopes.push(LinkScope::Netwerk(w.slug));
        }
        for w in &WIJKEN {
            if !scopes.contains(&LinkScope::Regisseur(w.regisseur)) {
                scopes.push(LinkScope::Regisseur(w.regisseur));
            }
        }
        scopes
            .into_iter()
            .filter(|scope| {
                let child = Capability {
                    scope: *scope,
                    organisation: own.organisation.clone(),
                };
                may_make(&own, &child)
            })
            .collect()
    }

    /// Makes a link for someone else; returns the full URL to hand on.
    pub async fn make_link(&self, new: NewLink) -> Result<String, Text> {
        let token = self.token().ok_or(Text::key("core.no_share_link"))?;
        share_links::make_link(&token, &new).await
    }

    /// The links made with this browser's link.
    pub async fn links(&self) -> Result<Vec<LinkInfo>, Text> {
        let token = self.token().ok_or(Text::key("core.no_share_link"))?;
        share_links::list_links(&token).await
    }

    /// Revokes a link made with this browser's link.
    pub async fn revoke_link(&self, id: &str) -> Result<(), Text> {
        let token = self.token().ok_or(Text::key("core.no_share_link"))?;
        share_links::revoke_link(&token, id).await
    }

    /// Whether this is a city link (it reads the audit trail).
    pub fn is_city_link(&self) -> bool {
        let access = self.link_access.get();
        self.may_make_links() && !access.is_scoped()
    }

    /// The audit trail's newest entries, for one change or all.
    pub async fn audit(&self, change: &str) -> Result<Vec<AuditEntry>, Text> {
        let token = self.token().ok_or(Text::key("core.no_share_link"))?;
        share_links::audit(&token, change).await
    }
}
