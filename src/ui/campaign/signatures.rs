//! Signatures: each partner organisation signs the commitment with what it
//! brings in ("inbreng"); a signature given for an earlier version of the
//! text is marked as such.

use std::sync::Arc;

use leptos::prelude::*;
use regie_core::DocumentId;
use regie_core::campaign::{Campaign, SignatureState};

use crate::i18n;
use crate::platform::{Workspace, clock};
use crate::ui::common::forms::TextInput;
use crate::ui::common::text::{Notice, form_error, t, tr, tr_with};

#[component]
pub fn Signatures(id: DocumentId, campaign: Memo<Option<Arc<Campaign>>>) -> impl IntoView {
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
    let inbreng = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Notice>);
    let sign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let when = clock::LocalTime::now().date_time();
        let result = workspace.edit::<Campaign>(id, |c| {
            c.sign(
                &organisation.get_untracked(),
                &who.get_untracked(),
                &when,
                &inbreng.get_untracked(),
            )
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
                            {s.inbreng.clone().map(|i| view! { <p class="inbreng">{t("campaign.inbreng")} ": " {i}</p> })}
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
                    <TextInput id="sign-inbreng".into() label="campaign.inbreng_field" value=inbreng/>
                    <button type="submit">{t("campaign.sign")}</button>
                    {form_error(error)}
                </form>
            </Show>
        </section>
    }
}
