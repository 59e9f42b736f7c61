/**
 * Implementation of {@code dev.aura.store.jdbc}: the stores' schema definition for the shared
 * {@link dev.aura.store.jdbc.database.SqlDatabase} ({@link dev.aura.store.jdbc.internal.StoreSchema}), the key
 * file, the stores and the PostgreSQL listener. Not exported.
 */
package dev.aura.store.jdbc.internal;
