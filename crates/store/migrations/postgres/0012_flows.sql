-- Each page's flows document (JSON, as the flows crate reads it) and its versions: runs keep
-- the version they started with.
CREATE TABLE flows (
    page_id    TEXT PRIMARY KEY,
    version    BIGINT NOT NULL,
    document   TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT   NOT NULL
);

CREATE TABLE flow_versions (
    page_id    TEXT   NOT NULL,
    version    BIGINT NOT NULL,
    document   TEXT   NOT NULL,
    applied_at BIGINT NOT NULL,
    applied_by TEXT   NOT NULL,
    PRIMARY KEY (page_id, version)
);

-- A customer's run through a flow; at most one unfinished per customer.
CREATE TABLE flow_runs (
    id         BIGSERIAL PRIMARY KEY,
    page_id    TEXT    NOT NULL,
    psid       TEXT    NOT NULL,
    flow       TEXT    NOT NULL,
    version    BIGINT  NOT NULL,
    step       TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    finished   BOOLEAN NOT NULL DEFAULT FALSE,
    wake_at    BIGINT,
    started_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX flow_runs_active ON flow_runs (page_id, psid) WHERE NOT finished;
CREATE INDEX flow_runs_wake ON flow_runs (wake_at) WHERE wake_at IS NOT NULL AND NOT finished;

-- What flows collected from a customer (e-mail, phone, the service they chose).
CREATE TABLE contact_fields (
    page_id    TEXT   NOT NULL,
    psid       TEXT   NOT NULL,
    field      TEXT   NOT NULL,
    value      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (page_id, psid, field)
);

-- Appointments booked by flows (or moved by agents). A reminder is claimed ('firing') by one
-- worker before it is sent, so it goes out once whatever the number of instances.
CREATE TABLE bookings (
    id         BIGSERIAL PRIMARY KEY,
    page_id    TEXT   NOT NULL,
    psid       TEXT   NOT NULL,
    service    TEXT   NOT NULL,
    resource   TEXT   NOT NULL,
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT NOT NULL,
    status     TEXT   NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
    remind_at  BIGINT,
    reminder   TEXT   NOT NULL DEFAULT 'none'
               CHECK (reminder IN ('none', 'pending', 'firing', 'sent', 'template', 'dropped', 'impossible')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX bookings_page_time ON bookings (page_id, starts_at);
CREATE INDEX bookings_customer ON bookings (page_id, psid);
CREATE INDEX bookings_due ON bookings (remind_at) WHERE reminder IN ('pending', 'firing');

-- When the conversation was last closed: closing hands it back to the bot, so an agent's message
-- from before no longer keeps automations quiet.
ALTER TABLE conversations ADD COLUMN closed_at BIGINT;

-- The `ref` of the m.me link or ad a postback or referral came through: flows start on it.
ALTER TABLE events ADD COLUMN referral TEXT;

-- A new comment waits for the flows (one may answer it with a private reply).
ALTER TABLE comments ADD COLUMN automation_pending BOOLEAN NOT NULL DEFAULT FALSE;
