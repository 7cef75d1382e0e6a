//! Test counts from test runners' output, so every layer can be reported
//! and a layer that ran nothing can fail the run.

/// Passed and failed tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Tests that passed.
    pub passed: u64,
    /// Tests that failed.
    pub failed: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// Sums libtest's `test result: ok. N passed; M failed; ...` lines (cargo
/// test and wasm-bindgen-test-runner print the same).
pub fn from_libtest(output: &str) -> Counts {
    let mut total = Counts::default();
    for line in output.lines() {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            continue;
        };
        total += Counts {
            passed: number_before(rest, " passed"),
            failed: number_before(rest, " failed"),
        };
    }
    total
}

/// Reads node's TAP summary (`# pass N`, `# fail N`).
pub fn from_node_tap(output: &str) -> Counts {
    let mut counts = Counts::default();
    for line in output.lines() {
        let line = line.trim();
        if let Some(n) = line.strip_prefix("# pass ") {
            counts.passed += n.trim().parse().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("# fail ") {
            counts.failed += n.trim().parse().unwrap_or(0);
        }
    }
    counts
}

fn number_before(text: &str, label: &str) -> u64 {
    let Some(end) = text.find(label) else {
        return 0;
    };
    text[..end]
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_every_libtest_summary() {
        let output = "\
running 13 tests
test result: ok. 13 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
no tests to run!
test result: FAILED. 4 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.09s
test result: ok. 3 passed; 0 failed; 0 ignored; 0 filtered out; finished in 0.09s
";
        assert_eq!(
            from_libtest(output),
            Counts {
                passed: 20,
                failed: 1
            }
        );
        assert_eq!(from_libtest("nothing here"), Counts::default());
    }

    #[test]
    fn reads_node_tap_summaries() {
        let output =
            "TAP version 13\nok 1 - x\n# tests 3\n# suites 1\n# pass 2\n# fail 1\n# cancelled 0\n";
        assert_eq!(
            from_node_tap(output),
            Counts {
                passed: 2,
                failed: 1
            }
        );
    }
}
