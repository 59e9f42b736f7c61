package dev.aura.store.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link JdbcStores#open(String, JdbcStoreOptions)} opens a store. Immutable; built with
 * {@link #builder()}, which checks every value eagerly.
 *
 * <pre>{@code
 * JdbcStoreOptions options = JdbcStoreOptions.builder()
 *     .keyFile(dataDir.resolve("signing-key.secret"))
 *     .connectTimeout(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 *
 * <p><b>Warning:</b> the key file encrypts the private signing keys stored in the database. A backup must
 * contain the database <em>and</em> this file; a database restored without it cannot sign.
 *
 * @param keyFile the 32-byte AES key file that encrypts private signing keys; null means the default
 *     ({@value JdbcStores#DEFAULT_KEY_FILE_NAME} next to an SQLite database, none for PostgreSQL)
 * @param connectTimeout how long to wait for a database connection
 * @param maxPoolSize the most connections the store holds open
 * @param busyTimeout how long an SQLite writer waits for another process's write lock
 */
public record JdbcStoreOptions(
    Path keyFile, Duration connectTimeout, int maxPoolSize, Duration busyTimeout) {

  /** Default {@link #connectTimeout}: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Default {@link #maxPoolSize}: 10 connections. */
  public static final int DEFAULT_MAX_POOL_SIZE = 10;
  /** Default {@link #busyTimeout}: 10 seconds. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Checks every value (the key file may be null).
   *
   * @throws IllegalArgumentException for a timeout outside 250ms..10m or a pool size outside 2..200
   */
  public JdbcStoreOptions {
    requireRange(connectTimeout, "connectTimeout");
    requireRange(busyTimeout, "busyTimeout");
    if (maxPoolSize < 2 || maxPoolSize > 200) {
      throw new IllegalArgumentException("maxPoolSize must be within 2..200, got " + maxPoolSize);
    }
  }

  private static void requireRange(Duration timeout, String name) {
    Objects.requireNonNull(timeout, name);
    if (timeout.compareTo(Duration.ofMillis(250)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(name + " must be within 250ms..10m, got " + timeout);
    }
  }

  /** @return the key file, if one was given */
  public Optional<Path> keyFileIfAny() {
    return Optional.ofNullable(keyFile);
  }

  /** @return the defaults: default key file, 10 s connect timeout, 10 connections, 10 s busy timeout */
  public static JdbcStoreOptions defaults() {
    return builder().build();
  }

  /** @return a builder holding the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link JdbcStoreOptions}; each setting may be given once. */
  public static final class Builder {
    private Path keyFile;
    private Duration connectTimeout;
    private Integer maxPoolSize;
    private Duration busyTimeout;

    private Builder() {}

    /**
     * Sets the signing-key file. It is created (owner-only, 32 random bytes) when the database has no
     * encrypted key yet; otherwise it must be the file the database's keys were encrypted with.
     */
    public Builder keyFile(Path path) {
      requireUnset(keyFile, "keyFile");
      keyFile = Objects.requireNonNull(path, "path");
      return this;
    }

    /** Sets how long to wait for a connection; between 250 ms and 10 minutes. */
    public Builder connectTimeout(Duration timeout) {
      requireUnset(connectTimeout, "connectTimeout");
      connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Sets the most connections the store holds open; 2 to 200. */
    public Builder maxPoolSize(int size) {
      requireUnset(maxPoolSize, "maxPoolSize");
      maxPoolSize = size;
      return this;
    }

    /** Sets how long an SQLite writer waits for another process's lock; between 250 ms and 10 minutes. */
    public Builder busyTimeout(Duration timeout) {
      requireUnset(busyTimeout, "busyTimeout");
      busyTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * @return the options
     * @throws IllegalArgumentException for a value out of range (see {@link JdbcStoreOptions})
     */
    public JdbcStoreOptions build() {
      return new JdbcStoreOptions(keyFile,
          connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout,
          maxPoolSize == null ? DEFAULT_MAX_POOL_SIZE : maxPoolSize,
          busyTimeout == null ? DEFAULT_BUSY_TIMEOUT : busyTimeout);
    }

    private static void requireUnset(Object value, String name) {
      if (value != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
