//! What every answer of the relay carries, and what it never serves.
//!
//! - Headers on every response (app files, the page for client-side
//!   routes, `/api`, `/healthz`, refusals): a strict
//!   `Content-Security-Policy`, `X-Content-Type-Options: nosniff`,
//!   `Referrer-Policy: no-referrer` and `X-Frame-Options: DENY`.
//! - The policy allows scripts from this origin, compiling wasm, and the
//!   inline scripts of the served `index.html` by their SHA-256 (Trunk's
//!   loader and our IndexedDB warm-up). Those hashes are read when the relay
//!   starts and again whenever the page's modified time or size changes, so
//!   a rebuilt `dist/` is served with its own hashes.
//! - A path with a segment starting with `.` (also written `%2e`) gets 404
//!   before the files are looked at: nothing hidden in `dist/` is served.
//!
//! Wired into the router with one line: `.layer(crate::headers::layer(&config.dist))`.

use std::future::Future;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{FromFnLayer, Next, from_fn_with_state};
use axum::response::{IntoResponse as _, Response};
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

/// Largest `index.html` whose inline scripts are hashed (Trunk's page is a
/// few kilobytes). A larger one is served with no inline script allowed.
pub const MAX_INDEX_SIZE: u64 = 256 * 1024;

/// The policy's directives after `script-src`'s hashes, in order.
const AFTER_SCRIPTS: &str = "style-src 'self'; \
    style-src-attr 'unsafe-inline'; \
    img-src 'self' data:; \
    connect-src 'self'; \
    worker-src 'self'; \
    manifest-src 'self'; \
    object-src 'none'; \
    base-uri 'none'; \
    form-action 'self'; \
    frame-ancestors 'none'";

/// The `Content-Security-Policy` for a page whose inline scripts have these
/// hash sources (`'sha256-…'`).
///
/// `style-src-attr 'unsafe-inline'`: the app sets `style` attributes (a
/// person's colour); style elements and sheets come only from this origin.
pub fn policy(hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    format!("default-src 'self'; script-src {script_src}; {AFTER_SCRIPTS}")
}

/// `'sha256-<base64>'` of every inline script of a page (a `<script>`
/// without `src`), in order, each once. Hashed as the browser does: the
/// element's text, line breaks normalised to `\n`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    for text in inline_scripts(html) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let digest = Sha256::digest(text.as_bytes());
        let hash = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        );
        if !hashes.contains(&hash) {
            hashes.push(hash);
        }
    }
    hashes
}

/// The texts of the inline scripts of a page. Comments are skipped; a
/// script's text runs to the first `</script`, as the HTML parser reads it.
fn inline_scripts(html: &str) -> Vec<&str> {
    // ASCII lower-casing keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let mut scripts = Vec::new();
    let mut at = 0;
    while at < lower.len() {
        let Some(open) = lower[at..].find('<').map(|i| at + i) else {
            break;
        };
        let rest = &lower[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            match comment.find("-->") {
                Some(end) => at = open + 4 + end + 3,
                None => break,
            }
            continue;
        }
        if !(rest.starts_with("<script") && rest[7..].starts_with(tag_name_end)) {
            at = open + 1;
            continue;
        }
        let Some((body_start, has_src)) = start_tag(&lower, open + 7) else {
            break;
        };
        let Some(body_end) = closing_script(&lower, body_start) else {
            break;
        };
        if !has_src {
            scripts.push(&html[body_start..body_end]);
        }
        at = body_end;
    }
    scripts
}

/// Whether a character ends a tag name.
fn tag_name_end(c: char) -> bool {
    c.is_ascii_whitespace() || c == '>' || c == '/'
}

/// Reads a start tag's attributes from `from` (just after the tag name) to
/// its `>`: where the element's content starts, and whether it has `src`.
fn start_tag(lower: &str, from: usize) -> Option<(usize, bool)> {
    let bytes = lower.as_bytes();
    let mut i = from;
    let mut has_src = false;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((i + 1, has_src)),
            _ => {
                let name_start = i;
                while i < bytes.len()
                    && !bytes[i].is_ascii_whitespace()
                    && !matches!(bytes[i], b'=' | b'>' | b'/')
                {
                    i += 1;
                }
                if &lower[name_start..i] == "src" {
                    has_src = true;
                }
                let mut j = i;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if bytes.get(j) == Some(&b'=') {
                    j += 1;
                    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    match bytes.get(j)? {
                        quote @ (b'"' | b'\'') => {
                            let end = lower[j + 1..].find(char::from(*quote))?;
                            i = j + 1 + end + 1;
                        }
                        _ => {
                            i = j;
                            while i < bytes.len()
                                && !bytes[i].is_ascii_whitespace()
                                && bytes[i] != b'>'
                            {
                                i += 1;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where a script's text ends: the first `</script` that ends a tag name.
fn closing_script(lower: &str, from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let end = at + lower[at..].find("</script")?;
        if lower[end + 8..].starts_with(tag_name_end) || end + 8 == lower.len() {
            return Some(end);
        }
        at = end + 8;
    }
}

/// Whether a request path names something hidden: a segment (after
/// percent-decoding, split at `/` and `\`) that starts with `.`, which also
/// covers `..`.
pub fn is_hidden(path: &str) -> bool {
    percent_decode(path)
        .split(['/', '\\'])
        .any(|segment| segment.starts_with('.'))
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            // Two hex digits make one byte.
            out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'%'));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The served page's identity as far as a change goes: modified time and size.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Stamp {
    modified: SystemTime,
    len: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp {
        modified: meta.modified().ok()?,
        len: meta.len(),
    })
}

/// The policy for the page as it was last read.
struct Known {
    /// The stamp the policy belongs to (`None`: no page, or it changed while read).
    stamp: Option<Stamp>,
    policy: HeaderValue,
}

/// The app's page and the policy that fits it; cheap to clone.
#[derive(Clone)]
pub struct Shell(Arc<ShellInner>);

struct ShellInner {
    index: PathBuf,
    known: Mutex<Known>,
}

impl Shell {
    /// Reads `dist/index.html` now (there may be none yet).
    pub fn new(dist: &Path) -> Self {
        let index = dist.join("index.html");
        let known = read(&index);
        Shell(Arc::new(ShellInner {
            index,
            known: Mutex::new(known),
        }))
    }

    /// The `Content-Security-Policy` for the page as it is on disk now.
    pub fn policy(&self) -> HeaderValue {
        let now = stamp(&self.0.index);
        let mut known = self.0.known.lock().unwrap_or_else(PoisonError::into_inner);
        if known.stamp != now || now.is_none() {
            *known = read(&self.0.index);
        }
        known.policy.clone()
    }

    /// Sets every security header on a response.
    fn apply(&self, headers: &mut HeaderMap) {
        headers.insert(header::CONTENT_SECURITY_POLICY, self.policy());
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
}

/// Reads the page (at most [`MAX_INDEX_SIZE`]) and makes its policy.
fn read(index: &Path) -> Known {
    let before = stamp(index);
    let hashes = match before {
        None => Vec::new(),
        Some(s) if s.len > MAX_INDEX_SIZE => {
            tracing::warn!(page = %index.display(), size = s.len, "index.html too large to hash its inline scripts; they will not run");
            Vec::new()
        }
        Some(_) => {
            let mut bytes = Vec::new();
            let read = std::fs::File::open(index).and_then(|f| {
                f.take(MAX_INDEX_SIZE + 1).read_to_end(&mut bytes)?;
                Ok(())
            });
            match read {
                Ok(()) => inline_script_hashes(&String::from_utf8_lossy(&bytes)),
                Err(error) => {
                    tracing::warn!(page = %index.display(), %error, "could not read index.html");
                    Vec::new()
                }
            }
        }
    };
    let after = stamp(index);
    let policy = HeaderValue::from_str(&policy(&hashes))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"));
    Known {
        // Changed while read: read again on the next request.
        stamp: if before == after { after } else { None },
        policy,
    }
}

/// The middleware's function type (a plain `fn`, so the layer has a name).
pub type Protect =
    fn(State<Shell>, Request, Next) -> Pin<Box<dyn Future<Output = Response> + Send>>;

/// The layer for the whole router: security headers on every response, and
/// 404 for hidden paths. `dist` is the directory with the app.
pub fn layer(dist: &Path) -> FromFnLayer<Protect, Shell, (State<Shell>, Request)> {
    from_fn_with_state(Shell::new(dist), protect as Protect)
}

fn protect(
    State(shell): State<Shell>,
    request: Request,
    next: Next,
) -> Pin<Box<dyn Future<Output = Response> + Send>> {
    Box::pin(async move {
        let mut response = if is_hidden(request.uri().path()) {
            (StatusCode::NOT_FOUND, "Niet gevonden.").into_response()
        } else {
            next.run(request).await
        };
        shell.apply(response.headers_mut());
        response
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(text: &str) -> String {
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
        )
    }

    #[test]
    fn hashes_inline_scripts_only() {
        let html = "<!doctype html><head>\
            <script src=\"/a.js\"></script>\
            <SCRIPT type=\"module\">import init from '/x.js';\r\nawait init();</SCRIPT >\
            <!-- <script>commented()</script> -->\
            <script data-x='a src=b >'>one()</script>\
            <scripts>not()</scripts>\
            <script>one()</script>";
        assert_eq!(
            inline_script_hashes(html),
            vec![
                hash("import init from '/x.js';\nawait init();"),
                hash("one()")
            ]
        );
    }

    #[test]
    fn a_known_hash() {
        // Chromium reports this hash for `<script>alert(1)</script>`.
        assert_eq!(
            inline_script_hashes("<script>alert(1)</script>"),
            vec!["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='".to_owned()]
        );
    }

    #[test]
    fn unclosed_script_is_not_hashed() {
        assert!(inline_script_hashes("<script>never()").is_empty());
    }

    #[test]
    fn hidden_paths() {
        for path in [
            "/.env",
            "/public/.secret",
            "/%2eenv",
            "/%2Egit/config",
            "/a/%2e%2e/b",
            "/a%2f.env",
            "/..",
            "/a\\.env",
        ] {
            assert!(is_hidden(path), "{path}");
        }
        for path in [
            "/",
            "/app.wasm",
            "/public/icon.svg",
            "/plan/abc",
            "/a.b/c",
            "/%2",
        ] {
            assert!(!is_hidden(path), "{path}");
        }
    }

    #[test]
    fn policy_names_the_hashes() {
        let csp = policy(&["'sha256-x'".to_owned()]);
        assert!(csp.starts_with(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-x'; style-src 'self';"
        ));
        assert!(csp.ends_with("frame-ancestors 'none'"));
    }
}
