//! Share-link tokens in the browser: the token arrives in a link's
//! fragment (`#token=...`, never sent to any server; older links had
//! `?token=`), is kept in localStorage with the access it gives (its scope
//! in the regie, its link id, its organisation, the documents it covers),
//! and goes along to the relay. The relay decides; the stored access lets
//! the UI show only what the link may do, also offline.
//!
//! Once kept, the token leaves the address bar (`history.replaceState`, the
//! rest of the address stays), so it is not in the browser's history, in
//! addresses people copy, or in a `Referer`. `/api/*` gets it as
//! `Authorization: Bearer`, the sync WebSocket as a subprotocol
//! (`regie.token.<token>`), so it stands in no URL.

use gloo_net::http::Request;
use regie_core::direct::ice::{self, IceServer};
use regie_core::scope::LinkScope;
use regie_core::{DocumentId, LinkId};
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
/// The link's scope (`team:<wijk>`, ...), when it has one.
const SCOPE_KEY: &str = "regie.scope";
/// The link's public id, once the relay has confirmed it.
const LINK_KEY: &str = "regie.link";
/// The organisation the link was made for, if any.
const ORGANISATION_KEY: &str = "regie.organisation";
/// The documents a scoped link covers (JSON list of ids).
const DOCS_KEY: &str = "regie.docs";
/// Every key that says something about the link (wiped with it).
pub const LINK_KEYS: [&str; 9] = [
    TOKEN_KEY,
    WRITE_KEY,
    ONLY_KEY,
    ICE_KEY,
    SCOPE_KEY,
    LINK_KEY,
    ORGANISATION_KEY,
    DOCS_KEY,
    "regie.revoked",
];
/// Set when the relay refused a link it had accepted before.
const REVOKED_KEY: &str = "regie.revoked";
/// Most documents kept from one answer (the relay lists at most 2,000).
const MAX_DOCS: usize = 2_000;

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
    /// Its scope in the regie; none: the city's.
    #[serde(default)]
    pub scope: Option<String>,
    /// Its public id.
    #[serde(default)]
    pub link: Option<String>,
    /// Who it is for, in words.
    #[serde(default)]
    pub label: Option<String>,
    /// The organisation it was made for.
    #[serde(default)]
    pub organisation: Option<String>,
    /// For a scoped link: the documents it covers.
    #[serde(default)]
    pub docs: Option<Vec<DocumentId>>,
}

/// Why the access check gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessError {
    /// The relay refused the token (unknown or revoked).
    Refused,
    /// The relay could not be reached.
    Unreachable,
}

/// The token a link brought: in the fragment (`#token=`), or in the query
/// of an older link (`?token=`).
fn token_in_link(location: &web_sys::Location) -> Option<String> {
    let hash = location.hash().ok()?;
    let in_fragment = web_sys::UrlSearchParams::new_with_str(hash.trim_start_matches('#'))
        .ok()
        .and_then(|p| p.get("token"));
    let in_query = || {
        let search = location.search().ok()?;
        web_sys::UrlSearchParams::new_with_str(&search)
            .ok()?
            .get("token")
    };
    in_fragment.or_else(in_query).filter(|t| !t.is_empty())
}

/// Keeps a token that came in the page's link, and returns the token to use.
/// A kept token is taken out of the address bar.
pub fn token() -> Option<String> {
    let window = web_sys::window()?;
    let Some(token) = token_in_link(&window.location()) else {
        return local_storage::get(TOKEN_KEY);
    };
    if local_storage::get(TOKEN_KEY).as_deref() != Some(token.as_str()) {
        // A new link: forget what the old token allowed.
        for key in LINK_KEYS {
            local_storage::remove(key);
        }
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
/// `token`: path, other parameters and the rest of the fragment stay.
fn forget_in_address(window: &web_sys::Window) {
    let Ok(href) = window.location().href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    url.search_params().delete("token");
    // Only a fragment that carries the token is rewritten (`#inhoud` and
    // other anchors stay as they are).
    let hash = url.hash();
    let fragment = hash.trim_start_matches('#');
    if fragment.split('&').any(|part| part.starts_with("token="))
        && let Ok(params) = web_sys::UrlSearchParams::new_with_str(fragment)
    {
        params.delete("token");
        url.set_hash(&String::from(params.to_string()));
    }
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
        scope: local_storage::get(SCOPE_KEY).and_then(|s| LinkScope::parse(&s)),
        link: local_storage::get(LINK_KEY).and_then(|l| LinkId::parse(&l)),
    }
}

/// The organisation this browser's link was made for, if any.
pub fn stored_organisation() -> Option<String> {
    local_storage::get(ORGANISATION_KEY)
}

/// The documents a scoped link covered when last checked.
pub fn stored_docs() -> Vec<DocumentId> {
    local_storage::get(DOCS_KEY)
        .and_then(|text| serde_json::from_str::<Vec<DocumentId>>(&text).ok())
        .map(|mut docs| {
            docs.truncate(MAX_DOCS);
            docs
        })
        .unwrap_or_default()
}

/// Whether the relay refused a link that it had accepted before: it was
/// revoked (or ran out).
pub fn was_revoked() -> bool {
    local_storage::get(REVOKED_KEY).is_some()
}

/// Forgets the link and everything it said (with "Wis van dit toestel").
pub fn forget_link() {
    for key in LINK_KEYS {
        local_storage::remove(key);
    }
}

fn set_or_remove(key: &str, value: Option<&str>) {
    match value {
        Some(value) => {
            local_storage::set(key, value);
        }
        None => local_storage::remove(key),
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
pub(super) fn authorization(token: &str) -> Option<String> {
    (!token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic()))
        .then(|| format!("Bearer {token}"))
}

/// The relay's sync URL (the server that served the app) and the
/// subprotocols that present the token. A token that cannot stand in a
/// subprotocol (a hand-made link) goes in the URL, encoded.
pub fn sync_url(token: &str) -> (String, Vec<String>) {
    let location = web_sys::window().expect("a browser window").location();
    let secure = location.protocol().is_ok_and(|p| p == "https:");
    let host = location.host().unwrap_or_else(|_| "localhost".into());
    let scheme = if secure { "wss" } else { "ws" };
    if !token.is_empty() && token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let protocols = vec!["regie".to_owned(), format!("regie.token.{token}")];
        (format!("{scheme}://{host}/sync"), protocols)
    } else {
        (
            format!("{scheme}://{host}/sync?token={}", encode(token)),
            Vec::new(),
        )
    }
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
            set_or_remove(SCOPE_KEY, info.scope.as_deref());
            set_or_remove(LINK_KEY, info.link.as_deref());
            set_or_remove(ORGANISATION_KEY, info.organisation.as_deref());
            let docs = info
                .docs
                .as_ref()
                .map(|d| serde_json::to_string(d).unwrap_or_default());
            set_or_remove(DOCS_KEY, docs.as_deref());
            local_storage::remove(REVOKED_KEY);
            Ok(info)
        }
        401 | 403 => {
            if local_storage::get(LINK_KEY).is_some() {
                local_storage::set(REVOKED_KEY, "true");
            }
            Err(AccessError::Refused)
        }
        _ => Err(AccessError::Unreachable),
    }
}
