-- Aura store schema, version 1. Written once for SQLite and PostgreSQL: ${binary} is BLOB or BYTEA.
-- Instants are stored as epoch seconds plus nanoseconds so that they round-trip exactly (the audit hash
-- covers both) and compare as row values: (at_s, at_n) >= (?, ?).
-- Never edit a migration that has shipped: Flyway checks its checksum on every open. Add V2__... instead.

CREATE TABLE aura_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- One row per append-only sequence. Appends lock the row (an UPDATE), which serializes them across
-- processes, and roll back with the transaction, which keeps versions gap-free.
CREATE TABLE aura_heads (
  name TEXT PRIMARY KEY,
  seq  BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO aura_heads (name, seq, hash) VALUES ('revocations', 0, '');
INSERT INTO aura_heads (name, seq, hash)
  VALUES ('audit', 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE token_ledger (
  jti           TEXT PRIMARY KEY,
  subject       TEXT NOT NULL,
  role          TEXT NOT NULL,
  issued_at_s   BIGINT NOT NULL,
  issued_at_n   INTEGER NOT NULL,
  expires_at_s  BIGINT NOT NULL,
  expires_at_n  INTEGER NOT NULL,
  allowed_uses  INTEGER NOT NULL CHECK (allowed_uses >= 1),
  uses_consumed INTEGER NOT NULL CHECK (uses_consumed >= 0 AND uses_consumed <= allowed_uses),
  token_hash    ${binary} NOT NULL
);

CREATE TABLE revocations (
  version      BIGINT PRIMARY KEY,
  action       TEXT NOT NULL,
  target_kind  TEXT NOT NULL,
  target_value TEXT NOT NULL,
  actor        TEXT NOT NULL,
  at_s         BIGINT NOT NULL,
  at_n         INTEGER NOT NULL,
  reason       TEXT
);

CREATE TABLE audit_log (
  seq           BIGINT PRIMARY KEY,
  type          TEXT NOT NULL,
  at_s          BIGINT NOT NULL,
  at_n          INTEGER NOT NULL,
  reference     TEXT NOT NULL,
  peer          TEXT,
  actor         TEXT,
  subject       TEXT,
  source        TEXT,
  previous_hash TEXT NOT NULL,
  hash          TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at_s, at_n, seq);

-- private_jwk_sealed: AES-256-GCM under the key file (see KeyFile), never the plain private key.
CREATE TABLE signing_keys (
  kid                TEXT PRIMARY KEY,
  algorithm          TEXT NOT NULL,
  status             TEXT NOT NULL,
  created_at_s       BIGINT NOT NULL,
  created_at_n       INTEGER NOT NULL,
  retire_at_s        BIGINT,
  retire_at_n        INTEGER,
  public_jwk         TEXT NOT NULL,
  private_jwk_sealed ${binary}
);

CREATE TABLE peers (
  peer_id      TEXT PRIMARY KEY,
  subject      TEXT NOT NULL,
  role         TEXT NOT NULL,
  joined_with  TEXT NOT NULL,
  joined_at_s  BIGINT NOT NULL,
  joined_at_n  INTEGER NOT NULL,
  last_seen_s  BIGINT NOT NULL,
  last_seen_n  INTEGER NOT NULL
);

CREATE TABLE peer_addresses (
  peer_id TEXT NOT NULL REFERENCES peers (peer_id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  address TEXT NOT NULL,
  PRIMARY KEY (peer_id, ordinal)
);

CREATE TABLE refresh_credentials (
  credential_id TEXT PRIMARY KEY,
  peer_id       TEXT NOT NULL UNIQUE,
  hash          ${binary} NOT NULL,
  issued_at_s   BIGINT NOT NULL,
  issued_at_n   INTEGER NOT NULL,
  expires_at_s  BIGINT NOT NULL,
  expires_at_n  INTEGER NOT NULL
);
