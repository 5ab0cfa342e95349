//! Mutated scenarios (the public cases in tests/cases) to `Scenario::from_json` and
//! `policy::decide`: a scenario is refused with an error or decided, never a panic, and every
//! decision explains itself and names a rule when it refuses.

use std::path::PathBuf;

#[test]
fn mutated_scenarios_are_refused_or_decided() {
    // The scenarios without their expected answers, so every mutation lands in a scenario.
    let corpus: Vec<Vec<u8>> = fuzz::corpus(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases"),
        "json",
    )
    .iter()
    .map(|case| {
        let mut v: serde_json::Value = serde_json::from_slice(case).unwrap();
        v.as_object_mut().unwrap().remove("expect");
        serde_json::to_vec(&v).unwrap()
    })
    .collect();
    let mut decided = 0u64;
    let report = fuzz::run("policy decide", &corpus, fuzz::iterations(5_000), |input| {
        let Ok(scenario) = policy::Scenario::from_json(input) else {
            return;
        };
        decided += 1;
        let d = policy::decide(&scenario);
        let json = serde_json::to_value(&d).expect("a decision serializes");
        assert!(!d.explanation.is_empty(), "no explanation: {json}");
        if json["verdict"] == "refuse" {
            assert!(
                !json["rule"].is_null(),
                "a refusal without its rule: {json}"
            );
        }
    });
    report.assert_no_panics();
    assert!(
        decided > report.inputs / 10,
        "only {decided} of {} decided",
        report.inputs
    );
}
