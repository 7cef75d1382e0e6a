//! The real `regie-relay` binary as a child process: started on a data
//! directory with a free port, its stdout and stderr captured, killed with
//! SIGKILL; and its `token` subcommands.

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running relay process and everything it wrote so far.
pub struct RelayProcess {
    child: Child,
    /// `host:port` it listens on.
    pub addr: String,
    log: Arc<Mutex<String>>,
}

/// Starts the relay binary on `data_dir` with `RUST_LOG=rust_log` and waits
/// until it listens (it prints its address on stdout).
pub fn spawn_relay(data_dir: &Path, rust_log: &str) -> RelayProcess {
    spawn_relay_with(data_dir, rust_log, &[])
}

/// As [`spawn_relay`], with more flags.
pub fn spawn_relay_with(data_dir: &Path, rust_log: &str, flags: &[&str]) -> RelayProcess {
    spawn(
        Command::new(env!("CARGO_BIN_EXE_regie-relay")),
        data_dir,
        rust_log,
        flags,
    )
}

/// As [`spawn_relay_with`], under a limit (soft and hard) of `files` open files.
pub fn spawn_relay_with_file_limit(data_dir: &Path, files: u32, flags: &[&str]) -> RelayProcess {
    let mut command = Command::new("sh");
    command.args([
        "-c",
        &format!("ulimit -n {files} && exec \"$0\" \"$@\""),
        env!("CARGO_BIN_EXE_regie-relay"),
    ]);
    spawn(command, data_dir, "regie_relay=info", flags)
}

fn spawn(mut command: Command, data_dir: &Path, rust_log: &str, flags: &[&str]) -> RelayProcess {
    let mut child = command
        .arg("--addr")
        .arg("127.0.0.1:0")
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--dist")
        .arg(data_dir.join("no-app"))
        .args(if flags.contains(&"--max-rate") {
            &[][..]
        } else {
            &["--max-rate", "1000000"][..]
        })
        .args(flags)
        .env("RUST_LOG", rust_log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the relay binary starts");
    let log = Arc::new(Mutex::new(String::new()));
    let (found, addr) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let out_log = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("Regie relay listening on http://") {
                let _ = found.send(rest.trim_end_matches('/').to_owned());
            }
            let mut log = out_log.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
    let mut stderr = child.stderr.take().unwrap();
    let err_log = log.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n @ 1..) = stderr.read(&mut buf) {
            err_log
                .lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let Ok(addr) = addr.recv_timeout(Duration::from_secs(30)) else {
        let _ = child.kill();
        panic!("the relay did not start; its log:\n{}", log.lock().unwrap());
    };
    RelayProcess { child, addr, log }
}

impl Drop for RelayProcess {
    /// A test that fails half-way leaves no relay running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl RelayProcess {
    /// Kills it with SIGKILL (what `Child::kill` sends on unix), reaps it
    /// and returns everything it wrote on stdout and stderr.
    pub fn kill(mut self) -> String {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        // Let the reader threads drain the pipes.
        std::thread::sleep(Duration::from_millis(50));
        self.log.lock().unwrap().clone()
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now, in KiB (Linux `VmRSS`).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/PID/status")
    }

    /// Everything written so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

/// Runs `regie-relay token <args>` on a data directory; returns stdout and
/// panics if it fails.
pub fn token_cli(data_dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_regie-relay"))
        .arg("--data-dir")
        .arg(data_dir)
        .arg("token")
        .args(args)
        .output()
        .expect("the relay binary runs");
    assert!(
        output.status.success(),
        "token {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The value of a `name:  value` line of `token create`'s output.
pub fn field(output: &str, name: &str) -> String {
    output
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .unwrap_or_else(|| panic!("no {name} in {output}"))
        .trim()
        .to_owned()
}
