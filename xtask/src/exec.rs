//! Running commands: a progress line before, the time after, and (for test
//! runners) the output both streamed to the terminal and captured for
//! counting.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context as _, bail};

/// The repository root (the xtask crate lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the repository")
        .to_owned()
}

/// Prints a progress line.
pub fn step(message: &str) {
    println!("==> {message}");
    let _ = std::io::stdout().flush();
}

/// A command with the project's PATH: pinned tools come first, so Trunk
/// finds them and never tries to download its own.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", tool_path());
    command
}

/// PATH with the project's tool directories in front.
pub fn tool_path() -> String {
    let mut dirs = vec![
        root().join("target/tools/node_modules/.bin"),
        home().join(".cargo/bin"),
    ];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs)
        .expect("paths without separators")
        .to_string_lossy()
        .into_owned()
}

/// The user's home directory.
pub fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

/// Runs a command to completion, inheriting the terminal; fails on a
/// non-zero exit.
pub fn run(command: &mut Command) -> anyhow::Result<()> {
    let shown = format!("{command:?}");
    let started = Instant::now();
    let status = command
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    println!("    ({:.0} s)", started.elapsed().as_secs_f64());
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// Runs a command, streaming its stdout and stderr to the terminal while
/// keeping them. Returns whether it succeeded and everything it printed.
pub fn run_captured(command: &mut Command) -> anyhow::Result<(bool, String)> {
    let shown = format!("{command:?}");
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {shown}"))?;
    let stderr = child.stderr.take().expect("piped");
    let err_thread = std::thread::spawn(move || {
        let mut kept = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            kept.push_str(&line);
            kept.push('\n');
        }
        kept
    });
    let mut output = String::new();
    for line in BufReader::new(child.stdout.take().expect("piped"))
        .lines()
        .map_while(Result::ok)
    {
        println!("{line}");
        output.push_str(&line);
        output.push('\n');
    }
    output.push_str(&err_thread.join().unwrap_or_default());
    let status = child.wait()?;
    Ok((status.success(), output))
}

/// The first line a command prints on stdout, or None if it cannot run.
pub fn first_line(program: &str, args: &[&str]) -> Option<String> {
    let output = command(program).args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .map(str::to_owned)
}
