//! Every webhook body under tests/fixtures/webhooks parses to the kinds listed for it in
//! kinds.tsv, and every Send API error body deserializes and classifies as expected.
//! The fixtures come from other projects and Meta's docs (see tests/fixtures/PROVENANCE.md).

use std::collections::BTreeSet;
use std::path::PathBuf;

use messenger::graph_error::{ErrorClass, GraphErrorBody};
use messenger::send::SendResponse;
use messenger::{ParseError, parse_body};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn every_webhook_fixture_parses_to_its_listed_kinds() {
    let table = std::fs::read_to_string(fixtures().join("kinds.tsv")).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (file, expected) = line.split_once('\t').expect("file<TAB>kinds");
        let body = std::fs::read(fixtures().join("webhooks").join(file)).unwrap();
        let parsed = parse_body(&body);
        checked += 1;
        match (expected, parsed) {
            ("MALFORMED", Err(ParseError::Json { .. })) => {}
            ("MALFORMED", other) => {
                failures.push(format!("{file}: expected malformed JSON, got {other:?}"))
            }
            (_, Err(e)) => failures.push(format!("{file}: {e}")),
            ("*", Ok(events)) => {
                if events.is_empty() {
                    failures.push(format!("{file}: no events"));
                }
            }
            (kinds, Ok(events)) => {
                let want: BTreeSet<&str> = kinds.split(',').collect();
                let got: BTreeSet<&str> = events
                    .iter()
                    .flat_map(|e| {
                        let inner = e.payload.kind().as_str();
                        if e.kind() == "standby" && inner != "unknown" {
                            vec!["standby", inner]
                        } else {
                            vec![e.kind()]
                        }
                    })
                    .collect();
                if want != got {
                    failures.push(format!("{file}: expected {want:?}, got {got:?}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 60, "only {checked} fixtures listed");
}

#[test]
fn every_webhook_fixture_in_the_folder_is_listed() {
    let table = std::fs::read_to_string(fixtures().join("kinds.tsv")).unwrap();
    for entry in std::fs::read_dir(fixtures().join("webhooks")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            table.lines().any(|l| l.starts_with(&format!("{name}\t"))),
            "{name} is not in kinds.tsv"
        );
    }
}

#[test]
fn quirks_are_read_as_meant() {
    let read =
        |f: &str| parse_body(&std::fs::read(fixtures().join("webhooks").join(f)).unwrap()).unwrap();
    // A string watermark and no timestamp: the entry time (0) is used.
    let d = read("delivery-string-watermark__chatwoot.json");
    assert_eq!(d[0].to_json()["watermark"], 1_648_581_633_369_i64);
    // The hyphenated key of early docs, with no sender.
    let p = read("policy-enforcement-hyphen__bottender.json");
    assert_eq!(p[0].kind(), "policy_enforcement");
    assert_eq!(p[0].sender, None);
    assert_eq!(p[0].to_json()["action"], "block");
    // A UTF-8 byte-order mark, numeric app id.
    let t = read("handover-take__botbuilder-dotnet.json");
    assert_eq!(t[0].to_json()["previous_owner_app_id"], "1234567890");
    // Echo with app_id as a large number, kept exactly.
    let e = read("echo-attach__fb-messenger-gem.json");
    assert_eq!(e[0].to_json()["app_id"], "184719329217930000");
    assert_eq!(e[0].customer(), Some("3"));
    // Coordinates given as strings with underscores.
    let l = read("location__fb-messenger-gem.json");
    assert_eq!(
        l[0].to_json()["attachments"][0]["coordinates"]["lat"],
        39.92077
    );
    // Recurring-notification opt-in with its token and expiry.
    let o = read("optin-notification-messages__fenestra.json");
    let j = o[0].to_json();
    assert_eq!(
        (j["optin_type"].as_str(), j["token"].as_str()),
        (Some("notification_messages"), Some("rn-token-abc"))
    );
    assert_eq!(j["expires_at"], 1_796_904_000_000_i64);
    // Feed comment: seconds become milliseconds; the commenter is the customer.
    let c = read("feed-comment__fenestra.json");
    assert_eq!(c[0].time, Some(1_773_144_000_000));
    assert_eq!(c[0].customer(), Some("7001"));
    assert_eq!(c[0].to_json()["comment_id"], "555_9001");
    // Standby items without an inner event, and a message beside them.
    let s = read("standby__botbuilder-dotnet.json");
    assert_eq!(
        s.iter().map(|e| e.kind()).collect::<Vec<_>>(),
        ["message", "standby", "standby"]
    );
    assert_eq!(s[1].to_json()["inner"]["kind"], "unknown");
}

/// (file, code, subcode, class)
const ERRORS: &[(&str, i64, Option<i64>, ErrorClass)] = &[
    (
        "error__10-2018065__botframework-sdk-issue2050.json",
        10,
        Some(2018065),
        ErrorClass::StopContact,
    ),
    (
        "error__10-2018065__fb-messenger-gem.json",
        10,
        Some(2018065),
        ErrorClass::StopContact,
    ),
    (
        "error__10-2018108__fb-messenger-gem.json",
        10,
        Some(2018108),
        ErrorClass::StopContact,
    ),
    (
        "error__100-2018001__fb-messenger-gem.json",
        100,
        Some(2018001),
        ErrorClass::StopContact,
    ),
    (
        "error__100-error_data__fbmessenger-api-hs.json",
        100,
        None,
        ErrorClass::FixRequest,
    ),
    (
        "error__100__fb-messenger-gem.json",
        100,
        None,
        ErrorClass::FixRequest,
    ),
    (
        "error__100__hartleybrody-issue7.json",
        100,
        None,
        ErrorClass::FixRequest,
    ),
    (
        "error__10303__fb-messenger-gem.json",
        10303,
        None,
        ErrorClass::FixRequest,
    ),
    (
        "error__1200__fb-messenger-gem.json",
        1200,
        None,
        ErrorClass::RetryLater,
    ),
    (
        "error__190__fb-messenger-gem.json",
        190,
        None,
        ErrorClass::StopPage,
    ),
    (
        "error__190__messaging-apis.json",
        190,
        Some(1234567),
        ErrorClass::StopPage,
    ),
    (
        "error__190__meta-docs-send-api-errors.json",
        190,
        Some(1234567),
        ErrorClass::StopPage,
    ),
    (
        "error__200-1545041__fb-messenger-gem.json",
        200,
        Some(1545041),
        ErrorClass::StopContact,
    ),
    (
        "error__200-2018021__fb-messenger-gem.json",
        200,
        Some(2018021),
        ErrorClass::StopPage,
    ),
    (
        "error__200-2018027__fb-messenger-gem.json",
        200,
        Some(2018027),
        ErrorClass::StopPage,
    ),
    (
        "error__200-2018028__fb-messenger-gem.json",
        200,
        Some(2018028),
        ErrorClass::StopPage,
    ),
    (
        "error__200__pellaeon-issue20.json",
        200,
        Some(2069030),
        ErrorClass::StopPage,
    ),
    (
        "error__230__fb-messenger-gem.json",
        230,
        None,
        ErrorClass::StopPage,
    ),
    (
        "error__2500__messaging-apis.json",
        2500,
        None,
        ErrorClass::StopPage,
    ),
    (
        "error__551__botframework-sdk-issue4556.json",
        551,
        Some(1545041),
        ErrorClass::StopContact,
    ),
    (
        "error__551__ptt-alertor-issue75.json",
        551,
        Some(1545041),
        ErrorClass::StopContact,
    ),
];

#[test]
fn every_send_api_error_body_deserializes_and_classifies() {
    let dir = fixtures().join("errors");
    let listed: BTreeSet<&str> = ERRORS.iter().map(|e| e.0).collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            listed.contains(name.as_str()) || name.starts_with("send-response"),
            "{name} has no expectation"
        );
    }
    for (file, code, subcode, class) in ERRORS {
        let body: GraphErrorBody = serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(body.error.code, Some(*code), "{file}");
        assert_eq!(body.error.error_subcode, *subcode, "{file}");
        assert!(!body.error.message.is_empty(), "{file}");
        assert_eq!(body.error.classify(), *class, "{file}");
    }
    let ok: SendResponse = serde_json::from_slice(
        &std::fs::read(dir.join("send-response__fbmessenger-api-hs.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        ok.message_id.as_deref(),
        Some("mid.1456970487936:c34767dfe57ee6e339")
    );
}

#[test]
fn classification_of_codes_without_fixtures() {
    let err = |code: i64, sub: Option<i64>| {
        serde_json::from_value::<GraphErrorBody>(
            serde_json::json!({"error":{"message":"m","code":code,"error_subcode":sub}}),
        )
        .unwrap()
        .error
        .classify()
    };
    assert_eq!(err(10, Some(2018278)), ErrorClass::StopContact);
    assert_eq!(err(10, Some(1893063)), ErrorClass::StopPage);
    assert_eq!(err(613, None), ErrorClass::RetryLater);
    assert_eq!(err(4, None), ErrorClass::RetryLater);
    assert_eq!(err(32, None), ErrorClass::RetryLater);
    assert_eq!(err(1, Some(1357046)), ErrorClass::RetryLater);
    assert_eq!(err(10, None), ErrorClass::StopPage);
}
