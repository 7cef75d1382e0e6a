//! The page's side of the Word export worker (`crates/regie-export-worker`):
//! started when someone saves a meeting's minutes as .docx, handed the
//! minutes in words as JSON once it says it is ready, and ended as soon as
//! it answers with the file's bytes (or why there are none). Its files are
//! named by no page, so the app's first download does not carry the
//! writer; the service worker keeps them once fetched.

use futures_channel::oneshot;
use js_sys::Uint8Array;
use regie_core::meeting::minutes::WordsBlock;
use regie_core::text::Text;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Event, MessageEvent, Worker};

/// Trunk's loader for the worker (`data-loader-shim`, not hashed).
const WORKER: &str = "/regie-export-worker_loader.js";

/// The minutes as a .docx file, written by the worker.
pub async fn docx(blocks: &[WordsBlock]) -> Result<Vec<u8>, Text> {
    let failed = || Text::key("meeting.docx_failed");
    let json = serde_json::to_string(blocks).map_err(|_| failed())?;
    let worker = Worker::new(WORKER).map_err(|_| Text::key("meeting.docx_unavailable"))?;
    let (answered, answer) = oneshot::channel::<Result<Vec<u8>, Text>>();
    let answered = std::rc::Rc::new(std::cell::RefCell::new(Some(answered)));
    let on_error_answer = answered.clone();
    let to = worker.clone();
    let mut minutes = Some(json);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        if data.is_undefined() {
            // Ready: hand over the minutes, once.
            if let Some(json) = minutes.take()
                && to.post_message(&JsValue::from(json)).is_err()
                && let Some(done) = answered.borrow_mut().take()
            {
                let _ = done.send(Err(failed()));
            }
            return;
        }
        let bytes = data
            .dyn_into::<Uint8Array>()
            .map(|b| b.to_vec())
            .map_err(|_| failed());
        if let Some(done) = answered.borrow_mut().take() {
            let _ = done.send(bytes);
        }
    });
    let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        if let Some(done) = on_error_answer.borrow_mut().take() {
            let _ = done.send(Err(Text::key("meeting.docx_unavailable")));
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let result = answer.await.unwrap_or_else(|_| Err(failed()));
    worker.set_onmessage(None);
    worker.set_onerror(None);
    worker.terminate();
    result
}
