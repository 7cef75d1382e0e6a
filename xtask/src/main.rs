//! Project automation: `cargo xtask run | test | bench`.
//!
//! Everything a fresh machine needs is installed here, only when missing:
//! the wasm32 target, Trunk, wasm-bindgen-cli (matching Cargo.lock),
//! binaryen's wasm-opt (npm), Chromium and ChromeDriver (apt), and the
//! end-to-end test packages (npm).
//!
//! - [`tools`]: finding and installing tools.
//! - [`exec`]: running commands with progress lines and captured output.
//! - [`counts`]: reading test counts from test runners' output.
//! - [`build`]: building the app (Trunk) and the relay.
//! - [`run`]: `cargo xtask run`.
//! - [`test`]: `cargo xtask test`.
//! - [`bench`]: `cargo xtask bench`.
//! - `tidy` (tests only): the architecture's rules, checked on the source tree.

mod bench;
mod build;
mod counts;
mod exec;
mod run;
mod test;
#[cfg(test)]
mod tidy;
mod tools;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Regie's project commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the app and start the relay serving it (installs what is missing).
    Run {
        /// Extra arguments for regie-relay (e.g. --addr 0.0.0.0:8080).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        relay_args: Vec<String>,
    },
    /// Every check: fmt, clippy (native and wasm32), native, browser and end-to-end tests.
    Test,
    /// Benchmarks: app size and load, edit-to-visible latency, resync, opening big plans, relay under load.
    Bench,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run { relay_args } => run::run(&relay_args),
        Command::Test => test::test(),
        Command::Bench => bench::bench(),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
