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

/// See the module docs. `relay_args` go to regie-relay after the defaults,
/// so they override them.
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
    let mut child = command(&relay.to_string_lossy())
        .args(["--addr", "127.0.0.1:8080", "--data-dir", "data", "--dist"])
        .arg(&dist)
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
            println!("Bewerklink van de standaardwerkruimte: http://{addr}/?token={token}");
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
        return Ok(token.trim().to_owned());
    }
    step("creating the edit link of the default workspace");
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
    let stdout = String::from_utf8_lossy(&output.stdout);
    let token = stdout
        .lines()
        .find_map(|l| l.strip_prefix("token: "))
        .context("regie-relay printed no token")?
        .trim()
        .to_owned();
    std::fs::write(&file, &token)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(token)
}
