//! "Auditspoor" (`/audit`, for the city's links): which link delivered which
//! change, newest first, from the relay's trail. A change's hash, as the
//! history of a document shows it, finds the link behind it: "who really
//! changed this", beyond the name a person typed.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::platform::Workspace;
use crate::platform::share_links::AuditEntry;
use crate::ui::common::text::{Notice, form_error, moment, t};

/// The page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let change = RwSignal::new(String::new());
    let entries = RwSignal::new(None::<Vec<AuditEntry>>);
    let error = RwSignal::new(None::<Notice>);
    let load = move || {
        let wanted = change.get_untracked();
        spawn_local(async move {
            match workspace.audit(&wanted).await {
                Ok(found) => {
                    error.set(None);
                    entries.set(Some(found));
                }
                Err(said) => error.set(Some(Notice::Said(said))),
            }
        });
    };
    load();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        load();
    };
    view! {
        <h1>{t("audit.title")}</h1>
        <p class="muted">{t("audit.intro")}</p>
        <form class="card inline-form" on:submit=search>
            <label for="audit-change">{t("audit.change")}</label>
            <input id="audit-change" type="search" prop:value=move || change.get()
                on:input=move |ev| change.set(event_target_value(&ev))/>
            <button type="submit">{t("audit.search")}</button>
        </form>
        {form_error(error)}
        <section class="card">
            {move || match entries.get() {
                None => view! { <p class="muted">{t("audit.loading")}</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="muted">{t("audit.empty")}</p> }.into_any(),
                Some(list) => view! {
                    <table class="audit">
                        <thead><tr>
                            <th scope="col">{t("audit.when")}</th>
                            <th scope="col">{t("audit.link")}</th>
                            <th scope="col">{t("audit.document")}</th>
                            <th scope="col">{t("audit.hash")}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|e| {
                                let link = e.label.clone().or(e.link.clone()).unwrap_or_else(|| "—".to_owned());
                                let at = i64::try_from(e.at).unwrap_or_default();
                                view! {
                                    <tr data-change=e.change.clone()>
                                        <td>{move || moment(at)}</td>
                                        <td>{link}</td>
                                        <td><code>{e.doc.clone()}</code></td>
                                        <td><code>{e.change.chars().take(12).collect::<String>()}</code></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
