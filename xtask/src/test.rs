//! `cargo xtask test`: every check, each layer reported; fails if any layer
//! fails or if a test layer runs no tests at all.

use std::time::Instant;

use crate::counts::{self, Counts};
use crate::exec::{command, root, run, run_captured, step};
use crate::{build, tools};

struct Layer {
    name: &'static str,
    ok: bool,
    counts: Option<Counts>,
    seconds: f64,
    note: String,
}

/// See the module docs.
pub fn test() -> anyhow::Result<()> {
    tools::ensure_test_tools()?;
    let mut layers = Vec::new();

    layers.push(check("fmt", || {
        run(command("cargo").args(["fmt", "--all", "--check"]))
    }));
    layers.push(check("clippy (native)", || {
        run(command("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    }));
    layers.push(check("clippy (wasm32)", || {
        run(command("cargo").args([
            "clippy",
            "-p",
            "regie",
            "-p",
            "regie-qr-worker",
            "-p",
            "regie-export-worker",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    }));
    layers.push(tests("native tests", counts::from_libtest, || {
        let mut c = command("cargo");
        c.args(["test", "--workspace"]);
        Ok(c)
    }));
    layers.push(tests("browser tests (wasm)", counts::from_libtest, || {
        let mut c = command("cargo");
        c.args(["test", "-p", "regie", "--target", "wasm32-unknown-unknown"])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
        Ok(c)
    }));
    layers.push(tests("end-to-end tests", counts::from_node_tap, || {
        let dist = build::app()?;
        let relay = build::relay("dev")?;
        let mut c = command("node");
        c.args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
            .current_dir(root().join("tests/e2e"))
            .env("REGIE_RELAY_BIN", relay)
            .env("REGIE_DIST", dist)
            .env("CHROMIUM", tools::CHROMIUM);
        Ok(c)
    }));

    print_summary(&layers);
    let failed: Vec<&str> = layers.iter().filter(|l| !l.ok).map(|l| l.name).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("failed: {}", failed.join(", "))
    }
}

fn check(name: &'static str, body: impl FnOnce() -> anyhow::Result<()>) -> Layer {
    step(name);
    let started = Instant::now();
    let result = body();
    Layer {
        name,
        ok: result.is_ok(),
        counts: None,
        seconds: started.elapsed().as_secs_f64(),
        note: result.err().map(|e| format!("{e:#}")).unwrap_or_default(),
    }
}

fn tests(
    name: &'static str,
    count: fn(&str) -> Counts,
    prepare: impl FnOnce() -> anyhow::Result<std::process::Command>,
) -> Layer {
    step(name);
    let started = Instant::now();
    let outcome = prepare().and_then(|mut c| run_captured(&mut c));
    let seconds = started.elapsed().as_secs_f64();
    match outcome {
        Err(e) => Layer {
            name,
            ok: false,
            counts: None,
            seconds,
            note: format!("{e:#}"),
        },
        Ok((success, output)) => {
            let counts = count(&output);
            let note = if !success {
                "the test runner reported failure".to_owned()
            } else if counts.passed == 0 {
                "no tests ran".to_owned()
            } else {
                String::new()
            };
            Layer {
                name,
                ok: success && counts.failed == 0 && counts.passed > 0,
                counts: Some(counts),
                seconds,
                note,
            }
        }
    }
}

fn print_summary(layers: &[Layer]) {
    println!();
    println!(
        "{:<24} {:<6} {:>7} {:>7} {:>8}  note",
        "layer", "result", "passed", "failed", "seconds"
    );
    let mut total = Counts::default();
    for layer in layers {
        let (passed, failed) = layer.counts.map_or(("-".to_owned(), "-".to_owned()), |c| {
            (c.passed.to_string(), c.failed.to_string())
        });
        if let Some(c) = layer.counts {
            total += c;
        }
        println!(
            "{:<24} {:<6} {:>7} {:>7} {:>8.0}  {}",
            layer.name,
            if layer.ok { "ok" } else { "FAIL" },
            passed,
            failed,
            layer.seconds,
            layer.note
        );
    }
    println!();
    println!("xtask: {} passed, {} failed", total.passed, total.failed);
}
