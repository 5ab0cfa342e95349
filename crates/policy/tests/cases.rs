//! Every public policy case (tests/cases, copied from shared/policy/cases) agrees.

use std::path::PathBuf;

#[test]
fn every_shared_case_agrees() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut failures = Vec::new();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        n += 1;
        let input = std::fs::read(&path).unwrap();
        let raw: serde_json::Value = serde_json::from_slice(&input).unwrap();
        let scenario = policy::Scenario::from_json(&input)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let got = serde_json::to_value(policy::decide(&scenario)).unwrap();
        for key in ["verdict", "rule"] {
            if got[key] != raw["expect"][key] {
                failures.push(format!(
                    "{}: {key} expected {}, got {} ({})",
                    path.display(),
                    raw["expect"][key],
                    got[key],
                    got["explanation"]
                ));
            }
        }
    }
    assert!(n >= 30, "only {n} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
