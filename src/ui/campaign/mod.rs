//! The campaign page (`/campagne/:id`): what it was composed from (with a
//! link back to the ronde tafel), its trekker and regisseur, the commitment
//! text typed together, signatures per organisation with what each brings
//! in, its pistes turned into acties of wijkactieplannen, status, dated
//! updates and sharing.
//!
//! - [`signatures`]: signing the commitment, with the organisation's inbreng;
//! - [`follow_through`]: trekker and regisseur, pistes → acties;
//! - [`updates`]: dated updates for the wider group.

pub mod follow_through;
pub mod signatures;
pub mod updates;

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::campaign::{Campaign, CampaignStatus};
use regie_core::kind::{self, DocError};
use regie_core::roundtable::Section;

use self::follow_through::{FollowThrough, Leads};
use self::signatures::Signatures;
use self::updates::Updates;
use crate::platform::Workspace;
use crate::ui::common::conflicts::ConflictList;
use crate::ui::common::export::ExportMenu;
use crate::ui::common::forms::{Choice, LiveText, Options};
use crate::ui::common::history::HistoryDetails;
use crate::ui::common::print::PrintDate;
use crate::ui::common::share::SharePanel;
use crate::ui::common::text::{t, tr, tr_with};
use crate::ui::gate::{Shown, not_ready, open_document};
use crate::ui::roundtable::section_label;

/// The page for `/campagne/:id`.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let opened = open_document::<Campaign>();
    let (id, value) = (opened.id, opened.value);
    move || match (opened.shown.get(), id.get_untracked()) {
        (Shown::Ready, Some(id)) => view! { <CampaignView id campaign=value/> }.into_any(),
        (shown, _) => not_ready(shown, "gate.this_campaign", "gate.unknown_campaign"),
    }
}

/// Edits the campaign (for the page's views).
pub fn edit(
    id: DocumentId,
    change: impl FnOnce(&mut Campaign) -> Result<(), DocError>,
) -> Result<(), DocError> {
    let workspace = expect_context::<Workspace>();
    workspace.edit::<Campaign>(id, change)
}

#[component]
fn CampaignView(id: DocumentId, campaign: Memo<Option<Arc<Campaign>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let read_only = Signal::derive(move || !workspace.may_edit(id));
    let title = move || campaign.with(|c| c.as_ref().map(|c| c.title.clone()));
    let table_link = move || campaign.with(|c| c.as_ref().map(|c| format!("/tafel/{}", c.table)));
    let commitment = Signal::derive(move || {
        campaign.with(|c| {
            c.as_ref()
                .map(|c| c.commitment.0.clone())
                .unwrap_or_default()
        })
    });
    let write_commitment = Callback::new(move |text: String| {
        edit(id, |c| {
            c.commitment.0 = text;
            Ok(())
        })
    });
    let status = RwSignal::new(
        campaign
            .get_untracked()
            .map_or("voorgesteld", |c| c.status.slug())
            .to_owned(),
    );
    Effect::new(move |previous: Option<String>| {
        let chosen = status.get();
        if previous.is_some_and(|p| p != chosen)
            && let Some(s) = CampaignStatus::from_slug(&chosen)
        {
            let _ = edit(id, |c| {
                c.status = s;
                Ok(())
            });
        }
        chosen
    });
    // Follow someone else's status change.
    Effect::new(move |_| {
        if let Some(s) = campaign.with(|c| c.as_ref().map(|c| c.status.slug()))
            && status.get_untracked() != s
        {
            status.set(s.to_owned());
        }
    });
    let statuses = Signal::derive(|| {
        CampaignStatus::ALL
            .into_iter()
            .map(|s| {
                (
                    s.slug().to_owned(),
                    tr(&format!("campaign_status.{}", s.slug())),
                )
            })
            .collect::<Options>()
    });
    view! {
        <article class="campaign">
            <h1>{t("campaign.title")} ": " {title}</h1>
            <PrintDate/>
            <ExportMenu id name=Signal::derive(move || tr_with("export.file_campaign", &[("name", &title().unwrap_or_default())]))/>
            <ConflictList id/>
            <p class="back-link"><a href=table_link>{t("campaign.to_table")}</a></p>
            <div class="field-row">
                <Choice id="campaign-status".into() label="campaign.status" options=statuses value=status disabled=read_only/>
            </div>
            <section class="card parts">
                <h2>{t("campaign.parts")}</h2>
                {Section::ALL.into_iter().map(|section| view! {
                    {move || {
                        let texts: Vec<String> = campaign.with(|c| c.iter().flat_map(|c| &c.parts).filter(|p| p.section == section).map(|p| p.text.clone()).collect());
                        (!texts.is_empty()).then(|| view! {
                            <h3>{t(section_label(section))}</h3>
                            <ul>{texts.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                        })
                    }}
                }).collect_view()}
            </section>
            <Leads id campaign/>
            <LiveText id="commitment".into() label="campaign.commitment" value=commitment on_input=write_commitment disabled=read_only/>
            <Signatures id campaign/>
            <FollowThrough id campaign/>
            <Updates id campaign/>
            <SharePanel id/>
            <HistoryDetails id restore={kind::restore::<Campaign>} summary="history.title"/>
        </article>
    }
}
