/**
 * Opening and migrating an SQLite or PostgreSQL database, shared by the JDBC stores and the Mothership's event
 * log ({@code aura-sync}): {@link dev.aura.store.jdbc.database.SqlDatabase} with a
 * {@link dev.aura.store.jdbc.database.SchemaDefinition} (history table, migration files, what counts as ours),
 * {@link dev.aura.store.jdbc.database.PoolSettings} and a {@link dev.aura.store.jdbc.database.FailureFactory}
 * that makes the caller's own exception. Exported only to {@code dev.aura.sync}; not an API for applications.
 */
package dev.aura.store.jdbc.database;
