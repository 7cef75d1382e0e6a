//! `cargo xtask run`: build the app, start the relay serving it, print the
//! URL and the edit link of the default workspace.
//!
//! The relay stores only hashes of tokens, so the default workspace's token
//! is kept (readable by its owner only) in `data/standaard-token.txt` to be
//! printed on every run. Delete that file and revoke the token
//! (`regie-relay token list` / `revoke`) to start over.

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use anyhow::{Context as _, bail};

use crate::exec::{command, root, step};
use crate::{build, tools};

/// See the module docs. `relay_args` go to regie-relay; the defaults fill
/// in only the flags they leave out.
pub fn run(relay_args: &[String]) -> anyhow::Result<()> {
    tools::ensure_build_tools()?;
    let dist = build::app()?;
    let relay = build::relay("relay")?;
    let addr = relay_args
        .iter()
        .position(|a| a == "--addr")
        .and_then(|i| relay_args.get(i + 1))
        .map_or("127.0.0.1:8080", String::as_str);
    let token = default_token(&relay)?;
    step("starting the relay");
    // A flag given twice is an error to clap: a default goes only where
    // the person gave none.
    let given = |flag: &str| {
        relay_args
            .iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
    };
    let mut relay_command = command(&relay.to_string_lossy());
    if !given("--addr") {
        relay_command.args(["--addr", "127.0.0.1:8080"]);
    }
    if !given("--data-dir") {
        relay_command.args(["--data-dir", "data"]);
    }
    if !given("--dist") {
        relay_command.arg("--dist").arg(&dist);
    }
    let mut child = relay_command
        .args(relay_args)
        .stdout(Stdio::piped())
        .spawn()
        .context("starting regie-relay")?;
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        println!("{line}");
        if let Some(url) = line.strip_prefix("Regie relay listening on ") {
            println!();
            println!("Regie draait op {url}  (gegevens in ./data; Ctrl-C om te stoppen)");
            println!("Bewerklink van de standaardwerkruimte: http://{addr}/#token={token}");
            println!();
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("regie-relay stopped: {status}");
    }
    Ok(())
}

/// The default workspace's edit token, created on the first run.
fn default_token(relay: &std::path::Path) -> anyhow::Result<String> {
    let data = root().join("data");
    let file = data.join("standaard-token.txt");
    if let Ok(token) = std::fs::read_to_string(&file) {
        // Written by an older version, readable by everyone: make it private.
        private(&file)?;
        return Ok(token.trim().to_owned());
    }
    step("creating the edit link of the default workspace");
    // The relay creates the data directory private to this user (0700).
    let output = command(&relay.to_string_lossy())
        .args([
            "token",
            "create",
            "--edit",
            "--label",
            "standaard",
            "--data-dir",
        ])
        .arg(&data)
        .output()
        .context("running regie-relay token create")?;
    if !output.status.success() {
        bail!(
            "regie-relay token create failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let token = stdout
        .lines()
        .find_map(|l| l.strip_prefix("token:"))
        .context("regie-relay printed no token")?
        .trim()
        .to_owned();
    write_secret(&file, &token).with_context(|| format!("writing {}", file.display()))?;
    Ok(token)
}

/// Writes a new file readable by its owner only from the first byte (on
/// unix: created 0600, never 0644 first).
fn write_secret(path: &std::path::Path, secret: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(secret.as_bytes())?;
    file.sync_all()
}

/// Makes an existing file readable by its owner only.
fn private(path: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
