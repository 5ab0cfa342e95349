-- Searching message text without reading every message: a trigram index serves ILIKE
-- '%…%'. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: the database's
-- owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX messages_text_trigram ON messages USING gin (text gin_trgm_ops);
