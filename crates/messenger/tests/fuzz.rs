//! What strangers send, mutated: webhook bodies (tests/fixtures/webhooks) to the parser and
//! Graph error bodies (tests/fixtures/errors) to their reading. Either reads or refuses with an
//! error; never a panic. `scripts/fuzz` runs a million of each; the suite a few thousand.

use std::path::PathBuf;

use messenger::graph_error::GraphErrorBody;

fn fixtures(dir: &str) -> Vec<Vec<u8>> {
    fuzz::corpus(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(dir),
        "json",
    )
}

#[test]
fn mutated_webhook_bodies_parse_or_are_refused() {
    let corpus = fixtures("webhooks");
    let mut parsed = 0u64;
    let report = fuzz::run("webhook parser", &corpus, fuzz::iterations(5_000), |body| {
        if let Ok(events) = messenger::parse_body(body) {
            parsed += 1;
            // What is kept of an event is printable (quarantine notes, logs).
            for e in &events {
                let _ = format!("{e:?}");
            }
        }
    });
    report.assert_no_panics();
    // The mutations keep enough structure to reach past the JSON reader.
    assert!(
        parsed > report.inputs / 5,
        "only {parsed} of {} parsed",
        report.inputs
    );
}

#[test]
fn mutated_graph_error_bodies_are_read_or_refused() {
    let corpus = fixtures("errors");
    let report = fuzz::run("graph errors", &corpus, fuzz::iterations(5_000), |body| {
        if let Ok(b) = serde_json::from_slice::<GraphErrorBody>(body) {
            let _ = (b.error.classify(), b.error.meaning());
        }
    });
    report.assert_no_panics();
}
