//! The small API the app uses, every route behind a token in
//! `Authorization: Bearer` (checked before any body is read; bodies are
//! small and bounded by the router):
//!
//! - `GET /api/access`: what the token allows (its scope, link id, label,
//!   organisation, expiry), the STUN/TURN servers for direct links, and
//!   (but for a one-document link) the documents it covers: a device asks
//!   for no others, and a city's device finds what a wijk's team made;
//! - `POST /api/share`: a read-only (or edit) link for one document,
//!   within the maker's scope;
//! - `GET /api/links`, `POST /api/links`, `POST /api/links/revoke`: the
//!   links made with this link (and with those), a new one within this
//!   link's scope ([`regie_core::scope::may_make`], checked by the token
//!   store), and revoking one of them;
//! - `GET /api/audit`: the audit trail, for the city's links only.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use regie_core::DocumentId;
use regie_core::direct::ice::IceServer;
use regie_core::scope::LinkScope;
use serde::{Deserialize, Serialize};

use crate::audit::Filter;
use crate::server::{AppState, bearer, now, refusal};
use crate::tokens::{self, Grant, Kind, NewToken, Standing, TokenRecord};

/// Longest label or organisation name, in characters.
const MAX_NAME: usize = 120;
/// Most links one list shows.
const MAX_LINKS: usize = 500;
/// Most audit entries one answer holds.
const MAX_AUDIT: usize = 1_000;

/// What `/api/access` tells the app about its token.
#[derive(Serialize)]
struct AccessInfo {
    write: bool,
    doc: Option<DocumentId>,
    /// Its scope (`team:<wijk>`, ...); none: the city's.
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    /// Its public id (what signals through it carry, and the audit names).
    link: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organisation: Option<String>,
    /// Seconds since the Unix epoch, when the link stops working.
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    /// STUN/TURN servers for direct links, if the operator named any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ice: Vec<IceServer>,
    /// The documents here it may have (none listed for a one-document link).
    #[serde(skip_serializing_if = "Option::is_none")]
    docs: Option<Vec<DocumentId>>,
}

pub(crate) async fn access(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(grant) = state.grant(bearer(&headers)) else {
        return refusal();
    };
    // Every link but a one-document link hears what it covers: a scoped
    // link asks for no others, and the city's devices find the tafels,
    // campagnes and meetings a wijk's team made (a team may not write the
    // register that lists them).
    let docs = if grant.access.only.is_none() {
        Some(state.hub.covered(grant.access).await)
    } else {
        None
    };
    Json(AccessInfo {
        write: grant.access.write,
        doc: grant.access.only,
        scope: grant.access.scope.map(LinkScope::text),
        link: grant.id.clone(),
        label: grant.label,
        organisation: grant.organisation,
        expires_at: grant.expires_at,
        ice: state.ice.to_vec(),
        docs,
    })
    .into_response()
}

/// `/api/share` request: make a read-only link for this document, or with
/// `"edit": true` an edit link for it (within the maker's scope).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShareRequest {
    doc: DocumentId,
    #[serde(default)]
    edit: bool,
    /// Days the link works (never longer than the link that makes it).
    #[serde(default)]
    days: Option<u16>,
}

/// The answer to a link made.
#[derive(Serialize)]
struct Made {
    id: String,
    token: String,
    path: String,
}

fn answer(status: StatusCode, text: &'static str) -> Response {
    (status, text).into_response()
}

/// The grant of the request's token and its JSON body, in that order:
/// nobody without a valid token makes the relay parse anything. A body that
/// does not parse is answered with `expected`.
fn granted<T: serde::de::DeserializeOwned>(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    expected: &'static str,
) -> Result<(Grant, T), Box<Response>> {
    let grant = state
        .grant(bearer(headers))
        .ok_or_else(|| Box::new(refusal()))?;
    let request = serde_json::from_slice::<T>(body)
        .map_err(|_| Box::new(answer(StatusCode::BAD_REQUEST, expected)))?;
    Ok((grant, request))
}

pub(crate) async fn share(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (grant, request) = match granted::<ShareRequest>(
        &state,
        &headers,
        &body,
        "Verwacht: {\"doc\": \"<document-id>\"}.",
    ) {
        Ok(granted) => granted,
        Err(refused) => return *refused,
    };
    // A scoped link shares only documents within its scope (a link for
    // another wijk's plan would grant nothing, and must not be made).
    let within = if grant.access.is_scoped() {
        state.hub.covered(grant.access).await.contains(&request.doc)
    } else {
        grant.access.covers(&request.doc)
    };
    if !grant.access.write || !within {
        return answer(
            StatusCode::FORBIDDEN,
            "Alleen wie mag bewerken, kan een leeslink maken.",
        );
    }
    if request.days == Some(0) {
        return answer(StatusCode::BAD_REQUEST, "Een link werkt minstens één dag.");
    }
    let (kind, label) = if request.edit {
        (Kind::Edit, "bewerklink uit de app")
    } else {
        (Kind::ReadOnly, "leeslink uit de app")
    };
    let new = NewToken {
        kind,
        doc: Some(request.doc),
        label: Some(label.to_owned()),
        parent: Some(grant.id.clone()),
        expires_at: request.days.map(|d| now() + u64::from(d) * 86_400),
        // Within the maker's scope, for the maker's organisation.
        scope: grant.access.scope,
        organisation: grant.organisation.clone(),
    };
    create(&state, &grant, new).await
}

/// `POST /api/links`: a link for someone else, within this link's scope.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkRequest {
    /// `team:<wijk>`, `netwerk:<wijk>`, `regisseur:<name>` or `stad`.
    scope: String,
    /// Who it is for, in words ("netwerk SW&G Ledeberg — Samenlevingsopbouw").
    label: String,
    #[serde(default)]
    organisation: Option<String>,
    /// Days it works (never longer than the link that makes it).
    #[serde(default)]
    days: Option<u16>,
}

/// A name people typed: trimmed, not empty, not too long, no control
/// characters.
fn name(text: &str) -> Option<String> {
    let text = text.trim();
    let fine =
        !text.is_empty() && text.chars().count() <= MAX_NAME && !text.chars().any(char::is_control);
    fine.then(|| text.to_owned())
}

pub(crate) async fn make_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (grant, request) = match granted::<LinkRequest>(
        &state,
        &headers,
        &body,
        "Verwacht: {\"scope\": \"netwerk:<wijk>\", \"label\": \"...\"}.",
    ) {
        Ok(granted) => granted,
        Err(refused) => return *refused,
    };
    let Some(scope) = LinkScope::parse(&request.scope) else {
        return answer(StatusCode::BAD_REQUEST, "Onbekende wijk of regisseur.");
    };
    let Some(label) = name(&request.label) else {
        return answer(
            StatusCode::BAD_REQUEST,
            "Geef de link een naam (hoogstens 120 tekens).",
        );
    };
    let organisation = match request.organisation.as_deref().map(str::trim) {
        None | Some("") => grant.organisation.clone(),
        Some(text) => match name(text) {
            Some(org) => Some(org),
            None => return answer(StatusCode::BAD_REQUEST, "Die organisatienaam kan niet."),
        },
    };
    if request.days == Some(0) {
        return answer(StatusCode::BAD_REQUEST, "Een link werkt minstens één dag.");
    }
    if !grant.access.write || grant.access.only.is_some() {
        return answer(
            StatusCode::FORBIDDEN,
            "Met deze link kun je geen links voor anderen maken.",
        );
    }
    let new = NewToken {
        // Every scope's own limits apply: a netwerk link writes signals only.
        kind: Kind::Edit,
        doc: None,
        label: Some(label),
        parent: Some(grant.id.clone()),
        expires_at: request.days.map(|d| now() + u64::from(d) * 86_400),
        scope: Some(scope),
        organisation,
    };
    create(&state, &grant, new).await
}

/// Stores a new link made with `grant`; the token store refuses one wider
/// than its parent.
async fn create(state: &AppState, grant: &Grant, new: NewToken) -> Response {
    let doc = new.doc;
    // Creating takes the token file's lock and an fsync: off the workers.
    let tokens = state.tokens.clone();
    let created =
        tokio::task::spawn_blocking(move || tokens.create(new, rand::random(), now())).await;
    match created.unwrap_or_else(|e| Err(std::io::Error::other(e))) {
        Ok((token, record)) => {
            let for_doc = doc.map_or_else(|| "(all)".to_owned(), |d| d.to_string());
            let scope = record.scope.as_deref().unwrap_or("stad");
            tracing::info!(token_id = %record.id, parent = %grant.id, %scope, doc = %for_doc, "link created");
            let path = crate::cli::share_link("", doc.as_ref(), &token);
            let made = Made {
                id: record.id,
                token,
                path,
            };
            (StatusCode::CREATED, Json(made)).into_response()
        }
        Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
            // Wider than the maker, or the maker was revoked meanwhile.
            if is_active(state, &grant.id) {
                answer(
                    StatusCode::FORBIDDEN,
                    "Zo'n link valt buiten wat jouw link mag.",
                )
            } else {
                refusal()
            }
        }
        Err(error) => {
            tracing::error!(%error, "could not store a token");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "De link kon niet bewaard worden.",
            )
        }
    }
}

/// Whether the link `id` still lets its holder in.
fn is_active(state: &AppState, id: &str) -> bool {
    let Ok(records) = state.tokens.records() else {
        return false;
    };
    records.iter().any(|r| {
        r.id == id
            && matches!(
                tokens::standing(&records, r, now()),
                Standing::Active { .. }
            )
    })
}

/// One link as the list shows it (never the token, which is not stored).
#[derive(Serialize)]
struct LinkInfo {
    id: String,
    label: Option<String>,
    scope: String,
    organisation: Option<String>,
    write: bool,
    doc: Option<DocumentId>,
    created_at: u64,
    expires_at: Option<u64>,
    /// `active`, `revoked`, `expired` (itself or up its chain).
    status: &'static str,
    /// The link it was made with.
    parent: Option<String>,
}

/// Whether `record` was made, directly or not, with the link `ancestor`.
fn made_with(records: &[TokenRecord], record: &TokenRecord, ancestor: &str) -> bool {
    let mut current = record;
    for _ in 0..tokens::MAX_CHAIN {
        let Some(parent) = &current.parent else {
            return false;
        };
        if parent == ancestor {
            return true;
        }
        match records.iter().find(|r| &r.id == parent) {
            Some(next) => current = next,
            None => return false,
        }
    }
    false
}

fn status(standing: Standing) -> &'static str {
    match standing {
        Standing::Active { .. } => "active",
        Standing::Revoked | Standing::ParentRevoked => "revoked",
        Standing::Expired | Standing::ParentExpired => "expired",
        Standing::BrokenChain => "broken",
    }
}

pub(crate) async fn links(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(grant) = state.grant(bearer(&headers)) else {
        return refusal();
    };
    let Ok(records) = state.tokens.records() else {
        return answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            "De links zijn niet leesbaar.",
        );
    };
    let now = now();
    let list: Vec<LinkInfo> = records
        .iter()
        .filter(|r| made_with(&records, r, &grant.id))
        .rev()
        .take(MAX_LINKS)
        .map(|r| LinkInfo {
            id: r.id.clone(),
            label: r.label.clone(),
            scope: r.scope.clone().unwrap_or_else(|| "stad".to_owned()),
            organisation: r.organisation.clone(),
            write: r.kind == Kind::Edit,
            doc: r.doc,
            created_at: r.created_at,
            expires_at: r.expires_at,
            status: status(tokens::standing(&records, r, now)),
            parent: r.parent.clone(),
        })
        .collect();
    Json(list).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevokeRequest {
    id: String,
}

pub(crate) async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (grant, request) = match granted::<RevokeRequest>(
        &state,
        &headers,
        &body,
        "Verwacht: {\"id\": \"<link-id>\"}.",
    ) {
        Ok(granted) => granted,
        Err(refused) => return *refused,
    };
    let Ok(records) = state.tokens.records() else {
        return answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            "De links zijn niet leesbaar.",
        );
    };
    // Only links made with this one; any other id is "not found".
    let ours = records
        .iter()
        .any(|r| r.id == request.id && made_with(&records, r, &grant.id));
    if !ours {
        return answer(
            StatusCode::NOT_FOUND,
            "Die link bestaat niet (of is niet van jou).",
        );
    }
    let tokens = state.tokens.clone();
    let id = request.id.clone();
    let revoked = tokio::task::spawn_blocking(move || tokens.revoke(&id)).await;
    match revoked.unwrap_or_else(|e| Err(std::io::Error::other(e))) {
        Ok(_) => {
            tracing::info!(token_id = %request.id, by = %grant.id, "link revoked");
            StatusCode::NO_CONTENT.into_response()
        }
        Err(error) => {
            tracing::error!(%error, "could not revoke a token");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "De link kon niet ingetrokken worden.",
            )
        }
    }
}

/// `GET /api/audit?doc=&link=&change=&limit=`.
#[derive(Deserialize)]
pub(crate) struct AuditQuery {
    doc: Option<DocumentId>,
    link: Option<String>,
    change: Option<String>,
    limit: Option<usize>,
}

/// One audit entry, with the link's label.
#[derive(Serialize)]
struct AuditInfo {
    at: u64,
    link: Option<String>,
    label: Option<String>,
    doc: String,
    change: String,
}

pub(crate) async fn audit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<AuditQuery>,
) -> Response {
    let Some(grant) = state.grant(bearer(&headers)) else {
        return refusal();
    };
    let city = !grant.access.is_scoped() && grant.access.only.is_none() && grant.access.write;
    if !city {
        return answer(
            StatusCode::FORBIDDEN,
            "Het auditspoor is er alleen voor de stad.",
        );
    }
    let filter = Filter {
        doc: query.doc,
        link: query.link,
        change: query.change,
    };
    let limit = query.limit.unwrap_or(200).min(MAX_AUDIT);
    let audit = state.audit.clone();
    let read = tokio::task::spawn_blocking(move || audit.read(&filter, limit)).await;
    let (Ok(Ok(entries)), Ok(records)) = (read, state.tokens.records()) else {
        return answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Het auditspoor is niet leesbaar.",
        );
    };
    let label = |link: &Option<String>| {
        let link = link.as_ref()?;
        records.iter().find(|r| &r.id == link)?.label.clone()
    };
    let list: Vec<AuditInfo> = entries
        .into_iter()
        .map(|e| AuditInfo {
            at: e.at,
            label: label(&e.link),
            link: e.link,
            doc: e.doc,
            change: e.change,
        })
        .collect();
    Json(list).into_response()
}
