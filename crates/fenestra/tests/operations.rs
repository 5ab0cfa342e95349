//! The operator's commands as they are typed: `backup` and a restore from it, `customer export`
//! and `customer erase` (refused without `--yes`), `page set --retention-days`, and what each
//! says when it is used wrongly.

mod common;

use std::process::Output;
use std::sync::Arc;
use std::time::Duration;

use common::{ok_on, run_on};

fn run(db: &str, args: &[&str]) -> Output {
    run_on(db, args, "")
}

fn ok(db: &str, args: &[&str]) -> String {
    ok_on(db, args, "")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Hoa wrote to page 1001: her message goes through the real processor.
async fn seed(db: &str) {
    let store = store::connect(db).await.unwrap();
    let body = br#"{"object":"page","entry":[{"id":"1001","time":1,"messaging":[{"sender":{"id":"hoa"},"recipient":{"id":"1001"},"timestamp":1780000000000,"message":{"mid":"m.1","text":"Deliver to 12 Hang Bac please"}}]}]}"#;
    store
        .enqueue_webhooks(&[store::IncomingBody {
            received_at: store::Time::now(),
            body: body.to_vec(),
        }])
        .await
        .unwrap();
    let graph = messenger::GraphClient::new("http://127.0.0.1:9/v27.0", Duration::from_secs(1));
    let processor = engine::processor::Processor {
        engine: engine::Engine::new(Arc::clone(&store), graph),
        worker: "test".into(),
        lease: Duration::from_secs(5),
    };
    assert_eq!(processor.process_batch().await.unwrap(), 1);
}

#[tokio::test]
async fn backup_restores_and_a_customer_is_exported_then_erased() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("f.db").display());
    ok(&db, &["page", "add", "--id", "1001", "--token", "T"]);
    seed(&db).await;

    // A backup is a working database with the same data, private like the original.
    let copy = dir.path().join("backup.db");
    ok(&db, &["backup", copy.to_str().unwrap()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let restored = format!("sqlite://{}", copy.display());
    let export = ok(
        &restored,
        &["customer", "export", "--page", "1001", "--psid", "hoa"],
    );
    assert!(export.contains("12 Hang Bac"), "{export}");
    let again = run(&db, &["backup", copy.to_str().unwrap()]);
    assert!(!again.status.success(), "a backup overwrote a file");

    // Export to a file; erasing needs --yes, then the text is gone and the message counted.
    let file = dir.path().join("hoa.json");
    ok(
        &db,
        &[
            "customer",
            "export",
            "--page",
            "1001",
            "--psid",
            "hoa",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(json["messages"][0]["text"], "Deliver to 12 Hang Bac please");
    let refused = run(
        &db,
        &["customer", "erase", "--page", "1001", "--psid", "hoa"],
    );
    assert!(
        stderr(&refused).contains("add --yes"),
        "{}",
        stderr(&refused)
    );
    let erased = ok(
        &db,
        &[
            "customer", "erase", "--page", "1001", "--psid", "hoa", "--yes",
        ],
    );
    let counts: serde_json::Value = serde_json::from_str(&erased).unwrap();
    assert_eq!(counts["messages"], 1, "{erased}");
    let after = ok(
        &db,
        &["customer", "export", "--page", "1001", "--psid", "hoa"],
    );
    assert!(!after.contains("Hang Bac"), "{after}");
    let unknown = run(
        &db,
        &[
            "customer", "erase", "--page", "1001", "--psid", "nobody", "--yes",
        ],
    );
    assert!(stderr(&unknown).contains("no conversation with customer nobody"));

    // Retention: set, listed, validated.
    ok(
        &db,
        &["page", "set", "--id", "1001", "--retention-days", "400"],
    );
    assert!(ok(&db, &["page", "list"]).contains("\t400\t"));
    let too_long = run(
        &db,
        &["page", "set", "--id", "1001", "--retention-days", "4000"],
    );
    assert!(
        stderr(&too_long).contains("retention_days"),
        "{}",
        stderr(&too_long)
    );
    ok(
        &db,
        &["page", "set", "--id", "1001", "--retention-days", "0"],
    );
    assert!(ok(&db, &["page", "list"]).contains("\tkeep\t"));
}
