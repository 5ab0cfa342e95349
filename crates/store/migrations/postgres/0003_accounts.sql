-- The people who use the inbox. Passwords are argon2id PHC strings, never the password.
CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'agent')),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT  NOT NULL
);

-- A logged-in browser: the cookie holds a random token, the table only its SHA-256.
CREATE TABLE sessions (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- The inbox lists conversations of every page, newest activity first.
CREATE INDEX conversations_recent ON conversations (last_activity_at DESC);
