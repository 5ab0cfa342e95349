//! A customer moved through the salon's flows with the clock given: every question, answer,
//! branch, wait and hand-over, and what the engine is asked to do at each.

use std::collections::BTreeMap;

use flows::answer::Answer;
use flows::{Context, Effect, End, Flows, Input, Quick, Run, State};
use jiff::Timestamp;

const SALON: &str = include_str!("../../../examples/flows/salon.yaml");

fn salon() -> Flows {
    flows::parse(SALON).unwrap()
}

fn ctx(now: &str) -> Context<'static> {
    Context {
        locale: Some("vi_VN"),
        fields: BTreeMap::new(),
        now: now.parse::<Timestamp>().unwrap(),
    }
}

fn says(text: &str) -> Input<'_> {
    Input::Answer(Answer {
        text: Some(text),
        payload: None,
    })
}

fn taps<'a>(title: &'a str, payload: &'a str) -> Input<'a> {
    Input::Answer(Answer {
        text: Some(title),
        payload: Some(payload),
    })
}

fn texts(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { message, .. } => Some(message.text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_customer_books_a_haircut_in_vietnamese() {
    let doc = salon();
    let flow = doc
        .triggered(flows::trigger::Arrival {
            payload: Some("GET_STARTED"),
            ..Default::default()
        })
        .unwrap();
    let mut c = ctx("2026-11-30T09:00:00Z");
    let (mut run, effects) = Run::start(flow, &mut c);
    assert_eq!(run.state, State::Asking);
    let [Effect::Send { message, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        message.text,
        "Chào {{first_name}}! Bạn muốn làm dịch vụ nào?"
    );
    assert_eq!(
        message.quick_replies[0],
        Quick::Text {
            title: "Cắt tóc".into(),
            payload: "cut".into()
        }
    );

    let effects = run.advance(flow, taps("Cắt tóc", "cut"), &mut c);
    assert_eq!(texts(&effects), ["Bạn muốn đến ngày nào? (ví dụ 24/12)"]);
    // A wrong day is asked again, with the flow's own retry words (none here: Fenestra's).
    let effects = run.advance(flow, says("thứ bảy"), &mut c);
    assert!(matches!(&effects[0], Effect::Retry { text: None, .. }));
    let effects = run.advance(flow, says("24/12"), &mut c);
    assert_eq!(
        effects,
        [
            Effect::Save {
                field: "day".into(),
                value: "2026-12-24".into()
            },
            Effect::Offer {
                step: "slot".into(),
                text: "Bạn muốn đến lúc nào?".into(),
                service: Some("cut".into()),
                day: Some("2026-12-24".into())
            }
        ]
    );
    // The engine offers the slots; the customer taps one and the engine books it.
    let effects = run.advance(flow, taps("24/12 09:00 Minh", "SLOT:minh:1"), &mut c);
    assert_eq!(
        effects,
        [Effect::Book {
            step: "slot".into(),
            service: Some("cut".into()),
            payload: Some("SLOT:minh:1".into())
        }]
    );
    assert_eq!(run.state, State::Booking);
    // Taken meanwhile: offered again.
    let effects = run.advance(flow, Input::Booked(None), &mut c);
    assert!(matches!(&effects[0], Effect::Offer { .. }));
    run.advance(flow, taps("24/12 09:30 Minh", "SLOT:minh:2"), &mut c);
    let booked = [
        ("booking_at".to_owned(), "24/12/2026 09:30".to_owned()),
        ("booking_with".into(), "Minh".into()),
    ];
    let effects = run.advance(flow, Input::Booked(Some(&booked)), &mut c);
    assert_eq!(
        effects[1],
        Effect::Save {
            field: "booking_with".into(),
            value: "Minh".into()
        }
    );
    let [_, _, Effect::Send { message, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(message.quick_replies, [Quick::UserPhone]);

    let effects = run.advance(flow, taps("+84 90 123 45 67", "+84901234567"), &mut c);
    assert_eq!(
        effects[1],
        Effect::Labels {
            add: vec!["booking".into()],
            remove: vec![]
        }
    );
    assert_eq!(
        texts(&effects),
        ["Cảm ơn {{first_name}}! Hẹn gặp bạn lúc 24/12/2026 09:30 với Minh."],
        "the fields are filled in"
    );
    assert_eq!(run.state, State::Finished { end: End::Done });
    // Finished: nothing more happens.
    assert!(run.advance(flow, says("hello"), &mut c).is_empty());
}

#[test]
fn colour_goes_to_a_person_and_three_wrong_answers_too() {
    let doc = salon();
    let flow = doc.named("salon").unwrap();
    let mut c = ctx("2026-11-30T09:00:00Z");
    let (mut run, _) = Run::start(flow, &mut c);
    let effects = run.advance(flow, says("nhuom"), &mut c);
    assert!(
        matches!(&effects[1], Effect::Handover { text: Some(t) } if t.starts_with("Nhuộm cần tư vấn"))
    );
    assert_eq!(
        run.state,
        State::Finished {
            end: End::HandedOver
        }
    );

    let (mut run, _) = Run::start(flow, &mut c);
    for _ in 0..2 {
        let effects = run.advance(flow, says("??"), &mut c);
        assert!(
            matches!(&effects[0], Effect::Retry { text: Some(t), .. } if t == "Bạn chọn giúp một dịch vụ nhé.")
        );
    }
    let effects = run.advance(flow, says("??"), &mut c);
    assert_eq!(effects, [Effect::Handover { text: None }]);
    assert!(run.finished());
}

#[test]
fn a_wait_ends_when_its_time_comes() {
    let doc = salon();
    let flow = doc
        .triggered(flows::trigger::Arrival {
            referral: Some("after-visit"),
            ..Default::default()
        })
        .unwrap();
    let mut c = ctx("2026-11-30T09:00:00Z");
    c.locale = None;
    let (mut run, _) = Run::start(flow, &mut c);
    assert!(run.advance(flow, says("5"), &mut c).len() == 1);
    assert_eq!(
        run.state,
        State::Sleeping {
            until: "2026-12-01T09:00:00Z".parse().unwrap()
        }
    );
    assert!(
        run.advance(flow, Input::Wake, &mut c).is_empty(),
        "too early"
    );
    c.now = "2026-12-01T09:00:00Z".parse().unwrap();
    assert_eq!(
        texts(&run.advance(flow, Input::Wake, &mut c)),
        ["Thank you for your feedback!"]
    );
    assert!(run.finished());
}

#[test]
fn a_refused_message_goes_to_on_error_or_a_person() {
    let text = "flows:\n  - name: x\n    trigger: {match: [hi]}\n    start: a\n    steps:\n      a: {send: {text: Promo}, next: b, on_error: sorry}\n      b: {send: {text: More}}\n      sorry: {send: {text: Sorry}}\n";
    let doc = flows::parse(text).unwrap();
    let flow = &doc.flows[0];
    let mut c = ctx("2026-11-30T09:00:00Z");
    let (run, effects) = Run::start(flow, &mut c);
    assert_eq!(texts(&effects), ["Promo", "More"]);
    assert!(run.finished());
    // The engine learns that step a's message was refused.
    let mut run2 = run.clone();
    run2.state = State::Asking;
    assert_eq!(
        texts(&run2.advance(flow, Input::Failed("a"), &mut c)),
        ["Sorry"]
    );
    let mut run3 = run;
    run3.state = State::Asking;
    assert_eq!(
        run3.advance(flow, Input::Failed("b"), &mut c),
        [Effect::Handover { text: None }]
    );
}

#[test]
fn a_loop_without_a_question_hands_over_instead_of_spinning() {
    let text = "flows:\n  - name: x\n    trigger: {match: [hi]}\n    start: a\n    steps:\n      a: {labels: {add: [x]}, next: b}\n      b: {branch: {cases: [], else: a}}\n";
    let doc = flows::parse(text).unwrap();
    let mut c = ctx("2026-11-30T09:00:00Z");
    let (run, effects) = Run::start(&doc.flows[0], &mut c);
    assert_eq!(effects.last(), Some(&Effect::Handover { text: None }));
    assert_eq!(
        run.state,
        State::Finished {
            end: End::HandedOver
        }
    );
}
