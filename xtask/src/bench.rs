//! `cargo xtask bench`: the benchmarks, printed as a table and written to
//! `target/bench/results.json`. Each benchmark prints one JSON line; this
//! module only runs them and collects those lines.
//!
//! - `resync` (native, `crates/regie-core/benches/resync.rs`): bytes on the
//!   wire to resync after 200 offline edits per side, against the changes' size.
//! - `edit_to_visible` (Chromium, `tests/e2e/bench/latency.mjs`): edit in
//!   browser A to visible in browser B through the relay, p50/p99, 2 and 10 peers.
//! - `app_size` (`tests/e2e/bench/size.mjs`): the built app, raw and brotli.
//! - `big_plan` (Chromium, `tests/e2e/bench/plan.mjs`): a plan of 300 acties
//!   with 5,000 changes (written by `crates/regie-core/examples/big_plan.rs`):
//!   open from IndexedDB, and keystroke latency typing in a description.

use crate::exec::{command, root, run, run_captured, step};
use crate::{build, tools};

/// See the module docs.
pub fn bench() -> anyhow::Result<()> {
    tools::ensure_test_tools()?;
    let mut results = Vec::new();

    step("resync bytes (native)");
    let mut resync = command("cargo");
    resync.args(["bench", "-p", "regie-core", "--bench", "resync"]);
    results.extend(json_lines(&mut resync)?);

    step("writing the big benchmark plan");
    let big_plan = root().join("target/bench/big-plan");
    if big_plan.exists() {
        std::fs::remove_dir_all(&big_plan)?;
    }
    std::fs::create_dir_all(&big_plan)?;
    run(command("cargo")
        .args([
            "run",
            "--release",
            "-p",
            "regie-core",
            "--example",
            "big_plan",
            "--",
        ])
        .arg(&big_plan))?;

    let dist = build::app()?;
    let relay = build::relay("relay")?;
    for script in ["bench/size.mjs", "bench/latency.mjs", "bench/plan.mjs"] {
        step(&format!("node tests/e2e/{script}"));
        let mut node = command("node");
        node.arg(script)
            .current_dir(root().join("tests/e2e"))
            .env("REGIE_RELAY_BIN", &relay)
            .env("REGIE_DIST", &dist)
            .env("CHROMIUM", tools::CHROMIUM)
            .env("REGIE_BENCH_DATA", &big_plan);
        results.extend(json_lines(&mut node)?);
    }

    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let json = format!("[\n  {}\n]\n", results.join(",\n  "));
    std::fs::write(dir.join("results.json"), json)?;
    println!();
    println!("{:<18} result", "benchmark");
    for line in &results {
        let name = line
            .split("\"bench\":\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("?");
        println!("{name:<18} {line}");
    }
    println!("\nwritten to target/bench/results.json");
    Ok(())
}

/// Runs a benchmark and keeps the JSON lines it prints.
fn json_lines(command: &mut std::process::Command) -> anyhow::Result<Vec<String>> {
    let (ok, output) = run_captured(command)?;
    anyhow::ensure!(ok, "benchmark failed: {command:?}");
    let lines: Vec<String> = output
        .lines()
        .filter(|l| l.starts_with("{\"bench\""))
        .map(str::to_owned)
        .collect();
    anyhow::ensure!(!lines.is_empty(), "benchmark printed no result");
    Ok(lines)
}
