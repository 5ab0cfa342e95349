-- Outbound: every decision in the audit log, allowed messages in the outbox, and what the
-- decisions need (page settings, profiles, templates). PostgreSQL flavour; times are UTC ms.

-- Page settings the policy needs, and the instant reply (off while greeting_text is NULL).
ALTER TABLE pages ADD COLUMN human_agent_approved BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE pages ADD COLUMN utility_messaging BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE pages ADD COLUMN allowed_domains TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN greeting_text TEXT;
ALTER TABLE pages ADD COLUMN greeting_after_hours BIGINT;
-- Set when Meta refuses the page's token (190): its sends wait until a new token is given.
ALTER TABLE pages ADD COLUMN paused_reason TEXT;

-- The User Profile API's answer, cached.
ALTER TABLE contacts ADD COLUMN first_name TEXT;
ALTER TABLE contacts ADD COLUMN last_name TEXT;
ALTER TABLE contacts ADD COLUMN profile_pic TEXT;
ALTER TABLE contacts ADD COLUMN locale TEXT;
ALTER TABLE contacts ADD COLUMN timezone DOUBLE PRECISION;
ALTER TABLE contacts ADD COLUMN gender TEXT;
ALTER TABLE contacts ADD COLUMN profile_fetched_at BIGINT;
-- Meta said the window was closed (2018278): interactions up to here no longer open it.
ALTER TABLE contacts ADD COLUMN window_closed_at BIGINT;

-- New inbound messages wait here for automations (instant reply); cleared once handled.
ALTER TABLE messages ADD COLUMN automation_pending BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX messages_automation ON messages (automation_pending) WHERE automation_pending;

CREATE TABLE templates (
    page_id    TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    language   TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (page_id, name, language)
);

CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          BIGINT  NOT NULL,
    page_id     TEXT    NOT NULL,
    psid        TEXT    NOT NULL,
    -- Who asked: `agent:NAME`, `automation:instant_reply`, `broadcast:ID`, `cli:USER`.
    actor       TEXT    NOT NULL,
    -- What was asked (JSON), and the whole decision (JSON, as `fenestra policy check` prints it).
    message     TEXT    NOT NULL,
    verdict     TEXT    NOT NULL CHECK (verdict IN ('allow', 'deny')),
    rule        TEXT    NOT NULL,
    explanation TEXT    NOT NULL,
    decision    TEXT    NOT NULL,
    outbox_id   BIGINT
);
CREATE INDEX audit_contact ON audit_log (page_id, psid, at);

CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_id         TEXT    NOT NULL,
    psid            TEXT    NOT NULL,
    -- Set by automations, so running one twice queues nothing twice.
    dedupe_key      TEXT    UNIQUE,
    actor           TEXT    NOT NULL,
    -- `message` (judged by policy, echoed back with its metadata) or `sender_action` (typing).
    kind            TEXT    NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'sender_action')),
    -- The Send API body as decided, without `message.metadata` (the worker adds the outbox id).
    request         TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sending', 'unknown', 'sent', 'delivered', 'read', 'failed')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    claimed_by      TEXT,
    claimed_until   BIGINT,
    -- While `unknown`: how long to wait for the echo before concluding nothing went out.
    reconcile_until BIGINT,
    mid             TEXT,
    sent_at         BIGINT,
    -- The echo's timestamp on Meta's clock, compared with delivery and read watermarks.
    platform_at     BIGINT,
    error           TEXT,
    error_code      BIGINT,
    error_subcode   BIGINT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, id);
CREATE INDEX outbox_mid ON outbox (mid);
CREATE INDEX outbox_recipient ON outbox (page_id, psid, id);
-- What the claim asks for every candidate: is an earlier send to this customer unfinished?
CREATE INDEX outbox_unfinished ON outbox (page_id, psid, id) WHERE status IN ('queued', 'sending', 'unknown');
