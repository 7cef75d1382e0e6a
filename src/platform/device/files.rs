//! Saving and opening files: a download made from bytes (exports,
//! backups) and the file a person chose in an `<input type="file">`
//! (merging a backup back in). Blobs, object URLs and reading are
//! `gloo-file`'s; this module only adds the download link and the Dutch
//! messages.

use gloo_file::{Blob, FileList, ObjectUrl};
use regie_core::text::Text;
use wasm_bindgen::{JsCast as _, JsValue};
use web_sys::{HtmlAnchorElement, HtmlInputElement};

/// How long a download's object URL stays valid (ms). The browser has read
/// the blob long before this; then it is freed.
const KEEP_URL_MS: u32 = 60_000;

/// A file the person chose.
#[derive(Debug, Clone)]
pub struct ChosenFile {
    /// Its name, as the device shows it.
    pub name: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// Offers `bytes` as a download named `name`.
pub fn save_file(name: &str, mime: &str, bytes: &[u8]) -> Result<(), Text> {
    let failed = |e: JsValue| Text::key("file.not_saved").with("detail", format!("{e:?}"));
    let url = ObjectUrl::from(Blob::new_with_options(bytes, Some(mime)));
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(Text::key("file.no_page"))?;
    // A hidden `<a download>`, clicked once: how a page hands the browser
    // a file to save, in every browser, without a file picker.
    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(failed)?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    let body = document.body().ok_or(Text::key("file.no_page"))?;
    body.append_child(&link).map_err(failed)?;
    link.click();
    link.remove();
    // Dropping the last `ObjectUrl` revokes it: keep it until the download
    // has surely read the blob.
    gloo_timers::callback::Timeout::new(KEEP_URL_MS, move || drop(url)).forget();
    Ok(())
}

/// The file chosen in the `<input type="file">` that fired `event`, read
/// whole. The input is cleared, so choosing the same file again works.
pub async fn chosen_file(event: &web_sys::Event) -> Result<Option<ChosenFile>, Text> {
    let Some(input) = event
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        return Ok(None);
    };
    let Some(file) = input
        .files()
        .and_then(|files| FileList::from(files).first().cloned())
    else {
        return Ok(None);
    };
    let name = file.name();
    let bytes = gloo_file::futures::read_as_bytes(&file)
        .await
        .map_err(|e| Text::key("file.not_read").with("detail", e))?;
    input.set_value("");
    Ok(Some(ChosenFile { name, bytes }))
}
