//! How the relay serves the app's files: the brotli copy `cargo xtask`
//! writes next to a file when there is one, compression per request when
//! there is not, and the page for any other path (the app routes itself).
//! Every answer carries the security headers, with a policy that allows
//! the served page's inline scripts by hash; hidden files are never served.

mod support;

use support::start_relay;

/// A GET with the given `Accept-Encoding`: the response's head (lower-cased)
/// and its raw body.
async fn get(addr: std::net::SocketAddr, path: &str, accept: &str) -> (String, Vec<u8>) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: {accept}");
    let (head, body) = support::http_exchange(&addr.to_string(), &request, b"").await;
    (head.to_lowercase(), body)
}

#[tokio::test]
async fn app_files_are_served_compressed() {
    let data = tempfile::tempdir().unwrap();
    let dist = data.path().join("no-app");
    std::fs::create_dir_all(&dist).unwrap();
    let wasm: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(dist.join("app.wasm"), &wasm).unwrap();
    // Not real brotli: the test only needs to see which copy is sent.
    std::fs::write(dist.join("app.wasm.br"), b"the precompressed copy").unwrap();
    let script = "console.log('regie');\n".repeat(500);
    std::fs::write(dist.join("app.js"), &script).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Regie</title>",
    )
    .unwrap();
    let relay = start_relay(data.path()).await;

    let (head, body) = get(relay.addr, "/app.wasm", "gzip, br").await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-encoding: br"), "{head}");
    assert_eq!(body, b"the precompressed copy");

    let (head, body) = get(relay.addr, "/app.wasm", "identity").await;
    assert!(!head.contains("content-encoding"), "{head}");
    assert_eq!(body, wasm, "a browser without brotli gets the file itself");

    let (head, body) = get(relay.addr, "/app.js", "br").await;
    assert!(head.contains("content-encoding: br"), "{head}");
    assert!(body.len() < script.len() / 4, "compressed per request");

    let (head, body) = get(relay.addr, "/plan/abc", "identity").await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(body, b"<!doctype html><title>Regie</title>");
    relay.stop().await;
}

/// The value of a header (name in any case) in a response head.
fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// A GET as [`get`] does, with the response's head as sent.
async fn get_raw(addr: std::net::SocketAddr, path: &str, accept: &str) -> (String, Vec<u8>) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: {accept}");
    support::http_exchange(&addr.to_string(), &request, b"").await
}

/// `'sha256-…'` of a script's text, as a browser computes it.
fn script_hash(text: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy the relay must send for a page with these inline scripts.
fn expected_policy(scripts: &[&str]) -> String {
    let hashes: String = scripts
        .iter()
        .map(|s| format!(" {}", script_hash(s)))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Asserts the security headers of one answer.
fn assert_protected(what: &str, head: &str, policy: &str) {
    assert_eq!(
        header(head, "content-security-policy"),
        Some(policy),
        "{what}: {head}"
    );
    assert_eq!(
        header(head, "x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        header(head, "referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    assert_eq!(header(head, "x-frame-options"), Some("DENY"), "{what}");
}

const LOADER: &str = "\nimport init from '/regie-0123456789abcdef.js';\nawait init();\n";
const WARM_UP: &str = "\n  try { indexedDB.open('regie'); } catch (e) {}\n";

/// A page like Trunk's: a module loader and our warm-up inline, and a
/// script file (not hashed).
fn page(loader: &str, warm_up: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><script type=\"module\">{loader}</script>\
         <script src=\"/regie-0123456789abcdef.js\" type=\"module\"></script>\
         <script>{warm_up}</script></head><body></body></html>"
    )
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let data = tempfile::tempdir().unwrap();
    let dist = data.path().join("no-app");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), page(LOADER, WARM_UP)).unwrap();
    std::fs::write(
        dist.join("regie-0123456789abcdef.js"),
        "export default 1;\n".repeat(200),
    )
    .unwrap();
    let relay = start_relay(data.path()).await;
    let addr = relay.addr.to_string();
    let policy = expected_policy(&[LOADER, WARM_UP]);

    let upgrade = "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                   Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13";
    let token = format!("\r\nAuthorization: Bearer {}", relay.token);
    let cases: [(&str, String, u16); 10] = [
        ("the page", "GET / HTTP/1.1".into(), 200),
        ("the page by name", "GET /index.html HTTP/1.1".into(), 200),
        (
            "an app file, compressed",
            "GET /regie-0123456789abcdef.js HTTP/1.1\r\nAccept-Encoding: br".into(),
            200,
        ),
        ("a client-side route", "GET /plan/abc HTTP/1.1".into(), 200),
        ("healthz", "GET /healthz HTTP/1.1".into(), 200),
        ("api without token", "GET /api/access HTTP/1.1".into(), 401),
        (
            "api with token",
            format!("GET /api/access HTTP/1.1{token}"),
            200,
        ),
        (
            "a bad share request",
            format!("POST /api/share HTTP/1.1{token}\r\nContent-Length: 0"),
            400,
        ),
        (
            "sync without token",
            format!("GET /sync HTTP/1.1{upgrade}"),
            401,
        ),
        ("a hidden file", "GET /.env HTTP/1.1".into(), 404),
    ];
    for (what, request, status) in cases {
        let request = format!("{request}\r\nHost: {addr}");
        let (head, _) = support::http_exchange(&addr, &request, b"").await;
        assert!(
            head.starts_with(&format!("HTTP/1.1 {status}")),
            "{what}: {head}"
        );
        assert_protected(what, &head, &policy);
    }
    relay.stop().await;
}

#[tokio::test]
async fn a_rebuilt_page_is_served_with_its_own_hashes() {
    let data = tempfile::tempdir().unwrap();
    let dist = data.path().join("no-app");
    std::fs::create_dir_all(&dist).unwrap();
    // No page yet: nothing inline is allowed.
    let relay = start_relay(data.path()).await;
    let (head, _) = get_raw(relay.addr, "/healthz", "identity").await;
    assert_protected("no page", &head, &expected_policy(&[]));

    let index = dist.join("index.html");
    std::fs::write(&index, page(LOADER, WARM_UP)).unwrap();
    let (head, body) = get_raw(relay.addr, "/", "identity").await;
    assert_eq!(body, page(LOADER, WARM_UP).as_bytes());
    assert_protected("first build", &head, &expected_policy(&[LOADER, WARM_UP]));

    // A new build: another loader, the same size, a later modified time.
    let rebuilt = LOADER.replace("0123456789abcdef", "fedcba9876543210");
    std::fs::write(&index, page(&rebuilt, WARM_UP)).unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(later)
        .unwrap();
    for path in ["/", "/healthz"] {
        let (head, _) = get_raw(relay.addr, path, "identity").await;
        assert_protected(path, &head, &expected_policy(&[&rebuilt, WARM_UP]));
    }

    // Line breaks count as the browser reads them (CRLF is LF).
    let crlf = "\r\nconsole.log(1);\r\n";
    std::fs::write(&index, page(crlf, WARM_UP)).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(later + std::time::Duration::from_secs(5))
        .unwrap();
    let (head, _) = get_raw(relay.addr, "/", "identity").await;
    assert_protected(
        "crlf",
        &head,
        &expected_policy(&["\nconsole.log(1);\n", WARM_UP]),
    );
    relay.stop().await;
}

#[tokio::test]
async fn hidden_files_are_never_served() {
    let data = tempfile::tempdir().unwrap();
    let dist = data.path().join("no-app");
    std::fs::create_dir_all(dist.join("public")).unwrap();
    std::fs::create_dir_all(dist.join(".git")).unwrap();
    std::fs::write(dist.join("index.html"), page(LOADER, WARM_UP)).unwrap();
    std::fs::write(dist.join(".env"), "SECRET_ENV=1").unwrap();
    std::fs::write(dist.join("public/.secret"), "SECRET_FILE").unwrap();
    std::fs::write(dist.join(".git/config"), "SECRET_GIT").unwrap();
    std::fs::write(dist.join("public/icon.svg"), "<svg/>").unwrap();
    let relay = start_relay(data.path()).await;
    let policy = expected_policy(&[LOADER, WARM_UP]);

    for path in [
        "/.env",
        "/public/.secret",
        "/%2eenv",
        "/%2Eenv",
        "/public/%2esecret",
        "/public%2f.secret",
        "/.git/config",
        "/public/../.env",
        "/.env.br",
    ] {
        for accept in ["identity", "gzip, br"] {
            let (head, body) = get_raw(relay.addr, path, accept).await;
            assert!(head.starts_with("HTTP/1.1 404"), "{path}: {head}");
            let body = String::from_utf8_lossy(&body);
            assert!(!body.contains("SECRET"), "{path}: {body}");
            assert!(!body.contains("<!DOCTYPE"), "{path}: not the page either");
            assert_protected(path, &head, &policy);
        }
    }
    // Names with a dot inside are files like any other.
    let (head, body) = get_raw(relay.addr, "/public/icon.svg", "identity").await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(body, b"<svg/>");
    relay.stop().await;
}
