//! From a parsed webhook event to what the store keeps: the contact it concerns, whether the
//! customer interacted (and whether that opens the 24-hour window), who controls the thread
//! (Conversation Routing), and the state it changes.

use std::time::Duration;

use messenger::event::{Channel, Event, Optin, Payload};
use policy::scenario::InteractionKind;
use store::{
    CommentChange, CommentVerb, Direction, Effect, MarketingOutcome, NewMessage, NormalizedEvent,
    TemplateStatus, ThreadFact, Time, TokenStatus,
};

/// Another app's control of a thread lapses after this long without activity.
const CONTROL: Duration = Duration::from_secs(24 * 3_600);
/// Meta's own apps, by their ids in handover webhooks.
const META_APPS: [&str; 2] = ["263902037430900", "413038776280800"];

/// `received_at` stands in for the time of events that carry none.
pub fn normalize(event: &Event, received_at: Time) -> NormalizedEvent {
    let at = event.time.map(Time::from_ms).unwrap_or(received_at);
    let mut out = NormalizedEvent {
        page_id: event.page_id.clone(),
        event_key: event.dedupe_key(),
        kind: event.kind().to_owned(),
        psid: event.customer().map(str::to_owned),
        at,
        interaction: None,
        opens_window: false,
        source: None,
        summary: None,
        detail: None,
        thread: None,
        effect: Effect::None,
    };
    let other_until = at + CONTROL;
    match &event.payload {
        Payload::Message(m) => {
            let kind = if m.quick_reply.is_some() {
                InteractionKind::QuickReply
            } else {
                InteractionKind::Message
            };
            interact(&mut out, kind);
            out.thread = Some(customer_channel(event, other_until));
            out.effect = Effect::Message(NewMessage {
                mid: m.mid.clone().unwrap_or_else(|| out.event_key.clone()),
                direction: Direction::In,
                text: m.text.clone(),
                attachments: attachments_json(&m.attachments),
                // A lead form's summary carries the form's outcome as its payload: flows can
                // start on it, and the answers become the customer's fields.
                quick_reply_payload: m
                    .quick_reply
                    .as_ref()
                    .and_then(|q| q.payload.clone())
                    .or_else(|| lead_form(m)),
                reply_to_mid: m.reply_to.as_ref().and_then(|r| r.mid.clone()),
                app_id: None,
                metadata: None,
            });
        }
        // The page's own message (from Fenestra, another app or the Page Inbox): not an
        // interaction. One Fenestra did not send pauses its automations for this customer.
        Payload::Echo(e) => {
            let ours = e
                .metadata
                .as_deref()
                .and_then(store::outbox_id_from_metadata)
                .is_some();
            if !ours {
                out.thread = Some(ThreadFact::RepliedElsewhere {
                    app: e.app_id.clone(),
                    until: other_until,
                    owns: event.channel == Channel::Standby,
                });
            }
            out.effect = Effect::Message(NewMessage {
                mid: e.mid.clone().unwrap_or_else(|| out.event_key.clone()),
                direction: Direction::Out,
                text: e.text.clone(),
                attachments: attachments_json(&e.attachments),
                quick_reply_payload: e.quick_reply.as_ref().and_then(|q| q.payload.clone()),
                reply_to_mid: None,
                app_id: e.app_id.clone(),
                metadata: e.metadata.clone(),
            });
        }
        Payload::Delivery(d) => {
            out.effect = Effect::Delivered {
                watermark: d.watermark.map(Time::from_ms).unwrap_or(at),
                mids: d.mids.clone(),
            }
        }
        Payload::Read(r) => {
            out.effect = Effect::Read {
                watermark: r.watermark.map(Time::from_ms).unwrap_or(at),
            }
        }
        Payload::Postback(p) => {
            interact(&mut out, InteractionKind::Postback);
            out.thread = Some(customer_channel(event, other_until));
            let referral = p.referral.as_ref().and_then(|r| r.ref_.clone());
            if p.payload.is_some() || referral.is_some() {
                out.effect = Effect::Tap {
                    payload: p.payload.clone(),
                    referral,
                };
            }
            out.source = match &p.referral {
                Some(r) => Some(referral_source(r)),
                // Meta titles the Get Started postback so; a new contact arriving with nothing
                // else is counted as coming through it.
                None if p.title.as_deref() == Some("Get Started") => {
                    Some(("get_started".to_owned(), String::new()))
                }
                None => None,
            };
            let title = ("title", value(p.title.as_deref()));
            let payload = ("payload", value(p.payload.as_deref()));
            match &p.referral {
                Some(r) => {
                    let [source, ref_] = arrival(r);
                    say(
                        &mut out,
                        "event-postback-referral",
                        vec![title, payload, source, ref_],
                    );
                }
                None => say(&mut out, "event-postback", vec![title, payload]),
            }
        }
        Payload::Referral(r) => {
            interact(&mut out, InteractionKind::Referral);
            out.thread = Some(customer_channel(event, other_until));
            out.source = Some(referral_source(r));
            say(&mut out, "event-referral", arrival(r).to_vec());
            // A customer arriving through an m.me link or an ad with a `ref`: flows may start.
            if let Some(ref_) = &r.ref_ {
                out.effect = Effect::Tap {
                    payload: None,
                    referral: Some(ref_.clone()),
                };
            }
        }
        Payload::Optin(Optin::Plugin { ref_, .. }) => {
            interact(&mut out, InteractionKind::PluginOptin);
            out.source = Some(("plugin".to_owned(), ref_.clone().unwrap_or_default()));
            say(
                &mut out,
                "event-plugin-optin",
                vec![("ref", value(ref_.as_deref()))],
            );
        }
        // Opting in to later notifications does not open the window.
        Payload::Optin(Optin::OneTimeNotification {
            token,
            payload,
            title,
        }) => {
            interact(&mut out, InteractionKind::NotificationOptin);
            let topic = value(title.as_deref().or(payload.as_deref()));
            say(&mut out, "event-one-time-optin", vec![("topic", topic)]);
            out.effect = Effect::OneTimeToken {
                token: token.clone(),
                topic: title.clone().or_else(|| payload.clone()),
            };
        }
        Payload::Optin(Optin::NotificationMessages {
            token,
            frequency,
            expires_at,
            status,
            payload,
            title,
            timezone,
            ..
        }) => {
            interact(&mut out, InteractionKind::NotificationOptin);
            // Meta writes it `STOP NOTIFICATIONS` (with a space); older bodies use `_`.
            let stopped = status.as_deref().is_some_and(|s| {
                s.replace(' ', "_")
                    .eq_ignore_ascii_case("STOP_NOTIFICATIONS")
            });
            let topic = ("topic", value(title.as_deref().or(payload.as_deref())));
            if stopped {
                say(&mut out, "event-notifications-stopped", vec![topic]);
            } else {
                let frequency = frequency.as_deref().unwrap_or("recurring").to_lowercase();
                say(
                    &mut out,
                    "event-notifications-subscribed",
                    vec![("frequency", frequency), topic],
                );
            }
            out.effect = Effect::NotificationToken {
                token: token.clone(),
                topic: title.clone().or_else(|| payload.clone()),
                frequency: frequency.clone(),
                expires_at: expires_at.map(Time::from_ms),
                status: if stopped {
                    TokenStatus::Stopped
                } else {
                    TokenStatus::Active
                },
                time_zone: timezone.clone(),
                region: timezone.as_deref().and_then(crate::region::of_time_zone),
            };
        }
        // Reacting opens the window; taking a reaction back is logged but does not.
        Payload::Reaction(r) if r.action.as_deref() != Some("unreact") => {
            interact(&mut out, InteractionKind::Reaction);
            let emoji = r.emoji.as_deref().or(r.reaction.as_deref()).unwrap_or("");
            say(
                &mut out,
                "event-reaction",
                vec![("emoji", emoji.to_owned())],
            );
        }
        Payload::Reaction(_) => say(&mut out, "event-unreact", vec![]),
        Payload::PolicyEnforcement(p) => {
            out.psid = None;
            out.effect = match p.action.as_deref() {
                Some("block") => Effect::PageRestriction {
                    restricted: true,
                    reason: p.reason.clone(),
                },
                Some("unblock") => Effect::PageRestriction {
                    restricted: false,
                    reason: p.reason.clone(),
                },
                _ => Effect::None,
            };
        }
        // `from.id` on a comment is not a PSID: the comment waits in the comments inbox until a
        // private reply's echo names the author's Messenger contact.
        Payload::FeedComment(c) => {
            out.psid = None;
            out.effect = feed_effect(event, c);
        }
        // Meta sends `pass_thread_control` to the new owner: this app, unless it names one of
        // Meta's own apps.
        Payload::PassThreadControl(p) => {
            let to_meta = p
                .new_owner_app_id
                .as_deref()
                .filter(|app| META_APPS.contains(app));
            out.thread = Some(match to_meta {
                Some(app) => ThreadFact::Other {
                    app: Some(app.to_owned()),
                    until: other_until,
                },
                None => ThreadFact::Ours,
            });
            match p.metadata.as_deref() {
                Some("messenger_lead_gen_complete") => {
                    say(&mut out, "event-lead-form-complete", vec![])
                }
                Some("messenger_lead_gen_incomplete") => {
                    say(&mut out, "event-lead-form-incomplete", vec![])
                }
                _ => say(
                    &mut out,
                    "event-handed-over",
                    app(p.previous_owner_app_id.as_deref()),
                ),
            }
        }
        // Meta sends `take_thread_control` to the previous owner: another app has it now.
        Payload::TakeThreadControl(t) => {
            out.thread = Some(ThreadFact::Other {
                app: t.new_owner_app_id.clone(),
                until: other_until,
            });
            say(
                &mut out,
                "event-taken-over",
                app(t.new_owner_app_id.as_deref()),
            );
        }
        Payload::RequestThreadControl(r) => {
            say(
                &mut out,
                "event-asks-for-thread",
                app(r.requested_owner_app_id.as_deref()),
            );
        }
        Payload::Unknown(u) => {
            if let Some(effect) = template_review(&u.raw) {
                out.effect = effect;
            }
        }
        Payload::AppRoles(_) => {}
        Payload::MarketingMessage(m) => {
            let outcome = match m.what.as_str() {
                "deliveries" => Some(MarketingOutcome::Delivered),
                "reads" => Some(MarketingOutcome::Read),
                "delivery_failed" => Some(MarketingOutcome::Failed(
                    m.error_message
                        .clone()
                        .unwrap_or_else(|| "Meta could not deliver the marketing message".into()),
                )),
                // Echoes and clicks change nothing Fenestra keeps.
                _ => None,
            };
            if let (Some(outcome), Some(tracking_id)) = (outcome, &m.tracking_id) {
                out.effect = Effect::Marketing {
                    tracking_id: tracking_id.clone(),
                    outcome,
                };
            }
        }
    }
    out
}

/// A customer's event in `messaging` means this app controls the thread (or nobody does, in
/// zero-config mode); in `standby`, another app does.
fn customer_channel(event: &Event, until: Time) -> ThreadFact {
    match event.channel {
        Channel::Messaging => ThreadFact::Ours,
        Channel::Standby => ThreadFact::Other { app: None, until },
    }
}

/// A `messenger_template_status_update` change (WhatsApp's `message_template_status_update`
/// is accepted too): the template's new review state.
fn template_review(change: &serde_json::Value) -> Option<Effect> {
    let field = change.get("field")?.as_str()?;
    if field != "messenger_template_status_update" && field != "message_template_status_update" {
        return None;
    }
    let value = change.get("value")?;
    Some(Effect::TemplateStatus {
        name: value.get("message_template_name")?.as_str()?.to_owned(),
        language: value
            .get("message_template_language")
            .and_then(|l| l.as_str())
            .map(str::to_owned),
        status: TemplateStatus::from_meta(value.get("event")?.as_str()?),
    })
}

/// The customer did something: the policy says whether it opens the window.
fn interact(out: &mut NormalizedEvent, kind: InteractionKind) {
    out.interaction = Some(kind.as_str());
    out.opens_window = kind.opens_window();
}

/// Where the customer came from: the referral's source (`SHORTLINK`, `ADS`) and ref.
/// Where the customer came from: the referral's source (`SHORTLINK`, `ADS`) and ref; an ad by
/// its ref or id, and its title when Meta gives it.
fn arrival(r: &messenger::event::Referral) -> [(&'static str, String); 2] {
    let (_, reference) = referral_source(r);
    let title = r
        .ads_context_data
        .as_ref()
        .and_then(|a| a.ad_title.as_deref())
        .map(|t| format!(" “{t}”"))
        .unwrap_or_default();
    [
        ("source", value(r.source.as_deref())),
        ("ref", format!("{}{title}", value(Some(&reference)))),
    ]
}

/// A value the customer's event carried, or a dash when it carried none (a dash reads the same
/// in every language).
fn value(v: Option<&str>) -> String {
    v.filter(|v| !v.is_empty()).unwrap_or("–").to_owned()
}

/// The app's id: each reader's language names it.
fn app(id: Option<&str>) -> Vec<(&'static str, String)> {
    vec![("app_id", id.unwrap_or("unknown").to_owned())]
}

/// What the customer did, as message `id` of the catalogue with `args`: the English summary
/// (kept for the API and exports) and the message itself, for the thread in any language.
fn say(out: &mut NormalizedEvent, id: &'static str, args: Vec<(&'static str, String)>) {
    let map: serde_json::Map<String, serde_json::Value> = args
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(v.as_str())))
        .collect();
    let detail = serde_json::json!({ "id": id, "args": map });
    out.summary = Some(event_text(
        &i18n::Tr::new(i18n::Lang::En),
        id,
        &args,
        crate::routing::app_name,
    ));
    out.detail = Some(detail.to_string());
}

/// An event's message in `tr`'s language; an `app_id` argument becomes the app's `name`.
pub fn event_text(
    tr: &i18n::Tr,
    id: &str,
    args: &[(&'static str, String)],
    app_name: impl Fn(&str) -> String,
) -> String {
    let mut values: Vec<(&'static str, i18n::Arg)> = args
        .iter()
        .map(|(k, v)| (*k, i18n::Arg::Str(v.clone())))
        .collect();
    if let Some((_, id)) = args.iter().find(|(k, _)| *k == "app_id") {
        values.push(("app", i18n::Arg::Str(app_name(id))));
    }
    tr.format(id, &values)
}

/// A `feed` change: a post of the Page's, or a comment (unknown verbs change nothing).
fn feed_effect(event: &Event, c: &messenger::event::FeedComment) -> Effect {
    if !c.is_comment() {
        return match (&c.post_id, c.verb.as_deref()) {
            (Some(post_id), Some("add" | "edited")) => Effect::Post {
                post_id: post_id.clone(),
                message: c.message.clone(),
                item: c.item.clone(),
                permalink_url: c.permalink_url.clone(),
            },
            _ => Effect::None,
        };
    }
    let (Some(comment_id), Some(verb)) = (
        &c.comment_id,
        c.verb.as_deref().and_then(CommentVerb::parse),
    ) else {
        return Effect::None;
    };
    Effect::Comment(CommentChange {
        comment_id: comment_id.clone(),
        verb,
        post_id: c.post_id.clone(),
        parent_id: c.parent_id.clone(),
        by_page: c.from_id.as_deref() == Some(event.page_id.as_str()),
        author_id: c.from_id.clone(),
        author_name: c.from_name.clone(),
        text: c.message.clone(),
        photo: c.photo.clone().or_else(|| c.video.clone()),
        permalink_url: c.permalink_url.clone(),
    })
}

/// The source kind (`SHORTLINK`, `ADS`) and the `ref`; an ad without a `ref` by its ad id.
fn referral_source(r: &messenger::event::Referral) -> (String, String) {
    let ref_ = match r.source.as_deref() {
        Some("ADS") => r.ref_.clone().or_else(|| r.ad_id.clone()),
        _ => r.ref_.clone(),
    };
    (
        r.source.clone().unwrap_or_else(|| "referral".to_owned()),
        ref_.unwrap_or_default(),
    )
}

fn attachments_json(attachments: &[messenger::event::Attachment]) -> Option<String> {
    (!attachments.is_empty()).then(|| serde_json::to_string(attachments).unwrap_or_default())
}

/// The outcome of a lead form (`messenger_lead_gen_complete`), on Meta's summary message.
fn lead_form(m: &messenger::event::Message) -> Option<String> {
    m.hop_context
        .as_ref()?
        .metadata
        .clone()
        .filter(|md| md.starts_with("messenger_lead_gen_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(item: &str) -> NormalizedEvent {
        let body = format!(
            r#"{{"object":"page","entry":[{{"id":"1001","time":5,"messaging":[{item}]}}]}}"#
        );
        let events = messenger::parse_body(body.as_bytes()).unwrap();
        normalize(&events[0], Time::from_ms(42))
    }

    #[test]
    fn what_opens_the_window() {
        let m = one(
            r#"{"sender":{"id":"2"},"recipient":{"id":"1001"},"timestamp":1700000000000,"message":{"mid":"m1","text":"hi"}}"#,
        );
        assert_eq!(
            (m.interaction, m.opens_window, m.psid.as_deref()),
            (Some("message"), true, Some("2"))
        );
        let echo = one(
            r#"{"sender":{"id":"1001"},"recipient":{"id":"2"},"timestamp":1,"message":{"is_echo":true,"mid":"m2","text":"yo","metadata":"ob-1"}}"#,
        );
        assert_eq!((echo.interaction, echo.psid.as_deref()), (None, Some("2")));
        assert!(
            matches!(&echo.effect, Effect::Message(m) if m.direction == Direction::Out && m.metadata.as_deref() == Some("ob-1"))
        );
        let otn = one(
            r#"{"sender":{"id":"2"},"optin":{"type":"one_time_notif_req","one_time_notif_token":"t","payload":"restock"}}"#,
        );
        assert_eq!(
            (otn.interaction, otn.opens_window, otn.at),
            (Some("notification_optin"), false, Time::from_ms(5_000))
        );
        let plugin = one(r#"{"sender":{"id":"2"},"optin":{"ref":"checkout"}}"#);
        assert!(plugin.opens_window);
        let unreact = one(r#"{"sender":{"id":"2"},"reaction":{"mid":"m1","action":"unreact"}}"#);
        assert_eq!((unreact.interaction, unreact.opens_window), (None, false));
        let referral = one(
            r#"{"sender":{"id":"2"},"referral":{"ref":"spring","source":"SHORTLINK","type":"OPEN_THREAD"}}"#,
        );
        assert_eq!(referral.source, Some(("SHORTLINK".into(), "spring".into())));
    }
}
