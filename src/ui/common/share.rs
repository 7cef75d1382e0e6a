//! Sharing a document: the edit link this browser has, and making a new
//! read-only link for the wider network.

use leptos::prelude::*;
use regie_core::DocumentId;

use super::text::{Notice, form_error, t, tr};
use crate::platform::Workspace;

/// Links to share the document: the edit link this browser has, and a new
/// read-only link for the wider network.
#[component]
pub fn SharePanel(id: DocumentId) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let read_link = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<Notice>);
    let busy = RwSignal::new(false);
    let make_read_link = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match workspace.create_read_link(id).await {
                Ok(link) => read_link.set(Some(link)),
                Err(said) => error.set(Some(Notice::Said(said))),
            }
            busy.set(false);
        });
    };
    move || {
        workspace.edit_link().map(|edit_link| {
            view! {
                <section class="card share">
                    <h2>{t("share.title")}</h2>
                    <label for="edit-link">{t("share.edit_link")}</label>
                    <input id="edit-link" type="text" readonly prop:value=edit_link/>
                    <button type="button" on:click=make_read_link disabled=move || busy.get()>
                        {move || tr(if busy.get() { "share.making" } else { "share.make" })}
                    </button>
                    {move || read_link.get().map(|link| view! {
                        <label for="read-link">{t("share.read_link")}</label>
                        <input id="read-link" type="text" readonly prop:value=link/>
                    })}
                    {form_error(error)}
                </section>
            }
        })
    }
}
