//! What messages led to: each broadcast's funnel (planned, sent, delivered, read, replied, then
//! a lead or a booking) and each flow's (started, finished, lead, booking), over a period.

use serde::Serialize;
use store::{FlowFunnel, Tally, Time};

use crate::Engine;

#[derive(Debug, Clone, Serialize)]
pub struct BroadcastFunnel {
    pub id: i64,
    pub name: String,
    pub status: &'static str,
    pub start_at: Time,
    /// Recipients the plan reached (not skipped).
    pub recipients: i64,
    #[serde(flatten)]
    pub tally: Tally,
    /// Recipients who left contact details after it started.
    pub leads: i64,
    /// Recipients who booked after it started.
    pub bookings: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Outcomes {
    pub page_id: String,
    pub from: Time,
    pub to: Time,
    /// Broadcasts that start in the period.
    pub broadcasts: Vec<BroadcastFunnel>,
    pub flows: Vec<FlowFunnel>,
}

impl Engine {
    pub async fn outcomes(&self, page_id: &str, from: Time, to: Time) -> anyhow::Result<Outcomes> {
        let mut broadcasts = vec![];
        for b in self.store.broadcasts(page_id).await? {
            if b.start_at < from || b.start_at >= to {
                continue;
            }
            let tally = self.store.tally(b.id).await?;
            let (recipients, leads, bookings) =
                self.store.broadcast_conversions(b.id, b.start_at).await?;
            broadcasts.push(BroadcastFunnel {
                id: b.id,
                name: b.name,
                status: b.status.as_str(),
                start_at: b.start_at,
                recipients,
                tally,
                leads,
                bookings,
            });
        }
        Ok(Outcomes {
            page_id: page_id.to_owned(),
            from,
            to,
            broadcasts,
            flows: self.store.flow_funnels(page_id, from, to).await?,
        })
    }
}
