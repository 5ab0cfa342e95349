-- Admins connect pages with Facebook Login from Settings: logged.
-- (SQLite cannot change a CHECK: the table is rebuilt with the new word.)
CREATE TABLE admin_log_new (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    actor   TEXT   NOT NULL,
    action  TEXT   NOT NULL CHECK (action IN ('export', 'erase', 'retention_erase', 'set_retention', 'set_page_settings', 'connect_page')),
    page_id TEXT   NOT NULL,
    psid    TEXT   NOT NULL,
    detail  TEXT   NOT NULL
);
INSERT INTO admin_log_new SELECT id, at, actor, action, page_id, psid, detail FROM admin_log;
DROP TABLE admin_log;
ALTER TABLE admin_log_new RENAME TO admin_log;
CREATE INDEX admin_log_at ON admin_log (at);

-- The connection page asks when the latest event from a page came (and analytics will read
-- events by page and time).
CREATE INDEX events_page_at ON events (page_id, at);
