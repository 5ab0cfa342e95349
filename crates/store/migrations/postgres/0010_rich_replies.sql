-- A saved reply may carry a picture or file, buttons and quick replies (JSON, as the engine's
-- `rich::Parts` writes it); NULL is text alone.
ALTER TABLE saved_replies ADD COLUMN rich TEXT;

-- Admins change a page's permissions and link domains from Settings and the API now: logged.
ALTER TABLE admin_log DROP CONSTRAINT admin_log_action_check;
ALTER TABLE admin_log ADD CONSTRAINT admin_log_action_check
    CHECK (action IN ('export', 'erase', 'retention_erase', 'set_retention', 'set_page_settings'));
