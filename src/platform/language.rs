//! The interface language chosen on this browser: kept in localStorage, so
//! it holds across reloads and for every tab, and told to the browser as
//! `<html lang>` (screen readers pronounce the page by it).
//!
//! Without a stored choice the interface is Dutch, whatever the browser's
//! own language: Regie is made for Ghent's social workers.
//!
//! The choice is kept as the language's code (`nl`, `en`), a plain string.

use super::device::local_storage;
use crate::i18n::Lang;

const KEY: &str = "regie.language";

/// The language chosen on this browser, or Dutch.
pub fn load() -> Lang {
    local_storage::get(KEY)
        .and_then(|code| Lang::from_code(&code))
        .unwrap_or_default()
}

/// Remembers the choice (a browser that refuses storage only forgets it
/// on the next start) and marks the page with it.
pub fn save(lang: Lang) {
    if !local_storage::set(KEY, lang.code()) {
        leptos::logging::warn!("language choice not stored");
    }
    mark_page(lang);
}

/// Sets `<html lang>`.
pub fn mark_page(lang: Lang) {
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", lang.html_lang());
    }
}
