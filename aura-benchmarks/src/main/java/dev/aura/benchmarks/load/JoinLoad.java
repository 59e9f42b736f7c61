package dev.aura.benchmarks.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.Jti;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.Role;
import dev.aura.spi.SecretHash;
import dev.aura.store.jdbc.JdbcStores;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Joins per second over real TLS with durable consumption, against two floors of the same server and store
 * measured in the same run, at several client counts, with p50/p99 latency, on SQLite and (given a URL)
 * PostgreSQL one after the other.
 *
 * <p>One in-process Mothership per store ({@link LoadServer}: loopback HTTPS, ephemeral port; SQLite with
 * fsync on commit and group commit, or a fresh schema of the given PostgreSQL, dropped after). Each client is
 * the app's own pinned {@link MothershipClient} (JDK {@code HttpClient}, keep-alive), on its own thread, and
 * opens its TLS connection before the measured window. Every join spends a one-shot token issued before the
 * window. Per client count, five request kinds run one after the other, each bounded by a request count and
 * a time:
 * <ul>
 *   <li>{@code ping}: {@code GET /v1/ping} with a peer's refresh credential: the cheapest authenticated
 *       request (signature check of the credential, store lookups; {@code last_seen} is kept in memory, so
 *       nothing durable is written);
 *   <li>{@code ping-admin}: {@code GET /v1/ping} with the admin credential: a constant-time compare, no store
 *       read; what TLS, HTTP and JSON cost on their own;
 *   <li>{@code commit}: one durable one-row commit (a token-ledger {@code INSERT} in its own transaction) on
 *       the server's own store object, from the client's thread: the store's commit rate, without HTTP;
 *   <li>{@code issue}: {@code POST /v1/admin/tokens} with the admin credential: the cheapest request through
 *       the server that makes one durable commit (the ledger row and {@code token_issued}, one unit of work),
 *       plus one signature;
 *   <li>{@code join}: {@code POST /v1/join} with a fresh token: validation, consumption, peer registration,
 *       refresh credential and audit entry in one unit of work (one durable commit);
 *   <li>{@code join-new-tls}: the same join, each over a new TLS connection (a raw pinned {@code SSLSocket},
 *       {@code Connection: close}), so every join pays a full handshake.
 * </ul>
 * On SQLite it also prints how many units shared one commit (group commit) during the join phase. Right before
 * each measured window, {@code --warmup-rounds} (default 1) unmeasured windows of the same kind, client count
 * and bounds run: without them the JIT compiler is still compiling, or recompiling after the previous kind's
 * code, in the measured window (a third of a PostgreSQL join window's JVM samples, profiled), and a kind pays
 * more or less of that by where it stands in the order. Each window reports the compilation time it saw.
 *
 * <pre>{@code
 * java -cp aura-benchmarks/target/benchmarks.jar dev.aura.benchmarks.load.JoinLoad \
 *     --clients 1,8,64 --requests 2000 --seconds 15 --warmup 300 \
 *     --postgres 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres'
 * }</pre>
 */
public final class JoinLoad {
  /** The floor's request kind. */
  public static final String PING = "ping";
  /** The admin-credential ping. */
  public static final String PING_ADMIN = "ping-admin";
  /** The one-row durable commit on the server's store. */
  public static final String COMMIT = "commit";
  /** The cheapest request through the server that makes one durable commit: {@code token issue}. */
  public static final String ISSUE = "issue";
  /** The join. */
  public static final String JOIN = "join";
  /** The join over a new TLS connection each. */
  public static final String JOIN_NEW_TLS = "join-new-tls";
  /** The kinds run at each client count, in order. */
  public static final List<String> KINDS = List.of(PING, PING_ADMIN, COMMIT, ISSUE, JOIN, JOIN_NEW_TLS);
  private static final String SQLITE = "SQLite";
  private static final String POSTGRESQL = "PostgreSQL";

  private JoinLoad() {}

  /**
   * The bounds of a run.
   *
   * @param clients the client counts to measure, for example 1, 8, 64
   * @param requests at most this many requests per kind and client count
   * @param maxTime at most this long per kind and client count
   * @param warmup joins and pings before anything is measured (at least the largest client count: the
   *     warm-up joins provide the peers whose credentials the pings use)
   * @param postgresUrl a JDBC URL of a PostgreSQL to measure after SQLite (a schema is created and dropped),
   *     or null for SQLite only
   * @param warmupRounds how many unmeasured windows of each kind, at its client count and with its bounds,
   *     run right before its measured one, so the JIT compiler has compiled that kind's code and does not
   *     spend the measured window's CPU doing it (each window still reports the compilation time it saw)
   */
  public record Options(List<Integer> clients, int requests, Duration maxTime, int warmup, String postgresUrl,
      int warmupRounds) {
    /** Checks the bounds. */
    public Options {
      clients = List.copyOf(clients);
      if (clients.isEmpty() || clients.stream().anyMatch(c -> c < 1 || c > 1024)) {
        throw new IllegalArgumentException("clients must be 1..1024, got " + clients);
      }
      if (requests < 1 || maxTime.isNegative() || maxTime.isZero() || warmup < 0 || warmupRounds < 0) {
        throw new IllegalArgumentException("requests >= 1, maxTime > 0, warmup >= 0 and warmupRounds >= 0"
            + " required");
      }
      warmup = Math.max(warmup, clients.stream().mapToInt(Integer::intValue).max().orElse(1));
    }

    /** SQLite only, one warm-up window per kind. */
    public Options(List<Integer> clients, int requests, Duration maxTime, int warmup) {
      this(clients, requests, maxTime, warmup, null, 1);
    }
  }

  /**
   * One measured phase.
   *
   * @param store {@code SQLite} or {@code PostgreSQL}
   * @param kind one of {@link #KINDS}
   * @param clients concurrent clients
   * @param succeeded requests that got a 200 answer
   * @param failed requests that failed
   * @param seconds from the start of the window to the last answer
   * @param latency of the succeeded requests
   * @param firstFailure what the first failure said, or null
   * @param cpu the CPU time used during the window (see {@link Machine.CpuTime})
   */
  public record Phase(String store, String kind, int clients, int succeeded, int failed, double seconds,
      Latency latency, String firstFailure, Machine.CpuTime cpu) {
    /** @return succeeded requests per second */
    public double perSecond() {
      return seconds <= 0 ? 0 : succeeded / seconds;
    }

    /** @return CPU nanoseconds per succeeded request, this JVM's and PostgreSQL's together, or -1 unknown */
    public double cpuNanosPerRequest() {
      return succeeded == 0 || cpu.jvm() < 0 ? -1 : (cpu.jvm() + Math.max(0, cpu.postgres())) / (double) succeeded;
    }

    /**
     * @return the report's CPU column: milliseconds per succeeded request, this JVM's (server and load
     *     clients) and PostgreSQL's, the share of the machine's time that was idle and stolen by its host
     *     during the window, and the JIT compiler's time in the window (part of the JVM's CPU)
     */
    public String cpuColumn() {
      if (succeeded == 0 || cpu.jvm() < 0) {
        return "n/a";
      }
      long all = cpu.busy() + cpu.idle() + cpu.steal();
      return String.format(Locale.ROOT, "%.2f + %s; idle %s, steal %s; JIT %s", cpu.jvm() / 1e6 / succeeded,
          cpu.postgres() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", cpu.postgres() / 1e6 / succeeded),
          all <= 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100.0 * cpu.idle() / all),
          all <= 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100.0 * cpu.steal() / all),
          cpu.jit() < 0 ? "n/a" : String.format(Locale.ROOT, "%,d ms", cpu.jit() / 1_000_000));
    }
  }

  /**
   * Runs the measurement and prints the tables.
   *
   * @return every phase, in the order run
   */
  public static List<Phase> run(Options options, PrintStream out) throws Exception {
    out.println("machine: " + Machine.describe());
    List<Phase> phases = new ArrayList<>();
    try (LoadServer server = LoadServer.start("")) {
      phases.addAll(measure(SQLITE, server, options, out));
    }
    if (options.postgresUrl() != null) {
      try (PostgresSchema schema = PostgresSchema.create(options.postgresUrl());
          LoadServer server = LoadServer.start(schema.storeToml())) {
        phases.addAll(measure(POSTGRESQL, server, options, out));
      }
    }
    out.println();
    out.println("| Store | Clients | join / commit | join / issue | join / ping | join-new-tls / issue"
        + " | join / ping-admin | ping CPU / join CPU | >= 0.7x commit | >= 0.7x issue | >= 0.3x ping (64 clients) |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
    for (String store : List.of(SQLITE, POSTGRESQL)) {
      for (int c : options.clients()) {
        double join = rate(phases, store, JOIN, c);
        if (join == 0) {
          continue;
        }
        double commit = rate(phases, store, COMMIT, c);
        double issue = rate(phases, store, ISSUE, c);
        double ping = rate(phases, store, PING, c);
        out.printf(Locale.ROOT, "| %s | %d | %.2fx | %.2fx | %.2fx | %.2fx | %.2fx | %s | %s | %s | %s |%n", store,
            c, join / commit, join / issue, join / ping, rate(phases, store, JOIN_NEW_TLS, c) / issue,
            join / rate(phases, store, PING_ADMIN, c), cpuRatio(phases, store, c), verdict(join / commit >= 0.7),
            verdict(join / issue >= 0.7),
            c < 64 ? "(no target)" : verdict(join / ping >= 0.3));
      }
    }
    for (Phase p : phases) {
      if (p.firstFailure() != null) {
        out.println("first failure of " + p.kind() + " at " + p.clients() + " clients on " + p.store() + ": "
            + p.firstFailure());
      }
    }
    out.println("load average at the end: " + Machine.loadAverage());
    return phases;
  }

  /** The join/ping ratio a machine whose CPU is the bound would give: a ping's CPU over a join's (with PostgreSQL's). */
  private static String cpuRatio(List<Phase> phases, String store, int clients) {
    double ping = find(phases, store, PING, clients).map(Phase::cpuNanosPerRequest).orElse(-1.0);
    double join = find(phases, store, JOIN, clients).map(Phase::cpuNanosPerRequest).orElse(-1.0);
    return ping <= 0 || join <= 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx", ping / join);
  }

  private static List<Phase> measure(String store, LoadServer server, Options options, PrintStream out)
      throws Exception {
    int maxClients = options.clients().stream().mapToInt(Integer::intValue).max().orElseThrow();
    List<Phase> phases = new ArrayList<>();
    JdbcStores stores = server.server().mothership().stores();
    out.println();
    out.println(store + ": mothership " + server.url() + ", store " + stores.location() + ", load average "
        + Machine.loadAverage());
    long started = System.nanoTime();
    int rounds = options.warmupRounds() + 1;
    int joins = options.warmup() + 2 * options.requests() * options.clients().size() * rounds;
    List<String> tokens = server.issueTokens("load", joins);
    out.printf(Locale.ROOT, "issued %,d one-shot tokens in %.1f s (outside the measured windows)%n", joins,
        (System.nanoTime() - started) / 1e9);
    TokenQueue queue = new TokenQueue(tokens);
    NewConnectionJoin fresh = new NewConnectionJoin(server);

    List<MothershipClient> clients = new ArrayList<>();
    for (int i = 0; i < maxClients; i++) {
      MothershipClient client = server.client();
      client.get(Wire.TIME, null); // the TLS handshake happens here, outside the window
      clients.add(client);
    }
    List<String> credentials = new ArrayList<>();
    Phase warmJoins = phase(store, JOIN, Math.min(8, maxClients), options.warmup(), Duration.ofMinutes(5),
        clients, (client, slot) -> credentials(credentials, join(client, queue.next())));
    Phase warmPings = phase(store, PING, Math.min(8, maxClients), options.warmup(), Duration.ofMinutes(5),
        clients, (client, slot) -> client.get(Wire.PING, credentials.get(slot)));
    out.printf(Locale.ROOT, "warm-up: %d joins (%d failed), %d pings (%d failed)%n", warmJoins.succeeded(),
        warmJoins.failed(), warmPings.succeeded(), warmPings.failed());
    if (warmJoins.failed() > 0 || warmPings.failed() > 0) {
      throw new IllegalStateException("warm-up failed: " + (warmJoins.failed() > 0 ? warmJoins.firstFailure()
          : warmPings.firstFailure()));
    }
    Instant ledgerNow = Instant.now();

    out.println();
    out.println("| Store | Kind | Clients | Succeeded | Failed | Seconds | Requests/s | p50 ms | p99 ms | max ms"
        + " | CPU ms/request: JVM + PostgreSQL; JIT in the window |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    List<String> grouping = new ArrayList<>();
    long warmJitNanos = 0;
    for (int c : options.clients()) {
      Level level = new Level(store, c, options, clients);
      level.run(PING, (client, slot) -> client.get(Wire.PING, credentials.get(slot)));
      level.run(PING_ADMIN, (client, slot) -> client.get(Wire.PING, server.adminCredential()));
      level.run(COMMIT, (client, slot) -> stores.tokenLedger().record(ledgerRow(ledgerNow)));
      level.run(ISSUE, (client, slot) -> client.post(Wire.ADMIN + "tokens", issueBody(slot),
          server.adminCredential()));
      Request joinRequest = (client, slot) -> join(client, queue.next());
      level.warmUp(JOIN, joinRequest);
      JdbcStores.CommitStats before = stores.commitStats(); // the measured window's commits only
      level.measure(JOIN, joinRequest);
      JdbcStores.CommitStats after = stores.commitStats();
      if (after.commits() > before.commits()) {
        grouping.add(String.format(Locale.ROOT, "%d clients: %,d units in %,d commits (%.1f per fsync)", c,
            after.units() - before.units(), after.commits() - before.commits(),
            (after.units() - before.units()) / (double) (after.commits() - before.commits())));
      }
      level.run(JOIN_NEW_TLS, (client, slot) -> fresh.join(queue.next()));
      for (Phase p : level.measured) {
        out.printf(Locale.ROOT, "| %s | %s | %d | %,d | %d | %.2f | %,.0f | %s | %s | %s | %s |%n", p.store(),
            p.kind(), p.clients(), p.succeeded(), p.failed(), p.seconds(), p.perSecond(),
            Latency.millis(p.latency().p50Nanos()), Latency.millis(p.latency().p99Nanos()),
            Latency.millis(p.latency().maxNanos()), p.cpuColumn());
        out.flush();
      }
      phases.addAll(level.measured);
      warmJitNanos += level.warmJitNanos;
    }
    if (!grouping.isEmpty()) {
      out.println(store + " group commit during the join phases: " + String.join("; ", grouping));
    }
    if (options.warmupRounds() > 0) {
      out.printf(Locale.ROOT, "%s: each window above came right after %d unmeasured window(s) of the same kind,"
          + " clients and bounds; the JIT compiled for %,d ms in those%n", store, options.warmupRounds(),
          warmJitNanos / 1_000_000);
    }
    out.println(store + ": load average after " + Machine.loadAverage());
    return phases;
  }

  /** The windows of one client count: each kind's unmeasured warm-up windows, then its measured one. */
  private static final class Level {
    private final String store;
    private final int clients;
    private final Options options;
    private final List<MothershipClient> pool;
    final List<Phase> measured = new ArrayList<>();
    long warmJitNanos;

    Level(String store, int clients, Options options, List<MothershipClient> pool) {
      this.store = store;
      this.clients = clients;
      this.options = options;
      this.pool = pool;
    }

    void run(String kind, Request request) throws InterruptedException {
      warmUp(kind, request);
      measure(kind, request);
    }

    void warmUp(String kind, Request request) throws InterruptedException {
      for (int round = 1; round <= options.warmupRounds(); round++) {
        Phase warm = phase(store, kind, clients, options.requests(), options.maxTime(), pool, request);
        if (warm.failed() > 0) {
          throw new IllegalStateException("warm-up window of " + kind + " at " + clients + " clients failed: "
              + warm.firstFailure());
        }
        warmJitNanos += Math.max(0, warm.cpu().jit());
      }
    }

    void measure(String kind, Request request) throws InterruptedException {
      measured.add(phase(store, kind, clients, options.requests(), options.maxTime(), pool, request));
    }
  }

  private static final AtomicLong LEDGER_ROWS = new AtomicLong(new SecureRandom().nextLong() >>> 4);
  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  /** @return a fresh ledger row for the commit floor: a unique jti, a hash of nothing secret */
  private static LedgerEntry ledgerRow(Instant now) {
    long n = LEDGER_ROWS.getAndIncrement();
    char[] id = new char[26];
    java.util.Arrays.fill(id, '0');
    for (int i = 25; i >= 14 && n != 0; i--) {
      id[i] = CROCKFORD.charAt((int) (n & 31));
      n >>>= 5;
    }
    Jti jti = Jti.parse(Jti.PREFIX + "7ZZZZZZZZZZZZZ" + new String(id, 14, 12));
    return LedgerEntry.issued(jti, "commit@load.test", Role.MEMBER, now, now.plusSeconds(3600), 1,
        SecretHash.of(jti.value()));
  }

  private static String verdict(boolean met) {
    return met ? "meets" : "misses";
  }

  /** @return succeeded requests per second of a kind at a client count on a store, or 0 when not run */
  public static double rate(List<Phase> phases, String store, String kind, int clients) {
    return find(phases, store, kind, clients).map(Phase::perSecond).orElse(0.0);
  }

  private static Optional<Phase> find(List<Phase> phases, String store, String kind, int clients) {
    return phases.stream().filter(p -> p.store().equals(store) && p.kind().equals(kind) && p.clients() == clients)
        .findFirst();
  }

  private static ObjectNode issueBody(int slot) {
    ObjectNode body = Wire.object();
    body.put("for", "issue-" + slot + "@load.test");
    body.put("one_shot", true);
    return body;
  }

  private static ObjectNode join(MothershipClient client, String token) throws AuraException {
    ObjectNode body = Wire.object();
    body.put("token", token);
    body.putArray("addresses");
    return client.post(Wire.JOIN, body, null).body();
  }

  private static void credentials(List<String> into, ObjectNode joined) {
    synchronized (into) {
      into.add(joined.path("refresh_credential").asText());
    }
  }

  /** One request of a phase. */
  interface Request {
    /** Sends one request as client number {@code slot}; throws when it fails. */
    void send(MothershipClient client, int slot) throws Exception;
  }

  /** Hands out each pre-issued token once, whichever thread asks. */
  private static final class TokenQueue {
    private final List<String> tokens;
    private final AtomicInteger next = new AtomicInteger();

    TokenQueue(List<String> tokens) {
      this.tokens = tokens;
    }

    String next() {
      int i = next.getAndIncrement();
      if (i >= tokens.size()) {
        throw new IllegalStateException("ran out of pre-issued tokens");
      }
      return tokens.get(i);
    }
  }

  static Phase phase(String store, String kind, int clients, int requests, Duration maxTime,
      List<MothershipClient> pool, Request request) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    long[][] recorded = new long[clients][requests];
    int[] counts = new int[clients];
    long[] lastAnswer = new long[clients];
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[2];
    for (int t = 0; t < clients; t++) {
      int me = t;
      MothershipClient client = pool.get(t);
      Thread thread = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        long deadline = window[0] + maxTime.toNanos();
        while (true) {
          int index = next.getAndIncrement();
          long begin = System.nanoTime();
          if (index >= requests || begin - deadline > 0) {
            break;
          }
          try {
            request.send(client, me);
            long end = System.nanoTime();
            recorded[me][counts[me]++] = end - begin;
            lastAnswer[me] = end;
          } catch (Exception e) {
            failed.incrementAndGet();
            lastAnswer[me] = System.nanoTime();
            firstFailure.compareAndSet(null, e instanceof AuraException a
                ? a.what() + a.why().map(w -> ": " + w).orElse("") : e.toString());
          }
        }
      }, "load-" + kind + "-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    ready.await();
    Machine.CpuTime cpuAtStart = Machine.CpuTime.now();
    window[0] = System.nanoTime();
    go.countDown();
    long bound = maxTime.toMillis() + 60_000; // a request already sent may take up to its 30 s timeout
    for (Thread thread : threads) {
      thread.join(bound);
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not finish within " + bound + " ms");
      }
    }
    Machine.CpuTime cpu = Machine.CpuTime.now().since(cpuAtStart);
    long end = window[0];
    int total = 0;
    for (int t = 0; t < clients; t++) {
      end = Math.max(end, lastAnswer[t]);
      total += counts[t];
    }
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < clients; t++) {
      System.arraycopy(recorded[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    return new Phase(store, kind, clients, total, failed.get(), (end - window[0]) / 1e9, Latency.of(all, total),
        firstFailure.get(), cpu);
  }

  /**
   * Runs from the command line.
   *
   * @param args {@code --clients 1,8,64 --requests N --seconds S --warmup N [--warmup-rounds N]
   *     [--postgres JDBC_URL]}
   */
  public static void main(String[] args) throws Exception {
    Arguments a = new Arguments(args, "--clients", "--requests", "--seconds", "--warmup", "--warmup-rounds",
        "--postgres");
    Options options = new Options(a.integers("--clients", List.of(1, 8, 64)), a.integer("--requests", 2000),
        Duration.ofSeconds(a.integer("--seconds", 15)), a.integer("--warmup", 300), a.text("--postgres", null),
        a.integer("--warmup-rounds", 1));
    run(options, System.out);
    System.exit(0); // HttpClient selector threads would keep the JVM a little longer
  }
}
