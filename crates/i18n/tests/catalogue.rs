//! Every language has every message, and every message formats: the same ids in each file as
//! English, the same variables, and no formatting error with plausible arguments.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, PatternElement};
use i18n::{Arg, Lang};

fn locales() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("locales")
}

/// Each message of a file, with the variables it uses.
fn messages(path: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let source = std::fs::read_to_string(path).unwrap();
    let resource = fluent_syntax::parser::parse(source.as_str())
        .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", path.display()));
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    variables(p, &mut vars);
                }
                Some((m.id.name.to_owned(), vars))
            }
            _ => None,
        })
        .collect()
}

fn variables(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(e: &Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for v in variants {
                variables(&v.value, out);
            }
        }
        Expression::Inline(i) => inline_variables(i, out),
    }
}

fn inline_variables(i: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

const FILES: [&str; 3] = ["ui.ftl", "rules.ftl", "customer.ftl"];

#[test]
fn every_language_has_every_message_with_the_same_variables() {
    let mut problems = Vec::new();
    for file in FILES {
        let english = messages(&locales().join("en").join(file));
        assert!(english.len() > 3, "{file} is nearly empty");
        for lang in Lang::ALL {
            let theirs = messages(&locales().join(lang.tag()).join(file));
            for (id, vars) in &english {
                match theirs.get(id) {
                    None => problems.push(format!("{lang}/{file}: `{id}` is missing")),
                    // A translation may leave out a variable the plural form makes redundant
                    // ("1 message"), never use one English does not give it.
                    Some(v) if !v.is_subset(vars) => problems.push(format!(
                        "{lang}/{file}: `{id}` uses {v:?}, English gives {vars:?}"
                    )),
                    Some(_) => {}
                }
            }
            for id in theirs.keys().filter(|id| !english.contains_key(*id)) {
                problems.push(format!("{lang}/{file}: `{id}` is not in English"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_message_formats_in_every_language() {
    let mut problems = Vec::new();
    for file in FILES {
        for (id, vars) in messages(&locales().join("en").join(file)) {
            let args: Vec<(&'static str, Arg)> = vars
                .iter()
                .map(|v| {
                    let name: &'static str = Box::leak(v.clone().into_boxed_str());
                    let value = match v.as_str() {
                        "n" | "d" | "h" | "m" | "day" | "month" | "year" | "max" | "min"
                        | "seconds" | "status" => Arg::Num(2),
                        _ => Arg::Str("x".into()),
                    };
                    (name, value)
                })
                .collect();
            for lang in Lang::ALL {
                match i18n::strict(lang, &id, &args) {
                    Some(text) if !text.trim().is_empty() => {}
                    _ => problems.push(format!("{lang}: `{id}` does not format")),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
