-- Admins connect pages with Facebook Login from Settings: logged.
ALTER TABLE admin_log DROP CONSTRAINT admin_log_action_check;
ALTER TABLE admin_log ADD CONSTRAINT admin_log_action_check
    CHECK (action IN ('export', 'erase', 'retention_erase', 'set_retention', 'set_page_settings', 'connect_page'));

-- The connection page asks when the latest event from a page came (and analytics will read
-- events by page and time).
CREATE INDEX events_page_at ON events (page_id, at);
