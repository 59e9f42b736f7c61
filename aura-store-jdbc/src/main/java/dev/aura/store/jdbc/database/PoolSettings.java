package dev.aura.store.jdbc.database;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link SqlDatabase} connects: names shown to operators and the limits of the pool.
 *
 * @param poolNamePrefix HikariCP pool (and thread) name prefix, for example {@code "aura-store-"}
 * @param applicationName PostgreSQL {@code ApplicationName}, shown in {@code pg_stat_activity}
 * @param connectTimeout pool wait and PostgreSQL connect/login timeout (rounded up to whole seconds)
 * @param busyTimeout how long an SQLite writer waits for another process's lock
 * @param maxPoolSize the most pooled connections, at least 1
 */
public record PoolSettings(String poolNamePrefix, String applicationName, Duration connectTimeout,
    Duration busyTimeout, int maxPoolSize) {
  /** Checks every setting. */
  public PoolSettings {
    Objects.requireNonNull(poolNamePrefix, "poolNamePrefix");
    Objects.requireNonNull(applicationName, "applicationName");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero() || busyTimeout.isNegative()) {
      throw new IllegalArgumentException("connectTimeout must be positive and busyTimeout not negative, got "
          + connectTimeout + " and " + busyTimeout);
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, got " + maxPoolSize);
    }
  }
}
