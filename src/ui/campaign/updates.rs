//! Dated updates of a campaign for the wider group (seed 003: "stand van
//! zaken wordt regelmatig teruggekoppeld").

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::campaign::Campaign;

use crate::i18n;
use crate::platform::{Workspace, new_item_id};
use crate::ui::common::forms::TextInput;
use crate::ui::common::text::{Notice, form_error, t};

#[component]
pub fn Updates(id: DocumentId, campaign: Memo<Option<Arc<Campaign>>>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let date = RwSignal::new(crate::platform::today());
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let author = workspace.me().map(|m| m.name).unwrap_or_default();
        match workspace.edit::<Campaign>(id, |c| {
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
