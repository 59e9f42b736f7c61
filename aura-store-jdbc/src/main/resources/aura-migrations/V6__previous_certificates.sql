-- Aura store schema, version 6 (V5 is left to the instance registry). The certificates a shared Mothership
-- rotated away from that are still in their grace, so that every instance honours the same grace and serves
-- the same signed pin handovers: one row per rotation, keyed by the handover's sequence. retire_at_s is the
-- handover's end of grace (epoch seconds); rows past it are deleted at the next rotation.
-- private_key_sealed is AES-256-GCM under the key file (see KeyFile), never the plain key.
CREATE TABLE mothership_previous_certificates (
  handover_sequence  BIGINT PRIMARY KEY,
  certificate_pem    TEXT NOT NULL,
  private_key_sealed ${binary} NOT NULL,
  handover           TEXT NOT NULL,
  retire_at_s        BIGINT NOT NULL
);
