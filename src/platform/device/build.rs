//! Which build of the app this page runs, told by the hashed file names
//! Trunk gave it. The service worker (`public/sw.js`, `buildOf`) computes
//! the same from the server's page; when the two differ, a new version is
//! out (see [`super::service_worker`]).

use wasm_bindgen::JsCast as _;

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

/// Which build this page runs: its hashed app files (`name-<hash>.js`, up to 16 hex,
/// `.css`, `_bg.wasm`), sorted and joined by spaces. `sw.js` computes the
/// same from the server's page, so the two can be compared as strings.
pub(super) fn own_build() -> String {
    let Some(links) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all("link[href]").ok())
    else {
        return String::new();
    };
    let mut hashed: Vec<String> = (0..links.length())
        .filter_map(|i| links.item(i)?.dyn_into::<web_sys::Element>().ok())
        .filter_map(|link| link.get_attribute("href"))
        .filter(|href| is_hashed_file(href))
        .collect();
    // Sorted and without repeats, like `sw.js`: the order of the `<link>`s
    // is no part of the build.
    hashed.sort();
    hashed.dedup();
    hashed.join(" ")
}

/// Whether a path is one of Trunk's hashed app files (`/name-<hash>`, 8 to 16 hex digits,
/// with `.css`, `.js`, `_bg.wasm` or `.wasm`); icons and the manifest keep
/// their names across builds, so they say nothing about the version.
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
        // Trunk writes its 64-bit hash without leading zeros.
        && (8..=16).contains(&hash.len())
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
