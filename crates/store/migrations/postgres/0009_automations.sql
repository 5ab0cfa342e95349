-- Each Page's automations as one document (JSON, as the `automations` crate reads it), every
-- version kept with who applied it and when: applying is one transaction, and the history is its
-- audit. The Messenger profile part is pushed to Meta; what was pushed and Meta's last refusal
-- are kept beside it.
CREATE TABLE automations (
    page_id           TEXT    PRIMARY KEY,
    version           BIGINT  NOT NULL,
    document          TEXT    NOT NULL,
    updated_at        BIGINT  NOT NULL,
    updated_by        TEXT    NOT NULL,
    -- The version whose messenger_profile Meta has (NULL: never pushed).
    profile_version   BIGINT,
    profile_synced_at BIGINT,
    -- Meta's refusal of the latest push, cleared by a push that works.
    profile_error     TEXT,
    profile_error_at  BIGINT
);

CREATE TABLE automation_versions (
    page_id    TEXT    NOT NULL,
    version    BIGINT  NOT NULL,
    document   TEXT    NOT NULL,
    applied_at BIGINT  NOT NULL,
    applied_by TEXT    NOT NULL,
    PRIMARY KEY (page_id, version)
);

-- The instant reply was two page columns: it becomes the first version of each page's document
-- (a text of "default" or nothing is Fenestra's own greeting, which a document says by leaving
-- the text out).
INSERT INTO automations (page_id, version, document, updated_at, updated_by)
SELECT id, 1,
       json_build_object('instant_reply', json_build_object(
           'enabled', true,
           'regreet_after', CASE WHEN greeting_after_hours IS NULL THEN NULL ELSE greeting_after_hours || 'h' END,
           'text', CASE WHEN trim(greeting_text) IN ('', 'default') THEN NULL
                        ELSE json_build_object('default', greeting_text) END))::text,
       (extract(epoch FROM now()) * 1000)::bigint, 'migration'
FROM pages WHERE greeting_text IS NOT NULL;
INSERT INTO automation_versions (page_id, version, document, applied_at, applied_by)
SELECT page_id, version, document, updated_at, updated_by FROM automations;
ALTER TABLE pages DROP COLUMN greeting_text;
ALTER TABLE pages DROP COLUMN greeting_after_hours;

-- Taps (Get Started, ice breakers, the menu) wait for automations like messages do.
ALTER TABLE events ADD COLUMN payload TEXT;
ALTER TABLE events ADD COLUMN automation_pending BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX events_automation ON events (automation_pending) WHERE automation_pending;

-- When each automation last wrote to a customer (the instant reply once per period, the away
-- message once per closed period, a person's last message).
CREATE INDEX outbox_contact_actor ON outbox (page_id, psid, actor, created_at);

-- Customers' answers to the closing rating (1 to 5), for analytics; one per rating message
-- answered (`mid` is the answer's).
CREATE TABLE ratings (
    page_id TEXT    NOT NULL,
    psid    TEXT    NOT NULL,
    mid     TEXT    NOT NULL,
    rating  BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    at      BIGINT NOT NULL,
    PRIMARY KEY (page_id, mid)
);
CREATE INDEX ratings_at ON ratings (page_id, at);
