-- Rules v2 (postgres flavour; times are UTC ms): who controls each thread under Conversation
-- Routing, one pause state for every automation, dated opt-outs, the region of
-- recurring-notification subscribers, and whether Fenestra is the Page's default app.

ALTER TABLE contacts ADD COLUMN opted_out_at BIGINT;
-- Another app controls the thread until thread_owner_until (NULL: this app, or nobody);
-- 'unknown' when only standby events told us. thread_changed_at is Meta's time of the newest
-- ownership fact applied, so a late webhook changes nothing.
ALTER TABLE contacts ADD COLUMN thread_owner TEXT;
ALTER TABLE contacts ADD COLUMN thread_owner_until BIGINT;
ALTER TABLE contacts ADD COLUMN thread_changed_at BIGINT;
-- Automations paused since paused_at, until paused_until (NULL: until the conversation closes).
ALTER TABLE contacts ADD COLUMN paused_at BIGINT;
ALTER TABLE contacts ADD COLUMN paused_until BIGINT;
ALTER TABLE contacts ADD COLUMN paused_reason TEXT
    CHECK (paused_reason IN ('replied_elsewhere', 'agent', 'asked_for_person'));

-- The opt-in's time zone, and the country derived from it (policy: recurring notifications
-- after 2026-02-10 reach only the EU, the UK, JP, KR and AU).
ALTER TABLE notification_tokens ADD COLUMN time_zone TEXT;
ALTER TABLE notification_tokens ADD COLUMN region TEXT;

-- Only the Page's default app may write in an idle thread.
ALTER TABLE pages ADD COLUMN default_app BOOLEAN NOT NULL DEFAULT TRUE;
