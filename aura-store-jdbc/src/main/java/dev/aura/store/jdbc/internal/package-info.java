/**
 * Implementation of {@code dev.aura.store.jdbc}: the dialect differences ({@link
 * dev.aura.store.jdbc.internal.Dialect}), the pool and transactions ({@link dev.aura.store.jdbc.internal.Database}),
 * migrations, the key file, the stores and the PostgreSQL listener. Not exported.
 */
package dev.aura.store.jdbc.internal;
