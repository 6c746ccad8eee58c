-- dcmon storage schema, version 1.
-- Times are Unix epoch milliseconds in INTEGER columns (BIGINT here so jOOQ maps them to Long).
-- Key and UNIQUE columns are VARCHAR(n) because jOOQ's DDL parser cannot index TEXT; SQLite ignores n.

CREATE TABLE clients (
    id              INTEGER PRIMARY KEY,
    hostname        VARCHAR(255) NOT NULL,
    machine_id      VARCHAR(255) NOT NULL DEFAULT '',
    public_key_pem  TEXT         NOT NULL,
    key_fingerprint VARCHAR(128) NOT NULL,
    -- flat JSON object of strings
    hardware        TEXT         NOT NULL DEFAULT '{}',
    -- SHA-256 hex of the client token; the token itself is never stored
    token_hash      VARCHAR(64)  NOT NULL,
    registered_at   BIGINT       NOT NULL,
    last_seen       BIGINT,
    revoked_at      BIGINT,
    CONSTRAINT clients_key_fingerprint_uq UNIQUE (key_fingerprint),
    CONSTRAINT clients_token_hash_uq UNIQUE (token_hash)
);

-- A series is (client, metric, labels). labels is Labels.canonical() and is the identity;
-- labels_json holds the same pairs as a flat JSON object so label matchers can use json_extract
-- (exact per label: gpu="1" never matches gpu="10").
CREATE TABLE series (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER       NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    metric      VARCHAR(200)  NOT NULL,
    labels      VARCHAR(20000) NOT NULL,
    labels_json TEXT          NOT NULL,
    CONSTRAINT series_key_uq UNIQUE (client_id, metric, labels)
);
CREATE INDEX series_metric_ix ON series (metric, client_id);

-- Each sample goes to the table of its value type; a (series_id, ts) is in at most one of them.
CREATE TABLE samples_int (
    series_id INTEGER NOT NULL,
    ts        BIGINT  NOT NULL,
    value     BIGINT  NOT NULL,
    PRIMARY KEY (series_id, ts)
) WITHOUT ROWID;

-- value NULL stands for NaN: SQLite turns a bound NaN into NULL.
CREATE TABLE samples_real (
    series_id INTEGER NOT NULL,
    ts        BIGINT  NOT NULL,
    value     DOUBLE,
    PRIMARY KEY (series_id, ts)
) WITHOUT ROWID;

CREATE TABLE commands (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER      NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    type         VARCHAR(64)  NOT NULL,
    -- flat JSON object of strings
    params       TEXT         NOT NULL DEFAULT '{}',
    status       VARCHAR(16)  NOT NULL,
    created_by   VARCHAR(255) NOT NULL,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    delivered_at BIGINT,
    finished_at  BIGINT,
    exit_status  INTEGER,
    output       TEXT,
    error        TEXT
);
CREATE INDEX commands_client_status_ix ON commands (client_id, status, id);
