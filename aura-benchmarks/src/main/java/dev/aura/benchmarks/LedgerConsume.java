package dev.aura.benchmarks;

import dev.aura.spi.ConsumeOutcome;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.SecretHash;
import dev.aura.spi.StoreException;
import dev.aura.spi.TokenLedger;
import dev.aura.store.jdbc.JdbcStores;
import dev.aura.testkit.InMemoryTokenLedger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ledger consumption: each operation records a fresh one-shot token ({@link TokenLedger#record}) and consumes
 * it ({@link TokenLedger#consume}), as issuance and the join do, on one thread and on 8 threads sharing one
 * store. Stores: {@code aura-store-jdbc} on SQLite (a database file in a new temporary directory, WAL with
 * {@code synchronous=FULL} as the store sets it: every write is on disk when it returns) and on PostgreSQL
 * (a new schema {@code aura_bench_<random>} per trial, dropped afterwards), and the in-memory ledger of the
 * test kit as the floor.
 *
 * <p>PostgreSQL is taken from the environment variable {@value #POSTGRES_ENV}, a JDBC URL such as
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. Without it the {@code postgres*} benchmarks
 * fail in their setup, before measuring anything; leave them out with {@code -e postgres}.
 *
 * <p>Each store is checked in its setup to record a token once, refuse to record it again, consume it once
 * and then answer {@code ALREADY_USED}; during the run every operation must record and consume, or the run
 * fails.
 *
 * <p>Run with {@code java -jar aura-benchmarks/target/benchmarks.jar LedgerConsume}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class LedgerConsume {
  /** The environment variable naming the PostgreSQL server, a JDBC URL. */
  public static final String POSTGRES_ENV = "AURA_TEST_POSTGRES_URL";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** For JMH. */
  public LedgerConsume() {}

  /** One store shared by every thread of a trial. */
  public abstract static class Store {
    TokenLedger ledger;

    /** For JMH's generated subclasses. */
    protected Store() {}

    abstract void open() throws Exception;

    abstract void close() throws Exception;

    /**
     * Opens the store and checks it consumes a token exactly once.
     *
     * @throws Exception if the store cannot be opened or misbehaves
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      try {
        open();
        probe();
      } catch (Exception | Error e) {
        try {
          close(); // JMH does not tear down a state whose setup failed
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }

    private void probe() throws StoreException {
      Tokens probe = new Tokens();
      LedgerEntry entry = probe.next();
      boolean recorded = ledger.record(entry);
      boolean recordedTwice = ledger.record(entry);
      ConsumeOutcome first = ledger.consume(entry.jti(), entry.tokenHash(), probe.now);
      ConsumeOutcome second = ledger.consume(entry.jti(), entry.tokenHash(), probe.now);
      if (!recorded || recordedTwice || first != ConsumeOutcome.CONSUMED || second != ConsumeOutcome.ALREADY_USED) {
        throw new IllegalStateException(getClass().getSimpleName() + " ledger: record " + recorded + ", again "
            + recordedTwice + ", consume " + first + ", again " + second
            + " (expected true, false, CONSUMED, ALREADY_USED)");
      }
    }

    /**
     * Closes the store and removes what the trial created.
     *
     * @throws Exception if that fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      close();
    }

    ConsumeOutcome recordAndConsume(Tokens tokens) throws StoreException {
      LedgerEntry entry = tokens.next();
      if (!ledger.record(entry)) {
        throw new IllegalStateException("token " + entry.jti() + " was recorded already");
      }
      ConsumeOutcome outcome = ledger.consume(entry.jti(), entry.tokenHash(), tokens.now);
      if (outcome != ConsumeOutcome.CONSUMED) {
        throw new IllegalStateException("token " + entry.jti() + " was not consumed: " + outcome);
      }
      return outcome;
    }
  }

  /** The test kit's {@code InMemoryTokenLedger}, emptied before each iteration so that it does not fill the heap. */
  @State(Scope.Benchmark)
  public static class InMemory extends Store {
    /** For JMH. */
    public InMemory() {}

    @Override
    void open() {
      ledger = new InMemoryTokenLedger();
    }

    /** Starts each iteration with an empty ledger. */
    @Setup(Level.Iteration)
    public void empty() {
      ledger = new InMemoryTokenLedger();
    }

    @Override
    void close() {
      ledger = null;
    }
  }

  /** SQLite: {@code aura.db} in a new owner-only temporary directory, deleted after the trial. */
  @State(Scope.Benchmark)
  public static class Sqlite extends Store {
    private Path dir;
    private JdbcStores stores;

    /** For JMH. */
    public Sqlite() {}

    @Override
    void open() throws Exception {
      dir = Files.createTempDirectory("aura-bench-sqlite-");
      stores = JdbcStores.open("sqlite:" + dir.resolve("aura.db"));
      ledger = stores.tokenLedger();
    }

    @Override
    void close() throws IOException {
      if (stores != null) {
        stores.close();
      }
      if (dir != null) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }

  /** PostgreSQL at {@value #POSTGRES_ENV}, in a schema of its own, dropped after the trial. */
  @State(Scope.Benchmark)
  public static class Postgres extends Store {
    private String baseUrl;
    private String schema;
    private JdbcStores stores;

    /** For JMH. */
    public Postgres() {}

    @Override
    void open() throws Exception {
      baseUrl = requireUrl(System.getenv(POSTGRES_ENV));
      byte[] random = new byte[6];
      RANDOM.nextBytes(random);
      String name = "aura_bench_" + HexFormat.of().formatHex(random);
      execute("CREATE SCHEMA " + name);
      schema = name;
      stores = JdbcStores.open(baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
      ledger = stores.tokenLedger();
    }

    @Override
    void close() throws SQLException {
      if (stores != null) {
        stores.close();
      }
      if (schema != null) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }

    /** @return {@code value}, the PostgreSQL URL, if set; fails naming the variable otherwise */
    static String requireUrl(String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalStateException(POSTGRES_ENV + " is not set: the PostgreSQL ledger benchmarks need a"
            + " server, for example " + POSTGRES_ENV + "='jdbc:postgresql://127.0.0.1:5432/test?user=postgres'"
            + " (leave them out with -e postgres)");
      }
      return value;
    }

    private void execute(String sql) throws SQLException {
      try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }

  /**
   * Fresh one-shot tokens for one thread: a distinct jti each (pseudo-random ULIDs from a random start, so
   * threads never collide), issued an hour ago, expiring in a day, consumed now.
   */
  @State(Scope.Thread)
  public static class Tokens {
    private static final SecretHash HASH = SecretHash.of("the benchmark's tokens share one hash");

    private long next = RANDOM.nextLong();
    final Instant now = Instant.now();
    private final Instant issuedAt = now.minusSeconds(3600);
    private final Instant expiresAt = issuedAt.plusSeconds(24 * 3600);

    /** For JMH. */
    public Tokens() {}

    LedgerEntry next() {
      return LedgerEntry.issued(RevocationListFixture.jti(next++), TokenFixture.SUBJECT, TokenFixture.ROLE,
          issuedAt, expiresAt, 1, HASH);
    }
  }

  /**
   * The floor: the in-memory ledger, one thread.
   *
   * @return {@code CONSUMED}
   * @throws StoreException never
   */
  @Benchmark
  public ConsumeOutcome inMemory(InMemory store, Tokens tokens) throws StoreException {
    return store.recordAndConsume(tokens);
  }

  /**
   * The floor: the in-memory ledger, 8 threads.
   *
   * @return {@code CONSUMED}
   * @throws StoreException never
   */
  @Benchmark
  @Threads(8)
  public ConsumeOutcome inMemory8Threads(InMemory store, Tokens tokens) throws StoreException {
    return store.recordAndConsume(tokens);
  }

  /**
   * SQLite, one thread: two durable transactions per token.
   *
   * @return {@code CONSUMED}
   * @throws StoreException if the database fails
   */
  @Benchmark
  public ConsumeOutcome sqlite(Sqlite store, Tokens tokens) throws StoreException {
    return store.recordAndConsume(tokens);
  }

  /**
   * SQLite, 8 threads on one store (its writes are serialised in the process, as SQLite has one writer).
   *
   * @return {@code CONSUMED}
   * @throws StoreException if the database fails
   */
  @Benchmark
  @Threads(8)
  public ConsumeOutcome sqlite8Threads(Sqlite store, Tokens tokens) throws StoreException {
    return store.recordAndConsume(tokens);
  }

  /**
   * PostgreSQL, one thread.
   *
   * @return {@code CONSUMED}
   * @throws StoreException if the database fails
   */
  @Benchmark
  public ConsumeOutcome postgres(Postgres store, Tokens tokens) throws StoreException {
    return store.recordAndConsume(tokens);
  }

  /**
   * PostgreSQL, 8 threads on one store (pool of 10 connections).
   *
   * @return {@code CONSUMED}
   * @throws StoreException if the database fails
   */
  @Benchmark
  @Threads(8)
  public ConsumeOutcome postgres8Threads(Postgres store, Tokens tokens) throws StoreException {
    return store.recordAndConsume(tokens);
  }
}
