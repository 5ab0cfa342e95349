//! What `policy::decide` is told about a page and a contact, read from the store.

use jiff::Timestamp;
use policy::scenario::{self as s, InteractionKind};
use store::Store;

/// Meta does not say when a restriction ends; Fenestra treats it as lasting until it is lifted.
const RESTRICTION_FOREVER_MS: i64 = 253_402_300_799_000; // 9999-12-31

pub fn at(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Page and contact as of `now`; the message is the caller's.
pub async fn load(
    store: &dyn Store,
    page: &store::Page,
    psid: &str,
    now: i64,
) -> store::Result<(s::Page, s::Contact)> {
    let policy_page = s::Page {
        id: page.id.clone(),
        human_agent_approved: page.settings.human_agent_approved,
        news_page_index: false,
        restricted_until: page.restricted.then(|| at(RESTRICTION_FOREVER_MS)),
        allowed_domains: page.settings.allowed_domains.clone(),
        utility_messaging: page.settings.utility_messaging,
        marketing_messages: false,
    };
    let (contact, interactions, one_time, notification, comments, automated) = tokio::try_join!(
        store.contact(&page.id, psid),
        store.interactions(&page.id, psid),
        store.one_time_tokens(&page.id, psid),
        store.notification_tokens(&page.id, psid),
        store.comments(&page.id, psid),
        store.automated_sent_since(&page.id, psid, now - 24 * 3_600_000),
    )?;
    // After Meta said the window was closed, only what the customer does next reopens it.
    let closed_at = contact.as_ref().and_then(|c| c.window_closed_at);
    let interactions = interactions
        .iter()
        .filter(|i| closed_at.is_none_or(|c| i.at > c))
        .filter_map(|i| {
            let kind: InteractionKind =
                serde_json::from_value(serde_json::Value::String(i.kind.clone())).ok()?;
            Some(s::Interaction { kind, at: at(i.at) })
        })
        .collect();
    let policy_contact = s::Contact {
        psid: psid.to_owned(),
        interactions,
        one_time_tokens: one_time
            .into_iter()
            .map(|t| s::OneTimeToken {
                token: t.token,
                topic: t.topic,
                issued_at: at(t.issued_at),
                used: t.used_at.is_some(),
            })
            .collect(),
        notification_tokens: notification
            .into_iter()
            .map(|t| {
                let frequency = t.frequency.and_then(|f| {
                    serde_json::from_value(serde_json::Value::String(f.to_ascii_uppercase())).ok()
                });
                s::NotificationToken {
                    token: t.token,
                    topic: t.topic,
                    frequency,
                    issued_at: Some(at(t.issued_at)),
                    expires_at: t.expires_at.map(at),
                    status: if t.status == "stopped" {
                        s::TokenStatus::Stopped
                    } else {
                        s::TokenStatus::Active
                    },
                    last_sent_at: t.last_sent_at.map(at),
                    region: None,
                }
            })
            .collect(),
        comments: comments
            .into_iter()
            .map(|c| s::Comment {
                comment_id: c.comment_id,
                at: at(c.at),
                private_reply_sent: c.private_reply_sent,
            })
            .collect(),
        marketing_subscription: None,
        thread_owner: None,
        opted_out_at: None,
        unreachable: contact.as_ref().is_some_and(|c| c.unreachable),
        opted_out: contact.as_ref().is_some_and(|c| c.opted_out),
        automated_sent_24h: automated.try_into().unwrap_or(u32::MAX),
    };
    Ok((policy_page, policy_contact))
}
