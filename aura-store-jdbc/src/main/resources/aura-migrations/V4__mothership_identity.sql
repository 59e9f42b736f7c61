-- Aura store schema, version 4 (V3 is reserved). The identity every Mothership on this database shares:
-- at most one row. The first instance inserts it, the others adopt it. certificate_pem and
-- private_key_sealed are both set or both null (an operator-provided certificate is not stored);
-- private_key_sealed is AES-256-GCM under the key file (see KeyFile), never the plain key.
CREATE TABLE mothership_identity (
  singleton          INTEGER PRIMARY KEY CHECK (singleton = 1),
  mothership_id      TEXT NOT NULL,
  certificate_pem    TEXT,
  private_key_sealed ${binary},
  CHECK ((certificate_pem IS NULL) = (private_key_sealed IS NULL))
);
