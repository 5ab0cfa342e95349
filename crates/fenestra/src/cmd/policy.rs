use std::path::{Path, PathBuf};
use std::process::ExitCode;

use policy::Scenario;

use super::webhook::read_input;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Judge one outgoing message: scenario in, decision out.
    ///
    /// Reads a scenario (now, page, contact history, message) from FILE or `-` and prints the
    /// decision JSON: verdict, rule, explanation, window, how to send or the alternatives,
    /// warnings and the promotional words found. Exit 2 naming the field when the input is
    /// malformed. With --cases DIR, runs every *.json case in DIR that carries
    /// "expect": {"verdict", "rule"} and prints `N passed, N failed`.
    Check {
        /// A scenario file, or `-` for standard input.
        #[arg(required_unless_present = "cases")]
        file: Option<String>,
        /// A directory of cases with expectations.
        #[arg(long, conflicts_with = "file")]
        cases: Option<PathBuf>,
    },
}

impl Command {
    pub fn run(self) -> ExitCode {
        let Command::Check { file, cases } = self;
        match (file, cases) {
            (_, Some(dir)) => run_cases(&dir),
            (Some(file), None) => check(&file),
            (None, None) => unreachable!("clap requires one"),
        }
    }
}

fn check(file: &str) -> ExitCode {
    let input = match read_input(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("fenestra policy check: cannot read {file}: {e}");
            return ExitCode::from(2);
        }
    };
    match Scenario::from_json(&input) {
        Ok(s) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&policy::decide(&s)).expect("decisions serialize")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fenestra policy check: {file}: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_cases(dir: &Path) -> ExitCode {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) => {
            eprintln!(
                "fenestra policy check: cannot read directory {}: {e}",
                dir.display()
            );
            return ExitCode::from(2);
        }
    };
    files.sort();
    let (mut passed, mut failed) = (0, 0);
    for path in &files {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        match judge_case(path) {
            Ok(()) => passed += 1,
            Err(diff) => {
                failed += 1;
                println!("FAIL {name}\n{diff}");
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Ok, or a diff of expected against actual.
fn judge_case(path: &Path) -> Result<(), String> {
    let input = std::fs::read(path).map_err(|e| format!("  cannot read: {e}"))?;
    let raw: serde_json::Value =
        serde_json::from_slice(&input).map_err(|e| format!("  not JSON: {e}"))?;
    let expect = raw
        .get("expect")
        .ok_or("  no \"expect\": {\"verdict\", \"rule\"} in the case")?;
    let scenario = Scenario::from_json(&input).map_err(|e| format!("  malformed scenario: {e}"))?;
    let decision = serde_json::to_value(policy::decide(&scenario)).expect("decisions serialize");
    let mut diff = String::new();
    for key in ["verdict", "rule"] {
        if let Some(want) = expect.get(key)
            && decision[key] != *want
        {
            diff.push_str(&format!(
                "  {key}: expected {want}, got {}\n",
                decision[key]
            ));
        }
    }
    if diff.is_empty() {
        Ok(())
    } else {
        diff.push_str(&format!("  explanation: {}\n", decision["explanation"]));
        Err(diff)
    }
}
