//! `cargo xtask bench`: the benchmarks, printed as a table of figures with
//! their targets and written to `target/bench/results.json`. Each benchmark
//! prints one JSON line; this module runs them, keeps those lines (the
//! results file is their list) and reads the figures of the table out of
//! them ([`FIGURES`]).
//!
//! - `resync` (native, `crates/regie-core/benches/resync.rs`): bytes on the
//!   wire to resync after 200 offline edits per side, against the changes' size.
//! - `scoped_changes` (native, `crates/regie-core/benches/scoped.rs`): the
//!   relay's engine time per change to a big plan from a link without a
//!   scope, a wijkactieteam link (tried on a copy first) and a netwerk link
//!   adding signals (also checked by operation).
//! - `app_size` (`tests/e2e/bench/size.mjs`): the built app, raw and brotli.
//! - `app_load` (Chromium, `tests/e2e/bench/app-load.mjs`): cold and warm
//!   (service worker) load to interactive with 4× CPU throttling and a slow
//!   4G network; bytes transferred.
//! - `edit_to_visible` (Chromium, `tests/e2e/bench/latency.mjs`): edit in
//!   browser A to visible in browser B through the relay, p50/p99, 2 and 10 peers.
//! - `direct_links` (Chromium, `tests/e2e/bench/direct.mjs`): the same over
//!   direct links against the relay path, 2 and 5 devices, on loopback and
//!   with the relay path slowed by a delaying proxy; time to the first
//!   direct link through the relay and by pairing codes.
//! - `big_plan` (Chromium, `tests/e2e/bench/plan.mjs`): a plan of 300 acties
//!   with 5,000 changes (written by `crates/regie-core/examples/big_plan.rs`):
//!   open from IndexedDB, and keystroke latency typing in a description.
//! - `open_from_indexeddb` (Chromium, `tests/e2e/bench/idb-open.mjs`): the
//!   same plan with 1k, 10k and 50k changes: open time, and its size in
//!   IndexedDB against `save()`.
//! - `relay_load` (`tests/e2e/bench/relay-load.mjs` driving
//!   `crates/regie-relay/examples/load.rs`): 1,000 native peers on 100
//!   documents against our relay, then against the reference automerge-repo
//!   server (`tests/e2e/bench/reference-server.mjs`); changes/s, fan-out
//!   latency, server memory, and the ratios.
//! - `relay_capacity` (`tests/e2e/bench/capacity.mjs`, the same generator):
//!   peers doubling from 250 (10 per document, 0.1 changes/s each) until
//!   the fan-out p99 exceeds 100 ms, a change goes undelivered or peers
//!   fail to connect (a failing step is run twice before it counts); the
//!   last passing and the breaking step, for our relay and for the
//!   reference server.
//!
//! `REGIE_BENCH_DIST` names an already built app to use instead of building
//! one; `REGIE_BENCH_ONLY` (comma-separated benchmark names) runs a subset.
//! `REGIE_RELAY_BIN` and `REGIE_LOAD_BIN` name a relay binary and a load
//! generator to measure instead of building them (e.g. an older relay, to
//! compare). Binaries are looked up under `CARGO_TARGET_DIR` when it is set.

use std::path::PathBuf;

use crate::exec::{command, root, run, run_captured, step};
use crate::{build, tools};

/// History lengths of the plans opened from IndexedDB.
const PLAN_SIZES: [usize; 3] = [1_000, 10_000, 50_000];

/// Which way a figure must stay relative to its target.
#[derive(Clone, Copy)]
enum Target {
    /// No target: shown for comparison.
    None,
    /// At most this.
    AtMost(f64),
    /// At least this.
    AtLeast(f64),
}

/// A row of the table: where its value sits in a benchmark's JSON line.
struct Figure {
    /// The benchmark's name (`"bench"` in its line).
    bench: &'static str,
    /// Keys leading to the value, outermost first.
    path: &'static [&'static str],
    /// What the row says.
    label: &'static str,
    unit: &'static str,
    target: Target,
}

const fn figure(
    bench: &'static str,
    path: &'static [&'static str],
    label: &'static str,
    unit: &'static str,
    target: Target,
) -> Figure {
    Figure {
        bench,
        path,
        label,
        unit,
        target,
    }
}

/// The table, in the order of the issue's list. Targets are the issue's
/// (and, for the big plan, the ones plan.mjs states).
// One row per line: a table reads better than rustfmt's one field per line.
#[rustfmt::skip]
const FIGURES: &[Figure] = &[
    figure("app_size", &["wasm_brotli"], "wasm, brotli", "B", Target::AtMost(512_000.0)),
    figure("app_size", &["js_brotli"], "js, brotli", "B", Target::None),
    figure("app_size", &["css_brotli"], "css, brotli", "B", Target::None),
    figure("app_load", &["cold_interactive_ms"], "cold load to interactive (p50)", "ms", Target::AtMost(2_500.0)),
    figure("app_load", &["warm_interactive_ms"], "warm (service worker) load (p50)", "ms", Target::AtMost(500.0)),
    figure("app_load", &["warm_over_cold"], "warm / cold", "×", Target::None),
    figure("app_load", &["cold_transfer_bytes"], "cold load, bytes transferred", "B", Target::None),
    figure("edit_to_visible", &["peers_2", "p50_ms"], "edit to visible, 2 peers, p50", "ms", Target::None),
    figure("edit_to_visible", &["peers_2", "p99_ms"], "edit to visible, 2 peers, p99", "ms", Target::AtMost(100.0)),
    figure("edit_to_visible", &["peers_10", "p50_ms"], "edit to visible, 10 peers, p50", "ms", Target::None),
    figure("edit_to_visible", &["peers_10", "p99_ms"], "edit to visible, 10 peers, p99", "ms", Target::AtMost(100.0)),
    figure("direct_links", &["loopback", "relay_2", "p50_ms"], "via relay, 2 devices, p50", "ms", Target::None),
    figure("direct_links", &["loopback", "direct_2", "p50_ms"], "direct, 2 devices, p50", "ms", Target::None),
    figure("direct_links", &["loopback", "direct_2", "p99_ms"], "direct, 2 devices, p99", "ms", Target::AtMost(100.0)),
    figure("direct_links", &["loopback", "relay_5", "p99_ms"], "via relay, 5 devices, p99", "ms", Target::None),
    figure("direct_links", &["loopback", "direct_5", "p99_ms"], "direct, 5 devices, p99", "ms", Target::None),
    figure("direct_links", &["slowed", "relay_2", "p50_ms"], "slow relay path, via relay, p50", "ms", Target::None),
    figure("direct_links", &["slowed", "direct_2", "p50_ms"], "slow relay path, direct, p50", "ms", Target::None),
    figure("direct_links", &["slowed", "direct_2", "p99_ms"], "slow relay path, direct, p99", "ms", Target::AtMost(100.0)),
    figure("direct_links", &["loopback", "direct_2", "first_link_ms"], "first direct link via relay", "ms", Target::None),
    figure("direct_links", &["slowed", "direct_2", "first_link_ms"], "first direct link, slow relay", "ms", Target::None),
    figure("direct_links", &["pairing", "ms"], "paired by codes (no camera)", "ms", Target::None),
    figure("scoped_changes", &["unscoped", "p50_us"], "relay, a change without a scope (p50)", "µs", Target::None),
    figure("scoped_changes", &["team", "p50_us"], "relay, a change through a team link (p50)", "µs", Target::None),
    figure("scoped_changes", &["netwerk_signal", "p50_us"], "relay, a signal through a netwerk link (p50)", "µs", Target::None),
    figure("resync", &["ratio"], "resync bytes / change bytes", "×", Target::AtMost(1.5)),
    figure("resync", &["wire_bytes"], "resync bytes on the wire", "B", Target::None),
    figure("resync", &["change_bytes"], "resync: size of the changes", "B", Target::None),
    figure("resync", &["frames"], "resync frames (both ways, 2 clients)", "", Target::None),
    figure("resync", &["round_trips"], "resync round trips", "", Target::None),
    figure("open_from_indexeddb", &["1000", "open_p50_ms"], "open from IndexedDB, 1k changes (p50)", "ms", Target::None),
    figure("open_from_indexeddb", &["1000", "records_over_save"], "IndexedDB / save(), 1k changes", "×", Target::None),
    figure("open_from_indexeddb", &["10000", "open_p50_ms"], "open from IndexedDB, 10k changes (p50)", "ms", Target::None),
    figure("open_from_indexeddb", &["10000", "records_over_save"], "IndexedDB / save(), 10k changes", "×", Target::None),
    figure("open_from_indexeddb", &["50000", "open_p50_ms"], "open from IndexedDB, 50k changes (p50)", "ms", Target::None),
    figure("open_from_indexeddb", &["50000", "records_over_save"], "IndexedDB / save(), 50k changes", "×", Target::None),
    figure("big_plan", &["open_from_indexeddb", "p50_ms"], "big plan (5k changes), open (p50)", "ms", Target::AtMost(150.0)),
    figure("big_plan", &["keystroke_handled", "p95_ms"], "big plan, keystroke handled (p95)", "ms", Target::AtMost(16.0)),
    figure("relay_load", &["regie_relay", "peers_connected"], "relay: peers connected", "", Target::AtLeast(1_000.0)),
    figure("relay_load", &["regie_relay", "changes_per_s"], "relay: changes/s sustained", "/s", Target::None),
    figure("relay_load", &["regie_relay", "delivered_ratio"], "relay: changes delivered", "×", Target::AtLeast(1.0)),
    figure("relay_load", &["regie_relay", "fanout_p50_ms"], "relay: fan-out latency p50", "ms", Target::None),
    figure("relay_load", &["regie_relay", "fanout_p99_ms"], "relay: fan-out latency p99", "ms", Target::AtMost(200.0)),
    figure("relay_load", &["regie_relay", "server_rss_peak_kib"], "relay: RSS peak", "KiB", Target::None),
    figure("relay_load", &["reference_automerge_repo", "changes_per_s"], "reference: changes/s sustained", "/s", Target::None),
    figure("relay_load", &["reference_automerge_repo", "delivered_ratio"], "reference: changes delivered", "×", Target::None),
    figure("relay_load", &["reference_automerge_repo", "fanout_p99_ms"], "reference: fan-out latency p99", "ms", Target::None),
    figure("relay_load", &["reference_automerge_repo", "server_rss_peak_kib"], "reference: RSS peak", "KiB", Target::None),
    figure("relay_load", &["regie_relay_data_in_memory", "fanout_p99_ms"], "relay, data in /dev/shm: p99", "ms", Target::None),
    figure("relay_load", &["ratio_regie_over_reference", "deliveries_per_s"], "relay / reference, deliveries/s", "×", Target::None),
    figure("relay_load", &["ratio_regie_over_reference", "fanout_p99"], "relay / reference, p99", "×", Target::None),
    figure("relay_load", &["ratio_regie_over_reference", "rss_peak"], "relay / reference, RSS", "×", Target::None),
    figure("relay_capacity", &["regie_relay", "last_passing_peers"], "relay: capacity, last passing step", "peers", Target::None),
    figure("relay_capacity", &["regie_relay", "last_passing_p99_ms"], "relay: capacity, p99 there", "ms", Target::AtMost(100.0)),
    figure("relay_capacity", &["regie_relay", "breaking_peers"], "relay: capacity, breaking step", "peers", Target::None),
    figure("relay_capacity", &["reference_automerge_repo", "last_passing_peers"], "reference: capacity, last passing step", "peers", Target::None),
    figure("relay_capacity", &["reference_automerge_repo", "breaking_peers"], "reference: capacity, breaking step", "peers", Target::None),
    figure("relay_capacity", &["ratio_regie_over_reference", "last_passing_peers"], "relay / reference, capacity", "×", Target::None),
];

/// See the module docs.
pub fn bench() -> anyhow::Result<()> {
    tools::ensure_test_tools()?;
    let only: Option<Vec<String>> = std::env::var("REGIE_BENCH_ONLY")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect());
    let wanted = |name: &str| only.as_ref().is_none_or(|o| o.iter().any(|n| n == name));
    let mut results = Vec::new();

    if wanted("resync") {
        step("resync bytes (native)");
        let mut resync = command("cargo");
        resync.args(["bench", "-p", "regie-core", "--bench", "resync"]);
        results.extend(json_lines(&mut resync)?);
    }

    if wanted("scoped_changes") {
        step("scoped changes (native)");
        let mut scoped = command("cargo");
        scoped.args(["bench", "-p", "regie-core", "--bench", "scoped"]);
        results.extend(json_lines(&mut scoped)?);
    }

    let bench_dir = root().join("target/bench");
    let big_plan = bench_dir.join("big-plan");
    if wanted("big_plan") {
        write_plan(&big_plan, None)?;
    }
    let mut plans = Vec::new();
    if wanted("open_from_indexeddb") {
        for changes in PLAN_SIZES {
            let dir = bench_dir.join(format!("plan-{changes}"));
            write_plan(&dir, Some(changes))?;
            plans.push(format!("{changes}={}", dir.display()));
        }
    }

    let dist = match std::env::var_os("REGIE_BENCH_DIST") {
        Some(dist) => PathBuf::from(dist),
        None => build::app()?,
    };
    let relay = match std::env::var_os("REGIE_RELAY_BIN") {
        Some(relay) => given("relay", relay)?,
        None => in_target_dir(build::relay("relay")?),
    };
    let load = if !(wanted("relay_load") || wanted("relay_capacity")) {
        PathBuf::new()
    } else if let Some(load) = std::env::var_os("REGIE_LOAD_BIN") {
        given("load generator", load)?
    } else {
        step("building the load generator (relay profile)");
        run(command("cargo").args([
            "build",
            "--profile",
            "relay",
            "-p",
            "regie-relay",
            "--example",
            "load",
        ]))?;
        target_dir().join("relay/examples/load")
    };
    let scripts = [
        ("app_size", "bench/size.mjs"),
        ("app_load", "bench/app-load.mjs"),
        ("edit_to_visible", "bench/latency.mjs"),
        ("direct_links", "bench/direct.mjs"),
        ("big_plan", "bench/plan.mjs"),
        ("open_from_indexeddb", "bench/idb-open.mjs"),
        ("relay_load", "bench/relay-load.mjs"),
        ("relay_capacity", "bench/capacity.mjs"),
    ];
    for (name, script) in scripts {
        if !wanted(name) {
            continue;
        }
        step(&format!("node tests/e2e/{script}"));
        let mut node = command("node");
        node.arg(script)
            .current_dir(root().join("tests/e2e"))
            .env("REGIE_RELAY_BIN", &relay)
            .env("REGIE_DIST", &dist)
            .env("CHROMIUM", tools::CHROMIUM)
            .env("REGIE_BENCH_DATA", &big_plan)
            .env("REGIE_BENCH_PLANS", plans.join(","))
            .env("REGIE_LOAD_BIN", &load);
        results.extend(json_lines(&mut node)?);
    }

    std::fs::create_dir_all(&bench_dir)?;
    let json = format!("[\n  {}\n]\n", results.join(",\n  "));
    std::fs::write(bench_dir.join("results.json"), json)?;
    print_table(&results);
    println!("\nwritten to target/bench/results.json");
    Ok(())
}

/// Writes a benchmark plan (of `changes` changes, or big_plan's default)
/// into a fresh directory.
fn write_plan(dir: &std::path::Path, changes: Option<usize>) -> anyhow::Result<()> {
    let shown = changes.map_or_else(|| "default".to_owned(), |c| c.to_string());
    step(&format!("writing a benchmark plan ({shown} changes)"));
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let mut cargo = command("cargo");
    cargo
        .args([
            "run",
            "--release",
            "-p",
            "regie-core",
            "--example",
            "big_plan",
            "--",
        ])
        .arg(dir);
    if let Some(changes) = changes {
        cargo.arg(changes.to_string());
    }
    run(&mut cargo)
}

/// A binary named in the environment instead of built: it must exist.
fn given(what: &str, path: std::ffi::OsString) -> anyhow::Result<PathBuf> {
    let path = std::path::absolute(PathBuf::from(path))?;
    anyhow::ensure!(path.is_file(), "no {what} at {}", path.display());
    step(&format!("using the {what} at {}", path.display()));
    Ok(path)
}

/// Cargo's target directory: `CARGO_TARGET_DIR` if set, else `target/`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// A path cargo built under `target/`, moved to the actual target directory.
fn in_target_dir(path: PathBuf) -> PathBuf {
    match path.strip_prefix(root().join("target")) {
        Ok(rest) => target_dir().join(rest),
        Err(_) => path,
    }
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

/// Prints every figure of the benchmarks that ran, with target and verdict.
fn print_table(results: &[String]) {
    println!();
    println!("{:<42} {:>14} {:>12}  verdict", "figure", "value", "target");
    for figure in FIGURES {
        let Some(line) = results
            .iter()
            .find(|l| l.starts_with(&format!("{{\"bench\":\"{}\"", figure.bench)))
        else {
            continue;
        };
        let value = number_at(line, figure.path);
        let shown = match value {
            Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0} {}", figure.unit),
            Some(v) => format!("{v:.2} {}", figure.unit),
            None => "—".to_owned(),
        };
        let (target, verdict) = match (figure.target, value) {
            (Target::None, _) => (String::new(), ""),
            (Target::AtMost(t), v) => (
                format!("≤ {t}"),
                if v.is_some_and(|v| v <= t) {
                    "pass"
                } else {
                    "MISS"
                },
            ),
            (Target::AtLeast(t), v) => (
                format!("≥ {t}"),
                if v.is_some_and(|v| v >= t) {
                    "pass"
                } else {
                    "MISS"
                },
            ),
        };
        println!(
            "{:<42} {:>14} {:>12}  {verdict}",
            figure.label, shown, target
        );
    }
}

/// The number at a key path in one benchmark's JSON line. Not a JSON
/// parser: it finds each key (`"key":`) after the previous one, which is
/// exact for the lines our benchmarks print (unique keys within each object
/// on the path; objects printed in one piece).
fn number_at(line: &str, path: &[&str]) -> Option<f64> {
    let mut at = 0;
    for key in path {
        let pattern = format!("\"{key}\":");
        at += line[at..].find(&pattern)? + pattern.len();
    }
    let rest = line[at..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_along_a_key_path() {
        let line = r#"{"bench":"x","peers_2":{"p50_ms":1.5,"p99_ms":3},"peers_10":{"p50_ms":2,"p99_ms":40.25},"n":null}"#;
        assert_eq!(number_at(line, &["peers_2", "p99_ms"]), Some(3.0));
        assert_eq!(number_at(line, &["peers_10", "p99_ms"]), Some(40.25));
        assert_eq!(number_at(line, &["n"]), None);
        assert_eq!(number_at(line, &["missing"]), None);
    }
}
