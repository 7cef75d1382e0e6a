//! Links for other people, made with this browser's link through the
//! relay's API (`/api/share`, `/api/links`): a read-only link to the page
//! on screen, links within this link's scope (a regisseur's team links, a
//! team's netwerk links), the list of links made with it, and revoking one.
//! Every answer becomes a [`Text`] to show; the token goes only in the
//! `Authorization` header, and a new link carries its token in the
//! fragment.

use gloo_net::http::{Request, Response};
use regie_core::DocumentId;
use regie_core::text::Text;
use serde::{Deserialize, Serialize};

use super::access::authorization;

/// The answer to a link made.
#[derive(Deserialize)]
struct Made {
    path: String,
}

/// A link as the relay lists it (never its token, which it does not keep).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LinkInfo {
    /// Its public id.
    pub id: String,
    /// Who it is for.
    pub label: Option<String>,
    /// `team:<wijk>`, `netwerk:<wijk>`, `regisseur:<name>` or `stad`.
    pub scope: String,
    /// The organisation it was made for.
    pub organisation: Option<String>,
    /// Whether it may edit (within its scope).
    pub write: bool,
    /// `active`, `revoked` or `expired`.
    pub status: String,
}

/// A link to make.
#[derive(Debug, Clone, Serialize)]
pub struct NewLink {
    /// Its scope (see [`LinkInfo::scope`]).
    pub scope: String,
    /// Who it is for.
    pub label: String,
    /// The organisation it is for (empty: the maker's).
    pub organisation: Option<String>,
}

fn refused_or(response: &Response, otherwise: &'static str) -> Text {
    match response.status() {
        401 => Text::key("links.refused"),
        403 => Text::key("links.too_wide"),
        400 => Text::key("links.bad_input"),
        _ => Text::key(otherwise),
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, Text> {
    request
        .map_err(|_| Text::key("core.server_unreachable"))?
        .send()
        .await
        .map_err(|_| Text::key("core.server_unreachable"))
}

fn bearer(token: &str) -> Result<String, Text> {
    authorization(token).ok_or(Text::key("core.no_share_link"))
}

/// Posts a JSON `body` to `path` with the token; the relay's answer.
async fn post(token: &str, path: &str, body: String) -> Result<Response, Text> {
    let request = Request::post(path)
        .header("authorization", &bearer(token)?)
        .header("content-type", "application/json")
        .body(body);
    send(request).await
}

/// Gets `path` with the token and reads its JSON; what went wrong is told
/// with `failed` (a locale key).
async fn get_json<T: serde::de::DeserializeOwned>(
    token: &str,
    path: &str,
    failed: &'static str,
) -> Result<T, Text> {
    let request = Request::get(path)
        .header("authorization", &bearer(token)?)
        .build();
    let response = send(request).await?;
    if response.status() != 200 {
        return Err(refused_or(&response, failed));
    }
    response.json().await.map_err(|_| Text::key(failed))
}

/// Asks the relay for a read-only link to a document (or, with `edit`, an
/// edit link for it within this link's scope); returns the full URL, or
/// what to tell people.
pub async fn create_doc_link(token: &str, doc: DocumentId, edit: bool) -> Result<String, Text> {
    let body = format!("{{\"doc\":\"{doc}\",\"edit\":{edit}}}");
    let response = post(token, "/api/share", body).await?;
    if response.status() != 201 {
        return Err(Text::key("core.no_read_link"));
    }
    let answer: Made = response
        .json()
        .await
        .map_err(|_| Text::key("core.no_read_link"))?;
    // The relay answers with a plan path; the link should open the page the
    // person is on (a plan, a ronde tafel, a campaign), with the new token.
    match answer.path.split_once("#token=") {
        Some((_, new_token)) => Ok(page_link(new_token)),
        None => Ok(format!("{}{}", origin(), answer.path)),
    }
}

/// Makes a link within this link's scope; returns the full URL to hand on.
pub async fn make_link(token: &str, new: &NewLink) -> Result<String, Text> {
    let body = serde_json::to_string(new).map_err(|_| Text::key("links.bad_input"))?;
    let response = post(token, "/api/links", body).await?;
    if response.status() != 201 {
        return Err(refused_or(&response, "links.not_made"));
    }
    let made: Made = response
        .json()
        .await
        .map_err(|_| Text::key("links.not_made"))?;
    Ok(format!("{}{}", origin(), made.path))
}

/// The links made with this link (and with those), newest first.
pub async fn list_links(token: &str) -> Result<Vec<LinkInfo>, Text> {
    get_json(token, "/api/links", "links.not_listed").await
}

/// Revokes a link made with this one.
pub async fn revoke_link(token: &str, id: &str) -> Result<(), Text> {
    let body = serde_json::json!({ "id": id }).to_string();
    let response = post(token, "/api/links/revoke", body).await?;
    match response.status() {
        204 => Ok(()),
        404 => Err(Text::key("links.not_found")),
        _ => Err(refused_or(&response, "links.not_revoked")),
    }
}

/// One change in the relay's audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuditEntry {
    /// Seconds since the Unix epoch, when the relay accepted it.
    pub at: u64,
    /// The id of the link it came through.
    pub link: Option<String>,
    /// That link's name.
    pub label: Option<String>,
    /// The document.
    pub doc: String,
    /// The change's hash.
    pub change: String,
}

/// The newest entries of the audit trail (the city's links only), for one
/// change (a hash or its start) or every change.
pub async fn audit(token: &str, change: &str) -> Result<Vec<AuditEntry>, Text> {
    let change: String = change
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(64)
        .collect();
    let path = if change.is_empty() {
        "/api/audit?limit=200".to_owned()
    } else {
        format!("/api/audit?limit=200&change={change}")
    };
    get_json(token, &path, "audit.not_read").await
}

/// A link to the page this browser shows, carrying `token` in the fragment.
pub fn page_link(token: &str) -> String {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".to_owned());
    format!("{}{path}#token={token}", origin())
}

/// This app's origin, e.g. `http://127.0.0.1:8080`.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}
