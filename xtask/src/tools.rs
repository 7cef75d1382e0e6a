//! Finding and installing the tools the build and the tests need. Each tool
//! is checked quickly and installed only when missing, with a line saying
//! so (some installs take minutes).

use std::path::Path;

use anyhow::{Context as _, bail};

use crate::exec::{command, first_line, root, run, step};

/// The Trunk release that builds on this toolchain.
const TRUNK_VERSION: &str = "0.21.14";
/// binaryen from npm; Debian's wasm-opt is too old for current Rust output.
const BINARYEN: &str = "binaryen@132";
const WASM_OPT_VERSION: &str = "version_132";
/// Where Chromium and ChromeDriver come from (Debian packages).
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// See [`CHROMIUM`].
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Tools for building the app (`cargo xtask run`).
pub fn ensure_build_tools() -> anyhow::Result<()> {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_opt()
}

/// Tools for every test layer (`cargo xtask test`).
pub fn ensure_test_tools() -> anyhow::Result<()> {
    ensure_build_tools()?;
    ensure_chromium()?;
    ensure_e2e_packages()
}

fn ensure_wasm_target() -> anyhow::Result<()> {
    step("checking the wasm32-unknown-unknown target");
    let installed = command("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("rustup is needed to add the wasm32 target")?;
    if String::from_utf8_lossy(&installed.stdout).contains("wasm32-unknown-unknown") {
        return Ok(());
    }
    println!("    installing the wasm32 target");
    run(command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_trunk() -> anyhow::Result<()> {
    step("checking Trunk");
    let wanted = format!("trunk {TRUNK_VERSION}");
    if first_line("trunk", &["--version"]).is_some_and(|v| v.trim() == wanted) {
        return Ok(());
    }
    println!("    installing Trunk {TRUNK_VERSION} (once; about 10–20 minutes on 2 cores)");
    run(command("cargo").args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")]))
}

/// The wasm-bindgen version in Cargo.lock; the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> anyhow::Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).context("reading Cargo.lock")?;
    lock_version(&lock, "wasm-bindgen").context("wasm-bindgen is not in Cargo.lock")
}

/// The version of package `name` in a Cargo.lock text.
pub fn lock_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines.next()?.trim();
            return Some(
                version
                    .strip_prefix("version = \"")?
                    .strip_suffix('"')?
                    .to_owned(),
            );
        }
    }
    None
}

fn ensure_wasm_bindgen() -> anyhow::Result<()> {
    step("checking wasm-bindgen-cli");
    let version = locked_wasm_bindgen_version()?;
    let trunk_toml = std::fs::read_to_string(root().join("Trunk.toml"))?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{version}\"")) {
        bail!("Trunk.toml must pin wasm_bindgen = \"{version}\" (the version in Cargo.lock)");
    }
    let wanted = format!("wasm-bindgen {version}");
    if first_line("wasm-bindgen", &["--version"]).is_some_and(|v| v.starts_with(&wanted)) {
        return Ok(());
    }
    println!("    installing wasm-bindgen-cli {version} (once; about 5 minutes)");
    // Not --locked: one of its locked dependencies is no longer in the registry.
    run(command("cargo").args([
        "install",
        "--force",
        "wasm-bindgen-cli",
        "--version",
        &version,
    ]))
}

fn ensure_wasm_opt() -> anyhow::Result<()> {
    step("checking wasm-opt (binaryen 132)");
    let bin = root().join("target/tools/node_modules/.bin/wasm-opt");
    if first_line(&bin.to_string_lossy(), &["--version"])
        .is_some_and(|v| v.contains(WASM_OPT_VERSION))
    {
        return Ok(());
    }
    println!("    installing {BINARYEN} from npm into target/tools");
    std::fs::create_dir_all(root().join("target/tools"))?;
    run(command("npm").args([
        "install",
        "--no-audit",
        "--no-fund",
        "--prefix",
        "target/tools",
        BINARYEN,
    ]))
}

fn ensure_chromium() -> anyhow::Result<()> {
    step("checking Chromium and ChromeDriver");
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    println!("    installing chromium and chromium-driver with apt-get");
    let sudo = !is_root();
    let apt = |args: &[&str]| {
        let mut c = if sudo {
            command("sudo")
        } else {
            command("apt-get")
        };
        if sudo {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut apt(&["update"]))?;
    run(&mut apt(&["install", "-y", "chromium", "chromium-driver"]))
}

fn is_root() -> bool {
    first_line("id", &["-u"]).is_some_and(|u| u.trim() == "0")
}

fn ensure_e2e_packages() -> anyhow::Result<()> {
    step("checking the end-to-end test packages (npm)");
    let dir = root().join("tests/e2e");
    let installed = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (modified(&installed), modified(&lock)) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    println!("    installing npm packages in tests/e2e");
    // `npm install` with the committed lock, not `npm ci`: npm 11 writes
    // locks without cbor-extract's optional per-platform packages and then
    // refuses them in `npm ci`.
    run(command("npm")
        .args(["install", "--no-audit", "--no-fund"])
        .current_dir(&dir))
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).ok()?.modified().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_package_version_from_a_lock_file() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.57\"\n";
        assert_eq!(
            lock_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            lock_version(lock, "wasm-bindgen-futures").as_deref(),
            Some("0.4.57")
        );
        assert_eq!(lock_version(lock, "trunk"), None);
    }

    #[test]
    fn the_project_pins_trunk_to_the_locked_wasm_bindgen() {
        let version = locked_wasm_bindgen_version().unwrap();
        let trunk_toml = std::fs::read_to_string(root().join("Trunk.toml")).unwrap();
        assert!(trunk_toml.contains(&format!("wasm_bindgen = \"{version}\"")));
    }
}
