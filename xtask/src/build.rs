//! Building the app with Trunk and the relay with cargo.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::exec::{command, root, run, step};

/// Kinds of file in `dist/` worth a compressed copy (the page itself is
/// small, and served for every path of the app, so it is left out).
const COMPRESSED_KINDS: [&str; 3] = ["wasm", "js", "css"];

/// `trunk build --release` into `dist/` (wasm-opt on, as Trunk.toml and
/// index.html say), then a brotli copy of each file the relay serves.
pub fn app() -> anyhow::Result<PathBuf> {
    step("building the app (trunk build --release)");
    run(command("trunk").args(["build", "--release"]))?;
    let dist = root().join("dist");
    step("compressing the app (brotli, quality 11)");
    precompress(&dist)?;
    Ok(dist)
}

/// Writes `<file>.br` next to every file of [`COMPRESSED_KINDS`] in `dir`.
///
/// The relay serves these when the browser accepts brotli: quality 11 is
/// too slow to run per request, and over a slow mobile link it takes
/// about 15% off the first load (the wasm is most of it).
pub fn precompress(dir: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| dir.display().to_string())? {
        let path = entry?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSED_KINDS.contains(&e));
        if !wanted {
            continue;
        }
        let raw = std::fs::read(&path).with_context(|| path.display().to_string())?;
        let mut compressed = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut compressed, 1 << 16, 11, 22);
            std::io::Write::write_all(&mut writer, &raw)?;
        }
        let mut target = path.into_os_string();
        target.push(".br");
        std::fs::write(&target, compressed)
            .with_context(|| PathBuf::from(&target).display().to_string())?;
    }
    Ok(())
}

/// Builds the relay with a cargo profile and returns the binary's path.
pub fn relay(profile: &str) -> anyhow::Result<PathBuf> {
    step(&format!("building the relay ({profile})"));
    run(command("cargo").args(["build", "--profile", profile, "-p", "regie-relay"]))?;
    let dir = if profile == "dev" { "debug" } else { profile };
    Ok(root().join("target").join(dir).join("regie-relay"))
}
