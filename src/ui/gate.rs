//! Opening a document page (`/plan/:id`, `/tafel/:id`, `/campagne/:id`):
//! the id from the link, asking for the document, presence, and what to
//! show while it is not (yet) readable.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use regie_core::DocumentId;
use regie_core::kind::{DocError, DocumentKind};

use crate::platform::Workspace;
use crate::platform::workspace::DocState;
use crate::ui::common::text::{error_text, t, tr, tr_with};
use crate::ui::not_found::NotFound;

/// What kind of answer a document page gives; the page only re-renders
/// when this changes, so forms keep their text while the document updates.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// The link holds no valid id.
    BadLink,
    /// Still reading or asking.
    Loading,
    /// Neither here nor on the relay.
    NotFound,
    /// Not here, relay unreachable.
    NotOnDevice,
    /// Not here, no access.
    NoAccess,
    /// There but not readable as this kind of document.
    Unreadable(DocError),
    /// Ready to show.
    Ready,
}

impl Shown {
    fn of<T>(state: Option<&DocState<T>>) -> Shown {
        match state {
            None => Shown::BadLink,
            Some(DocState::Loading) => Shown::Loading,
            Some(DocState::NotFound) => Shown::NotFound,
            Some(DocState::NotOnDevice) => Shown::NotOnDevice,
            Some(DocState::NoAccess) => Shown::NoAccess,
            Some(DocState::Unreadable(error)) => Shown::Unreadable(error.clone()),
            Some(DocState::Ready(_)) => Shown::Ready,
        }
    }
}

/// An open document page: its id, its value when ready, and what to show.
pub struct Opened<T: Send + Sync + 'static> {
    /// The id in the link.
    pub id: Memo<Option<DocumentId>>,
    /// The document's value, when readable.
    pub value: Memo<Option<T>>,
    /// What the page shows.
    pub shown: Memo<Shown>,
}

/// Opens the document named by the route's `:id`, read as kind `K`.
pub fn open_document<K>() -> Opened<Arc<K>>
where
    K: DocumentKind + PartialEq + Send + Sync,
{
    let workspace = expect_context::<Workspace>();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<DocumentId>().ok())
    });
    // Ask for the document once local storage is read (and whenever the link changes).
    Effect::new(move |_| {
        if let Some(id) = id.get() {
            workspace.open(id);
        }
    });
    // Tell the others in this document that we are here (and when we leave).
    Effect::new(move |_| workspace.set_viewing(id.get()));
    on_cleanup(move || workspace.set_viewing(None));
    let state = Memo::new(move |_| id.get().map(|id| workspace.read::<K>(id)));
    let value = Memo::new(move |_| {
        state.with(|s| match s {
            Some(DocState::Ready(value)) => Some(value.clone()),
            _ => None,
        })
    });
    let shown = Memo::new(move |_| state.with(|s| Shown::of(s.as_ref())));
    Opened { id, value, shown }
}

/// What to show instead of a document that is not ready; `what` names it
/// ("dit plan"), `unknown` is the message for a link that leads nowhere
/// (both locale keys).
pub fn not_ready(shown: Shown, what: &'static str, unknown: &'static str) -> AnyView {
    match shown {
        Shown::Loading => {
            view! { <p class="muted" role="status">{t("gate.loading")}</p> }.into_any()
        }
        Shown::NotOnDevice => view! {
            <section class="card">
                <h1>{t("gate.not_on_device")}</h1>
                <p>{move || tr_with("gate.not_on_device_text", &[("what", &tr(what))])}</p>
            </section>
        }
        .into_any(),
        Shown::NoAccess => view! {
            <section class="card" role="alert">
                <h1>{t("gate.no_access")}</h1>
                <p>{move || tr_with("gate.no_access_text", &[("what", &tr(what))])}</p>
            </section>
        }
        .into_any(),
        Shown::Unreadable(error) => view! {
            <section class="card" role="alert">
                <h1>{move || tr_with("gate.unreadable", &[("what", &tr(what))])}</h1>
                <p>{move || error_text(&error)}</p>
            </section>
        }
        .into_any(),
        Shown::BadLink | Shown::NotFound | Shown::Ready => {
            view! { <NotFound message=unknown/> }.into_any()
        }
    }
}
