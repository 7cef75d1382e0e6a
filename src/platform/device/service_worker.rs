//! The service worker and new versions of the app.
//!
//! The service worker (`public/sw.js`) keeps the app on the device and
//! serves it from there. A new version is noticed in two ways: a new
//! `sw.js` installs and waits, or the worker, asked by [`check_for_update`],
//! finds that the server's page names other (hashed) app files than the
//! page this tab runs ([`super::build`]). Either way [`update_available`]
//! turns true and the banner offers to reload; nothing reloads by itself,
//! because a reload would throw away whatever the person is typing.

use std::cell::{Cell, RefCell};

use gloo_events::EventListener;
use js_sys::{Array, Object, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

use super::build::own_build;

/// How often the server is asked for a new version while the app is open (ms).
const UPDATE_CHECK_EVERY_MS: u32 = 30 * 60_000;
/// How long to wait for the new service worker to take over before
/// reloading anyway (ms).
const TAKEOVER_WAIT_MS: u32 = 3_000;

/// What this module keeps for the page's lifetime. An `Arc` signal is not
/// owned by any component, so it outlives the page that first reads it.
struct State {
    update_available: ArcRwSignal<bool>,
    registration: RefCell<Option<ServiceWorkerRegistration>>,
    /// The person asked to reload: the next `controllerchange` (the new
    /// worker taking over) reloads the page.
    reload_requested: Cell<bool>,
}

thread_local! {
    static STATE: State = State {
        update_available: ArcRwSignal::new(false),
        registration: RefCell::new(None),
        reload_requested: Cell::new(false),
    };
}

fn state<R>(f: impl FnOnce(&State) -> R) -> R {
    STATE.with(f)
}

/// Registers the service worker and looks for new versions now, every
/// half hour, when the device is back online and when the app is shown
/// again. Called once by [`super::start`].
pub(super) fn start() {
    register();
    gloo_timers::callback::Interval::new(UPDATE_CHECK_EVERY_MS, check_for_update).forget();
    let Some(window) = web_sys::window() else {
        return;
    };
    // Back on the network, or back in the app: a good moment to look. The
    // listeners stay as long as the page lives.
    EventListener::new(&window, "online", |_| check_for_update()).forget();
    if let Some(document) = window.document() {
        let shown = document.clone();
        EventListener::new(&document, "visibilitychange", move |_| {
            if shown.visibility_state() == web_sys::VisibilityState::Visible {
                check_for_update();
            }
        })
        .forget();
    }
}

/// Whether a newer version of the app is ready (reactive).
pub fn update_available() -> bool {
    state(|s| s.update_available.get())
}

/// Asks the server whether there is a new version (a new service worker,
/// or new app files). Offline this quietly does nothing.
pub fn check_for_update() {
    if let Some(registration) = state(|s| s.registration.borrow().clone())
        && let Ok(promise) = registration.update()
    {
        spawn_local(async move {
            // Offline or server down: try again at the next occasion.
            let _ = JsFuture::from(promise).await;
        });
    }
    if let Some(controller) = container().and_then(|c| c.controller()) {
        post(&controller, "regie-check");
    }
}

/// Reloads into the new version: lets a new service worker take over
/// first (waiting for it to finish installing if it is still busy). Only
/// ever called when the person asks for it.
pub fn reload_for_update() {
    state(|s| s.reload_requested.set(true));
    spawn_local(async {
        let registration = state(|s| s.registration.borrow().clone());
        // A new service worker may exist that this page has not heard of
        // yet: look once more (briefly: the person is waiting).
        if let Some(update) = registration.as_ref().and_then(|r| r.update().ok()) {
            let race = Promise::race(&Array::of2(&update, &sleep(TAKEOVER_WAIT_MS)));
            let _ = JsFuture::from(race).await;
        }
        let waiting = || registration.as_ref().and_then(|r| r.waiting());
        let installing = || registration.as_ref().and_then(|r| r.installing());
        let mut waited = 0;
        while waiting().is_none() && installing().is_some() && waited < TAKEOVER_WAIT_MS {
            gloo_timers::future::TimeoutFuture::new(100).await;
            waited += 100;
        }
        match waiting() {
            Some(waiting) => {
                post(&waiting, "regie-skip-waiting");
                // `controllerchange` reloads; this is the fallback if it never comes.
                gloo_timers::callback::Timeout::new(TAKEOVER_WAIT_MS, reload).forget();
            }
            None => reload(),
        }
    });
}

/// Whether the person has a dialog open (e.g. an actie's details form),
/// whose unsaved input a reload would throw away.
pub fn work_in_progress() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[role=dialog]").ok().flatten())
        .is_some()
}

/// Sends `sw.js` a message `{type: kind}`, the shape it listens for.
fn post(worker: &ServiceWorker, kind: &str) {
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &kind.into());
    let _ = worker.post_message(&message);
}

/// A promise that resolves after `ms` (to race against another promise).
fn sleep(ms: u32) -> Promise {
    Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    })
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// `navigator.serviceWorker`, where this browser has it here.
fn container() -> Option<ServiceWorkerContainer> {
    super::navigator_api("serviceWorker")
}

/// Whether a service worker serves this page: only then is a newly
/// installed one an update (the very first worker is none).
fn has_controller() -> bool {
    container().and_then(|c| c.controller()).is_some()
}

/// Registers `sw.js` and follows its updates. Without service workers
/// (plain `http://` on a LAN address) the app still runs, only not offline.
fn register() {
    let Some(container) = container() else {
        leptos::logging::warn!("no service worker support here: the app will not start offline");
        return;
    };
    EventListener::new(&container, "message", |event| {
        let Some(data) = event.dyn_ref::<web_sys::MessageEvent>().map(|e| e.data()) else {
            return;
        };
        if text(&data, "type").as_deref() == Some("regie-version")
            && let Some(build) = text(&data, "build")
        {
            let own = own_build();
            if !own.is_empty() && build != own {
                state(|s| s.update_available.set(true));
            }
        }
    })
    .forget();
    EventListener::new(&container, "controllerchange", |_| {
        if state(|s| s.reload_requested.get()) {
            reload();
        }
    })
    .forget();

    let promise = container.register("/sw.js");
    spawn_local(async move {
        match JsFuture::from(promise).await {
            Ok(registration) => {
                let registration: ServiceWorkerRegistration = registration.unchecked_into();
                watch_registration(&registration);
                state(|s| *s.registration.borrow_mut() = Some(registration));
                check_for_update();
            }
            Err(e) => leptos::logging::warn!("service worker not registered: {e:?}"),
        }
    });
}

/// Shows the banner when a new service worker has installed next to the
/// one serving this page (the very first worker is no update).
fn watch_registration(registration: &ServiceWorkerRegistration) {
    if registration.waiting().is_some() && has_controller() {
        state(|s| s.update_available.set(true));
    }
    let watched = registration.clone();
    EventListener::new(registration, "updatefound", move |_| {
        let Some(worker) = watched.installing() else {
            return;
        };
        let installing = worker.clone();
        EventListener::new(&worker, "statechange", move |_| {
            if installing.state() == ServiceWorkerState::Installed && has_controller() {
                state(|s| s.update_available.set(true));
            }
        })
        .forget();
    })
    .forget();
}

/// A string field of a message from `sw.js` (any other shape: `None`).
fn text(data: &JsValue, key: &str) -> Option<String> {
    Reflect::get(data, &key.into()).ok()?.as_string()
}
