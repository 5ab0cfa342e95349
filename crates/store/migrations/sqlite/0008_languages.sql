-- Search as people type: folded copies (lower case, no accents or tone marks, đ → d, no Arabic
-- tashkeel) of message texts and customer names, written by the store with the `fold` crate,
-- and the text index rebuilt over them. Existing rows are folded by the store at start.
ALTER TABLE messages ADD COLUMN search_text TEXT;
ALTER TABLE contacts ADD COLUMN search_name TEXT;

DROP TRIGGER messages_search_insert;
DROP TRIGGER messages_search_delete;
DROP TRIGGER messages_search_update;
DROP TABLE messages_search;
CREATE VIRTUAL TABLE messages_search USING fts5(
    search_text, content = 'messages', content_rowid = 'id', tokenize = 'trigram case_sensitive 0'
);
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_search (messages_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER messages_search_update AFTER UPDATE OF search_text ON messages BEGIN
    INSERT INTO messages_search (messages_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO messages_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

-- Who wrote the conversation's last message, for "You:" / "Auto:" in the list.
ALTER TABLE conversations ADD COLUMN last_message_by TEXT
    CHECK (last_message_by IN ('customer', 'agent', 'automation', 'broadcast', 'api', 'other_app'));

-- Each user's language (vi, en, ar, ms, it) and IANA time zone; NULL follows the browser.
ALTER TABLE users ADD COLUMN language TEXT;
ALTER TABLE users ADD COLUMN time_zone TEXT;

-- Copies of customers' pictures and attachments: Meta's links expire, and the inbox must show
-- no broken images. Deleted with the customer (erasure, retention). `key` is `picture` or an
-- attachment's key (a digest of its message id and its position).
CREATE TABLE media (
    page_id      TEXT    NOT NULL,
    psid         TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    bytes        BLOB    NOT NULL,
    source_url   TEXT    NOT NULL,
    fetched_at   INTEGER NOT NULL,
    PRIMARY KEY (page_id, psid, key)
);
-- Customers' messages with attachments not copied yet.
ALTER TABLE messages ADD COLUMN media_pending BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX messages_media_pending ON messages (id) WHERE media_pending;

-- What the customer did, as a message and its arguments (JSON: {"id": "event-postback",
-- "args": {...}}), so the thread shows it in each reader's language; `summary` stays English.
ALTER TABLE events ADD COLUMN detail TEXT;

-- The tab title's count of conversations with unread messages, without a scan.
CREATE INDEX conversations_unread ON conversations (status) WHERE unread_count > 0;

-- Keys Fenestra makes for itself on first start (the VAPID key that signs Web Push).
CREATE TABLE secrets (
    name       TEXT   PRIMARY KEY,
    value      TEXT   NOT NULL,
    created_at INTEGER NOT NULL
);
-- Browsers and phones that asked for Web Push notifications, one per device.
CREATE TABLE push_subscriptions (
    endpoint     TEXT   PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subscription TEXT   NOT NULL,
    created_at   INTEGER NOT NULL,
    last_error   TEXT
);
-- Customers' messages not yet announced by Web Push.
ALTER TABLE messages ADD COLUMN push_pending BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX messages_push_pending ON messages (id) WHERE push_pending;
