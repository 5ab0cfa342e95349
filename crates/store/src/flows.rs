//! Each Page's flows document and its versions (as [`crate::automations`] keeps automations),
//! the runs of customers through flows, and the fields flows collected.
//!
//! Invariants: a customer has at most one unfinished run (a unique index says so); a run keeps
//! the document version it started with (its `version`; that version's text stays in
//! `flow_versions`), so editing a flow never moves a customer already in it; a run's `wake_at`
//! is set only while it sleeps, and a woken run is saved with the new state before its messages
//! are queued under keys that make a repeat queue nothing.

use async_trait::async_trait;
use serde::Serialize;

use crate::{AutomationVersion, BookingStatus, ReminderState, Result, Time};

/// The flows document in force for a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredFlows {
    pub page_id: String,
    pub version: i64,
    /// JSON.
    pub document: String,
    pub updated_at: Time,
    pub updated_by: String,
}

/// One customer's run through a flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredRun {
    pub id: i64,
    pub page_id: String,
    pub psid: String,
    pub flow: String,
    /// The document version it runs on.
    pub version: i64,
    /// The interpreter's state (JSON, as the `flows` crate writes it).
    pub state: String,
    pub finished: bool,
    pub wake_at: Option<Time>,
    pub started_at: Time,
    pub updated_at: Time,
}

/// A run's state to write back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunUpdate<'a> {
    pub state: &'a str,
    pub finished: bool,
    pub wake_at: Option<Time>,
}

/// How many unfinished runs are at each step of each flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StepCount {
    pub flow: String,
    pub step: String,
    pub customers: i64,
}

/// One field of one customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FieldRow {
    pub psid: String,
    pub field: String,
    pub value: String,
    pub updated_at: Time,
}

/// An appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct BookingRow {
    pub id: i64,
    pub page_id: String,
    pub psid: String,
    pub service: String,
    pub resource: String,
    pub starts_at: Time,
    pub ends_at: Time,
    pub status: BookingStatus,
    pub remind_at: Option<Time>,
    pub reminder: ReminderState,
    pub created_at: Time,
    pub updated_at: Time,
}

/// An appointment to make (or where to move one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking<'a> {
    pub page_id: &'a str,
    pub psid: &'a str,
    pub service: &'a str,
    pub resource: &'a str,
    pub starts_at: Time,
    pub ends_at: Time,
    /// When to remind; `None`: no reminder.
    pub remind_at: Option<Time>,
    /// How many customers the resource takes at once.
    pub capacity: u32,
}

#[async_trait]
pub trait FlowStore: Send + Sync {
    /// Books if the resource is under its capacity for the whole time (checked in the same
    /// transaction as the insert); the new id, or `None` when full.
    async fn create_booking(&self, b: &NewBooking<'_>, at: Time) -> Result<Option<i64>>;
    /// Moves an appointment (same check, the appointment itself not counted); false when full
    /// or not found.
    async fn move_booking(&self, id: i64, to: &NewBooking<'_>, at: Time) -> Result<bool>;
    async fn cancel_booking(&self, id: i64, at: Time) -> Result<bool>;
    async fn booking(&self, id: i64) -> Result<Option<BookingRow>>;
    /// A page's appointments starting in `[from, to)`, booked or cancelled, in time order.
    async fn bookings(&self, page_id: &str, from: Time, to: Time) -> Result<Vec<BookingRow>>;
    /// The customer's appointments still to come.
    async fn upcoming_bookings(
        &self,
        page_id: &str,
        psid: &str,
        now: Time,
    ) -> Result<Vec<BookingRow>>;
    /// Claims reminders due at `now` (and ones claimed over 5 minutes ago by a worker that
    /// died): each is returned to one caller only.
    async fn claim_reminders(&self, now: Time, limit: i64) -> Result<Vec<BookingRow>>;
    async fn set_reminder(&self, id: i64, state: ReminderState, at: Time) -> Result<()>;
    async fn flows(&self, page_id: &str) -> Result<Option<StoredFlows>>;
    /// The text of an applied version (a run's own).
    async fn flows_version(&self, page_id: &str, version: i64) -> Result<Option<String>>;
    /// Makes `document` the page's flows and records the version; returns its number.
    async fn apply_flows(&self, page_id: &str, document: &str, by: &str, at: Time) -> Result<i64>;
    /// The versions applied, newest first.
    async fn flows_versions(&self, page_id: &str, limit: i64) -> Result<Vec<AutomationVersion>>;
    /// The customer's unfinished run.
    async fn active_run(&self, page_id: &str, psid: &str) -> Result<Option<StoredRun>>;
    /// Starts a run (`step` is where it is); fails if the customer has an unfinished one.
    #[allow(clippy::too_many_arguments)]
    async fn start_run(
        &self,
        page_id: &str,
        psid: &str,
        flow: &str,
        version: i64,
        step: &str,
        update: &RunUpdate<'_>,
        at: Time,
    ) -> Result<i64>;
    async fn save_run(&self, id: i64, step: &str, update: &RunUpdate<'_>, at: Time) -> Result<()>;
    /// Unfinished runs whose wait is over, oldest first.
    async fn due_runs(&self, now: Time, limit: i64) -> Result<Vec<StoredRun>>;
    /// Unfinished runs per flow and step.
    async fn flow_steps(&self, page_id: &str) -> Result<Vec<StepCount>>;
    /// Messages flows asked to send since `since`, by flow: (flow, sent, refused by the policy).
    async fn flow_decisions(&self, page_id: &str, since: Time) -> Result<Vec<(String, i64, i64)>>;
    async fn set_field(
        &self,
        page_id: &str,
        psid: &str,
        field: &str,
        value: &str,
        at: Time,
    ) -> Result<()>;
    /// The customer's fields, by name.
    async fn fields(&self, page_id: &str, psid: &str) -> Result<Vec<(String, String)>>;
    /// Every field of every customer of the page, by customer then field.
    async fn page_fields(&self, page_id: &str) -> Result<Vec<FieldRow>>;
}
