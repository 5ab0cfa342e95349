-- Analytics read a Page's messages by time, across conversations.
CREATE INDEX messages_time ON messages (page_id, sent_at);
