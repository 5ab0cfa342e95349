//! Reading a document (YAML, or JSON, which is YAML too) and writing it back. A document is
//! accepted whole or not at all: every problem is reported, each with the field's path
//! (`keywords[0].reply.quick_replies[2].title`) and, where the text shows it, its line.

use std::fmt;

use crate::document::{Automations, Button};
use crate::values::Texts;

/// One thing wrong with a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The field, as a path from the top (`away.hours.mon`); empty for the document itself.
    pub field: String,
    /// 1-based, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.field.as_str()) {
            (Some(l), "") => write!(f, "line {l}: {}", self.message),
            (Some(l), field) => write!(f, "line {l}, {field}: {}", self.message),
            (None, "") => write!(f, "{}", self.message),
            (None, field) => write!(f, "{field}: {}", self.message),
        }
    }
}

/// Why a document was refused: all its problems.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{}", list(.problems))]
pub struct Refused {
    pub problems: Vec<Problem>,
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads a document. An empty text is an empty document (every automation off).
pub fn parse(text: &str) -> Result<Automations, Refused> {
    parse_with(text, Automations::problems)
}

/// Reads any document (YAML, or JSON): an empty text is `T::default()`; `check` lists what is
/// wrong beyond its shape, each as (field path, message), and each gets its line.
pub fn parse_with<T: serde::de::DeserializeOwned + Default>(
    text: &str,
    check: impl Fn(&T) -> Vec<(String, String)>,
) -> Result<T, Refused> {
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    let doc: T = if text.trim_start().starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let line = Some(e.inner().line()).filter(|l| *l > 0);
            refused(e.path().to_string(), line, e.inner().to_string())
        })?
    } else {
        let de = yaml_serde::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let line = e.inner().location().map(|l| l.line());
            let message = strip_position(&e.inner().to_string());
            refused(e.path().to_string(), line, message)
        })?
    };
    let problems: Vec<Problem> = check(&doc)
        .into_iter()
        .map(|(field, message)| Problem {
            line: line_of(text, &field),
            field,
            message,
        })
        .collect();
    if problems.is_empty() {
        Ok(doc)
    } else {
        Err(Refused { problems })
    }
}

fn refused(path: String, line: Option<usize>, message: String) -> Refused {
    // serde_path_to_error writes "." for the top level.
    let field = if path == "." { String::new() } else { path };
    let message = strip_path_prefix(&message, &field);
    Refused {
        problems: vec![Problem {
            field,
            line,
            message,
        }],
    }
}

/// YAML errors end in " at line L column C": the line is reported on its own.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// yaml_serde starts some messages with the path it was at ("instant_reply: …",
/// "keywords[0]: …"): the field is reported on its own.
fn strip_path_prefix(message: &str, field: &str) -> String {
    match message.split_once(": ") {
        Some((head, rest)) if !head.contains(' ') && field.starts_with(head) => rest.to_owned(),
        _ => message.to_owned(),
    }
}

/// The line of `field` in `text`, found by following its keys in order (the n-th item of a
/// list is the n-th occurrence of the key that follows); `None` when the text does not show
/// even its first key.
fn line_of(text: &str, field: &str) -> Option<usize> {
    let mut at = 0usize;
    let mut skip = 0usize;
    for part in field.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        if !key.is_empty() {
            for _ in 0..=skip {
                // A key the text leaves implicit (`default` of a plain text): its parent's line.
                let Some(i) = find_key(&text[at..], key) else {
                    return (at > 0).then(|| text[..at].matches('\n').count() + 1);
                };
                at += i + 1;
            }
            skip = 0;
        }
        if let Some(i) = index {
            skip = i;
        }
    }
    (at > 0).then(|| text[..at].matches('\n').count() + 1)
}

fn find_key(text: &str, key: &str) -> Option<usize> {
    [format!("{key}:"), format!("\"{key}\":")]
        .iter()
        .filter_map(|k| {
            text.match_indices(k.as_str())
                .find(|(i, _)| {
                    text[..*i]
                        .chars()
                        .last()
                        .is_none_or(|c| !c.is_alphanumeric() && c != '_')
                })
                .map(|(i, _)| i)
        })
        .min()
}

/// Writes the document as YAML, the form people edit.
pub fn to_yaml(doc: &Automations) -> String {
    to_yaml_of(doc)
}

/// Any document as YAML (documents are plain data: they always serialize).
pub fn to_yaml_of<T: serde::Serialize>(doc: &T) -> String {
    yaml_serde::to_string(doc).unwrap_or_else(|e| unreachable!("a document serializes: {e}"))
}

impl Automations {
    /// What spans several keys, and the lengths of texts in every language: `(field,
    /// message)` pairs.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut check = |field: String, texts: &Texts, max: usize| {
            out.extend(too_long(&field, texts, max));
        };
        if let Some(t) = self.instant_reply.as_ref().and_then(|i| i.text.as_ref()) {
            check("instant_reply.text".into(), t, MESSAGE);
        }
        if let Some(a) = &self.away {
            check("away.text".into(), &a.text, MESSAGE);
        }
        if let Some(p) = &self.messenger_profile {
            if let Some(g) = &p.greeting {
                check("messenger_profile.greeting".into(), g, 160);
            }
            for (i, b) in p.ice_breakers.0.iter().enumerate() {
                check(
                    format!("messenger_profile.ice_breakers[{i}].question"),
                    &b.question,
                    80,
                );
            }
            for (i, item) in p.persistent_menu.0.iter().enumerate() {
                check(
                    format!("messenger_profile.persistent_menu[{i}].title"),
                    item.title(),
                    30,
                );
            }
        }
        for (i, rule) in self.keywords.iter().enumerate() {
            if rule.words.is_empty() && rule.payloads.is_empty() {
                out.push((
                    format!("keywords[{i}]"),
                    "needs `match` (words) or `payloads` (buttons) to answer".into(),
                ));
            }
        }
        for (i, rule) in self.keywords.iter().enumerate() {
            out.extend(rule.reply.problems(&format!("keywords[{i}].reply")));
        }
        for (i, rule) in self.comments.iter().enumerate() {
            let at = format!("comments[{i}]");
            if rule.words.is_empty() {
                out.push((
                    format!("{at}.match"),
                    "needs words to answer (or \"*\" for every comment)".into(),
                ));
            }
            if rule.public_reply.is_empty() && rule.private_reply.is_none() && rule.flow.is_none() {
                out.push((
                    at.clone(),
                    "needs `public_reply`, `private_reply` or `flow`: it does nothing".into(),
                ));
            }
            if rule.private_reply.is_some() && rule.flow.is_some() {
                out.push((
                    format!("{at}.flow"),
                    "a comment gets one private reply: the flow's first message is it, so drop \
                     `private_reply` or `flow`"
                        .into(),
                ));
            }
            if let Some(reply) = &rule.private_reply {
                out.extend(reply.problems(&format!("{at}.private_reply")));
            }
        }
        if let Some(p) = &self.messenger_profile {
            if !p.persistent_menu.is_empty() && p.get_started.is_none() {
                out.push((
                    "messenger_profile.persistent_menu".into(),
                    "Meta shows a persistent menu only with a Get Started button: add messenger_profile.get_started".into(),
                ));
            }
            if p.composer_input_disabled && p.persistent_menu.is_empty() {
                out.push((
                    "messenger_profile.composer_input_disabled".into(),
                    "without a persistent menu, customers would have no way to write".into(),
                ));
            }
            for (i, item) in p.persistent_menu.0.iter().enumerate() {
                if let Button::WebUrl { url, .. } = item
                    && !url.starts_with("https://")
                {
                    out.push((
                        format!("messenger_profile.persistent_menu[{i}].url"),
                        format!("`{url}` must be an https:// address"),
                    ));
                }
            }
        }
        out
    }
}

/// The Send API's limit on a message's text.
const MESSAGE: usize = 2000;

/// Texts longer than `max` characters in any language, as `(field.lang, message)`.
pub fn too_long(field: &str, texts: &Texts, max: usize) -> Vec<(String, String)> {
    texts
        .iter()
        .filter_map(|(lang, text)| {
            let n = text.chars().count();
            (n > max).then(|| {
                (
                    format!("{field}.{lang}"),
                    format!("at most {max} characters (Meta's limit), found {n}"),
                )
            })
        })
        .collect()
}

impl crate::document::Reply {
    /// Meta's limits on a message an automation sends (`at` is its field path): text lengths in
    /// every language, quick-reply and button titles, https addresses, an attachment by address
    /// or by id.
    pub fn problems(&self, at: &str) -> Vec<(String, String)> {
        let mut out = too_long(&format!("{at}.text"), &self.text, MESSAGE);
        for (j, q) in self.quick_replies.0.iter().enumerate() {
            out.extend(too_long(
                &format!("{at}.quick_replies[{j}].title"),
                &q.title,
                20,
            ));
        }
        for (j, b) in self.buttons.0.iter().enumerate() {
            out.extend(too_long(&format!("{at}.buttons[{j}].title"), b.title(), 20));
        }
        if !self.buttons.is_empty() {
            out.extend(too_long(&format!("{at}.text"), &self.text, 640));
        }
        let urls = self
            .buttons
            .0
            .iter()
            .enumerate()
            .filter_map(|(j, b)| match b {
                Button::WebUrl { url, .. } => Some((format!("{at}.buttons[{j}].url"), url)),
                Button::Postback { .. } => None,
            })
            .chain(
                self.attachment
                    .iter()
                    .filter_map(|a| a.url.as_ref().map(|u| (format!("{at}.attachment.url"), u))),
            );
        for (field, url) in urls {
            if !url.starts_with("https://") {
                out.push((field, format!("`{url}` must be an https:// address")));
            }
        }
        for (j, c) in self.cards.0.iter().enumerate() {
            let at = format!("{at}.cards[{j}]");
            out.extend(too_long(&format!("{at}.title"), &c.title, 80));
            if let Some(sub) = &c.subtitle {
                out.extend(too_long(&format!("{at}.subtitle"), sub, 80));
            }
            for (k, b) in c.buttons.0.iter().enumerate() {
                out.extend(too_long(&format!("{at}.buttons[{k}].title"), b.title(), 20));
                if let Button::WebUrl { url, .. } = b
                    && !url.starts_with("https://")
                {
                    out.push((
                        format!("{at}.buttons[{k}].url"),
                        format!("`{url}` must be an https:// address"),
                    ));
                }
            }
            if let Some(url) = c.image_url.as_ref().filter(|u| !u.starts_with("https://")) {
                out.push((
                    format!("{at}.image_url"),
                    format!("`{url}` must be an https:// address"),
                ));
            }
        }
        if let Some(a) = &self.attachment
            && a.url.is_some() == a.attachment_id.is_some()
        {
            out.push((
                format!("{at}.attachment"),
                "needs either `url` or `attachment_id`".into(),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUE_EXAMPLE: &str = include_str!("../tests/fixtures/shop.yaml");

    #[test]
    fn the_example_reads_and_writes_back_the_same_document() {
        let doc = parse(ISSUE_EXAMPLE).unwrap();
        assert_eq!(doc.keywords.len(), 1);
        assert_eq!(parse(&to_yaml(&doc)).unwrap(), doc);
        let json = serde_json::to_string_pretty(&doc).unwrap();
        assert_eq!(parse(&json).unwrap(), doc);
    }

    fn problem(text: &str) -> Problem {
        parse(text).unwrap_err().problems.remove(0)
    }

    #[test]
    fn errors_name_the_line_and_the_field() {
        let p = problem(
            "away:\n  timezone: Asia/Ho_Chi_Minh\n  hours: {mon: \"9-18\"}\n  text: closed\n",
        );
        assert_eq!(p.field, "away.hours.mon");
        assert_eq!(p.line, Some(3));
        assert!(p.message.contains("not a time"), "{p}");

        let p = problem("instant_reply:\n  regreet_after: someday\n");
        assert_eq!(
            p.to_string(),
            "line 2, instant_reply.regreet_after: `someday` is not a length of time: write 15m, 2h, 7d or 1w"
        );

        let p = problem("instant_reply:\n  enabld: true\n");
        assert_eq!(p.line, Some(2));
        assert!(p.message.contains("unknown field `enabld`"), "{p}");

        let many = (0..14)
            .map(|i| format!("{{title: q{i}, payload: P{i}}}"))
            .collect::<Vec<_>>()
            .join(", ");
        let p = problem(&format!(
            "keywords:\n  - match: [price]\n    reply:\n      text: x\n      quick_replies: [{many}]\n"
        ));
        assert_eq!(p.field, "keywords[0].reply.quick_replies");
        assert!(
            p.message.contains("at most 13 (Meta's limit), found 14"),
            "{p}"
        );

        let p = problem(
            "keywords:\n  - match: [a]\n    reply: {text: x}\n  - match: [b]\n    reply:\n      text: y\n      quick_replies:\n        - {title: ok, payload: A}\n        - {title: \"Talk to a real person now\", payload: B}\n",
        );
        assert_eq!(p.field, "keywords[1].reply.quick_replies[1].title.default");
        assert_eq!(p.line, Some(9));
        assert!(p.message.contains("at most 20 characters"), "{p}");

        let p = problem(
            "messenger_profile:\n  persistent_menu: [{type: postback, title: Help, payload: HELP}]\n",
        );
        assert_eq!(p.field, "messenger_profile.persistent_menu");
        assert_eq!(p.line, Some(2));
        assert!(p.message.contains("Get Started"), "{p}");

        let p = problem("{\"instant_reply\": {\"regreet_after\": \"soon\"}}");
        assert_eq!(p.field, "instant_reply.regreet_after");
        assert!(p.message.contains("not a length of time"), "{p}");

        let p = problem(
            "keywords:\n  - match: [menu]\n    reply:\n      text: Our menu\n      attachment: {type: image, url: \"http://shop.example/menu.jpg\"}\n",
        );
        assert_eq!(p.field, "keywords[0].reply.attachment.url");
        assert_eq!(p.line, Some(5));

        let four = "[{type: postback, title: a, payload: A}, {type: postback, title: b, payload: B}, {type: postback, title: c, payload: C}, {type: postback, title: d, payload: D}]";
        let p = problem(&format!(
            "keywords:\n  - match: [menu]\n    reply: {{text: x, buttons: {four}}}\n"
        ));
        assert_eq!(p.field, "keywords[0].reply.buttons");
        assert!(p.message.contains("at most 3"), "{p}");

        let p = problem("keywords: [{reply: {text: hi}}]");
        assert_eq!(p.field, "keywords[0]");
        assert!(p.message.contains("needs `match`"), "{p}");
    }

    #[test]
    fn an_empty_document_turns_everything_off() {
        assert_eq!(parse("").unwrap(), Automations::default());
        assert_eq!(parse("{}").unwrap(), Automations::default());
    }
}
