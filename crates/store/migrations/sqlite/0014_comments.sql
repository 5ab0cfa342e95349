-- Comments as an inbox, the Page's posts, entry points (m.me links) and signed refs.

-- Outbox rows may act on a comment (`comment`: a public reply, hide, unhide or delete), sent by
-- the same worker after the same audited decision. SQLite cannot change a CHECK: the table is
-- copied.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id         TEXT    NOT NULL,
    psid            TEXT    NOT NULL,
    dedupe_key      TEXT    UNIQUE,
    actor           TEXT    NOT NULL,
    kind            TEXT    NOT NULL DEFAULT 'message'
                    CHECK (kind IN ('message', 'sender_action', 'marketing', 'comment')),
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
CREATE INDEX outbox_actor ON outbox (actor, status);

-- A comment's author is `from.id`, which is not a PSID: `psid` is now the Messenger contact the
-- author turned out to be (learned from the echo of a private reply), NULL until then.
ALTER TABLE comments ADD COLUMN author_id TEXT;
ALTER TABLE comments ADD COLUMN author_name TEXT;
ALTER TABLE comments ADD COLUMN parent_id TEXT;
ALTER TABLE comments ADD COLUMN photo TEXT;
ALTER TABLE comments ADD COLUMN by_page BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE comments ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE comments ADD COLUMN removed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE comments ADD COLUMN edited_at INTEGER;
-- When the Page last answered it publicly.
ALTER TABLE comments ADD COLUMN replied_at INTEGER;
UPDATE comments SET author_id = psid, psid = NULL;
CREATE INDEX comments_post ON comments (page_id, post_id, at);
CREATE INDEX comments_author ON comments (page_id, author_id);
CREATE INDEX comments_recent ON comments (page_id, at);

-- The Page's posts, as the feed webhook announced them (or as their first comment revealed).
CREATE TABLE posts (
    page_id       TEXT    NOT NULL,
    post_id       TEXT    NOT NULL,
    message       TEXT,
    item          TEXT,
    permalink_url TEXT,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (page_id, post_id)
);

-- m.me links and ads the shop made: the `ref` they carry and what arriving through them does.
CREATE TABLE entry_points (
    page_id     TEXT    NOT NULL,
    ref         TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    -- `link` (m.me), `ad` (a click-to-Messenger ad's ref or ad id) or `signed` (refs made per
    -- order or customer by the shop's site, named by this prefix).
    kind        TEXT    NOT NULL CHECK (kind IN ('link', 'ad', 'signed')),
    -- Text put in the customer's composer.
    prefill     TEXT,
    -- A label added to everyone who arrives through it.
    label       TEXT,
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (page_id, ref)
);

-- The key that signs refs carrying an order or customer id.
ALTER TABLE pages ADD COLUMN link_secret TEXT;
CREATE INDEX contacts_source ON contacts (page_id, source_ref);
CREATE INDEX contacts_latest_source ON contacts (page_id, latest_source_ref);
