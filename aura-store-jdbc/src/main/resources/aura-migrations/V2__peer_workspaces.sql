-- Aura store schema, version 2: the workspaces a peer may use. Same SQL for SQLite and PostgreSQL.
-- peers.workspaces holds the workspace names, sorted and joined with ',' (for example 'api,widget'); NULL means
-- the peer may use every workspace (no restriction), which is what every peer saved by version 1 gets. An empty
-- string is never written. A workspace name is 1 to 64 of a-z, 0-9, '.', '_' and '-', so it never holds a
-- comma and the list splits back unambiguously; a peer names at most 32 (under 2.1 KB).
-- Never edit a migration that has shipped: Flyway checks its checksum on every open. Add V3__... instead.

ALTER TABLE peers ADD COLUMN workspaces TEXT;
