//! Reading a flows document and what its shape cannot say: every problem with the path of the
//! flow and step it is in (`flows[0].steps.service.ask.choices`) and, where the text shows it,
//! its line. A document is applied whole or not at all.

use std::collections::BTreeSet;

use automations::read::too_long;
use automations::{Refused, read::parse_with};

use crate::document::{Action, Expect, Flow, Flows};

/// The most steps a flow has (a bot larger than this is several flows).
pub const MAX_STEPS: usize = 100;

/// Reads a document: YAML or JSON; an empty text has no flows.
pub fn parse(text: &str) -> Result<Flows, Refused> {
    parse_with(text, Flows::problems)
}

pub fn to_yaml(doc: &Flows) -> String {
    automations::read::to_yaml_of(doc)
}

fn name_ok(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl Flows {
    /// `(field, message)` for everything wrong beyond the shape.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut names = BTreeSet::new();
        for (i, flow) in self.flows.iter().enumerate() {
            let at = format!("flows[{i}]");
            if !name_ok(flow.name.as_str()) {
                out.push((
                    format!("{at}.name"),
                    format!("`{}`: lower-case letters, digits, _ and - only", flow.name),
                ));
            }
            if !names.insert(flow.name.as_str()) {
                out.push((
                    format!("{at}.name"),
                    format!("another flow is named `{}`", flow.name),
                ));
            }
            out.extend(flow.problems(&at));
            for (name, step) in &flow.steps {
                if step.book.is_some() && self.booking.is_none() {
                    out.push((
                        format!("{at}.steps.{name}.book"),
                        "needs the document's `booking` section (services, staff and hours)".into(),
                    ));
                }
            }
        }
        if let Some(b) = &self.booking {
            out.extend(b.problems());
        }
        for (i, a) in self.calls.iter().flat_map(|c| &c.allow).enumerate() {
            let ok = a.parse::<std::net::IpAddr>().is_ok()
                || a.parse::<ipnet::IpNet>().is_ok()
                || (!a.is_empty()
                    && a.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'));
            if !ok {
                out.push((
                    format!("calls.allow[{i}]"),
                    format!(
                        "`{a}` is not a host name, an address or a range such as 192.168.1.0/24"
                    ),
                ));
            }
        }
        out
    }
}

impl Flow {
    fn problems(&self, at: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let t = &self.trigger;
        if t.payloads.is_empty() && t.words.is_empty() && t.refs.is_empty() && t.comments.is_empty()
        {
            out.push((
                format!("{at}.trigger"),
                "needs `payloads`, `match` (words), `refs` or `comments` to start".into(),
            ));
        }
        if self.steps.len() > MAX_STEPS {
            out.push((
                format!("{at}.steps"),
                format!(
                    "at most {MAX_STEPS} steps, found {}: split the flow",
                    self.steps.len()
                ),
            ));
        }
        let known = |step: &str| self.steps.contains_key(step);
        if !known(&self.start) {
            out.push((
                format!("{at}.start"),
                format!("no step is named `{}`", self.start),
            ));
        }
        for (name, step) in &self.steps {
            let here = format!("{at}.steps.{name}");
            let mut goes = vec![("next", step.next.as_deref())];
            goes.push(("on_error", step.on_error.as_deref()));
            let actions = step.actions();
            match actions.as_slice() {
                [] => out.push((
                    here.clone(),
                    "does nothing: give it send, ask, branch, labels, wait, handover, book or unbook".into(),
                )),
                [_] => {}
                _ => out.push((
                    here.clone(),
                    "does one thing only: split it into steps".into(),
                )),
            }
            match step.action() {
                Some(Action::Send(reply)) => out.extend(reply.problems(&format!("{here}.send"))),
                Some(Action::Ask(ask)) => {
                    out.extend(too_long(&format!("{here}.ask.text"), &ask.text, 2000));
                    for (j, c) in ask.choices.0.iter().enumerate() {
                        out.extend(too_long(
                            &format!("{here}.ask.choices[{j}].title"),
                            &c.title,
                            20,
                        ));
                    }
                    match (ask.expect, ask.choices.is_empty()) {
                        (Expect::Choice, true) => out.push((
                            format!("{here}.ask.choices"),
                            "`expect: choice` needs choices".into(),
                        )),
                        (Expect::Choice, false) | (_, true) => {}
                        (_, false) => out.push((
                            format!("{here}.ask.expect"),
                            "choices are offered only with `expect: choice`".into(),
                        )),
                    }
                }
                Some(Action::Branch(b)) => {
                    for (j, case) in b.cases.iter().enumerate() {
                        goes.push(("goto", Some(case.goto.as_str())));
                        let c = &case.condition;
                        let tests = usize::from(c.equals.is_some())
                            + usize::from(!c.one_of.is_empty())
                            + usize::from(c.set.is_some());
                        if tests != 1 {
                            out.push((
                                format!("{here}.branch.cases[{j}].if"),
                                "tests one thing: `equals`, `one_of` or `set`".into(),
                            ));
                        }
                    }
                    goes.push(("else", Some(b.otherwise.as_str())));
                }
                Some(Action::Handover(h)) => {
                    if step.next.is_some() {
                        out.push((
                            format!("{here}.next"),
                            "a hand-over ends the flow: the team takes it from there".into(),
                        ));
                    }
                    if let Some(t) = &h.text {
                        out.extend(too_long(&format!("{here}.handover.text"), t, 2000));
                    }
                }
                Some(Action::Labels(l)) => {
                    if l.add.is_empty() && l.remove.is_empty() {
                        out.push((format!("{here}.labels"), "needs `add` or `remove`".into()));
                    }
                }
                Some(Action::Call(c)) => {
                    let scheme_ok = c.url.starts_with("https://") || c.url.starts_with("http://");
                    if !scheme_ok {
                        out.push((
                            format!("{here}.call.url"),
                            format!("`{}` is not an http(s) address", c.url),
                        ));
                    }
                    for (field, pointer) in &c.save {
                        if !(pointer.is_empty() || pointer.starts_with('/')) {
                            out.push((
                                format!("{here}.call.save.{field}"),
                                format!("`{pointer}` is not a JSON pointer such as /order/status"),
                            ));
                        }
                    }
                }
                Some(Action::Book(b)) => {
                    out.extend(too_long(&format!("{here}.book.text"), &b.text, 2000));
                }
                Some(Action::Wait(_) | Action::Unbook(_)) | None => {}
            }
            for (key, target) in goes {
                if let Some(target) = target
                    && !known(target)
                {
                    let field = match key {
                        "goto" | "else" => format!("{here}.branch"),
                        _ => format!("{here}.{key}"),
                    };
                    out.push((field, format!("no step is named `{target}`")));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALON: &str = include_str!("../../../examples/flows/salon.yaml");

    #[test]
    fn the_example_reads_and_writes_back_the_same_document() {
        let doc = parse(SALON).unwrap();
        assert_eq!(doc.flows.len(), 3);
        assert_eq!(doc.booking.as_ref().unwrap().resources.len(), 2);
        assert_eq!(parse(&to_yaml(&doc)).unwrap(), doc);
        let json = serde_json::to_string(&doc).unwrap();
        assert_eq!(parse(&json).unwrap(), doc);
    }

    fn problems(text: &str) -> Vec<String> {
        parse(text)
            .unwrap_err()
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn errors_name_the_flow_the_step_and_the_line() {
        let text = "flows:\n  - name: salon\n    trigger: {payloads: [GET_STARTED]}\n    start: hello\n    steps:\n      hello:\n        send: {text: Hi}\n        next: nowhere\n";
        assert_eq!(
            problems(text),
            ["line 8, flows[0].steps.hello.next: no step is named `nowhere`"]
        );
        let two = "flows:\n  - name: Salon\n    trigger: {}\n    start: a\n    steps:\n      a: {send: {text: Hi}, wait: 1h}\n      b: {}\n";
        let found = problems(two);
        assert!(
            found.iter().any(|p| p.contains("flows[0].name: `Salon`")),
            "{found:?}"
        );
        assert!(found.iter().any(|p| p.contains("flows[0].trigger: needs")));
        assert!(
            found
                .iter()
                .any(|p| p.contains("steps.a: does one thing only"))
        );
        assert!(found.iter().any(|p| p.contains("steps.b: does nothing")));
    }

    #[test]
    fn a_choice_question_needs_choices_and_a_hand_over_ends() {
        let text = "flows:\n  - name: x\n    trigger: {match: [hi]}\n    start: a\n    steps:\n      a: {ask: {text: Which?, save: pick, expect: choice}, next: b}\n      b: {handover: {}, next: a}\n";
        let found = problems(text);
        assert!(
            found
                .iter()
                .any(|p| p.contains("steps.a.ask.choices: `expect: choice` needs choices")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.contains("steps.b.next: a hand-over ends the flow"))
        );
    }

    #[test]
    fn shapes_are_refused_with_the_field() {
        let found = problems(
            "flows:\n  - name: x\n    trigger: {match: [hi]}\n    start: a\n    steps:\n      a: {ask: {text: Email?, save: email, expect: fax}}\n",
        );
        assert!(
            found[0].contains("flows[0].steps.a.ask.expect"),
            "{found:?}"
        );
        assert!(found[0].contains("unknown variant `fax`"), "{found:?}");
    }
}
