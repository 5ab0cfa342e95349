//! What `policy::decide` is told about a page and a contact, read from the store.

use std::time::Duration;

use policy::Region;
use policy::scenario::{self as s, InteractionKind};
use store::{Store, Time, TokenStatus};

/// How long a thread stays active after its last activity (Conversation Routing).
const THREAD_ACTIVE: Duration = Duration::from_secs(24 * 3_600);

/// The app other than Fenestra that controls the thread now, if any: one whose control has not
/// lapsed; or, when Fenestra is not the Page's default app, the default app for a thread that
/// has been idle (only the default app may write there).
pub fn thread_owner(
    owner: Option<&str>,
    owner_until: Option<Time>,
    last_interaction_at: Option<Time>,
    default_app: bool,
    now: Time,
) -> Option<String> {
    if let Some(app) = owner.filter(|_| owner_until.is_none_or(|u| now < u)) {
        return Some(app.to_owned());
    }
    let idle = last_interaction_at.is_none_or(|at| now.since(at) >= THREAD_ACTIVE);
    (!default_app && idle).then(|| "default_app".to_owned())
}

/// The page as the policy reads it; `marketing`: onboarded to paid marketing messages.
pub fn policy_page(page: &store::Page, marketing: bool) -> s::Page {
    s::Page {
        id: page.id.clone(),
        human_agent_approved: page.settings.human_agent_approved,
        news_page_index: false,
        // Meta does not say when a restriction ends: it lasts until it is lifted.
        restricted_until: page.restricted.then(|| Time::FOREVER.timestamp()),
        allowed_domains: page.settings.allowed_domains.clone(),
        utility_messaging: page.settings.utility_messaging,
        marketing_messages: marketing,
    }
}

/// A contact's marketing subscription (their latest `notification_messages` token) as the
/// policy reads it.
pub fn marketing_subscription(t: &store::NotificationToken, now: Time) -> s::MarketingSubscription {
    let week_ago = now - Duration::from_secs(7 * 86_400);
    s::MarketingSubscription {
        token: t.token.clone(),
        status: if t.marketing_stopped_at.is_some() || t.status == TokenStatus::Stopped {
            s::SubscriptionStatus::Stopped
        } else {
            s::SubscriptionStatus::Active
        },
        region: t.region.as_deref().and_then(Region::parse),
        subscribed_at: Some(t.issued_at.timestamp()),
        last_marketing_at: t.last_marketing_at.map(Time::timestamp),
        // Fenestra keeps the last one only: enough for the warning, which counts from one.
        sent_7d: u32::from(t.last_marketing_at.is_some_and(|at| at > week_ago)),
    }
}

/// Page and contact as of `now`; the message is the caller's. `automated_window` is how far
/// back automated messages count toward the frequency warning.
pub async fn load(
    store: &dyn Store,
    page: &store::Page,
    psid: &str,
    now: Time,
    automated_window: Duration,
) -> store::Result<(s::Page, s::Contact)> {
    let marketing = store
        .marketing_setup(&page.id)
        .await?
        .ad_account_id
        .is_some();
    let policy_page = policy_page(page, marketing);
    let (contact, interactions, one_time, notification, comments, automated) = tokio::try_join!(
        store.contact(&page.id, psid),
        store.interactions(&page.id, psid),
        store.one_time_tokens(&page.id, psid),
        store.notification_tokens(&page.id, psid),
        store.comments(&page.id, psid),
        store.automated_sent_since(&page.id, psid, now - automated_window),
    )?;
    // After Meta said the window was closed, only what the customer does next reopens it.
    let closed_at = contact.as_ref().and_then(|c| c.window_closed_at);
    let interactions = interactions
        .iter()
        .filter(|i| closed_at.is_none_or(|c| i.at > c))
        .filter_map(|i| {
            Some(s::Interaction {
                kind: InteractionKind::parse(&i.kind)?,
                at: i.at.timestamp(),
            })
        })
        .collect();
    let policy_contact = s::Contact {
        psid: psid.to_owned(),
        interactions,
        one_time_tokens: one_time.iter().map(one_time_token).collect(),
        notification_tokens: notification.iter().map(notification_token).collect(),
        comments: comments
            .into_iter()
            .map(|c| s::Comment {
                comment_id: c.comment_id,
                at: c.at.timestamp(),
                private_reply_sent: c.private_reply_sent,
            })
            .collect(),
        marketing_subscription: notification.last().map(|t| marketing_subscription(t, now)),
        thread_owner: contact.as_ref().and_then(|c| {
            thread_owner(
                c.thread_owner.as_deref(),
                c.thread_owner_until,
                c.last_interaction_at,
                page.settings.default_app,
                now,
            )
        }),
        unreachable: contact.as_ref().is_some_and(|c| c.unreachable),
        opted_out: contact.as_ref().is_some_and(|c| c.opted_out),
        opted_out_at: contact
            .as_ref()
            .and_then(|c| c.opted_out_at)
            .map(Time::timestamp),
        automated_sent_24h: automated.try_into().unwrap_or(u32::MAX),
    };
    Ok((policy_page, policy_contact))
}

fn frequency(f: &str) -> Option<s::Frequency> {
    match f.to_ascii_uppercase().as_str() {
        "DAILY" => Some(s::Frequency::Daily),
        "WEEKLY" => Some(s::Frequency::Weekly),
        "MONTHLY" => Some(s::Frequency::Monthly),
        _ => None,
    }
}

/// A one-time token as the policy reads it.
pub fn one_time_token(t: &store::OneTimeToken) -> s::OneTimeToken {
    s::OneTimeToken {
        token: t.token.clone(),
        topic: t.topic.clone(),
        issued_at: t.issued_at.timestamp(),
        used: t.used_at.is_some(),
    }
}

/// A recurring-notification token as the policy reads it.
pub fn notification_token(t: &store::NotificationToken) -> s::NotificationToken {
    s::NotificationToken {
        token: t.token.clone(),
        topic: t.topic.clone(),
        frequency: t.frequency.as_deref().and_then(frequency),
        issued_at: Some(t.issued_at.timestamp()),
        expires_at: t.expires_at.map(Time::timestamp),
        status: match t.status {
            TokenStatus::Active => s::TokenStatus::Active,
            TokenStatus::Stopped => s::TokenStatus::Stopped,
        },
        last_sent_at: t.last_sent_at.map(Time::timestamp),
        region: t.region.as_deref().and_then(Region::parse),
    }
}

/// The review state as the policy names it.
pub fn template_status(status: store::TemplateStatus) -> s::TemplateStatus {
    match status {
        store::TemplateStatus::Approved => s::TemplateStatus::Approved,
        store::TemplateStatus::Pending => s::TemplateStatus::Pending,
        store::TemplateStatus::Rejected => s::TemplateStatus::Rejected,
        store::TemplateStatus::Paused => s::TemplateStatus::Paused,
    }
}
