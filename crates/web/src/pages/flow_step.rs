//! Settings → Flows → a step, edited with a form: its texts in each language, where it goes
//! next and on error, and what its kind needs (the field an answer is saved in and what it must
//! be, the choices offered; how long to wait; the labels; the address called). What the form
//! does not show (buttons, cards, pictures, a call's saved fields, branch cases) is kept as it
//! is. Saving applies the whole document again, checked like any other version.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use engine::automations::AutomationsError;
use flows::document::{Action, Step};
use serde::Deserialize;
use serde_json::{Value, json};

use i18n::Tr;

use super::session::{Agent, Me};
use crate::error::{PageError, PageResult, render};
use crate::state::AppState;

/// The languages a text is written in, `default` first.
pub const LANGS: [&str; 6] = ["default", "vi", "en", "ar", "ms", "it"];

#[derive(Deserialize)]
pub struct Which {
    flow: String,
    step: String,
}

#[derive(Template)]
#[template(path = "flow_step.html")]
struct StepPage {
    tr: Tr,
    me: Me,
    page_id: String,
    flow: String,
    step: String,
    kind: &'static str,
    /// The step's text by language (`default`, `vi`, …), when its kind has one.
    texts: Option<BTreeMap<String, String>>,
    steps: Vec<String>,
    next: String,
    on_error: String,
    save: String,
    expect: String,
    choices: String,
    wait: String,
    labels_add: String,
    labels_remove: String,
    url: String,
    problems: Vec<automations::Problem>,
}

impl StepPage {
    fn kind_id(&self) -> String {
        format!("flows-kind-{}", self.kind)
    }

    fn expect_id(&self, e: &str) -> String {
        format!("flows-expect-{e}")
    }

    fn expects(&self, e: &str) -> bool {
        self.expect == e
    }

    fn is_default(&self, lang: &str) -> bool {
        lang == "default"
    }

    /// A language's own name (`Tiếng Việt`).
    fn language(&self, tag: &str) -> String {
        i18n::Lang::parse(tag)
            .map_or(tag, |l| l.native_name())
            .to_owned()
    }

    fn text(&self, lang: &str) -> String {
        self.texts
            .as_ref()
            .and_then(|t| t.get(lang).cloned())
            .unwrap_or_default()
    }
}

/// The step's text, as a map of language → text, for the kinds that have one.
fn texts_of(step: &Step) -> Option<BTreeMap<String, String>> {
    let t = match step.action()? {
        Action::Send(r) => &r.text,
        Action::Ask(a) => &a.text,
        Action::Book(b) => &b.text,
        Action::Handover(h) => return Some(h.text.as_ref().map(map).unwrap_or_default()),
        _ => return None,
    };
    Some(map(t))
}

fn map(t: &automations::values::Texts) -> BTreeMap<String, String> {
    t.iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

async fn show(
    state: &AppState,
    user: &store::User,
    tr: Tr,
    page_id: String,
    which: Which,
    edited: Option<(Step, Vec<automations::Problem>)>,
) -> PageResult {
    let (doc, _) = state.engine.flows(&page_id).await?;
    let Some(flow) = doc.named(&which.flow) else {
        return Err(AutomationsError::UnknownStep(which.flow.clone()).into());
    };
    let refused = edited.is_some();
    let (step, problems) = match edited {
        Some(e) => e,
        None => (
            flow.steps.get(&which.step).cloned().unwrap_or_default(),
            vec![],
        ),
    };
    let ask = step.ask.as_ref();
    let response = render(StepPage {
        me: Me::of(user),
        kind: step.kind(),
        texts: texts_of(&step),
        steps: flow.steps.keys().cloned().collect(),
        next: step.next.clone().unwrap_or_default(),
        on_error: step.on_error.clone().unwrap_or_default(),
        save: ask.map(|a| a.save.to_string()).unwrap_or_default(),
        expect: ask
            .and_then(|a| serde_json::to_value(a.expect).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        choices: ask
            .map(|a| {
                a.choices
                    .0
                    .iter()
                    .map(|c| format!("{}: {}", c.value, c.title.pick(None)))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        wait: step
            .wait
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        labels_add: step
            .labels
            .as_ref()
            .map(|l| join(&l.add))
            .unwrap_or_default(),
        labels_remove: step
            .labels
            .as_ref()
            .map(|l| join(&l.remove))
            .unwrap_or_default(),
        url: step
            .call
            .as_ref()
            .map(|c| c.url.clone())
            .unwrap_or_default(),
        page_id,
        flow: which.flow,
        step: which.step,
        problems,
        tr,
    })?;
    Ok(if refused {
        (StatusCode::UNPROCESSABLE_ENTITY, response).into_response()
    } else {
        response
    })
}

fn join(list: &[automations::values::Bounded<40>]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn page(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Query(which): Query<Which>,
) -> PageResult {
    show(&state, &user, tr, page_id, which, None).await
}

/// The step with the form's values put in, as JSON the document reads (so every value is
/// checked the same way as in a written document).
fn edited(step: &Step, f: &BTreeMap<String, String>) -> Result<Step, String> {
    let get = |k: &str| f.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut v = serde_json::to_value(step).map_err(|e| e.to_string())?;
    let texts: serde_json::Map<String, Value> = LANGS
        .iter()
        .filter_map(|l| get(&format!("text.{l}")).map(|t| (l.to_string(), json!(t))))
        .collect();
    let kind = step.kind();
    let text_at = match kind {
        "send" | "ask" | "book" | "handover" => Some(kind),
        _ => None,
    };
    if let Some(k) = text_at {
        if texts.is_empty() && k == "handover" {
            v[k].as_object_mut().map(|o| o.remove("text"));
        } else {
            v[k]["text"] = Value::Object(texts);
        }
    }
    let set = |v: &mut Value, key: &str, value: Option<&str>| match value {
        Some(x) => v[key] = json!(x),
        None => {
            if let Some(o) = v.as_object_mut() {
                o.remove(key);
            }
        }
    };
    set(&mut v, "next", get("next"));
    set(&mut v, "on_error", get("on_error"));
    match kind {
        "ask" => {
            set(&mut v["ask"], "save", get("save"));
            set(&mut v["ask"], "expect", get("expect"));
            let choices: Vec<Value> = get("choices")
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.split_once(':'))
                .map(|(value, title)| json!({"value": value.trim(), "title": title.trim()}))
                .collect();
            if choices.is_empty() {
                v["ask"].as_object_mut().map(|o| o.remove("choices"));
            } else {
                v["ask"]["choices"] = json!(choices);
            }
        }
        "wait" => set(&mut v, "wait", get("wait")),
        "labels" => {
            let list = |k: &str| -> Vec<String> {
                get(k)
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            };
            v["labels"] = json!({"add": list("labels_add"), "remove": list("labels_remove")});
        }
        "call" => set(&mut v["call"], "url", get("url")),
        _ => {}
    }
    serde_json::from_value(v).map_err(|e| e.to_string())
}

pub async fn save(
    Agent(user, tr): Agent,
    State(state): State<AppState>,
    Path(page_id): Path<String>,
    Query(which): Query<Which>,
    Form(f): Form<BTreeMap<String, String>>,
) -> PageResult {
    let (mut doc, _) = state.engine.flows(&page_id).await?;
    let Some(flow) = doc
        .flows
        .iter_mut()
        .find(|fl| fl.name.as_str() == which.flow)
    else {
        return Err(AutomationsError::UnknownStep(which.flow.clone()).into());
    };
    let Some(current) = flow.steps.get(&which.step).cloned() else {
        return Err(AutomationsError::UnknownStep(format!("{}/{}", which.flow, which.step)).into());
    };
    let at = format!("steps.{}", which.step);
    let step = match edited(&current, &f) {
        Ok(step) => step,
        Err(message) => {
            let problem = automations::Problem {
                field: at,
                line: None,
                message,
            };
            return show(
                &state,
                &user,
                tr,
                page_id,
                which,
                Some((current, vec![problem])),
            )
            .await;
        }
    };
    flow.steps.insert(which.step.clone(), step.clone());
    let json = serde_json::to_string(&doc).unwrap_or_else(|e| unreachable!("{e}"));
    match state.engine.apply_flows_as(&user, &page_id, &json).await {
        Ok((_, version)) => Ok(Redirect::to(&format!(
            "/settings/flows/{page_id}?applied={version}#flow-{}",
            which.flow
        ))
        .into_response()),
        Err(AutomationsError::Refused(r)) => {
            show(&state, &user, tr, page_id, which, Some((step, r.problems))).await
        }
        Err(e) => Err(PageError::from(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_changes_what_it_shows_and_keeps_the_rest() {
        let doc = flows::parse(include_str!("../../../../examples/flows/salon.yaml")).unwrap();
        let thanks = doc.named("salon").unwrap().steps["thanks"].clone();
        let form: BTreeMap<String, String> = [
            ("text.default", "Thanks!"),
            ("text.vi", "Cảm ơn!"),
            ("next", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let step = edited(&thanks, &form).unwrap();
        let send = step.send.unwrap();
        assert_eq!(send.text.pick(Some("vi_VN")), "Cảm ơn!");
        assert_eq!(
            send.quick_replies.0.len(),
            1,
            "what the form does not show is kept"
        );
        let service = doc.named("salon").unwrap().steps["service"].clone();
        let form: BTreeMap<String, String> = [
            ("text.default", "Which?"),
            ("save", "service"),
            ("expect", "choice"),
            ("choices", "cut: Haircut\nwash: Wash"),
            ("next", "which"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let ask = edited(&service, &form).unwrap().ask.unwrap();
        assert_eq!(ask.choices.0.len(), 2);
        assert_eq!(ask.choices.0[1].value.as_str(), "wash");
        let bad: BTreeMap<String, String> = [
            ("text.default".to_owned(), "x".to_owned()),
            ("expect".into(), "fax".into()),
        ]
        .into();
        assert!(edited(&service, &bad).unwrap_err().contains("fax"));
    }
}
