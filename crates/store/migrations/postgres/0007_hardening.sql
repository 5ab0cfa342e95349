-- Hardening (postgres flavour; times are UTC ms): API tokens that expire and can be revoked one
-- by one, what an operator needs to prune (sessions, processed webhook bodies), privacy
-- (erased customers, conversation retention) and the log of what admins did.

ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT;

CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX webhook_inbox_processed ON webhook_inbox (processed_at) WHERE status = 'processed';
CREATE INDEX events_inbox ON events (inbox_id);

-- The customer's personal data was erased at this time (the rows stay, so counts do).
ALTER TABLE contacts ADD COLUMN erased_at BIGINT;
-- Conversations idle for longer are erased; NULL keeps them.
ALTER TABLE pages ADD COLUMN retention_days BIGINT;

-- What admins did to customers' data (exports, erasures) and when.
CREATE TABLE admin_log (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      BIGINT NOT NULL,
    actor   TEXT   NOT NULL,
    action  TEXT   NOT NULL CHECK (action IN ('export', 'erase', 'retention_erase', 'set_retention')),
    page_id TEXT   NOT NULL,
    psid    TEXT   NOT NULL,
    detail  TEXT   NOT NULL
);
CREATE INDEX admin_log_at ON admin_log (at);
