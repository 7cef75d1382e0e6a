//! "Wis van dit toestel": removes every document and the link from this
//! browser, after saying what that means (changes the server has not got
//! yet are lost). Offered when a link was revoked ([`RevokedBanner`], on
//! every page) and on "Dit toestel" for a tablet lost or handed on.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::text::{t, tr, tr_with};
use crate::platform::Workspace;

/// The button, with its confirmation.
#[component]
pub fn WipeButton() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let wipe = move |_| {
        spawn_local(async move {
            if let Err(why) = workspace.wipe().await {
                error.set(Some(why));
            }
        });
    };
    let unsent = move || workspace.unconfirmed_changes();
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button type="button" class="danger" data-test="wipe" on:click=move |_| asking.set(true)>
                    {t("wipe.button")}
                </button>
            }
        >
            <div class="wipe-confirm" role="alertdialog" aria-labelledby="wipe-question">
                <p id="wipe-question">
                    {t("wipe.question")} " "
                    {move || match unsent() {
                        0 => tr("wipe.nothing_unsent"),
                        n => tr_with("wipe.unsent", &[("n", &n.to_string())]),
                    }}
                </p>
                <button type="button" class="danger" data-test="wipe-confirm" on:click=wipe>{t("wipe.confirm")}</button>
                <button type="button" on:click=move |_| asking.set(false)>{t("wipe.cancel")}</button>
                {move || error.get().map(|why| view! {
                    <p class="form-error" role="alert">{tr("wipe.failed")} " (" {why} ")"</p>
                })}
            </div>
        </Show>
    }
}

/// "This link was revoked": on every page once the relay refuses a link
/// it used to accept, with the wipe.
#[component]
pub fn RevokedBanner() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    view! {
        <Show when=move || workspace.link_revoked()>
            <div class="banner warning revoked" role="alert">
                <p>{t("wipe.revoked")}</p>
                <WipeButton/>
            </div>
        </Show>
    }
}
