-- Aura event log schema, version 1. Written once for SQLite and PostgreSQL: ${binary} is BLOB or BYTEA.
-- Every table starts with sync_ (on PostgreSQL they share a schema with the security store's tables).
-- Instants are epoch seconds plus nanoseconds (<name>_s, <name>_n), so that they round-trip exactly.
-- Never edit a migration that has shipped: Flyway checks its checksum on every open. Add V2__... instead.

-- One row per workspace: the last sequence assigned. An append locks it (SELECT ... FOR UPDATE on
-- PostgreSQL, BEGIN IMMEDIATE on SQLite) and updates it in the same transaction as the events, which keeps
-- the sequence gap-free and unique across processes sharing the database.
CREATE TABLE sync_workspace_heads (
  workspace TEXT PRIMARY KEY,
  head_seq  BIGINT NOT NULL CHECK (head_seq >= 0)
);

-- Every persisted event, by workspace and sequence. The change is stored as it took effect (for a conflict
-- copy, at the copy's path; conflict_of names the edited path).
CREATE TABLE sync_events (
  workspace      TEXT NOT NULL,
  seq            BIGINT NOT NULL CHECK (seq >= 1),
  event_id       TEXT NOT NULL,
  author         TEXT NOT NULL,
  local_seq      BIGINT NOT NULL,
  op             TEXT NOT NULL,
  path           TEXT NOT NULL,
  kind           TEXT NOT NULL,
  hash           TEXT,
  size           BIGINT NOT NULL,
  executable     BOOLEAN NOT NULL,
  link_target    TEXT,
  based_on       BIGINT NOT NULL,
  authored_at_s  BIGINT NOT NULL,
  authored_at_n  INTEGER NOT NULL,
  outcome        TEXT NOT NULL,
  conflict_of    TEXT,
  persisted_at_s BIGINT NOT NULL,
  persisted_at_n INTEGER NOT NULL,
  PRIMARY KEY (workspace, seq),
  UNIQUE (workspace, event_id)
);

-- The latest event that took effect at each path (what ConflictRule compares a new change against).
CREATE TABLE sync_path_heads (
  workspace     TEXT NOT NULL,
  path          TEXT NOT NULL,
  seq           BIGINT NOT NULL,
  event_id      TEXT NOT NULL,
  op            TEXT NOT NULL,
  kind          TEXT NOT NULL,
  hash          TEXT,
  size          BIGINT NOT NULL,
  executable    BOOLEAN NOT NULL,
  link_target   TEXT,
  based_on      BIGINT NOT NULL,
  authored_at_s BIGINT NOT NULL,
  authored_at_n INTEGER NOT NULL,
  PRIMARY KEY (workspace, path)
);

-- File content, once per workspace and SHA-256.
CREATE TABLE sync_blobs (
  workspace TEXT NOT NULL,
  hash      TEXT NOT NULL,
  size      BIGINT NOT NULL CHECK (size >= 0),
  data      ${binary} NOT NULL,
  PRIMARY KEY (workspace, hash)
);
