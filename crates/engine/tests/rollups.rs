//! The analytics' rollups give the figures the raw messages give, however the messages arrive:
//! conversations whose messages come out of order and in scattered batches, folded partly
//! between batches, replayed, then rebuilt from scratch and folded by the read itself, on SQLite
//! and PostgreSQL alike.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use engine::Engine;
use engine::analytics::responsiveness::{self, Author, Said};
use store::histogram::Histogram;
use store::testing::{self, echo, message, t};
use store::{Direction, IncomingBody, NormalizedEvent, Store};

const PAGE: &str = "1001";
const MIN: i64 = 60_000;
const DAY: i64 = 86_400_000;
/// A day boundary, so ranges can start on one or cut through one.
const T0: i64 = 20_600 * DAY;

/// 40 customers over three days: each writes, sometimes again, and is answered after a minute,
/// hours, more than a day, or never.
fn conversations(rng: &mut fastrand::Rng) -> Vec<NormalizedEvent> {
    let mut out = vec![];
    for c in 0..40 {
        let psid = format!("p{c}");
        let mut at = T0 + rng.i64(0..3 * DAY);
        for turn in 0..rng.usize(1..5) {
            out.push(message(&psid, &format!("{psid}-in-{turn}"), "hi", at));
            if rng.bool() {
                at += rng.i64(1..10) * MIN;
                out.push(message(&psid, &format!("{psid}-again-{turn}"), "?", at));
            }
            let wait = [MIN, 7 * MIN, 3 * 60 * MIN, 25 * 60 * MIN][rng.usize(0..4)];
            at += wait + rng.i64(0..1_000);
            if rng.u8(0..5) > 0 {
                out.push(echo(&psid, &format!("{psid}-out-{turn}"), "answer", at));
            }
            at += rng.i64(1..40) * 60 * MIN;
        }
    }
    out
}

async fn apply(s: &dyn Store, events: &[NormalizedEvent]) {
    let inbox = s
        .enqueue_webhooks(&[IncomingBody {
            received_at: t(T0),
            body: b"{}".to_vec(),
        }])
        .await
        .unwrap();
    s.complete_webhook(inbox[0], events, t(T0)).await.unwrap();
}

/// The figures straight from every message, as the raw query computes them.
fn reference(s: &[Said], from: i64, to: i64) -> (responsiveness::Figures, usize) {
    let mut times = Histogram::default();
    let mut n = 0;
    for r in responsiveness::requests(s) {
        if (from..to).contains(&r.at_ms) {
            n += 1;
            if let Some(ms) = r.answered_in_ms {
                times.add(ms / 1000, 1);
            }
        }
    }
    let counted = responsiveness::counted(s, &|_, _| 0)
        .iter()
        .filter(|c| (from..to).contains(&c.at_ms))
        .count();
    (responsiveness::figures(n, &times), counted)
}

async fn check(engine: &Engine, s: &dyn Store, label: &str, when: &str) {
    let rows = s.timeline(PAGE, t(0), t(T0 + 30 * DAY)).await.unwrap();
    let said: Vec<Said> = rows
        .iter()
        .map(|r| Said {
            psid: r.psid.clone(),
            at_ms: r.sent_at.ms(),
            author: if r.direction == Direction::In {
                Author::Customer
            } else {
                Author::Page
            },
        })
        .collect();
    let ranges = [
        (T0, T0 + DAY),
        (T0 - DAY, T0 + 5 * DAY),
        (T0 + 5 * 60 * MIN + 17, T0 + 2 * DAY + 3 * 60 * MIN),
        (T0 + DAY + MIN, T0 + DAY + 9 * 60 * MIN),
    ];
    for (from, to) in ranges {
        let got = engine.responsiveness(PAGE, t(from), t(to)).await.unwrap();
        let (team, counted) = reference(&said, from, to);
        assert_eq!(got.team, team, "{label} {when}: team over {from}..{to}");
        assert_eq!(
            got.badge.counted, counted,
            "{label} {when}: badge over {from}..{to}"
        );
        let per_day: usize = got.days.iter().map(|d| d.figures.requests).sum();
        assert_eq!(
            per_day, team.requests,
            "{label} {when}: days over {from}..{to}"
        );

        let hours = s.messages_by_hour(PAGE, t(from), t(to)).await.unwrap();
        let counted_hours: i64 = hours.iter().map(|h| h.n).sum();
        let raw = rows
            .iter()
            .filter(|r| (from..to).contains(&r.sent_at.ms()))
            .count();
        assert_eq!(
            counted_hours, raw as i64,
            "{label} {when}: messages over {from}..{to}"
        );

        let wrote = s.who_wrote(PAGE, t(from), t(to), true).await.unwrap();
        let writers: BTreeSet<&str> = rows
            .iter()
            .filter(|r| r.direction == Direction::In && (from..to).contains(&r.sent_at.ms()))
            .map(|r| r.psid.as_str())
            .collect();
        let by_locale: i64 = wrote.by_locale.iter().map(|(_, n)| n).sum();
        assert_eq!(
            by_locale,
            writers.len() as i64,
            "{label} {when}: writers over {from}..{to}"
        );
    }
}

#[tokio::test]
async fn rollups_agree_with_the_raw_messages_however_they_arrive() {
    for db in testing::all().await {
        let store: Arc<dyn Store> = store::connect(&db.url).await.unwrap();
        let graph = messenger::GraphClient::new("http://127.0.0.1:9/v27.0", Duration::from_secs(1));
        let engine = Engine::new(store.clone(), graph);
        let mut rng = fastrand::Rng::with_seed(19);
        let mut events = conversations(&mut rng);
        rng.shuffle(&mut events);
        let total = events.len();
        // Scattered batches, a few conversations folded between them.
        for batch in events.chunks(total / 6 + 1) {
            apply(store.as_ref(), batch).await;
            engine.fold_answers(None, 7).await.unwrap();
        }
        check(&engine, store.as_ref(), db.label, "out of order").await;

        // The same events again change nothing (at-least-once processing).
        apply(store.as_ref(), &events).await;
        check(&engine, store.as_ref(), db.label, "replayed").await;

        // Rebuilt, then read at once: the read folds what the worker has not yet.
        let pending = store.rebuild_rollups(PAGE).await.unwrap();
        assert_eq!(pending, 40, "{}", db.label);
        let read = engine
            .responsiveness(PAGE, t(T0), t(T0 + DAY))
            .await
            .unwrap();
        assert!(
            !read.updating,
            "{}: 40 conversations fold on read",
            db.label
        );
        check(&engine, store.as_ref(), db.label, "rebuilt").await;
        let days: BTreeMap<String, usize> = engine
            .responsiveness(PAGE, t(T0), t(T0 + 4 * DAY))
            .await
            .unwrap()
            .days
            .into_iter()
            .map(|d| (d.day, d.figures.requests))
            .collect();
        assert!(days.len() >= 3, "{}: {days:?}", db.label);
        eprintln!("{}: {total} messages, requests per day {days:?}", db.label);
    }
}

/// While the processor is behind, the folder leaves answer times for later (the inbox comes
/// first, and a conversation is then folded once for all its new messages); once the processor
/// has caught up, they are folded.
#[tokio::test]
async fn the_folder_waits_while_the_processor_is_behind() {
    use engine::analytics::rollup::AnswerFolder;
    use engine::worker::{Progress, Worker};
    use std::sync::atomic::Ordering::Relaxed;

    let db = testing::sqlite().await;
    let store: Arc<dyn Store> = store::connect(&db.url).await.unwrap();
    let graph = messenger::GraphClient::new("http://127.0.0.1:9/v27.0", Duration::from_secs(1));
    let engine = Engine::new(store.clone(), graph);
    apply(
        &*store,
        &[
            message("p1", "in", "hi", T0),
            echo("p1", "out", "hello", T0 + MIN),
        ],
    )
    .await;
    let pending = || async { store.pending_answers(Some(PAGE), 10).await.unwrap().len() };
    assert_eq!(pending().await, 1);
    let folder = AnswerFolder {
        engine: engine.clone(),
    };

    engine.signals.behind.store(true, Relaxed);
    assert_eq!(folder.run_once().await.unwrap(), Progress::Idle);
    assert_eq!(
        pending().await,
        1,
        "nothing folded while the processor is behind"
    );

    engine.signals.behind.store(false, Relaxed);
    folder.run_once().await.unwrap();
    assert_eq!(pending().await, 0, "folded once it caught up");
}
