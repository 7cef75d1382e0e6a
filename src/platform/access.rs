//! Share-link tokens in the browser: the token arrives in a link
//! (`?token=...`), is kept in localStorage with the access it gives, and
//! goes along to the relay. The relay decides; the stored access only lets
//! the UI say "alleen lezen" while offline.
//!
//! Once kept, the token leaves the address bar (`history.replaceState`, the
//! rest of the address stays), so it is not in the browser's history, in
//! addresses people copy, or in a `Referer`. `/api/*` gets it as
//! `Authorization: Bearer`; only the sync WebSocket's URL carries it, as a
//! browser cannot give a WebSocket a header.

use gloo_net::http::Request;
use regie_core::DocumentId;
use regie_core::direct::ice::{self, IceServer};
use regie_core::text::Text;
use serde::Deserialize;

use super::device::local_storage;

/// The token, as it came in the link (a plain string).
const TOKEN_KEY: &str = "regie.token";
/// Whether the token allowed writing when last checked: `true` or `false`.
const WRITE_KEY: &str = "regie.write";
/// The one document the token allows, when it allows only one.
const ONLY_KEY: &str = "regie.only";
/// The STUN/TURN servers the relay named for direct links (JSON).
const ICE_KEY: &str = "regie.ice";

/// What the relay says a token allows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccessInfo {
    /// May change documents.
    pub write: bool,
    /// Only this document, or every document.
    pub doc: Option<DocumentId>,
    /// STUN/TURN servers for direct links (none: host candidates only).
    #[serde(default)]
    pub ice: Vec<IceServer>,
}

/// Why the access check gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessError {
    /// The relay refused the token (unknown or revoked).
    Refused,
    /// The relay could not be reached.
    Unreachable,
}

/// Keeps a token that came in the page's link, and returns the token to use.
/// A kept token is taken out of the address bar.
pub fn token() -> Option<String> {
    let window = web_sys::window()?;
    let search = window.location().search().ok()?;
    let from_link = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get("token")
        .filter(|t| !t.is_empty());
    let Some(token) = from_link else {
        return local_storage::get(TOKEN_KEY);
    };
    if local_storage::get(TOKEN_KEY).as_deref() != Some(token.as_str()) {
        // A new link: forget what the old token allowed.
        local_storage::remove(WRITE_KEY);
    }
    local_storage::set(TOKEN_KEY, &token);
    // Only a token this browser will find again may leave the address
    // (without storage, a reload would need the link once more).
    if local_storage::get(TOKEN_KEY).as_deref() == Some(token.as_str()) {
        forget_in_address(&window);
    }
    Some(token)
}

/// Replaces this page's history entry by the same address without
/// `token`: path, other parameters and hash stay.
fn forget_in_address(window: &web_sys::Window) {
    let Ok(href) = window.location().href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    url.search_params().delete("token");
    let Ok(history) = window.history() else {
        return;
    };
    // Keep the entry's state (the router's); only the address changes.
    let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
    if history
        .replace_state_with_url(&state, "", Some(&url.href()))
        .is_err()
    {
        leptos::logging::warn!("could not take the token out of the address");
    }
}

/// Whether the last known access allowed writing (`None`: never checked).
pub fn stored_write() -> Option<bool> {
    local_storage::get(WRITE_KEY).map(|value| value == "true")
}

fn store_write(write: bool) {
    local_storage::set(WRITE_KEY, if write { "true" } else { "false" });
}

/// What this browser's link allowed when last checked, for what it tells
/// and grants direct peers (never checked: everything, as a device with no
/// relay is local-first; a direct peer trusts only what it grants itself).
pub fn stored_access() -> regie_core::Access {
    regie_core::Access {
        write: stored_write() != Some(false),
        only: local_storage::get(ONLY_KEY).and_then(|d| d.parse().ok()),
        ..regie_core::Access::FULL
    }
}

/// The STUN/TURN servers the relay last named (checked again when read:
/// the browser's storage is not trusted either).
pub fn stored_ice() -> Vec<IceServer> {
    local_storage::get(ICE_KEY)
        .map(|text| ice::decode(&text))
        .unwrap_or_default()
}

fn store_only(only: Option<DocumentId>) {
    match only {
        Some(doc) => {
            local_storage::set(ONLY_KEY, &doc.to_string());
        }
        None => local_storage::remove(ONLY_KEY),
    }
}

fn encode(token: &str) -> String {
    String::from(js_sys::encode_uri_component(token))
}

/// `Authorization: Bearer <token>`, if the token can stand in a header (a
/// token from a link could hold anything; the relay's never hold more than
/// visible ASCII).
fn authorization(token: &str) -> Option<String> {
    (!token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic()))
        .then(|| format!("Bearer {token}"))
}

/// The relay's sync URL with the token: the server that served the app.
pub fn sync_url(token: &str) -> String {
    let location = web_sys::window().expect("a browser window").location();
    let secure = location.protocol().is_ok_and(|p| p == "https:");
    let host = location.host().unwrap_or_else(|_| "localhost".into());
    let scheme = if secure { "wss" } else { "ws" };
    format!("{scheme}://{host}/sync?token={}", encode(token))
}

/// Asks the relay what the token allows, and remembers it.
pub async fn check(token: &str) -> Result<AccessInfo, AccessError> {
    let authorization = authorization(token).ok_or(AccessError::Refused)?;
    let response = Request::get("/api/access")
        .header("authorization", &authorization)
        .send()
        .await
        .map_err(|_| AccessError::Unreachable)?;
    match response.status() {
        200 => {
            let info: AccessInfo = response
                .json()
                .await
                .map_err(|_| AccessError::Unreachable)?;
            store_write(info.write);
            store_only(info.doc);
            local_storage::set(ICE_KEY, &ice::encode(&info.ice));
            Ok(info)
        }
        401 | 403 => Err(AccessError::Refused),
        _ => Err(AccessError::Unreachable),
    }
}

#[derive(Deserialize)]
struct ShareAnswer {
    path: String,
}

/// Asks the relay for a read-only link to a document; returns the full URL,
/// or what to tell people.
pub async fn create_read_link(token: &str, doc: DocumentId) -> Result<String, Text> {
    let body = format!("{{\"doc\":\"{doc}\"}}");
    let authorization = authorization(token).ok_or(Text::key("core.no_share_link"))?;
    let refused = |_| Text::key("core.no_read_link");
    let request = Request::post("/api/share")
        .header("authorization", &authorization)
        .header("content-type", "application/json")
        .body(body)
        .map_err(refused)?;
    let response = request
        .send()
        .await
        .map_err(|_| Text::key("core.server_unreachable"))?;
    if response.status() != 201 {
        return Err(Text::key("core.no_read_link"));
    }
    let answer: ShareAnswer = response.json().await.map_err(refused)?;
    // The relay answers with a plan path; the link should open the page the
    // person is on (a plan, a ronde tafel, a campaign), with the new token.
    match answer.path.split_once("?token=") {
        Some((_, new_token)) => Ok(page_link(new_token)),
        None => Ok(format!("{}{}", origin(), answer.path)),
    }
}

/// A link to the page this browser shows, carrying `token`.
pub fn page_link(token: &str) -> String {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".to_owned());
    format!("{}{path}?token={token}", origin())
}

/// This app's origin, e.g. `http://127.0.0.1:8080`.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}
