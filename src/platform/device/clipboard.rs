//! Copying a text to the clipboard (`navigator.clipboard`, which exists only
//! in a secure context and may be refused); where it fails, the caller
//! leaves the text selected for the person to copy.

use wasm_bindgen_futures::JsFuture;

/// Copies `text`; whether the browser took it.
pub async fn copy_text(text: &str) -> bool {
    let Some(clipboard) = super::navigator_api::<web_sys::Clipboard>("clipboard") else {
        return false;
    };
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}
