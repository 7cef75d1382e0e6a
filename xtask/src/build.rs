//! Building the app with Trunk and the relay with cargo.

use std::path::PathBuf;

use crate::exec::{command, root, run, step};

/// `trunk build --release` into `dist/` (wasm-opt on, as Trunk.toml and
/// index.html say).
pub fn app() -> anyhow::Result<PathBuf> {
    step("building the app (trunk build --release)");
    run(command("trunk").args(["build", "--release"]))?;
    Ok(root().join("dist"))
}

/// Builds the relay with a cargo profile and returns the binary's path.
pub fn relay(profile: &str) -> anyhow::Result<PathBuf> {
    step(&format!("building the relay ({profile})"));
    run(command("cargo").args(["build", "--profile", profile, "-p", "regie-relay"]))?;
    let dir = if profile == "dev" { "debug" } else { profile };
    Ok(root().join("target").join(dir).join("regie-relay"))
}
