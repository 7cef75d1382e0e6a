//! The page's side of the QR decoder worker (`crates/regie-qr-worker`), for
//! browsers without a `BarcodeDetector`: the worker is started only when a
//! scan starts (its files are named by no page, so the first download does
//! not carry them), each camera frame is drawn on a canvas off the page,
//! scaled down, and its pixels are handed over (transferred, not copied);
//! the worker answers with the code it read or `null`.
//!
//! The worker says it is ready with an empty message; frames are only sent
//! after that and one at a time (the scanner waits for each answer).

use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8ClampedArray};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{
    CanvasRenderingContext2d, Event, HtmlCanvasElement, HtmlVideoElement, MessageEvent, Worker,
};

/// Trunk's loader for the worker (`data-loader-shim`, not hashed).
const WORKER: &str = "/regie-qr-worker_loader.js";
/// Longest side of a frame sent, in pixels (a QR code held up to the
/// camera fills much of it; fewer pixels read faster).
const MAX_SIDE: u32 = 720;

/// What the worker said.
pub enum Reply {
    /// It has loaded and takes frames.
    Ready,
    /// No code in the last frame.
    Nothing,
    /// The text of the code in the last frame.
    Code(String),
    /// It could not load or failed.
    Failed,
}

/// Whether this browser can run the worker.
pub fn available() -> bool {
    let global = js_sys::global();
    ["Worker", "WebAssembly"]
        .iter()
        .all(|name| Reflect::has(&global, &(*name).into()).unwrap_or(false))
}

/// A started worker and the canvas frames are read from; dropping it ends
/// the worker.
pub struct FrameReader {
    worker: Worker,
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl FrameReader {
    /// Starts the worker; `on_reply` hears each of its answers (from the
    /// worker's event, so it must not drop this reader synchronously).
    pub fn start(on_reply: impl Fn(Reply) + 'static) -> Option<FrameReader> {
        let document = web_sys::window()?.document()?;
        let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
        let options = Object::new();
        Reflect::set(&options, &"willReadFrequently".into(), &JsValue::TRUE).ok()?;
        let context: CanvasRenderingContext2d = canvas
            .get_context_with_context_options("2d", &options)
            .ok()??
            .dyn_into()
            .ok()?;
        let worker = Worker::new(WORKER).ok()?;
        let on_reply = Rc::new(on_reply);
        let on_failure = on_reply.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            on_reply(match data.as_string() {
                _ if data.is_undefined() => Reply::Ready,
                Some(code) if !code.is_empty() => Reply::Code(code),
                _ => Reply::Nothing,
            });
        });
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| on_failure(Reply::Failed));
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(FrameReader {
            worker,
            canvas,
            context,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends the video's current frame; whether one was sent.
    pub fn post(&self, video: &HtmlVideoElement) -> bool {
        let (width, height) = (video.video_width(), video.video_height());
        if width == 0 || height == 0 {
            return false;
        }
        let scale = (f64::from(MAX_SIDE) / f64::from(width.max(height))).min(1.0);
        let (w, h) = (
            (f64::from(width) * scale).round().max(1.0),
            (f64::from(height) * scale).round().max(1.0),
        );
        if self.canvas.width() != w as u32 || self.canvas.height() != h as u32 {
            self.canvas.set_width(w as u32);
            self.canvas.set_height(h as u32);
        }
        if self
            .context
            .draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, w, h)
            .is_err()
        {
            return false;
        }
        let Ok(image) = self.context.get_image_data(0.0, 0.0, w, h) else {
            return false;
        };
        // The pixels as the JS array they are, not copied through wasm.
        let Some(pixels) = Reflect::get(&image, &"data".into())
            .ok()
            .and_then(|p| p.dyn_into::<Uint8ClampedArray>().ok())
        else {
            return false;
        };
        let frame = Object::new();
        let set = |name: &str, value: &JsValue| Reflect::set(&frame, &name.into(), value).is_ok();
        if !(set("width", &w.into()) && set("height", &h.into()) && set("pixels", &pixels)) {
            return false;
        }
        self.worker
            .post_message_with_transfer(&frame, &Array::of1(&pixels.buffer()))
            .is_ok()
    }
}

impl Drop for FrameReader {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
