//! Composing a campaign from the table's cards.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use regie_core::campaign::Campaign;
use regie_core::kind::DocError;

use super::context::TableCtx;
use crate::platform::Workspace;
use crate::ui::common::forms::{CheckList, TextInput};
use crate::ui::common::text::{Notice, form_error, t};

/// Composing a campaign from chosen cards; opens it once made.
#[component]
pub fn ComposeCampaign() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let ctx = expect_context::<TableCtx>();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<Notice>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(table) = ctx.table.get_untracked() else {
            return;
        };
        match Campaign::compose(
            &title.get_untracked(),
            &ctx.id.to_string(),
            &table,
            &chosen.get_untracked(),
        ) {
            Ok(c) => {
                let id = workspace.create_campaign(&c);
                navigate(&format!("/campagne/{id}"), Default::default());
            }
            Err(DocError::EmptyTitle) => {
                error.set(Some(Notice::Key("roundtable.campaign_title_missing")))
            }
            Err(e) => error.set(Some(e.into())),
        }
    };
    view! {
        <form class="card compose" on:submit=submit>
            <h2>{t("roundtable.compose")}</h2>
            <p class="muted">{t("roundtable.compose_text")}</p>
            <TextInput id="campaign-title".into() label="roundtable.campaign_title" value=title/>
            <CheckList id_prefix="pick" legend="roundtable.cards" options=Signal::derive(move || ctx.cards()) chosen/>
            <button type="submit">{t("roundtable.make_campaign")}</button>
            {form_error(error)}
        </form>
    }
}
