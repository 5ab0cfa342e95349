-- Rollups: what the analytics read instead of the event tables, kept as events are stored and
-- rebuildable from them (`fenestra analytics rebuild`). Days and hours are UTC, counted from
-- the epoch (`at / 86400000`, `at / 3600000`), by Meta's timestamps.

-- Messages per hour and direction, counted as each new message is stored.
CREATE TABLE message_hours (
    page_id   TEXT   NOT NULL,
    hour      BIGINT NOT NULL,
    direction TEXT   NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (page_id, hour, direction)
);

-- Who wrote in a period: those whose last message falls in it, and of those who wrote again
-- since, the ones with a day in it (one row per customer per day they wrote).
ALTER TABLE contacts ADD COLUMN last_in_at BIGINT;
CREATE INDEX contacts_last_in ON contacts (page_id, last_in_at);
CREATE TABLE contact_days (
    page_id TEXT   NOT NULL,
    psid    TEXT   NOT NULL,
    day     BIGINT NOT NULL,
    PRIMARY KEY (page_id, psid, day)
);

-- The policy's decisions per day, rule and verdict, counted as each is audited.
CREATE TABLE decision_days (
    page_id TEXT   NOT NULL,
    day     BIGINT NOT NULL,
    rule    TEXT   NOT NULL,
    verdict TEXT   NOT NULL,
    n       BIGINT NOT NULL,
    warned  BIGINT NOT NULL,
    PRIMARY KEY (page_id, day, rule, verdict)
);

-- Each conversation's requests (measure 'team') and the messages Meta's badge counts
-- ('badge'), as the last fold of the conversation's messages found them. `seconds` is the
-- answer time that counts (within 24 hours; for the badge, away time left out), NULL when
-- unanswered; `answered_at` the answer's time, however late (where a new fold may start).
CREATE TABLE answer_times (
    page_id     TEXT   NOT NULL,
    psid        TEXT   NOT NULL,
    measure     TEXT   NOT NULL,
    at          BIGINT NOT NULL,
    answered_at BIGINT,
    seconds     BIGINT,
    agent       TEXT   NOT NULL,
    PRIMARY KEY (page_id, psid, measure, at)
);
CREATE INDEX answer_times_time ON answer_times (page_id, measure, at);

-- Their sums per day and agent ('' = everyone): counts and a histogram of the seconds.
CREATE TABLE answer_days (
    page_id  TEXT   NOT NULL,
    measure  TEXT   NOT NULL,
    day      BIGINT NOT NULL,
    agent    TEXT   NOT NULL,
    requests BIGINT NOT NULL,
    answered BIGINT NOT NULL,
    times    BLOB   NOT NULL,
    PRIMARY KEY (page_id, measure, day, agent)
);

-- Conversations whose messages changed since their answers were last folded, from when.
CREATE TABLE answers_pending (
    page_id TEXT   NOT NULL,
    psid    TEXT   NOT NULL,
    since   BIGINT NOT NULL,
    PRIMARY KEY (page_id, psid)
);

-- Who interacted and who opted out in a period (sources, audience).
CREATE INDEX contacts_interaction ON contacts (page_id, last_interaction_at);
CREATE INDEX contacts_opted_out ON contacts (page_id, opted_out_at) WHERE opted_out_at IS NOT NULL;

-- The agent the conversation was assigned to when the customer rated it ('' for nobody; NULL
-- for ratings given before this column: the current assignee stands in).
ALTER TABLE ratings ADD COLUMN agent TEXT;

-- What is already stored, pending: the first fold (or `fenestra analytics rebuild`) adds it up.
INSERT INTO answers_pending (page_id, psid, since) SELECT page_id, psid, 0 FROM conversations;
INSERT INTO message_hours (page_id, hour, direction, n)
    SELECT page_id, sent_at / 3600000, direction, COUNT(*) FROM messages GROUP BY page_id, sent_at / 3600000, direction;
INSERT INTO contact_days (page_id, psid, day)
    SELECT DISTINCT page_id, psid, sent_at / 86400000 FROM messages WHERE direction = 'in';
UPDATE contacts SET last_in_at = (SELECT MAX(m.sent_at) FROM messages m
    WHERE m.page_id = contacts.page_id AND m.psid = contacts.psid AND m.direction = 'in');
INSERT INTO decision_days (page_id, day, rule, verdict, n, warned)
    SELECT page_id, at / 86400000, rule, verdict, COUNT(*),
           SUM(CASE WHEN decision LIKE '%"warnings":[]%' THEN 0 ELSE 1 END)
    FROM audit_log GROUP BY page_id, at / 86400000, rule, verdict;
