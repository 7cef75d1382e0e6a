//! The .docx writer for a meeting's minutes: a web worker, built by Trunk
//! beside the app (`data-type="worker"` in `index.html`) but named by no
//! page, so the app's first download stays without the writer (docx-rs and
//! its zip and XML code, about 135 KB compressed). The app starts it when
//! someone saves the minutes as a Word document
//! (`src/platform/device/export_worker.rs`).
//!
//! A message in is the minutes in words as JSON (`regie_core::meeting::
//! minutes::WordsBlock`s, at most [`MAX_INPUT`] bytes); the answer is the
//! file's bytes (a `Uint8Array`), or a string saying what went wrong. An
//! empty message (`undefined`) first says the worker has loaded.

/// Largest message read (minutes of a long meeting are tens of KB).
pub const MAX_INPUT: usize = 4 * 1024 * 1024;

/// The .docx of the minutes in `json`, or why there is none.
pub fn docx_of(json: &str) -> Result<Vec<u8>, String> {
    if json.len() > MAX_INPUT {
        return Err(format!("the minutes are over {MAX_INPUT} bytes"));
    }
    let blocks: Vec<regie_core::meeting::minutes::WordsBlock> =
        serde_json::from_str(json).map_err(|e| e.to_string())?;
    regie_core::meeting::docx::write(&blocks)
}

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_minutes = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let answer = match event.data().as_string() {
            Some(json) => match docx_of(&json) {
                Ok(bytes) => js_sys::Uint8Array::from(bytes.as_slice()).into(),
                Err(why) => JsValue::from(why),
            },
            None => JsValue::from("not a text"),
        };
        let _ = reply.post_message(&answer);
    });
    scope.set_onmessage(Some(on_minutes.as_ref().unchecked_ref()));
    on_minutes.forget();
    // Ready: the page sends the minutes from now on.
    let _ = scope.post_message(&JsValue::UNDEFINED);
}

/// Nothing to do outside a browser (the workspace builds every member natively).
#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(test)]
mod tests {
    use super::*;
    use regie_core::meeting::minutes::{Style, WordsBlock};

    #[test]
    fn minutes_in_json_become_a_docx_and_anything_else_is_refused() {
        let blocks = vec![
            WordsBlock::Line(Style::Title, "Verslag".into()),
            WordsBlock::Table(vec![vec!["Organisatie".into()], vec!["OCMW".into()]]),
        ];
        let file = docx_of(&serde_json::to_string(&blocks).unwrap()).unwrap();
        assert_eq!(&file[..2], b"PK", "a zip file");
        assert!(docx_of("{\"not\": \"minutes\"}").is_err());
        assert!(
            docx_of(&" ".repeat(MAX_INPUT + 1)).is_err(),
            "too large to read"
        );
    }
}
