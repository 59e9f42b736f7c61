-- Aura store schema, version 5: the running instances of a Mothership on this database, one row each,
-- written by the instance's heartbeat every few seconds (see InstanceRegistry). A row whose heartbeat is
-- older than three intervals belongs to an instance that stopped or cannot reach the database. Instants are
-- two columns, epoch seconds and nanoseconds, as everywhere in this schema.
CREATE TABLE mothership_instances (
  instance_id     TEXT PRIMARY KEY,
  advertised_url  TEXT NOT NULL,
  started_at_s    BIGINT NOT NULL,
  started_at_n    INTEGER NOT NULL,
  heartbeat_at_s  BIGINT NOT NULL,
  heartbeat_at_n  INTEGER NOT NULL,
  connected_peers INTEGER NOT NULL,
  version         TEXT NOT NULL
);
