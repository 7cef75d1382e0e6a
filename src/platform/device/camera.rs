//! The camera as a QR scanner, for pairing with a device nearby: the back
//! camera (`getUserMedia`, `facingMode: "environment"`) into a `<video>`
//! the UI renders, a few frames a second read by the browser's own
//! `BarcodeDetector` (QR only) where it has one, else by the QR decoder
//! worker, started only now ([`super::qr_worker`]).
//!
//! The camera exists only in a secure context, and only after the person
//! allows it; each way it can fail is a message by key (`nearby.*`). Every
//! track stops when a code is read, when the scan is stopped, and when the
//! component that asked for the scanner goes (`on_cleanup`), so the camera
//! light never stays on behind a closed dialog.
//!
//! `BarcodeDetector` has no `web-sys` bindings: it is found and called
//! through `js_sys::Reflect`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use js_sys::{Array, Function, Reflect};
use leptos::html::Video;
use leptos::prelude::*;
use regie_core::text::Text;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{MediaDevices, MediaStream, MediaStreamConstraints, MediaStreamTrack};

use super::qr_worker::{self, FrameReader, Reply};

/// Frames looked at per second, at most (each look is one `detect`).
const LOOK_EVERY_MS: u32 = 250;

/// Where a scan is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanState {
    /// The camera is off.
    Off,
    /// Asking for the camera (the browser may be asking the person).
    Starting,
    /// The camera runs and frames are being read.
    Scanning,
    /// A code was read; the camera is off again.
    Scanned(String),
    /// The scan could not start or stopped on an error (a `nearby.*` key).
    Failed(Text),
}

/// What the platform holds of a scan under way.
#[derive(Default)]
struct Running {
    /// Bumped by every start and stop: a late answer of an older scan is dropped.
    generation: u32,
    stream: Option<MediaStream>,
    looking: Option<Interval>,
    /// A `detect` is under way (frames are skipped until it answers).
    busy: bool,
    /// The decoder worker, where the browser has no `BarcodeDetector`.
    worker: Option<FrameReader>,
}

impl Running {
    /// Stops the timer and every track.
    fn halt(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        self.looking = None;
        self.busy = false;
        self.worker = None;
        if let Some(stream) = self.stream.take() {
            stop_tracks(&stream);
        }
    }
}

thread_local! {
    /// The scans of this page by scanner id (the browser's objects stay on
    /// this thread; the reactive handles only carry the id).
    static SCANS: RefCell<HashMap<u32, Running>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f` on scanner `id`'s scan, if that scanner still exists.
fn with_running<R>(id: u32, f: impl FnOnce(&mut Running) -> R) -> Option<R> {
    SCANS.with(|scans| scans.borrow_mut().get_mut(&id).map(f))
}

/// A QR scanner over the camera, for one component (see [`use_scanner`]).
#[derive(Clone, Copy)]
pub struct Scanner {
    id: u32,
    state: RwSignal<ScanState>,
    video: NodeRef<Video>,
    on_scanned: StoredValue<Rc<dyn Fn(String)>, LocalStorage>,
}

/// A scanner that shows the camera in `video` and calls `on_scanned` with
/// the first code it reads. The camera stops when the calling component is
/// cleaned up.
pub fn use_scanner(video: NodeRef<Video>, on_scanned: impl Fn(String) + 'static) -> Scanner {
    let id = NEXT_ID.with(|next| next.replace(next.get().wrapping_add(1)));
    SCANS.with(|scans| scans.borrow_mut().insert(id, Running::default()));
    on_cleanup(move || {
        if let Some(mut running) = SCANS.with(|scans| scans.borrow_mut().remove(&id)) {
            running.halt();
        }
    });
    Scanner {
        id,
        state: RwSignal::new(ScanState::Off),
        video,
        on_scanned: StoredValue::new_local(Rc::new(on_scanned)),
    }
}

/// Whether scan `generation` of scanner `id` is still the one under way.
fn current(id: u32, generation: u32) -> bool {
    with_running(id, |r| r.generation == generation).unwrap_or(false)
}

/// Whether a scan can work on this page: a secure context with a camera
/// API and a way to read QR codes. Where it cannot, the code is typed or
/// pasted.
pub fn can_scan() -> bool {
    secure_context()
        && super::navigator_api::<MediaDevices>("mediaDevices").is_some()
        && (detector().is_some() || qr_worker::available())
}

impl Scanner {
    /// Where the scan is (tracked).
    pub fn state(&self) -> ScanState {
        self.state.get()
    }

    /// Whether the camera is on or being asked for (tracked).
    pub fn active(&self) -> bool {
        matches!(self.state.get(), ScanState::Starting | ScanState::Scanning)
    }

    /// Starts the camera and reads frames until a code is read or
    /// [`stop`](Self::stop) is called.
    pub fn start(self) {
        let Some(generation) = with_running(self.id, |running| {
            running.halt();
            running.generation
        }) else {
            return;
        };
        self.state.set(ScanState::Starting);
        spawn_local(async move {
            if let Err(said) = self.open(generation).await
                && current(self.id, generation)
            {
                with_running(self.id, Running::halt);
                self.detach();
                let _ = self.state.try_set(ScanState::Failed(said));
            }
        });
    }

    /// Stops the camera (nothing happens when it is off).
    pub fn stop(self) {
        with_running(self.id, Running::halt);
        self.detach();
        if matches!(
            self.state.try_get_untracked(),
            Some(ScanState::Starting | ScanState::Scanning)
        ) {
            self.state.set(ScanState::Off);
        }
    }

    async fn open(self, generation: u32) -> Result<(), Text> {
        if !secure_context() {
            return Err(Text::key("nearby.not_secure"));
        }
        let devices = super::navigator_api::<MediaDevices>("mediaDevices")
            .ok_or(Text::key("nearby.no_camera"))?;
        let detector = detector();
        if detector.is_none() {
            // Loads while the person is asked for the camera; no frame goes
            // to it before it says it is ready.
            let reader = FrameReader::start(move |reply| {
                // Not inside the worker's event: an answer may end the worker.
                spawn_local(async move { self.reply(generation, reply) });
            })
            .ok_or(Text::key("nearby.no_detector"))?;
            with_running(self.id, |running| {
                running.worker = Some(reader);
                running.busy = true;
            });
        }
        let constraints = MediaStreamConstraints::new();
        let video_constraints = web_sys::MediaTrackConstraints::new();
        // An ideal, not a demand: a laptop with only a front camera still scans.
        video_constraints.set_facing_mode_str("environment");
        constraints.set_video(&video_constraints);
        constraints.set_audio(&JsValue::FALSE);
        let asked = devices
            .get_user_media_with_constraints(&constraints)
            .map_err(|e| camera_error(&e))?;
        let stream: MediaStream = JsFuture::from(asked)
            .await
            .map_err(|e| camera_error(&e))?
            .unchecked_into();
        if !current(self.id, generation) {
            // Stopped while the person was asked.
            stop_tracks(&stream);
            return Ok(());
        }
        let Some(video) = self.video.try_get_untracked().flatten() else {
            stop_tracks(&stream);
            return Ok(());
        };
        with_running(self.id, |running| running.stream = Some(stream.clone()));
        video.set_muted(true);
        // iOS Safari plays full screen without it.
        let _ = video.set_attribute("playsinline", "");
        video.set_src_object(Some(&stream));
        if let Ok(playing) = video.play() {
            let _ = JsFuture::from(playing).await;
        }
        if !current(self.id, generation) {
            return Ok(());
        }
        let _ = self.state.try_set(ScanState::Scanning);
        let looking = Interval::new(LOOK_EVERY_MS, move || self.look(&detector, generation));
        with_running(self.id, |running| running.looking = Some(looking));
        Ok(())
    }

    /// Reads one frame, unless the last read is still under way.
    fn look(self, detector: &Option<JsValue>, generation: u32) {
        let Some(video) = self.video.try_get_untracked().flatten() else {
            return;
        };
        let go = with_running(self.id, |running| {
            // HAVE_CURRENT_DATA: there is a frame to read.
            let go = !running.busy && running.generation == generation && video.ready_state() >= 2;
            running.busy |= go;
            go
        });
        if go != Some(true) {
            return;
        }
        let Some(detector) = detector else {
            // Busy until the worker answers, if the frame went out.
            with_running(self.id, |running| {
                running.busy = running.worker.as_ref().is_some_and(|w| w.post(&video));
            });
            return;
        };
        let detect = Reflect::get(detector, &"detect".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .and_then(|f| f.call1(detector, &video).ok())
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
        let Some(detect) = detect else {
            with_running(self.id, |running| running.busy = false);
            return;
        };
        spawn_local(async move {
            let found = JsFuture::from(detect)
                .await
                .ok()
                .and_then(|found| first_code(&found));
            if !current(self.id, generation) {
                return;
            }
            with_running(self.id, |running| running.busy = false);
            if let Some(code) = found {
                self.found(code);
            }
        });
    }

    /// An answer of the decoder worker to scan `generation`.
    fn reply(self, generation: u32, reply: Reply) {
        if !current(self.id, generation) {
            return;
        }
        match reply {
            Reply::Ready | Reply::Nothing => {
                with_running(self.id, |running| running.busy = false);
            }
            Reply::Code(code) => self.found(code),
            Reply::Failed => {
                with_running(self.id, Running::halt);
                self.detach();
                let _ = self
                    .state
                    .try_set(ScanState::Failed(Text::key("nearby.no_detector")));
            }
        }
    }

    /// A code was read: the camera stops and the caller hears it.
    fn found(self, code: String) {
        with_running(self.id, Running::halt);
        self.detach();
        let _ = self.state.try_set(ScanState::Scanned(code.clone()));
        if let Some(on_scanned) = self.on_scanned.try_get_value() {
            on_scanned(code);
        }
    }

    /// Takes the stream off the video element.
    fn detach(self) {
        if let Some(video) = self.video.try_get_untracked().flatten() {
            video.set_src_object(None);
        }
    }
}

/// The page may use the camera (https, or localhost).
fn secure_context() -> bool {
    web_sys::window().is_some_and(|w| w.is_secure_context())
}

/// A `BarcodeDetector` for QR codes, where the browser has one.
fn detector() -> Option<JsValue> {
    let window = web_sys::window()?;
    let class = Reflect::get(&window, &"BarcodeDetector".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let options = js_sys::Object::new();
    Reflect::set(&options, &"formats".into(), &Array::of1(&"qr_code".into())).ok()?;
    Reflect::construct(&class, &Array::of1(&options)).ok()
}

/// The `rawValue` of the first code `detect` found, if any.
fn first_code(found: &JsValue) -> Option<String> {
    let first = Array::from(found).get(0);
    let code = Reflect::get(&first, &"rawValue".into()).ok()?.as_string()?;
    (!code.is_empty()).then_some(code)
}

/// What a refused `getUserMedia` means, by the `DOMException`'s name.
fn camera_error(error: &JsValue) -> Text {
    let name = Reflect::get(error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    Text::key(match name.as_str() {
        "NotAllowedError" | "PermissionDeniedError" => "nearby.camera_refused",
        "SecurityError" => "nearby.not_secure",
        "NotFoundError" | "DevicesNotFoundError" | "OverconstrainedError" => "nearby.no_camera",
        _ => "nearby.camera_failed",
    })
}

fn stop_tracks(stream: &MediaStream) {
    for track in stream.get_tracks() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}
