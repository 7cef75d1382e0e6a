//! Creating documents and finding them again. The plan of a wijk is the
//! same document on every device (`regie_core::cycle::wijk_plan`), so a
//! plan made on two tablets apart is one plan, and an existing plan is
//! opened instead of made twice. Every new plan, ronde tafel, campagne and
//! meeting is listed in the register when this link may write it, and each device
//! fetches what the register lists within its scope: nobody needs to be
//! sent a URL.

use std::sync::Arc;

use automerge::Automerge;
use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::author::Stamp;
use regie_core::campaign::{self, Campaign};
use regie_core::cycle::wijk_plan;
use regie_core::kind::{self, DocError};
use regie_core::meeting::{self, Meeting, MeetingForm, agenda};
use regie_core::plan::Plan;
use regie_core::register::{self, BoardEntry, BoardKind, MeetingEntry, Register};
use regie_core::roundtable::{self, Table};
use regie_core::scope::{DocScope, Right};
use regie_core::wijken;

use super::{Workspace, stamp};

impl Workspace {
    /// Stores a new document and returns its id.
    fn create_document(&self, make: impl FnOnce(&Stamp) -> Automerge) -> DocumentId {
        let doc = make(&stamp());
        let id = DocumentId::from_random_bytes(super::super::random_bytes());
        self.store_new(id, doc);
        id
    }

    /// Hands a new document to the engine: stored like any change, and
    /// nothing about it leaves before the write.
    fn store_new(&self, id: DocumentId, doc: Automerge) {
        let effects = self.engine().repo.borrow_mut().create(id, doc);
        self.apply(effects);
        self.changed(id);
    }

    /// The plan of wijk `slug` this device knows of: one it holds (the
    /// wijk's own id first, then an older plan of that wijk) or one the
    /// register lists.
    pub fn plan_of_wijk(&self, slug: &str) -> Option<DocumentId> {
        let own = wijk_plan::plan_id(slug);
        let held: Vec<DocumentId> = self
            .all::<Plan>()
            .into_iter()
            .filter(|(_, plan)| plan.wijk == slug)
            .map(|(id, _)| id)
            .collect();
        if held.contains(&own) {
            return Some(own);
        }
        held.first().copied().or_else(|| {
            let register = self.fixed::<Register>()?;
            let entry = register.plans.iter().find(|p| p.wijk == slug)?;
            entry.id.parse().ok()
        })
    }

    /// Opens the plan of a wijk, or makes it (the same document every
    /// device makes), lists it in the register (so other devices fetch it
    /// too) and returns its id.
    pub fn create_plan(&self, slug: &str) -> DocumentId {
        if let Some(id) = self.plan_of_wijk(slug) {
            return id;
        }
        let id = wijk_plan::plan_id(slug);
        self.store_new(id, wijk_plan::plan_document(slug));
        if self.may_edit(register::register_id()) {
            let listed = self.edit_fixed::<Register>(|r| {
                r.add_plan(&id, slug);
                Ok(())
            });
            if let Err(e) = listed {
                leptos::logging::warn!("plan not listed in the register: {e}");
            }
        }
        id
    }

    /// Makes a ronde tafel, lists it, and returns its id.
    pub fn create_table(&self, table: &Table) -> DocumentId {
        let id = self.create_document(|stamp| roundtable::new_table_document(table, stamp));
        self.list_board(BoardEntry {
            id: id.to_string(),
            kind: BoardKind::Tafel,
            title: table.title.clone(),
            wijk: table.wijk.clone(),
            knelpunt: table.knelpunt.clone(),
            table: None,
            date: super::super::today(),
        });
        id
    }

    /// Makes a campagne, lists it, and returns its id.
    pub fn create_campaign(&self, campaign: &Campaign) -> DocumentId {
        let id = self.create_document(|stamp| campaign::new_campaign_document(campaign, stamp));
        self.list_board(BoardEntry {
            id: id.to_string(),
            kind: BoardKind::Campagne,
            title: campaign.title.clone(),
            wijk: campaign.wijk.clone(),
            knelpunt: campaign.knelpunt.clone(),
            table: Some(campaign.table.clone()),
            date: super::super::today(),
        });
        id
    }

    /// Starts a meeting of the team of plan `plan_id`: its agenda proposed
    /// from what changed in the plan since the previous meeting of the plan
    /// was closed (without one: the last four weeks), with that meeting's
    /// open decisions carried over. Listed in the register when this link
    /// may write it (a team's devices find it through the relay's list).
    pub fn create_meeting(
        &self,
        plan_id: DocumentId,
        form: &MeetingForm,
    ) -> Result<DocumentId, DocError> {
        const FOUR_WEEKS: i64 = 28 * 86_400;
        let previous = self.meetings_of(plan_id).into_iter().next();
        let since = previous.as_ref().map_or_else(
            || super::super::now_ms() / 1000 - FOUR_WEEKS,
            |(_, m)| m.next_since(),
        );
        let (plan, proposed) = {
            let engine = self.engine();
            let repo = engine.repo.borrow();
            let doc = repo.doc(&plan_id).ok_or(DocError::NotFound)?;
            let plan = regie_core::plan::read_plan(doc)?;
            let before = agenda::plan_at(doc, since);
            let proposed = agenda::changes(before.as_ref(), &plan, &super::super::today());
            (plan, proposed)
        };
        let previous = previous.map(|(id, m)| (id.to_string(), m));
        let meeting = Meeting::new(
            form,
            &plan_id.to_string(),
            &plan,
            since,
            proposed,
            previous.as_ref().map(|(id, m)| (id.as_str(), &**m)),
        )?;
        let id = self.create_document(|stamp| meeting::new_meeting_document(&meeting, stamp));
        if self.may_edit(register::register_id())
            && let Err(e) = self.edit_fixed::<Register>(|r| {
                r.add_meeting(MeetingEntry {
                    id: id.to_string(),
                    wijk: meeting.wijk.clone(),
                    plan: meeting.plan.clone(),
                    date: meeting.date.clone(),
                });
                Ok(())
            })
        {
            leptos::logging::warn!("meeting not listed in the register: {e}");
        }
        Ok(id)
    }

    /// The meetings of plan `plan_id` this device holds, the latest first
    /// (by date, then by when they were started).
    pub fn meetings_of(&self, plan_id: DocumentId) -> Vec<(DocumentId, Arc<Meeting>)> {
        let plan = plan_id.to_string();
        let mut meetings: Vec<(DocumentId, Arc<Meeting>)> = self
            .all::<Meeting>()
            .into_iter()
            .filter(|(_, m)| m.plan == plan)
            .collect();
        meetings.sort_by(|(_, a), (_, b)| (&b.date, b.since).cmp(&(&a.date, a.since)));
        meetings
    }

    /// Lists a board in the register, if this link may write it (a wijk's
    /// team may not: its devices find the board through the relay's list
    /// of what the link covers).
    fn list_board(&self, entry: BoardEntry) {
        if self.may_edit(register::register_id())
            && let Err(e) = self.edit_fixed::<Register>(|r| {
                r.add_board(entry);
                Ok(())
            })
        {
            leptos::logging::warn!("not listed in the register: {e}");
        }
    }

    /// Asks for every plan, ronde tafel and campagne the register lists
    /// that this device lacks and this link covers (a wijk's device asks
    /// for no other wijk's; the relay would not give it either).
    pub(super) fn fetch_listed(self) {
        let ids = {
            let access = self.link_access.get_untracked();
            let engine = self.engine();
            let repo = engine.repo.borrow();
            let Some(listed) = repo
                .doc(&register::register_id())
                .and_then(|doc| kind::read::<Register>(doc).ok())
            else {
                return;
            };
            let plans = listed
                .plans
                .iter()
                .filter(|entry| self.covers_wijk(&entry.wijk))
                .map(|entry| &entry.id);
            let boards = listed
                .boards
                .iter()
                .filter(|entry| {
                    let place = match entry.wijk.as_deref() {
                        Some(w) => wijken::by_slug(w).map(|w| DocScope::Derived(w.slug)),
                        None => Some(DocScope::CityDerived),
                    };
                    access.only.is_none()
                        && place.is_some_and(|p| {
                            access.scope.is_none_or(|s| s.right(p) > Right::Nothing)
                        })
                })
                .map(|entry| &entry.id);
            let meetings = listed
                .meetings
                .iter()
                .filter(|entry| self.covers_wijk(&entry.wijk))
                .map(|entry| &entry.id);
            plans
                .chain(boards)
                .chain(meetings)
                .filter_map(|id| id.parse::<DocumentId>().ok())
                .filter(|id| repo.doc(id).is_none())
                .collect::<Vec<_>>()
        };
        for id in ids {
            let effects = self.engine().repo.borrow_mut().want(id);
            self.apply(effects);
        }
    }
}
