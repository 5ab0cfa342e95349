-- What several `fenestra serve` processes on one database share instead of keeping it each in
-- memory: rates (a Page's sends, an address's login attempts) and failed logins per name.

-- One row per rate (`send:PAGE`, `login:ADDRESS`): the generic cell rate algorithm's
-- theoretical arrival time, in microseconds since the epoch by the database's clock.
CREATE TABLE paces (
    key TEXT   PRIMARY KEY,
    tat BIGINT NOT NULL
);

-- Failed logins in a row per user name (lower case), forgotten 15 minutes after the last.
CREATE TABLE login_failures (
    name     TEXT   PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_at  BIGINT NOT NULL
);
