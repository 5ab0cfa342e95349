-- A saved reply may carry a picture or file, buttons and quick replies (JSON, as the engine's
-- `rich::Parts` writes it); NULL is text alone.
ALTER TABLE saved_replies ADD COLUMN rich TEXT;

-- Admins change a page's permissions and link domains from Settings and the API now: logged.
-- (SQLite cannot change a CHECK: the table is rebuilt with the new word.)
CREATE TABLE admin_log_new (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    actor   TEXT   NOT NULL,
    action  TEXT   NOT NULL CHECK (action IN ('export', 'erase', 'retention_erase', 'set_retention', 'set_page_settings')),
    page_id TEXT   NOT NULL,
    psid    TEXT   NOT NULL,
    detail  TEXT   NOT NULL
);
INSERT INTO admin_log_new SELECT id, at, actor, action, page_id, psid, detail FROM admin_log;
DROP TABLE admin_log;
ALTER TABLE admin_log_new RENAME TO admin_log;
CREATE INDEX admin_log_at ON admin_log (at);
