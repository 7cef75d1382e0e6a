//! `cargo xtask run`: build the app, start the relay serving it, print the URL.

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use anyhow::{Context as _, bail};

use crate::exec::{command, step};
use crate::{build, tools};

/// See the module docs. `relay_args` go to regie-relay after the defaults,
/// so they override them.
pub fn run(relay_args: &[String]) -> anyhow::Result<()> {
    tools::ensure_build_tools()?;
    let dist = build::app()?;
    let relay = build::relay("relay")?;
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
            println!();
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("regie-relay stopped: {status}");
    }
    Ok(())
}
