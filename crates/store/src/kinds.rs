//! The closed sets of values the store keeps as text: each an enum, so a row cannot hold a
//! status nobody handles. Every enum reads and writes its column as the same lower-case word on
//! SQLite and PostgreSQL (the schema's CHECK constraints list the same words), serializes as
//! that word, and parses it back.

use std::fmt;

/// Declares a text-backed enum with its database words.
macro_rules! text_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<$name, String> {
                $name::parse(s).ok_or_else(|| {
                    let words: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    format!("`{s}` is not one of {}", words.join(", "))
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let raw = String::deserialize(d)?;
                raw.parse().map_err(serde::de::Error::custom)
            }
        }

        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            String: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            String: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <String as sqlx::Encode<'q, DB>>::encode(self.as_str().to_owned(), buf)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            String: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<$name, sqlx::error::BoxDynError> {
                let raw = <String as sqlx::Decode<'r, DB>>::decode(value)?;
                Ok(raw.parse::<$name>()?)
            }
        }
    };
}

text_enum! {
    /// A stored webhook body's state.
    pub enum InboxStatus {
        Pending = "pending",
        Processed = "processed",
        /// It could not be processed; kept with the reason.
        Quarantined = "quarantined",
    }
}

text_enum! {
    /// An outbox row's state (see the diagram in [`crate::outbox`]).
    pub enum OutboxStatus {
        Queued = "queued",
        Sending = "sending",
        /// The call's outcome is unknown: waiting for its echo.
        Unknown = "unknown",
        Sent = "sent",
        Delivered = "delivered",
        Read = "read",
        Failed = "failed",
    }
}

impl OutboxStatus {
    /// Not finished yet: a later send to the same customer waits for it.
    pub fn unfinished(self) -> bool {
        matches!(
            self,
            OutboxStatus::Queued | OutboxStatus::Sending | OutboxStatus::Unknown
        )
    }
}

text_enum! {
    /// What an outbox row sends.
    pub enum SendKind {
        /// A message, judged by the policy, echoed back with its metadata.
        Message = "message",
        /// A typing indicator or read receipt.
        SenderAction = "sender_action",
        /// A paid marketing message (`act_<AD_ACCOUNT>/messages`), acknowledged with a tracking id.
        Marketing = "marketing",
        /// A public reply to a comment, or hiding, showing or deleting one (no echo).
        Comment = "comment",
    }
}

text_enum! {
    /// What a `feed` change did to a comment.
    pub enum CommentVerb {
        Add = "add",
        Edited = "edited",
        Remove = "remove",
        Hide = "hide",
        Unhide = "unhide",
    }
}

text_enum! {
    /// Where a link a shop makes leads from: an m.me link, an ad, or refs signed per order or
    /// customer.
    pub enum EntryKind {
        Link = "link",
        Ad = "ad",
        Signed = "signed",
    }
}

text_enum! {
    pub enum ConversationStatus {
        Open = "open",
        Closed = "closed",
    }
}

text_enum! {
    /// Who wrote a message: the customer (`in`) or the page (`out`, from any app).
    pub enum Direction {
        In = "in",
        Out = "out",
    }
}

text_enum! {
    /// What an answer time measures: the team's requests, or the messages Meta's "very
    /// responsive" badge counts (docs/analytics.md).
    pub enum Measure {
        Team = "team",
        Badge = "badge",
    }
}

text_enum! {
    /// A recurring-notification token's state as Meta last reported it.
    pub enum TokenStatus {
        Active = "active",
        Stopped = "stopped",
    }
}

text_enum! {
    /// A utility template's review state at Meta (stored in Meta's upper case).
    pub enum TemplateStatus {
        Approved = "APPROVED",
        Pending = "PENDING",
        Rejected = "REJECTED",
        Paused = "PAUSED",
    }
}

impl TemplateStatus {
    /// Meta's word, leniently: `approved`, `DISABLED` (paused), anything unknown is pending.
    pub fn from_meta(s: &str) -> TemplateStatus {
        match s.to_ascii_uppercase().as_str() {
            "APPROVED" => TemplateStatus::Approved,
            "REJECTED" => TemplateStatus::Rejected,
            "PAUSED" | "DISABLED" => TemplateStatus::Paused,
            _ => TemplateStatus::Pending,
        }
    }
}

text_enum! {
    /// A decision's verdict, as the audit log keeps it.
    pub enum Verdict {
        Allow = "allow",
        Deny = "deny",
    }
}

text_enum! {
    /// Why automations are paused for a customer.
    pub enum PauseReason {
        /// Staff answered from Meta's inbox, or another app wrote in the thread.
        RepliedElsewhere = "replied_elsewhere",
        /// An agent paused them.
        Agent = "agent",
        /// The customer asked for a person.
        AskedForPerson = "asked_for_person",
    }
}

text_enum! {
    /// What an admin did to a customer's data.
    pub enum AdminAction {
        Export = "export",
        Erase = "erase",
        /// The page's retention setting erased an idle conversation.
        RetentionErase = "retention_erase",
        /// An admin changed how long the page keeps idle conversations.
        SetRetention = "set_retention",
        /// An admin changed the page's permissions, link domains or routing role.
        SetPageSettings = "set_page_settings",
        /// An admin connected the page with Facebook Login (its token, its subscriptions).
        ConnectPage = "connect_page",
    }
}

text_enum! {
    /// What automations answer.
    pub enum Trigger {
        /// A message the customer wrote (or a quick reply they tapped).
        Message = "message",
        /// A postback: Get Started, an ice breaker, a menu item, a button.
        Tap = "tap",
        /// A comment on one of the page's posts (only flows answer it, with a private reply).
        Comment = "comment",
    }
}

text_enum! {
    /// Who wrote a conversation's last message.
    pub enum Speaker {
        Customer = "customer",
        /// A person on the team, from the inbox.
        Agent = "agent",
        /// Fenestra's automations (instant reply, away message, keyword replies, flows).
        Automation = "automation",
        Broadcast = "broadcast",
        /// An integration through the API.
        Api = "api",
        /// Another app or Meta's Page Inbox.
        OtherApp = "other_app",
    }
}

impl Speaker {
    /// Who an outbox row's actor (`agent:mai`, `automation:instant_reply`) is.
    pub fn of_actor(actor: &str) -> Speaker {
        match actor.split_once(':').map_or(actor, |(kind, _)| kind) {
            "agent" => Speaker::Agent,
            "automation" => Speaker::Automation,
            "broadcast" => Speaker::Broadcast,
            "api" => Speaker::Api,
            _ => Speaker::OtherApp,
        }
    }
}

text_enum! {
    pub enum Role {
        /// Everything, including users and page settings.
        Admin = "admin",
        /// Conversations: read, answer, assign, label.
        Agent = "agent",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_errors_list_the_choices() {
        for s in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(
            "maybe".parse::<ConversationStatus>().unwrap_err(),
            "`maybe` is not one of open, closed"
        );
        assert_eq!(serde_json::to_string(&Direction::In).unwrap(), "\"in\"");
        assert_eq!(
            TemplateStatus::from_meta("disabled"),
            TemplateStatus::Paused
        );
    }
}

text_enum! {
    /// Whether an appointment stands.
    pub enum BookingStatus {
        Booked = "booked",
        Cancelled = "cancelled",
    }
}

text_enum! {
    /// Where an appointment's reminder stands.
    pub enum ReminderState {
        /// No reminder (none configured, or too late when booked).
        None = "none",
        Pending = "pending",
        /// Claimed by a worker, being sent.
        Firing = "firing",
        /// Sent as a normal message, inside the window.
        Sent = "sent",
        /// Sent as the approved utility template.
        Template = "template",
        /// The appointment had passed when the reminder came due (after an outage): not sent.
        Dropped = "dropped",
        /// No compliant way to send it: the team was told.
        Impossible = "impossible",
    }
}

text_enum! {
    /// A broadcast once sent: planned recipients are released as their time comes.
    pub enum BroadcastStatus {
        /// Waiting for its start time.
        Scheduled = "scheduled",
        Sending = "sending",
        /// By the author, by Meta (policy enforcement, budget), or by its block or error rate.
        Paused = "paused",
        /// Every recipient was released or skipped.
        Done = "done",
        Cancelled = "cancelled",
    }
}

text_enum! {
    /// How a broadcast reaches one recipient: the first path the policy allows, in the contract's order.
    pub enum RecipientPath {
        /// Inside the 24-hour window.
        Update = "update",
        /// The approved utility template the author picked (non-promotional content).
        Utility = "utility",
        /// A recurring-notification token (EU, UK, JP, KR, AU recipients).
        Notification = "notification",
        OneTime = "one_time",
        /// A paid marketing message to the person's subscription.
        Marketing = "marketing",
        Skipped = "skipped",
    }
}

text_enum! {
    pub enum RecipientState {
        /// Waiting for its time.
        Planned = "planned",
        /// Judged again and queued in the outbox.
        Queued = "queued",
        /// Judged again as it left the queue and refused (the window closed, they opted out…).
        Refused = "refused",
        /// No allowed path at planning.
        Skipped = "skipped",
    }
}
