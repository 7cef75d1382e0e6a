//! Sharing a document: the edit link this browser has (a city link), or for
//! a scoped link a new edit link for this one document within its scope
//! (a scoped link is never handed on whole); and a new read-only link for
//! the wider network.

use leptos::prelude::*;
use regie_core::DocumentId;

use super::text::{Notice, form_error, t, tr};
use crate::platform::Workspace;

/// Links to share the document: an edit link and a new read-only link.
#[component]
pub fn SharePanel(id: DocumentId) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let read_link = RwSignal::new(None::<String>);
    let made_edit_link = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<Notice>);
    let busy = RwSignal::new(false);
    let make = move |edit: bool| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let made = if edit {
                workspace.create_edit_link(id).await
            } else {
                workspace.create_read_link(id).await
            };
            match made {
                Ok(link) if edit => made_edit_link.set(Some(link)),
                Ok(link) => read_link.set(Some(link)),
                Err(said) => error.set(Some(Notice::Said(said))),
            }
            busy.set(false);
        });
    };
    let edit_link = move || workspace.edit_link().or_else(|| made_edit_link.get());
    view! {
        <Show when=move || workspace.may_share_edit(id)>
            <section class="card share">
                <h2>{t("share.title")}</h2>
                {move || match edit_link() {
                    Some(link) => view! {
                        <label for="edit-link">{t("share.edit_link")}</label>
                        <input id="edit-link" type="text" readonly prop:value=link/>
                    }.into_any(),
                    None => view! {
                        <button type="button" on:click=move |_| make(true) disabled=move || busy.get()>
                            {t("share.make_edit")}
                        </button>
                    }.into_any(),
                }}
                <button type="button" on:click=move |_| make(false) disabled=move || busy.get()>
                    {move || tr(if busy.get() { "share.making" } else { "share.make" })}
                </button>
                {move || read_link.get().map(|link| view! {
                    <label for="read-link">{t("share.read_link")}</label>
                    <input id="read-link" type="text" readonly prop:value=link/>
                })}
                {form_error(error)}
            </section>
        </Show>
    }
}
