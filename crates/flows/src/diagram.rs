//! A flow drawn from its definition: each step a box (its name and what it does), placed in
//! columns by how many steps it is from the start, with arrows for `next`, branch cases (with
//! their test) and `on_error` (dashed). Steps nothing leads to are drawn last. Plain SVG, no
//! script, sized to its content.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write;

use crate::document::{Action, Flow};

const W: i64 = 170;
const H: i64 = 46;
const GAP_X: i64 = 60;
const GAP_Y: i64 = 24;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub step: String,
    /// `send`, `ask`, `branch`, …
    pub kind: &'static str,
    pub column: i64,
    pub row: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrow {
    Next,
    Case,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub arrow: Arrow,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

fn edges(flow: &Flow) -> Vec<Edge> {
    let mut out = Vec::new();
    for (name, step) in &flow.steps {
        let mut add = |to: &str, arrow, label: String| {
            out.push(Edge {
                from: name.clone(),
                to: to.to_owned(),
                arrow,
                label,
            })
        };
        if let Some(Action::Branch(b)) = step.action() {
            for c in &b.cases {
                let t = &c.condition;
                let label = match (&t.equals, t.one_of.is_empty(), t.set) {
                    (Some(v), _, _) => format!("{} = {v}", t.field),
                    (None, false, _) => format!("{} ∈ {}", t.field, t.one_of.join(", ")),
                    (None, true, Some(true)) => format!("{} set", t.field),
                    (None, true, _) => format!("{} not set", t.field),
                };
                add(&c.goto, Arrow::Case, label);
            }
            add(&b.otherwise, Arrow::Case, "else".into());
        }
        if let Some(next) = &step.next {
            add(next, Arrow::Next, String::new());
        }
        if let Some(e) = &step.on_error {
            add(e, Arrow::Error, "error".into());
        }
    }
    out
}

impl Diagram {
    pub fn of(flow: &Flow) -> Diagram {
        let edges = edges(flow);
        let mut column: BTreeMap<&str, i64> = BTreeMap::new();
        let mut queue = VecDeque::from([(flow.start.as_str(), 0i64)]);
        while let Some((step, depth)) = queue.pop_front() {
            if column.contains_key(step) || !flow.steps.contains_key(step) {
                continue;
            }
            column.insert(step, depth);
            for e in edges.iter().filter(|e| e.from == step) {
                queue.push_back((e.to.as_str(), depth + 1));
            }
        }
        let last = column.values().max().map_or(0, |m| m + 1);
        let mut rows: BTreeMap<i64, i64> = BTreeMap::new();
        let mut nodes = Vec::new();
        // In the order reached, then the unreachable ones in a last column.
        let mut order: Vec<(&str, i64)> = column.iter().map(|(s, c)| (*s, *c)).collect();
        order.sort_by_key(|(s, c)| (*c, first_seen(&edges, &flow.start, s)));
        for (name, _) in flow
            .steps
            .iter()
            .filter(|(n, _)| !column.contains_key(n.as_str()))
        {
            order.push((name.as_str(), last));
        }
        for (name, col) in order {
            let row = rows.entry(col).or_insert(0);
            nodes.push(Node {
                step: name.to_owned(),
                kind: flow.steps.get(name).map_or("unknown", |s| s.kind()),
                column: col,
                row: *row,
            });
            *row += 1;
        }
        Diagram { nodes, edges }
    }

    fn at(&self, step: &str) -> Option<(i64, i64)> {
        self.nodes
            .iter()
            .find(|n| n.step == step)
            .map(|n| (n.column * (W + GAP_X) + 10, n.row * (H + GAP_Y) + 10))
    }

    /// The diagram as an SVG element (its texts escaped), each step with how many customers
    /// are at it now (from `at_step`); `word` gives the reader's words for the kinds of step
    /// (`send`, `ask`, …) and for `else` and `error`.
    pub fn to_svg(&self, at_step: &BTreeMap<String, i64>, word: &dyn Fn(&str) -> String) -> String {
        let width = self.nodes.iter().map(|n| n.column).max().unwrap_or(0) * (W + GAP_X) + W + 20;
        let height = self.nodes.iter().map(|n| n.row).max().unwrap_or(0) * (H + GAP_Y) + H + 20;
        let mut svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="flow-diagram" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>"#
        );
        for e in &self.edges {
            let (Some((x1, y1)), Some((x2, y2))) = (self.at(&e.from), self.at(&e.to)) else {
                continue;
            };
            let (sx, sy, ex, ey) = if x2 > x1 {
                (x1 + W, y1 + H / 2, x2, y2 + H / 2)
            } else {
                (x1 + W / 2, y1 + H, x2 + W / 2, y2 + H)
            };
            let class = match e.arrow {
                Arrow::Next => "next",
                Arrow::Case => "case",
                Arrow::Error => "error",
            };
            let _ = write!(
                svg,
                r#"<path class="edge {class}" d="M{sx},{sy} C{},{sy} {},{ey} {ex},{ey}" fill="none" marker-end="url(#arrow)"/>"#,
                sx + GAP_X / 2,
                ex - GAP_X / 2,
            );
            if !e.label.is_empty() {
                let _ = write!(
                    svg,
                    r#"<text class="edge-label" x="{}" y="{}">{}</text>"#,
                    (sx + ex) / 2,
                    (sy + ey) / 2 - 4,
                    escape(&match e.label.as_str() {
                        "else" | "error" => word(&e.label),
                        _ => e.label.clone(),
                    })
                );
            }
        }
        for n in &self.nodes {
            let (x, y) = self.at(&n.step).unwrap_or_default();
            let _ = write!(
                svg,
                r#"<g class="node {kind}" id="node-{id}"><rect x="{x}" y="{y}" width="{W}" height="{H}" rx="8"/><text x="{}" y="{}" class="step">{name}</text><text x="{}" y="{}" class="kind">{what}</text></g>"#,
                x + 10,
                y + 19,
                x + 10,
                y + 36,
                kind = n.kind,
                what = escape(&word(n.kind)),
                id = escape(&n.step),
                name = escape(&n.step),
            );
            if let Some(count) = at_step.get(&n.step).filter(|c| **c > 0) {
                let _ = write!(
                    svg,
                    r#"<g class="count"><circle cx="{}" cy="{}" r="12"/><text x="{}" y="{}">{count}</text></g>"#,
                    x + W - 4,
                    y + 4,
                    x + W - 4,
                    y + 8,
                );
            }
        }
        svg.push_str("</svg>");
        svg
    }
}

/// Orders a column's steps by where they are first reached from the start (stable drawing).
fn first_seen(edges: &[Edge], start: &str, step: &str) -> usize {
    if step == start {
        return 0;
    }
    edges
        .iter()
        .position(|e| e.to == step)
        .map_or(usize::MAX, |i| i + 1)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_salon_is_drawn_from_its_start() {
        let doc = crate::parse(include_str!("../../../examples/flows/salon.yaml")).unwrap();
        let d = Diagram::of(doc.named("salon").unwrap());
        let col = |s: &str| d.nodes.iter().find(|n| n.step == s).unwrap().column;
        assert_eq!(col("service"), 0);
        assert_eq!(col("which"), 1);
        assert_eq!((col("colour"), col("day")), (2, 2));
        assert_eq!(col("thanks"), 6);
        assert!(
            d.edges
                .iter()
                .any(|e| e.from == "which" && e.to == "colour" && e.label == "service = colour")
        );
        let svg = d.to_svg(&BTreeMap::from([("day".to_owned(), 3)]), &|w| {
            w.to_uppercase()
        });
        assert!(svg.contains(">ASK</text>") && svg.contains(">ELSE</text>"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<g class=\"node").count(), 8);
        assert!(svg.contains(">3</text>"), "customers at a step");
    }
}
