-- Analytics read a Page's messages by time, across conversations.
CREATE INDEX messages_time ON messages (page_id, sent_at);
CREATE INDEX audit_time ON audit_log (page_id, at);
CREATE INDEX contacts_first_seen ON contacts (page_id, first_seen_at);

-- Meta's Page insights for messaging, by day (`YYYY-MM-DD`, UTC): blocked and reported
-- conversations reach no webhook.
CREATE TABLE page_insights (
    page_id    TEXT   NOT NULL,
    day        TEXT   NOT NULL,
    metric     TEXT   NOT NULL,
    value      BIGINT NOT NULL,
    fetched_at BIGINT NOT NULL,
    PRIMARY KEY (page_id, day, metric)
);
