//! How the relay serves the app's files: the brotli copy `cargo xtask`
//! writes next to a file when there is one, compression per request when
//! there is not, and the page for any other path (the app routes itself).

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
