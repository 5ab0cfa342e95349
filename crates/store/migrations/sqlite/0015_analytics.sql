-- Analytics read a Page's messages by time, across conversations.
CREATE INDEX messages_time ON messages (page_id, sent_at);
CREATE INDEX audit_time ON audit_log (page_id, at);
CREATE INDEX contacts_first_seen ON contacts (page_id, first_seen_at);
