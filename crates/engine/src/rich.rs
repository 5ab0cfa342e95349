//! What a message carries besides its text: an attachment (image, video, audio, file, by its
//! address), buttons (a button template) and quick replies. Checked against Meta's limits
//! before the policy judges the draft, so a message Meta would refuse is never queued; then
//! turned into the Send API messages to queue: the attachment first (Meta takes text or an
//! attachment per message, not both), then the text, with its buttons and quick replies.

use messenger::send::{OutgoingMessage, OutgoingQuickReply};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What automations and people send share one shape: an attachment by its address, a button
/// with its title as the customer reads it.
pub use automations::document::{Attachment, AttachmentKind};
pub use automations::plan::PlannedButton as Button;
pub use automations::plan::PlannedCard as Card;

/// What a message carries besides its text, as a saved reply keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quick_replies: Vec<QuickReplyPart>,
}

/// A quick reply: its title, and the payload that comes back when tapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuickReplyPart {
    pub title: String,
    pub payload: String,
}

impl Parts {
    pub fn is_empty(&self) -> bool {
        self.attachment.is_none() && self.buttons.is_empty() && self.quick_replies.is_empty()
    }

    pub fn quick_replies(&self) -> Vec<OutgoingQuickReply> {
        self.quick_replies
            .iter()
            .map(|q| OutgoingQuickReply::text(&q.title, &q.payload))
            .collect()
    }

    /// Checks them with `text` against Meta's limits.
    pub fn check(&self, text: &str) -> Result<(), Limit> {
        check(
            text,
            self.attachment.as_ref(),
            &self.buttons,
            &self.quick_replies(),
        )
    }

    /// As a saved reply stores them (`None` when there are none).
    pub fn to_json(&self) -> Option<String> {
        (!self.is_empty())
            .then(|| serde_json::to_string(self).unwrap_or_else(|e| unreachable!("{e}")))
    }

    /// A saved reply's, read back (an unreadable one is none).
    pub fn from_json(json: Option<&str>) -> Parts {
        json.and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default()
    }
}

/// Meta's limits, each naming what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Limit {
    #[error("at most 13 quick replies, found {0}")]
    QuickReplies(usize),
    #[error("quick reply {index}: a title of 1 to 20 characters, found {len}")]
    QuickReplyTitle { index: usize, len: usize },
    #[error("at most 3 buttons, found {0}")]
    Buttons(usize),
    #[error("button {index}: a title of 1 to 20 characters, found {len}")]
    ButtonTitle { index: usize, len: usize },
    #[error("buttons need a text of 1 to 640 characters, found {0}")]
    ButtonText(usize),
    #[error("a payload of 1 to 1000 characters, found {0}")]
    Payload(usize),
    #[error("`{0}` is not an https:// address")]
    Address(String),
    #[error("an attachment needs either an address or an uploaded attachment's id")]
    Source,
    #[error("a carousel has 1 to 10 cards, found {0}")]
    Cards(usize),
    #[error(
        "card {index}: a title of 1 to 80 characters (and a subtitle of at most 80), found {len}"
    )]
    CardTitle { index: usize, len: usize },
    #[error("card {index}: at most 3 buttons, found {n}")]
    CardButtons { index: usize, n: usize },
}

const QUICK_REPLIES: usize = 13;
const TITLE: usize = 20;
const BUTTONS: usize = 3;
const BUTTON_TEXT: usize = 640;
const PAYLOAD: usize = 1000;

fn count(s: &str) -> usize {
    s.chars().count()
}

fn https(url: &str) -> Result<(), Limit> {
    if url.starts_with("https://") && url.len() > "https://".len() {
        Ok(())
    } else {
        Err(Limit::Address(url.to_owned()))
    }
}

fn payload(p: &str) -> Result<(), Limit> {
    match count(p) {
        1..=PAYLOAD => Ok(()),
        n => Err(Limit::Payload(n)),
    }
}

/// Checks what the draft carries.
pub fn check(
    text: &str,
    attachment: Option<&Attachment>,
    buttons: &[Button],
    quick_replies: &[OutgoingQuickReply],
) -> Result<(), Limit> {
    if let Some(a) = attachment {
        match (&a.url, &a.attachment_id) {
            (Some(url), None) => https(url)?,
            (None, Some(id)) if !id.trim().is_empty() => {}
            _ => return Err(Limit::Source),
        }
    }
    if quick_replies.len() > QUICK_REPLIES {
        return Err(Limit::QuickReplies(quick_replies.len()));
    }
    for (index, q) in quick_replies.iter().enumerate() {
        let len = q.title.as_deref().map_or(0, count);
        if q.content_type == "text" && !(1..=TITLE).contains(&len) {
            return Err(Limit::QuickReplyTitle { index, len });
        }
        if let Some(p) = &q.payload {
            payload(p)?;
        }
    }
    if buttons.is_empty() {
        return Ok(());
    }
    if buttons.len() > BUTTONS {
        return Err(Limit::Buttons(buttons.len()));
    }
    if !(1..=BUTTON_TEXT).contains(&count(text.trim())) {
        return Err(Limit::ButtonText(count(text.trim())));
    }
    for (index, b) in buttons.iter().enumerate() {
        let len = count(b.title());
        if !(1..=TITLE).contains(&len) {
            return Err(Limit::ButtonTitle { index, len });
        }
        match b {
            Button::Postback { payload: p, .. } => payload(p)?,
            Button::WebUrl { url, .. } => https(url)?,
        }
    }
    Ok(())
}

/// Meta's limits on a carousel (the generic template).
pub fn check_cards(cards: &[Card]) -> Result<(), Limit> {
    if cards.len() > 10 {
        return Err(Limit::Cards(cards.len()));
    }
    for (index, c) in cards.iter().enumerate() {
        let len = count(&c.title);
        let sub = c.subtitle.as_deref().map_or(0, count);
        if !(1..=80).contains(&len) || sub > 80 {
            return Err(Limit::CardTitle {
                index,
                len: len.max(sub),
            });
        }
        if c.buttons.len() > BUTTONS {
            return Err(Limit::CardButtons {
                index,
                n: c.buttons.len(),
            });
        }
        if let Some(url) = &c.image_url {
            https(url)?;
        }
        for b in &c.buttons {
            match b {
                Button::Postback { payload: p, .. } => payload(p)?,
                Button::WebUrl { url, .. } => https(url)?,
            }
        }
    }
    Ok(())
}

/// What the policy reads: the text, the buttons' titles (a promotion in a button is one), and
/// the cards' titles, subtitles and buttons.
pub fn judged_text(text: &str, buttons: &[Button], cards: &[Card]) -> String {
    let cards = cards.iter().flat_map(|c| {
        std::iter::once(c.title.as_str())
            .chain(c.subtitle.as_deref())
            .chain(c.buttons.iter().map(Button::title))
    });
    std::iter::once(text)
        .chain(buttons.iter().map(Button::title))
        .chain(cards)
        .filter(|t| !t.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The carousel as Meta's generic template.
fn carousel(cards: &[Card]) -> OutgoingMessage {
    let elements: Vec<serde_json::Value> = cards
        .iter()
        .map(|c| {
            let mut e = json!({"title": c.title});
            if let Some(s) = &c.subtitle {
                e["subtitle"] = json!(s);
            }
            if let Some(u) = &c.image_url {
                e["image_url"] = json!(u);
            }
            if !c.buttons.is_empty() {
                e["buttons"] = json!(c.buttons);
            }
            e
        })
        .collect();
    OutgoingMessage {
        attachment: Some(json!({
            "type": "template",
            "payload": {"template_type": "generic", "elements": elements},
        })),
        ..OutgoingMessage::default()
    }
}

/// The Send API messages, in order: the attachment, then the text (as a button template when
/// it has buttons), then the carousel; quick replies go on the last.
pub fn messages(
    text: &str,
    attachment: Option<&Attachment>,
    buttons: &[Button],
    cards: &[Card],
    quick_replies: &[OutgoingQuickReply],
) -> Vec<OutgoingMessage> {
    let mut out = Vec::new();
    if let Some(a) = attachment {
        out.push(OutgoingMessage {
            attachment: Some(json!({
                "type": a.kind,
                "payload": match &a.attachment_id {
                    Some(id) => json!({"attachment_id": id}),
                    None => json!({"url": a.url, "is_reusable": true}),
                },
            })),
            ..OutgoingMessage::default()
        });
    }
    if !buttons.is_empty() {
        out.push(OutgoingMessage {
            attachment: Some(json!({
                "type": "template",
                "payload": {"template_type": "button", "text": text, "buttons": buttons},
            })),
            ..OutgoingMessage::default()
        });
    } else if !text.trim().is_empty() {
        out.push(OutgoingMessage {
            text: Some(text.to_owned()),
            ..OutgoingMessage::default()
        });
    }
    if !cards.is_empty() {
        out.push(carousel(cards));
    }
    if let Some(last) = out.last_mut() {
        last.quick_replies = quick_replies.to_vec();
    }
    out
}

/// Meta's limit on an uploaded file.
pub const MAX_UPLOAD: usize = 25 * 1024 * 1024;

/// The kind Meta is told a file is, from its content type.
pub fn kind_of(content_type: &str) -> AttachmentKind {
    match content_type.split('/').next().unwrap_or("") {
        "image" => AttachmentKind::Image,
        "video" => AttachmentKind::Video,
        "audio" => AttachmentKind::Audio,
        _ => AttachmentKind::File,
    }
}

impl crate::Engine {
    /// Uploads a file to Meta for the page (`/me/message_attachments`); the attachment it
    /// answers is reusable, so a saved reply may carry it. No message is sent.
    pub async fn upload(
        &self,
        page_id: &str,
        file_name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<Attachment, crate::team::TeamError> {
        use crate::team::TeamError;
        let token = self.page_token(page_id).await?;
        let kind = kind_of(content_type);
        let kind_word = serde_json::to_value(kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "file".into());
        let id = self
            .graph
            .upload_attachment(&token, &kind_word, file_name, content_type, bytes)
            .await
            .map_err(|e| TeamError::Graph(Box::new(e)))?;
        tracing::info!(page_id, attachment_id = %id, "file uploaded to Meta");
        Ok(Attachment {
            kind,
            url: None,
            attachment_id: Some(id),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qr(title: &str) -> OutgoingQuickReply {
        OutgoingQuickReply::text(title, "P")
    }

    fn postback(title: &str) -> Button {
        Button::Postback {
            title: title.into(),
            payload: "P".into(),
        }
    }

    #[test]
    fn metas_limits_each_named() {
        assert_eq!(
            check("hi", None, &[], &vec![qr("a"); 14]),
            Err(Limit::QuickReplies(14))
        );
        assert_eq!(
            check("hi", None, &[], &[qr("a title longer than twenty")]),
            Err(Limit::QuickReplyTitle { index: 0, len: 26 })
        );
        assert_eq!(
            check("hi", None, &vec![postback("a"); 4], &[]),
            Err(Limit::Buttons(4))
        );
        assert_eq!(
            check("", None, &[postback("a")], &[]),
            Err(Limit::ButtonText(0))
        );
        assert_eq!(
            check("hi", None, &[postback("")], &[]),
            Err(Limit::ButtonTitle { index: 0, len: 0 })
        );
        let http = Attachment {
            kind: AttachmentKind::Image,
            url: Some("http://shop.example/a.jpg".into()),
            attachment_id: None,
        };
        assert!(matches!(
            check("", Some(&http), &[], &[]),
            Err(Limit::Address(_))
        ));
        let web = Button::WebUrl {
            title: "Shop".into(),
            url: "https://shop.example".into(),
        };
        assert_eq!(
            check("hi", None, &[postback("Yes"), web], &vec![qr("ok"); 13]),
            Ok(())
        );
    }

    #[test]
    fn the_attachment_goes_first_and_quick_replies_on_the_last() {
        let a = Attachment {
            kind: AttachmentKind::Image,
            url: Some("https://shop.example/dress.jpg".into()),
            attachment_id: None,
        };
        let m = messages(
            "Our new dress",
            Some(&a),
            &[postback("Book")],
            &[],
            &[qr("Price")],
        );
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].attachment.as_ref().unwrap()["type"], "image");
        assert!(m[0].quick_replies.is_empty());
        let t = m[1].attachment.as_ref().unwrap();
        assert_eq!(t["payload"]["template_type"], "button");
        assert_eq!(
            t["payload"]["buttons"][0],
            json!({"type": "postback", "title": "Book", "payload": "P"})
        );
        assert_eq!(m[1].quick_replies.len(), 1);
        assert_eq!(
            messages("", Some(&a), &[], &[], &[]).len(),
            1,
            "an image alone"
        );
        assert_eq!(
            judged_text("Hi", &[postback("50% off")], &[]),
            "Hi\n50% off"
        );
        let card = Card {
            title: "Linen shirt".into(),
            subtitle: Some("Sale: 30% off".into()),
            image_url: Some("https://shop.example.com/shirt.jpg".into()),
            buttons: vec![postback("Buy")],
        };
        assert_eq!(
            judged_text("Our picks", &[], std::slice::from_ref(&card)),
            "Our picks\nLinen shirt\nSale: 30% off\nBuy",
            "the policy reads the cards"
        );
        let sent = messages("Our picks", None, &[], std::slice::from_ref(&card), &[]);
        assert_eq!(sent.len(), 2);
        let elements = &sent[1].attachment.as_ref().unwrap()["payload"]["elements"];
        assert_eq!(elements[0]["title"], "Linen shirt");
        assert_eq!(elements[0]["buttons"][0]["type"], "postback");
        assert!(check_cards(&vec![card.clone(); 11]).is_err());
        assert!(
            check_cards(&[Card {
                image_url: Some("http://x".into()),
                ..card
            }])
            .is_err()
        );
    }
}
