-- Broadcasts, audiences and paid marketing messages.

-- Outbox rows may be paid marketing messages (`act_<AD_ACCOUNT>/messages`, kind `marketing`),
-- sent by the same worker. SQLite cannot change a CHECK: the table is copied.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id         TEXT    NOT NULL,
    psid            TEXT    NOT NULL,
    dedupe_key      TEXT    UNIQUE,
    actor           TEXT    NOT NULL,
    -- `message` (Send API), `sender_action` (typing, seen) or `marketing` (Marketing Message API).
    kind            TEXT    NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'sender_action', 'marketing')),
    request         TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sending', 'unknown', 'sent', 'delivered', 'read', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_by      TEXT,
    claimed_until   INTEGER,
    reconcile_until INTEGER,
    mid             TEXT,
    sent_at         INTEGER,
    platform_at     INTEGER,
    error           TEXT,
    error_code      INTEGER,
    error_subcode   INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
INSERT INTO outbox_new (id, page_id, psid, dedupe_key, actor, kind, request, status, attempts, next_attempt_at,
    claimed_by, claimed_until, reconcile_until, mid, sent_at, platform_at, error, error_code, error_subcode,
    created_at, updated_at)
SELECT id, page_id, psid, dedupe_key, actor, kind, request, status, attempts, next_attempt_at,
    claimed_by, claimed_until, reconcile_until, mid, sent_at, platform_at, error, error_code, error_subcode,
    created_at, updated_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, id);
CREATE INDEX outbox_mid ON outbox (mid);
CREATE INDEX outbox_recipient ON outbox (page_id, psid, id);
CREATE INDEX outbox_unfinished ON outbox (page_id, psid, id) WHERE status IN ('queued', 'sending', 'unknown');
CREATE INDEX outbox_contact_actor ON outbox (page_id, psid, actor, created_at);

-- The latest source beside the first (`source_kind`, `source_ref`).
ALTER TABLE contacts ADD COLUMN latest_source_kind TEXT;
ALTER TABLE contacts ADD COLUMN latest_source_ref TEXT;

-- A `notification_messages` token is also the person's subscription to paid marketing messages:
-- stopped (error 2300034) apart from the legacy status, spaced 12 hours, and from where it came.
ALTER TABLE notification_tokens ADD COLUMN marketing_stopped_at INTEGER;
ALTER TABLE notification_tokens ADD COLUMN last_marketing_at INTEGER;
ALTER TABLE notification_tokens ADD COLUMN source TEXT NOT NULL DEFAULT 'optin' CHECK (source IN ('optin', 'synced'));
CREATE INDEX notification_tokens_contact ON notification_tokens (page_id, psid);

-- A Page onboarded to the Marketing Message API, and when its broadcasts pause themselves.
CREATE TABLE page_marketing (
    page_id          TEXT PRIMARY KEY,
    ad_account_id    TEXT,
    -- The system-user (or user) token from onboarding; the Page token when absent.
    business_token   TEXT,
    daily_budget     INTEGER,
    pause_block_rate REAL    NOT NULL DEFAULT 0.02,
    pause_error_rate REAL    NOT NULL DEFAULT 0.10,
    -- Phone numbers in imported lists without a country code are read in this country.
    default_country  TEXT,
    updated_at       INTEGER NOT NULL
);

-- Opt-in requests sent: Meta allows one per person per title per week.
CREATE TABLE marketing_requests (
    page_id TEXT    NOT NULL,
    psid    TEXT    NOT NULL,
    title   TEXT    NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (page_id, psid, title, sent_at)
);

CREATE TABLE audiences (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id    TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    -- The segment as JSON (see the engine's `audience` module).
    segment    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (page_id, name)
);

CREATE TABLE broadcasts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id     TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    -- What the author asked for (content, segment, template, schedule), as JSON.
    spec        TEXT    NOT NULL,
    -- The plan as shown before sending: counts per path and per skip reason, as JSON.
    plan        TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('scheduled', 'sending', 'paused', 'done', 'cancelled')),
    pause_reason TEXT,
    -- Paused by Meta's pacing (`remaining_seconds`): resumes by itself then.
    resume_at   INTEGER,
    campaign_id TEXT,
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    start_at    INTEGER NOT NULL,
    started_at  INTEGER,
    -- When a person (or Meta's pacing) last resumed it: overdue recipients before then were confirmed.
    resumed_at  INTEGER,
    finished_at INTEGER,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX broadcasts_page ON broadcasts (page_id, id);

-- One row per contact of the segment: the planned path or why they are skipped, and what
-- happened as the message left the queue (judged again then).
CREATE TABLE broadcast_recipients (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id),
    psid         TEXT    NOT NULL,
    path         TEXT    NOT NULL CHECK (path IN ('update', 'utility', 'notification', 'one_time', 'marketing', 'skipped')),
    -- The plan's rule id: how it may go, or why it is skipped.
    rule         TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('planned', 'queued', 'refused', 'skipped')),
    due_at       INTEGER NOT NULL,
    outbox_id    INTEGER,
    -- The rule of the decision as the message left the queue.
    final_rule   TEXT,
    PRIMARY KEY (broadcast_id, psid)
);
CREATE INDEX broadcast_recipients_due ON broadcast_recipients (broadcast_id, state, due_at);

-- What a broadcast asks each second: did a policy-enforcement webhook come for the page?
CREATE INDEX events_kind ON events (page_id, kind, at);

-- A broadcast's block and error rates, counted every second while it sends: its sends only.
CREATE INDEX outbox_actor ON outbox (actor, status);
