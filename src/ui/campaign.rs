//! The campaign page (`/campagne/:id`): what it was composed from (with a
//! link back to the ronde tafel), the commitment text typed together,
//! signatures per organisation (marked when they were given for an earlier
//! version of the text), status, dated updates and sharing.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::campaign::{Campaign, CampaignStatus, SignatureState};
use regie_core::kind::{self, DocError};
use regie_core::roundtable::Section;

use crate::i18n;
use crate::platform::new_item_id;
use crate::platform::{Workspace, clock};
use crate::ui::common::conflicts::ConflictList;
use crate::ui::common::export::ExportMenu;
use crate::ui::common::forms::{Choice, LiveText, Options, TextInput};
use crate::ui::common::history::HistoryDetails;
use crate::ui::common::print::PrintDate;
use crate::ui::common::share::SharePanel;
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};
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

fn edit(
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
            <LiveText id="commitment".into() label="campaign.commitment" value=commitment on_input=write_commitment disabled=read_only/>
            <Signatures id campaign/>
            <Updates id campaign/>
            <SharePanel id/>
            <HistoryDetails id restore={kind::restore::<Campaign>} summary="history.title"/>
        </article>
    }
}

#[component]
fn Signatures(id: DocumentId, campaign: Memo<Option<Arc<Campaign>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let me = workspace.me();
    // A link made for an organisation signs for that one only (the relay
    // refuses any other).
    let fixed = workspace.link_organisation();
    let organisation = RwSignal::new(fixed.clone().unwrap_or_else(|| {
        me.as_ref()
            .map(|m| m.organisation.clone())
            .unwrap_or_default()
    }));
    let who = RwSignal::new(me.map(|m| m.name).unwrap_or_default());
    let error = RwSignal::new(None::<Notice>);
    let sign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let when = clock::LocalTime::now().date_time();
        let result = edit(id, |c| {
            c.sign(&organisation.get_untracked(), &who.get_untracked(), &when)
        });
        error.set(result.err().map(Notice::from));
    };
    view! {
        <section class="card signatures">
            <h2>{t("campaign.signatures")}</h2>
            <ul class="signature-list">
                {move || campaign.with(|c| c.iter().flat_map(|c| c.signatures.iter().map(|s| (s.clone(), c.signature_state(s))).collect::<Vec<_>>()).collect::<Vec<_>>()).into_iter().map(|(s, state)| {
                    let (class, note) = match state {
                        SignatureState::Current => ("signature current", "campaign.signed"),
                        SignatureState::EarlierVersion => ("signature earlier", "campaign.signed_earlier"),
                    };
                    view! {
                        <li class=class data-organisation=s.organisation.clone()>
                            <strong>{s.organisation.clone()}</strong>
                            {move || format!(" · {}", tr_with("campaign.signature", &[("who", &s.who), ("note", &tr(note)), ("when", &i18n::date(&s.when))]))}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || workspace.may_edit(id)>
                <form class="inline-form" on:submit=sign>
                    {match fixed.clone() {
                        Some(org) => {
                            let shown = org.clone();
                            view! {
                                <p class="signing-for" data-organisation=org>{t("campaign.signing_for")} " " <strong>{shown}</strong></p>
                            }.into_any()
                        }
                        None => view! {
                            <TextInput id="sign-organisation".into() label="campaign.organisation" value=organisation/>
                        }.into_any(),
                    }}
                    <TextInput id="sign-who".into() label="campaign.name" value=who/>
                    <button type="submit">{t("campaign.sign")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}

#[component]
fn Updates(id: DocumentId, campaign: Memo<Option<Arc<Campaign>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let date = RwSignal::new(crate::platform::today());
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let author = workspace.me().map(|m| m.name).unwrap_or_default();
        match edit(id, |c| {
            c.add_update(
                new_item_id(),
                &date.get_untracked(),
                &author,
                &text.get_untracked(),
            )
        }) {
            Ok(()) => {
                text.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <section class="card updates">
            <h2>{t("campaign.updates")}</h2>
            <ol class="notes">
                {move || campaign.with(|c| c.iter().flat_map(|c| c.updates.clone()).collect::<Vec<_>>()).into_iter().map(|u| view! {
                    <li><span class="muted">{format!("{} · {}", i18n::date(&u.date), u.author)}</span><p>{u.text}</p></li>
                }).collect_view()}
            </ol>
            <Show when=move || workspace.may_edit(id)>
                <form class="inline-form" on:submit=add>
                    <TextInput id="update-date".into() label="campaign.date" kind="date" value=date/>
                    <TextInput id="update-text".into() label="campaign.update_text" value=text/>
                    <button type="submit">{t("campaign.add_update")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}
