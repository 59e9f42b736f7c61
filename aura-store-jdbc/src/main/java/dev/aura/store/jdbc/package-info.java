/**
 * SQLite (embedded default) and PostgreSQL (shared by several Motherships) implementations of every Aura
 * storage SPI, opened from one URL with {@link dev.aura.store.jdbc.JdbcStores#open(String)}.
 */
package dev.aura.store.jdbc;
