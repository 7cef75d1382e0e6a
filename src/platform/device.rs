//! This device: persistent storage, used and available space, the service
//! worker and new versions of the app, saving and opening files.
//!
//! Components read small signals and call small functions here; they never
//! touch `navigator`, the service worker or `Blob`s themselves.
//!
//! Several of these APIs (`navigator.storage`, the service worker
//! registration, `Blob`, `URL.createObjectURL`, `File`) are reached through
//! `js_sys::Reflect` rather than typed `web-sys` bindings: that keeps the
//! crate's `web-sys` feature list short, and each API is feature-checked
//! anyway because it is missing outside secure contexts (a relay on a
//! meeting room's Wi-Fi serves plain `http://`).
//!
//! The service worker (`public/sw.js`) keeps the app on the device and
//! serves it from there. A new version is noticed in two ways: a new
//! `sw.js` installs and waits, or the worker, asked by [`check_for_update`],
//! finds that the server's page names other (hashed) app files than the
//! page this tab runs. Either way [`update_available`] turns true and the
//! banner offers to reload; nothing reloads by itself.

use std::cell::{Cell, RefCell};

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::{JsFuture, spawn_local};

/// Above this share of the quota the app warns that space runs out.
pub const WARN_AT: f64 = 0.8;

/// How often the used space is measured again (ms).
const ESTIMATE_EVERY_MS: u32 = 60_000;
/// How often the server is asked for a new version while the app is open (ms).
const UPDATE_CHECK_EVERY_MS: u32 = 30 * 60_000;
/// How long to wait for the new service worker to take over before
/// reloading anyway (ms).
const TAKEOVER_WAIT_MS: u32 = 3_000;

/// Used and available space for this site, as the browser estimates it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StorageEstimate {
    /// Bytes used (IndexedDB, the app's cache, ...).
    pub usage: f64,
    /// Bytes this site may use at most.
    pub quota: f64,
}

impl StorageEstimate {
    /// The used share of the quota, 0..=1.
    pub fn fraction(&self) -> f64 {
        if self.quota > 0.0 {
            (self.usage / self.quota).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// Whether space is running out.
    pub fn nearly_full(&self) -> bool {
        self.quota > 0.0 && self.usage / self.quota > WARN_AT
    }
}

/// A file the person chose.
#[derive(Debug, Clone)]
pub struct ChosenFile {
    /// Its name, as the device shows it.
    pub name: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// What this module keeps for the page's lifetime. `Arc` signals are not
/// owned by any component, so they outlive the page that first reads them.
struct State {
    update_available: ArcRwSignal<bool>,
    estimate: ArcRwSignal<Option<StorageEstimate>>,
    persisted: ArcRwSignal<Option<bool>>,
    registration: RefCell<Option<JsValue>>,
    reload_requested: Cell<bool>,
    started: Cell<bool>,
}

thread_local! {
    static STATE: State = State {
        update_available: ArcRwSignal::new(false),
        estimate: ArcRwSignal::new(None),
        persisted: ArcRwSignal::new(None),
        registration: RefCell::new(None),
        reload_requested: Cell::new(false),
        started: Cell::new(false),
    };
}

fn state<R>(f: impl FnOnce(&State) -> R) -> R {
    STATE.with(f)
}

/// Starts watching this device: registers the service worker, follows new
/// versions, asks for persistent storage and measures the space used. Call
/// once, at start-up.
pub fn start() {
    if state(|s| s.started.replace(true)) {
        return;
    }
    register_service_worker();
    spawn_local(async {
        refresh_storage().await;
        // Ask once per start: browsers that decide by themselves (Chromium)
        // grant it to installed or much-used apps, others may ask the person.
        if state(|s| s.persisted.get_untracked()) == Some(false) {
            request_persistence().await;
        }
    });
    gloo_timers::callback::Interval::new(ESTIMATE_EVERY_MS, || spawn_local(refresh_storage()))
        .forget();
    gloo_timers::callback::Interval::new(UPDATE_CHECK_EVERY_MS, check_for_update).forget();
    // Back on the network, or back in the app: a good moment to look.
    on_window("online", check_for_update);
    on_document("visibilitychange", || {
        let visible = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| get_string(&d, "visibilityState"))
            .is_some_and(|state| state == "visible");
        if visible {
            check_for_update();
        }
    });
}

// ---------------------------------------------------------------- versions

/// Whether a newer version of the app is ready (reactive).
pub fn update_available() -> bool {
    state(|s| s.update_available.get())
}

/// This version of the app: the hash Trunk put in the wasm file's name
/// (empty when unknown, e.g. in a development build).
pub fn version() -> String {
    own_build()
        .split(' ')
        .find_map(|path| path.strip_suffix("_bg.wasm"))
        .and_then(|stem| stem.rsplit_once('-'))
        .map(|(_, hash)| hash[..8].to_owned())
        .unwrap_or_default()
}

/// Asks the server whether there is a new version (a new service worker,
/// or new app files). Offline this quietly does nothing.
pub fn check_for_update() {
    if let Some(registration) = state(|s| s.registration.borrow().clone())
        && let Ok(promise) = call(&registration, "update", &[])
    {
        spawn_local(async move {
            // Offline or server down: try again at the next occasion.
            let _ = await_value(promise).await;
        });
    }
    if let Some(controller) = container().and_then(|c| get(&c, "controller")) {
        let message = Object::new();
        let _ = Reflect::set(&message, &"type".into(), &"regie-check".into());
        let _ = call(&controller, "postMessage", &[message.into()]);
    }
}

/// Reloads into the new version: lets a new service worker take over
/// first (waiting for it to finish installing if it is still busy). Only
/// ever called when the person asks for it.
pub fn reload_for_update() {
    state(|s| s.reload_requested.set(true));
    spawn_local(async {
        let registration = state(|s| s.registration.borrow().clone());
        let worker = |name| {
            registration
                .as_ref()
                .and_then(|r| get(r, name))
                .filter(JsValue::is_object)
        };
        // A new service worker may exist that this page has not heard of
        // yet: look once more (briefly: the person is waiting).
        if let Some(update) = registration
            .as_ref()
            .and_then(|r| call(r, "update", &[]).ok())
        {
            let _ =
                await_value(Promise::race(&Array::of2(&update, &sleep(TAKEOVER_WAIT_MS))).into())
                    .await;
        }
        let mut waited = 0;
        while worker("waiting").is_none()
            && worker("installing").is_some()
            && waited < TAKEOVER_WAIT_MS
        {
            gloo_timers::future::TimeoutFuture::new(100).await;
            waited += 100;
        }
        match worker("waiting") {
            Some(waiting) => {
                let message = Object::new();
                let _ = Reflect::set(&message, &"type".into(), &"regie-skip-waiting".into());
                let _ = call(&waiting, "postMessage", &[message.into()]);
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

/// A promise that resolves after `ms`.
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

/// Which build this page runs: its hashed app files (`name-<16 hex>.js`,
/// `.css`, `_bg.wasm`), sorted and joined by spaces. `sw.js` computes the
/// same from the server's page, so the two can be compared.
fn own_build() -> String {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return String::new();
    };
    let Ok(links) = call(&document, "querySelectorAll", &["link[href]".into()]) else {
        return String::new();
    };
    let length = get(&links, "length")
        .and_then(|l| l.as_f64())
        .unwrap_or(0.0) as u32;
    let mut hashed: Vec<String> = (0..length)
        .filter_map(|i| call(&links, "item", &[i.into()]).ok())
        .filter_map(|link| {
            call(&link, "getAttribute", &["href".into()])
                .ok()?
                .as_string()
        })
        .filter(|href| is_hashed_file(href))
        .collect();
    hashed.sort();
    hashed.dedup();
    hashed.join(" ")
}

/// Whether a path is one of Trunk's hashed app files.
fn is_hashed_file(path: &str) -> bool {
    let Some(stem) = [".css", ".js", "_bg.wasm", ".wasm"]
        .iter()
        .find_map(|ext| path.strip_suffix(ext))
    else {
        return false;
    };
    let Some((_, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    path.starts_with('/')
        && hash.len() == 16
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn container() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    get(&navigator, "serviceWorker").filter(JsValue::is_object)
}

fn has_controller() -> bool {
    container()
        .and_then(|c| get(&c, "controller"))
        .is_some_and(|c| c.is_object())
}

/// Registers `sw.js` and follows its updates. Without service workers
/// (plain `http://` on a LAN address) the app still runs, only not offline.
fn register_service_worker() {
    let Some(container) = container() else {
        leptos::logging::warn!("no service worker support here: the app will not start offline");
        return;
    };
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            let data = event.data();
            if get_string(&data, "type").as_deref() == Some("regie-version")
                && let Some(build) = get_string(&data, "build")
            {
                let own = own_build();
                if !own.is_empty() && build != own {
                    state(|s| s.update_available.set(true));
                }
            }
        });
    add_listener(&container, "message", on_message.as_ref());
    on_message.forget();
    let on_controller = Closure::<dyn FnMut()>::new(|| {
        if state(|s| s.reload_requested.get()) {
            reload();
        }
    });
    add_listener(&container, "controllerchange", on_controller.as_ref());
    on_controller.forget();

    let Ok(promise) = call(&container, "register", &["/sw.js".into()]) else {
        return;
    };
    spawn_local(async move {
        match await_value(promise).await {
            Ok(registration) => {
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
fn watch_registration(registration: &JsValue) {
    let installed_update = || has_controller();
    if get(registration, "waiting").is_some_and(|w| w.is_object()) && installed_update() {
        state(|s| s.update_available.set(true));
    }
    let reg = registration.clone();
    let on_found = Closure::<dyn FnMut()>::new(move || {
        let Some(worker) = get(&reg, "installing").filter(JsValue::is_object) else {
            return;
        };
        let watched = worker.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            if get_string(&watched, "state").as_deref() == Some("installed") && installed_update() {
                state(|s| s.update_available.set(true));
            }
        });
        add_listener(&worker, "statechange", on_state.as_ref());
        on_state.forget();
    });
    add_listener(registration, "updatefound", on_found.as_ref());
    on_found.forget();
}

// ----------------------------------------------------------------- storage

/// Used and available space, if the browser tells (reactive).
pub fn storage_estimate() -> Option<StorageEstimate> {
    state(|s| s.estimate.get())
}

/// Whether the browser keeps this site's data even when the device runs
/// short of space (reactive; `None`: unknown or not supported).
pub fn persisted() -> Option<bool> {
    state(|s| s.persisted.get())
}

/// Measures the used space and the persistence again.
pub async fn refresh_storage() {
    let Some(storage) = storage_manager() else {
        return;
    };
    if let Ok(promise) = call(&storage, "persisted", &[])
        && let Ok(value) = await_value(promise).await
    {
        state(|s| s.persisted.set(value.as_bool()));
    }
    if let Ok(promise) = call(&storage, "estimate", &[])
        && let Ok(value) = await_value(promise).await
    {
        let number = |key| get(&value, key).and_then(|v| v.as_f64());
        if let (Some(usage), Some(quota)) = (number("usage"), number("quota")) {
            state(|s| s.estimate.set(Some(StorageEstimate { usage, quota })));
        }
    }
}

/// Asks the browser to keep this site's data (`navigator.storage.persist`);
/// returns whether it now does (`None`: not supported).
pub async fn request_persistence() -> Option<bool> {
    let storage = storage_manager()?;
    let granted = await_value(call(&storage, "persist", &[]).ok()?)
        .await
        .ok()?
        .as_bool();
    state(|s| s.persisted.set(granted));
    granted
}

fn storage_manager() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    get(&navigator, "storage").filter(JsValue::is_object)
}

// ------------------------------------------------------------------- files

/// Offers `bytes` as a download named `name`.
pub fn save_file(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let failed = |e: JsValue| format!("Het bestand kon niet bewaard worden ({e:?}).");
    let global = js_sys::global();
    let options = Object::new();
    Reflect::set(&options, &"type".into(), &mime.into()).map_err(failed)?;
    let parts = Array::of1(&Uint8Array::from(bytes));
    let blob_class: Function = get(&global, "Blob")
        .and_then(|c| c.dyn_into().ok())
        .ok_or("Deze browser kan geen bestanden maken.")?;
    let blob = Reflect::construct(&blob_class, &Array::of2(&parts, &options)).map_err(failed)?;
    let url_class = get(&global, "URL").ok_or("Deze browser kan geen bestanden maken.")?;
    let url = call(&url_class, "createObjectURL", &[blob]).map_err(failed)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("Geen pagina.")?;
    let link = document.create_element("a").map_err(failed)?;
    let href = url.as_string().unwrap_or_default();
    link.set_attribute("href", &href).map_err(failed)?;
    link.set_attribute("download", name).map_err(failed)?;
    link.set_attribute("hidden", "").map_err(failed)?;
    let body = document.body().ok_or("Geen pagina.")?;
    body.append_child(&link).map_err(failed)?;
    let clicked = call(&link, "click", &[]);
    link.remove();
    clicked.map_err(failed)?;
    // The download has read the blob long before this; then free it.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = call(&url_class, "revokeObjectURL", &[url]);
    })
    .forget();
    Ok(())
}

/// The file chosen in the `<input type="file">` that fired `event`, read
/// whole. The input is cleared, so choosing the same file again works.
pub async fn chosen_file(event: &web_sys::Event) -> Result<Option<ChosenFile>, String> {
    let Some(input) = event.target().map(JsValue::from) else {
        return Ok(None);
    };
    let Some(file) = get(&input, "files")
        .filter(JsValue::is_object)
        .and_then(|files| call(&files, "item", &[0.into()]).ok())
        .filter(JsValue::is_object)
    else {
        return Ok(None);
    };
    let name = get_string(&file, "name").unwrap_or_default();
    let unreadable = |e: JsValue| format!("Het bestand kon niet gelezen worden ({e:?}).");
    let buffer = await_value(call(&file, "arrayBuffer", &[]).map_err(unreadable)?)
        .await
        .map_err(unreadable)?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    let _ = Reflect::set(&input, &"value".into(), &"".into());
    Ok(Some(ChosenFile { name, bytes }))
}

// ----------------------------------------------------------------- helpers

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &key.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn get_string(target: &JsValue, key: &str) -> Option<String> {
    get(target, key)?.as_string()
}

/// Calls `target.method(...args)`.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = get(target, method)
        .ok_or_else(|| JsValue::from_str(&format!("{method} is missing")))?
        .dyn_into()?;
    function.apply(target, &args.iter().collect::<Array>())
}

async fn await_value(promise: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(promise.dyn_into::<Promise>()?).await
}

fn add_listener(target: &JsValue, event: &str, listener: &JsValue) {
    let _ = call(
        target,
        "addEventListener",
        &[event.into(), listener.clone()],
    );
}

fn on_window(event: &str, f: fn()) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let closure = Closure::<dyn FnMut()>::new(f);
    add_listener(&window, event, closure.as_ref());
    // Listens as long as the page lives.
    closure.forget();
}

fn on_document(event: &str, f: fn()) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let closure = Closure::<dyn FnMut()>::new(f);
    add_listener(&document, event, closure.as_ref());
    closure.forget();
}

/// Opens the browser's print dialog for the page (the print stylesheet
/// turns it into clean A4 pages).
pub fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
