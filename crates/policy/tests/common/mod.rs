//! A scenario builder for tests: a page approved for everything, a contact with no history,
//! a non-promotional message from a person, at 2026-03-10T12:00:00Z unless changed.
#![allow(dead_code)]

use policy::{Decision, Scenario};
use serde_json::{Value, json};

pub struct S(pub Value);

pub fn scenario() -> S {
    S(json!({
        "now": "2026-03-10T12:00:00Z",
        "page": {"id": "1001", "human_agent_approved": true, "news_page_index": false, "restricted_until": null,
                 "allowed_domains": ["shop.example.com"], "utility_messaging": true},
        "contact": {"psid": "2001", "interactions": [], "one_time_tokens": [], "notification_tokens": [], "comments": [],
                    "unreachable": false, "opted_out": false, "automated_sent_24h": 0},
        "message": {"sender": "human_agent", "text": "Your order #4521 has shipped.", "tag": null}
    }))
}

impl S {
    pub fn now(mut self, t: &str) -> S {
        self.0["now"] = json!(t);
        self
    }
    pub fn page(mut self, key: &str, v: Value) -> S {
        self.0["page"][key] = v;
        self
    }
    pub fn contact(mut self, key: &str, v: Value) -> S {
        self.0["contact"][key] = v;
        self
    }
    pub fn message(mut self, key: &str, v: Value) -> S {
        self.0["message"][key] = v;
        self
    }
    pub fn interaction(mut self, kind: &str, at: &str) -> S {
        self.0["contact"]["interactions"]
            .as_array_mut()
            .unwrap()
            .push(json!({"kind": kind, "at": at}));
        self
    }
    pub fn parse(&self) -> Scenario {
        Scenario::from_json(self.0.to_string().as_bytes()).unwrap()
    }
    pub fn decide(&self) -> Decision {
        policy::decide(&self.parse())
    }
    /// (verdict, rule) as the contract spells them.
    pub fn verdict(&self) -> (String, String) {
        let d = serde_json::to_value(self.decide()).unwrap();
        (
            d["verdict"].as_str().unwrap().to_owned(),
            d["rule"].as_str().unwrap().to_owned(),
        )
    }
}

pub fn allow(rule: &str) -> (String, String) {
    ("allow".into(), rule.into())
}

pub fn deny(rule: &str) -> (String, String) {
    ("deny".into(), rule.into())
}

pub fn decision_json(d: &Decision) -> Value {
    serde_json::to_value(d).unwrap()
}
