//! Every table of the Analytics page as CSV, for a spreadsheet: the same numbers as the page
//! and `GET /api/v1/analytics/…`, one file per table, with raw values (seconds, shares between
//! 0 and 1) rather than the page's words. Cells that hold what people typed (flow and broadcast
//! names, refs) are defused ([`crate::csv_cell`]).

use super::Dashboard;
use crate::csv_cell::csv_cell;

/// The tables, by the name their CSV link uses (`/analytics/{name}.csv`).
pub const TABLES: [&str; 11] = [
    "days",
    "agents",
    "volume",
    "heat",
    "sources",
    "audience",
    "rules",
    "insights",
    "broadcasts",
    "flows",
    "ratings",
];

struct Table {
    head: &'static [&'static str],
    rows: Vec<Vec<String>>,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn figures_row(first: &str, f: &super::Figures) -> Vec<String> {
    vec![
        csv_cell(first).into_owned(),
        f.requests.to_string(),
        f.answered.to_string(),
        opt(f.response_rate),
        opt(f.median_response_seconds),
        opt(f.p90_response_seconds),
    ]
}

const FIGURES: [&str; 5] = [
    "requests",
    "answered",
    "response_rate",
    "median_response_seconds",
    "p90_response_seconds",
];

impl Dashboard {
    /// The table called `name` as CSV; `None` for a name not in [`TABLES`].
    pub fn csv(&self, name: &str) -> Option<Vec<u8>> {
        let table = self.table(name)?;
        let mut w = csv::Writer::from_writer(vec![]);
        // Writing to memory fails only on a bug.
        w.write_record(table.head).expect("CSV to memory");
        for r in &table.rows {
            w.write_record(r).expect("CSV to memory");
        }
        Some(w.into_inner().expect("CSV to memory"))
    }

    fn table(&self, name: &str) -> Option<Table> {
        let (r, a, o) = (&self.responsiveness, &self.activity, &self.outcomes);
        let n = |v: i64| v.to_string();
        Some(match name {
            "days" => Table {
                head: &[
                    "day", FIGURES[0], FIGURES[1], FIGURES[2], FIGURES[3], FIGURES[4],
                ],
                rows: r
                    .days
                    .iter()
                    .map(|d| figures_row(&d.day, &d.figures))
                    .collect(),
            },
            "agents" => Table {
                head: &[
                    "agent", FIGURES[0], FIGURES[1], FIGURES[2], FIGURES[3], FIGURES[4],
                ],
                rows: r
                    .agents
                    .iter()
                    .map(|d| figures_row(&d.agent, &d.figures))
                    .collect(),
            },
            "volume" => Table {
                head: &["day", "messages_in", "messages_out", "allowed", "refused"],
                rows: a
                    .days
                    .iter()
                    .map(|d| {
                        let counts = [d.messages_in, d.messages_out, d.allowed, d.refused];
                        std::iter::once(d.day.clone())
                            .chain(counts.map(n))
                            .collect()
                    })
                    .collect(),
            },
            "heat" => Table {
                head: &[
                    "weekday", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
                    "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23",
                ],
                rows: a
                    .heat
                    .iter()
                    .zip(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
                    .map(|(hours, day)| {
                        std::iter::once(day.to_owned())
                            .chain(hours.iter().map(|&v| n(v)))
                            .collect()
                    })
                    .collect(),
            },
            "sources" => Table {
                head: &["kind", "ref", "new_conversations", "latest"],
                rows: a
                    .sources
                    .iter()
                    .map(|s| {
                        vec![
                            csv_cell(&s.kind).into_owned(),
                            csv_cell(&s.ref_).into_owned(),
                            n(s.new_conversations),
                            n(s.latest),
                        ]
                    })
                    .collect(),
            },
            "audience" => Table {
                head: &["dimension", "value", "customers"],
                rows: a
                    .audience
                    .by_locale
                    .iter()
                    .map(|(l, c)| ("locale", l, c))
                    .chain(a.audience.by_gender.iter().map(|(g, c)| ("gender", g, c)))
                    .map(|(what, v, c)| vec![what.to_owned(), csv_cell(v).into_owned(), n(*c)])
                    .collect(),
            },
            "rules" => Table {
                head: &["rule", "verdict", "decisions"],
                rows: a
                    .compliance
                    .by_rule
                    .iter()
                    .map(|x| vec![x.rule.clone(), x.verdict.to_owned(), n(x.n)])
                    .collect(),
            },
            "insights" => Table {
                head: &["day", "metric", "value"],
                rows: a
                    .insights
                    .iter()
                    .map(|i| vec![i.day.clone(), i.metric.clone(), n(i.value)])
                    .collect(),
            },
            "broadcasts" => Table {
                head: &[
                    "id",
                    "name",
                    "status",
                    "start_at",
                    "recipients",
                    "sent",
                    "delivered",
                    "read",
                    "replied",
                    "leads",
                    "bookings",
                ],
                rows: o
                    .broadcasts
                    .iter()
                    .map(|b| {
                        let t = &b.tally;
                        let counts = [
                            b.recipients,
                            t.sent,
                            t.delivered,
                            t.read,
                            t.replied,
                            b.leads,
                            b.bookings,
                        ];
                        [
                            n(b.id),
                            csv_cell(&b.name).into_owned(),
                            b.status.to_owned(),
                            b.start_at.timestamp().to_string(),
                        ]
                        .into_iter()
                        .chain(counts.map(n))
                        .collect()
                    })
                    .collect(),
            },
            "flows" => Table {
                head: &["flow", "started", "finished", "leads", "bookings"],
                rows: o
                    .flows
                    .iter()
                    .map(|f| {
                        std::iter::once(csv_cell(&f.flow).into_owned())
                            .chain([f.started, f.finished, f.leads, f.bookings].map(n))
                            .collect()
                    })
                    .collect(),
            },
            "ratings" => Table {
                head: &["agent", "answers", "average"],
                rows: a
                    .ratings
                    .iter()
                    .map(|x| {
                        vec![
                            x.agent.clone().unwrap_or_default(),
                            n(x.answers),
                            x.average.to_string(),
                        ]
                    })
                    .collect(),
            },
            _ => return None,
        })
    }
}
