//! Share-link tokens in the browser: the token arrives in a link
//! (`?token=...`), is kept in localStorage with the access it gives, and
//! goes along to the relay. The relay decides; the stored access only lets
//! the UI say "alleen lezen" while offline.

use gloo_net::http::Request;
use regie_core::DocumentId;
use serde::Deserialize;

const TOKEN_KEY: &str = "regie.token";
const WRITE_KEY: &str = "regie.write";

/// What the relay says a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct AccessInfo {
    /// May change documents.
    pub write: bool,
    /// Only this document, or every document.
    pub doc: Option<DocumentId>,
}

/// Why the access check gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessError {
    /// The relay refused the token (unknown or revoked).
    Refused,
    /// The relay could not be reached.
    Unreachable,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Keeps a token that came in the page's link, and returns the token to use.
pub fn token() -> Option<String> {
    let storage = storage()?;
    let search = web_sys::window()?.location().search().ok()?;
    let from_link = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get("token")
        .filter(|t| !t.is_empty());
    if let Some(token) = from_link {
        if storage.get_item(TOKEN_KEY).ok().flatten().as_deref() != Some(token.as_str()) {
            // A new link: forget what the old token allowed.
            let _ = storage.remove_item(WRITE_KEY);
        }
        let _ = storage.set_item(TOKEN_KEY, &token);
    }
    storage.get_item(TOKEN_KEY).ok().flatten()
}

/// Whether the last known access allowed writing (`None`: never checked).
pub fn stored_write() -> Option<bool> {
    let value = storage()?.get_item(WRITE_KEY).ok().flatten()?;
    Some(value == "true")
}

fn store_write(write: bool) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(WRITE_KEY, if write { "true" } else { "false" });
    }
}

fn encode(token: &str) -> String {
    String::from(js_sys::encode_uri_component(token))
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
    let response = Request::get(&format!("/api/access?token={}", encode(token)))
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

/// Asks the relay for a read-only link to a document; returns the full URL.
pub async fn create_read_link(token: &str, doc: DocumentId) -> Result<String, String> {
    let body = format!("{{\"doc\":\"{doc}\"}}");
    let request = Request::post(&format!("/api/share?token={}", encode(token)))
        .header("content-type", "application/json")
        .body(body)
        .map_err(|e| e.to_string())?;
    let response = request.send().await.map_err(|_| {
        "De server is niet bereikbaar; probeer het opnieuw als je online bent.".to_owned()
    })?;
    if response.status() != 201 {
        return Err(response
            .text()
            .await
            .unwrap_or_else(|_| "Geen leeslink gekregen.".into()));
    }
    let answer: ShareAnswer = response.json().await.map_err(|e| e.to_string())?;
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
