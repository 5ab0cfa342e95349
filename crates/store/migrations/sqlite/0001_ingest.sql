-- Fenestra schema, SQLite flavour. Times are UTC milliseconds since the Unix epoch.

-- Every signed webhook body, stored before Meta gets its 200.
CREATE TABLE webhook_inbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at   INTEGER NOT NULL,
    body          BLOB    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'quarantined')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_by    TEXT,
    claimed_until INTEGER,
    processed_at  INTEGER,
    error         TEXT
);
CREATE INDEX webhook_inbox_status ON webhook_inbox (status, id);

CREATE TABLE pages (
    id                     TEXT PRIMARY KEY,
    name                   TEXT,
    access_token           TEXT,
    restricted             BOOLEAN NOT NULL DEFAULT FALSE,
    restriction_reason     TEXT,
    restriction_changed_at INTEGER
);

CREATE TABLE contacts (
    page_id             TEXT    NOT NULL,
    psid                TEXT    NOT NULL,
    first_seen_at       INTEGER NOT NULL,
    -- The latest window-opening interaction (message, postback, referral, reaction, plugin opt-in).
    last_interaction_at INTEGER,
    source_kind         TEXT,
    source_ref          TEXT,
    unreachable         BOOLEAN NOT NULL DEFAULT FALSE,
    opted_out           BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (page_id, psid)
);

CREATE TABLE conversations (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id             TEXT    NOT NULL,
    psid                TEXT    NOT NULL,
    status              TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    last_activity_at    INTEGER NOT NULL,
    last_message_at     INTEGER,
    last_message_text   TEXT,
    unread_count        INTEGER NOT NULL DEFAULT 0,
    delivered_watermark INTEGER NOT NULL DEFAULT 0,
    read_watermark      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (page_id, psid)
);
CREATE INDEX conversations_activity ON conversations (page_id, last_activity_at DESC);

CREATE TABLE messages (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id             TEXT    NOT NULL,
    psid                TEXT    NOT NULL,
    mid                 TEXT    NOT NULL,
    direction           TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    text                TEXT,
    attachments         TEXT,
    quick_reply_payload TEXT,
    reply_to_mid        TEXT,
    app_id              TEXT,
    metadata            TEXT,
    sent_at             INTEGER NOT NULL,
    inbox_id            INTEGER,
    UNIQUE (page_id, mid)
);
CREATE INDEX messages_thread ON messages (page_id, psid, sent_at);

-- One row per distinct webhook event: the dedupe log and the interaction history.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id     TEXT    NOT NULL,
    event_key   TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    psid        TEXT,
    interaction TEXT,
    at          INTEGER NOT NULL,
    inbox_id    INTEGER,
    UNIQUE (page_id, event_key)
);
CREATE INDEX events_contact ON events (page_id, psid, at);

CREATE TABLE one_time_tokens (
    token     TEXT PRIMARY KEY,
    page_id   TEXT    NOT NULL,
    psid      TEXT    NOT NULL,
    topic     TEXT,
    issued_at INTEGER NOT NULL,
    used_at   INTEGER
);

CREATE TABLE notification_tokens (
    token        TEXT PRIMARY KEY,
    page_id      TEXT    NOT NULL,
    psid         TEXT    NOT NULL,
    topic        TEXT,
    frequency    TEXT,
    issued_at    INTEGER NOT NULL,
    expires_at   INTEGER,
    status       TEXT    NOT NULL,
    last_sent_at INTEGER
);

CREATE TABLE comments (
    page_id            TEXT    NOT NULL,
    comment_id         TEXT    NOT NULL,
    post_id            TEXT,
    psid               TEXT,
    text               TEXT,
    verb               TEXT,
    at                 INTEGER NOT NULL,
    private_reply_sent BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (page_id, comment_id)
);
