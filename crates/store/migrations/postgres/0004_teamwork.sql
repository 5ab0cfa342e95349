-- Team work on conversations: who answers, how it is labelled, what the team noted.
ALTER TABLE conversations ADD COLUMN assignee_id BIGINT  REFERENCES users (id);
CREATE INDEX conversations_assignee ON conversations (assignee_id, last_activity_at DESC);

CREATE TABLE conversation_labels (
    page_id TEXT NOT NULL,
    psid    TEXT NOT NULL,
    label   TEXT NOT NULL,
    PRIMARY KEY (page_id, psid, label)
);
CREATE INDEX conversation_labels_label ON conversation_labels (label);

-- Internal notes: for the team, never sent to the customer.
CREATE TABLE notes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_id    TEXT    NOT NULL,
    psid       TEXT    NOT NULL,
    author     TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX notes_thread ON notes (page_id, psid, created_at);

-- What an event that is not a message looked like to the customer ("Tapped “Book”"), for the thread.
ALTER TABLE events ADD COLUMN summary TEXT;

CREATE TABLE saved_replies (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    text       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

-- Personas created through the Personas API: an agent's name and picture on a message.
CREATE TABLE personas (
    id                  TEXT    PRIMARY KEY,
    page_id             TEXT    NOT NULL,
    name                TEXT    NOT NULL,
    profile_picture_url TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL
);

-- Tokens for the JSON API: the client holds the token, the table only its SHA-256.
CREATE TABLE api_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id),
    name       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
