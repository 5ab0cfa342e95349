-- Searching message text without reading every message: an FTS5 trigram index finds any
-- substring of three characters or more, ignoring case (Unicode-aware).
CREATE VIRTUAL TABLE messages_search USING fts5(
    text, content = 'messages', content_rowid = 'id', tokenize = 'trigram case_sensitive 0'
);
INSERT INTO messages_search (messages_search) VALUES ('rebuild');
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_search (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_search (messages_search, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER messages_search_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_search (messages_search, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO messages_search (rowid, text) VALUES (new.id, new.text);
END;
