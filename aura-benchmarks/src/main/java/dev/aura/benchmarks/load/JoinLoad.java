package dev.aura.benchmarks.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.protocol.Wire;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Joins per second over real TLS with durable consumption, against the same server's trivial authenticated
 * request as the floor, at several client counts, with p50/p99 latency.
 *
 * <p>One in-process Mothership ({@link LoadServer}: SQLite, fsync on commit, loopback HTTPS, ephemeral port).
 * Each client is the app's own pinned {@link MothershipClient} (JDK {@code HttpClient}, keep-alive), on its
 * own thread, and opens its TLS connection before the measured window. Every join spends a one-shot token
 * issued before the window. Per client count, three request kinds run one after the other, each bounded by
 * a request count and a time:
 * <ul>
 *   <li>{@code ping}: {@code GET /v1/ping} with a peer's refresh credential: the floor (signature check of
 *       the credential, store lookups, and a durable {@code last_seen} update, as every peer request);
 *   <li>{@code ping-admin}: {@code GET /v1/ping} with the admin credential: a constant-time compare, no store
 *       write; what TLS, HTTP and JSON cost on their own;
 *   <li>{@code join}: {@code POST /v1/join} with a fresh token: validation, durable consumption, peer
 *       registration, refresh credential, audit entry.
 * </ul>
 *
 * <pre>{@code
 * java -cp aura-benchmarks/target/benchmarks.jar dev.aura.benchmarks.load.JoinLoad \
 *     --clients 1,8,64 --requests 2000 --seconds 15 --warmup 300
 * }</pre>
 */
public final class JoinLoad {
  /** The floor's request kind. */
  public static final String PING = "ping";
  /** The admin-credential ping. */
  public static final String PING_ADMIN = "ping-admin";
  /** The join. */
  public static final String JOIN = "join";

  private JoinLoad() {}

  /**
   * The bounds of a run.
   *
   * @param clients the client counts to measure, for example 1, 8, 64
   * @param requests at most this many requests per kind and client count
   * @param maxTime at most this long per kind and client count
   * @param warmup joins and pings before anything is measured (at least the largest client count: the
   *     warm-up joins provide the peers whose credentials the pings use)
   */
  public record Options(List<Integer> clients, int requests, Duration maxTime, int warmup) {
    /** Checks the bounds. */
    public Options {
      clients = List.copyOf(clients);
      if (clients.isEmpty() || clients.stream().anyMatch(c -> c < 1 || c > 1024)) {
        throw new IllegalArgumentException("clients must be 1..1024, got " + clients);
      }
      if (requests < 1 || maxTime.isNegative() || maxTime.isZero() || warmup < 0) {
        throw new IllegalArgumentException("requests >= 1, maxTime > 0 and warmup >= 0 required");
      }
      warmup = Math.max(warmup, clients.stream().mapToInt(Integer::intValue).max().orElse(1));
    }
  }

  /**
   * One measured phase.
   *
   * @param kind {@link #PING}, {@link #PING_ADMIN} or {@link #JOIN}
   * @param clients concurrent clients
   * @param succeeded requests that got a 200 answer
   * @param failed requests that failed
   * @param seconds from the start of the window to the last answer
   * @param latency of the succeeded requests
   * @param firstFailure what the first failure said, or null
   */
  public record Phase(String kind, int clients, int succeeded, int failed, double seconds, Latency latency,
      String firstFailure) {
    /** @return succeeded requests per second */
    public double perSecond() {
      return seconds <= 0 ? 0 : succeeded / seconds;
    }
  }

  /**
   * Runs the measurement and prints the tables.
   *
   * @return every phase, in the order run
   */
  public static List<Phase> run(Options options, PrintStream out) throws Exception {
    out.println("machine: " + Machine.describe());
    int maxClients = options.clients().stream().mapToInt(Integer::intValue).max().orElseThrow();
    List<Phase> phases = new ArrayList<>();
    try (LoadServer server = LoadServer.start("")) {
      out.println("mothership: " + server.url() + ", SQLite store in " + server.root());
      long started = System.nanoTime();
      int joins = options.warmup() + options.requests() * options.clients().size();
      List<String> tokens = server.issueTokens("load", joins);
      out.printf(Locale.ROOT, "issued %,d one-shot tokens in %.1f s (outside the measured windows)%n", joins,
          (System.nanoTime() - started) / 1e9);
      TokenQueue queue = new TokenQueue(tokens);

      List<MothershipClient> clients = new ArrayList<>();
      for (int i = 0; i < maxClients; i++) {
        MothershipClient client = server.client();
        client.get(Wire.TIME, null); // the TLS handshake happens here, outside the window
        clients.add(client);
      }
      List<String> credentials = new ArrayList<>();
      Phase warmJoins = phase(JOIN, Math.min(8, maxClients), options.warmup(), Duration.ofMinutes(5), clients,
          (client, slot) -> credentials(credentials, join(client, queue.next())));
      Phase warmPings = phase(PING, Math.min(8, maxClients), options.warmup(), Duration.ofMinutes(5), clients,
          (client, slot) -> client.get(Wire.PING, credentials.get(slot)));
      out.printf(Locale.ROOT, "warm-up: %d joins (%d failed), %d pings (%d failed)%n", warmJoins.succeeded(),
          warmJoins.failed(), warmPings.succeeded(), warmPings.failed());
      if (warmJoins.failed() > 0 || warmPings.failed() > 0) {
        throw new IllegalStateException("warm-up failed: " + (warmJoins.failed() > 0 ? warmJoins.firstFailure()
            : warmPings.firstFailure()));
      }

      out.println();
      out.println("| Kind | Clients | Succeeded | Failed | Seconds | Requests/s | p50 ms | p99 ms | max ms |");
      out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (int c : options.clients()) {
        List<Phase> level = new ArrayList<>();
        level.add(phase(PING, c, options.requests(), options.maxTime(), clients,
            (client, slot) -> client.get(Wire.PING, credentials.get(slot))));
        level.add(phase(PING_ADMIN, c, options.requests(), options.maxTime(), clients,
            (client, slot) -> client.get(Wire.PING, server.adminCredential())));
        level.add(phase(JOIN, c, options.requests(), options.maxTime(), clients,
            (client, slot) -> join(client, queue.next())));
        for (Phase p : level) {
          out.printf(Locale.ROOT, "| %s | %d | %,d | %d | %.2f | %,.0f | %s | %s | %s |%n", p.kind(), p.clients(),
              p.succeeded(), p.failed(), p.seconds(), p.perSecond(), Latency.millis(p.latency().p50Nanos()),
              Latency.millis(p.latency().p99Nanos()), Latency.millis(p.latency().maxNanos()));
          out.flush();
        }
        phases.addAll(level);
      }
      out.println();
      out.println("| Clients | join / ping | join / ping-admin | Target | Verdict |");
      out.println("|---:|---:|---:|---:|---|");
      for (int c : options.clients()) {
        double join = rate(phases, JOIN, c);
        double ping = rate(phases, PING, c);
        double admin = rate(phases, PING_ADMIN, c);
        out.printf(Locale.ROOT, "| %d | %.2fx | %.2fx | >= 0.70x of ping | %s |%n", c, join / ping, join / admin,
            join / ping >= 0.7 ? "meets" : "misses");
      }
      for (Phase p : phases) {
        if (p.firstFailure() != null) {
          out.println("first failure of " + p.kind() + " at " + p.clients() + " clients: " + p.firstFailure());
        }
      }
      out.println("load average at the end: " + Machine.loadAverage());
    }
    return phases;
  }

  /** @return succeeded requests per second of a kind at a client count, or 0 when not run */
  public static double rate(List<Phase> phases, String kind, int clients) {
    return phases.stream().filter(p -> p.kind().equals(kind) && p.clients() == clients)
        .mapToDouble(Phase::perSecond).findFirst().orElse(0);
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
  private interface Request {
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

  private static Phase phase(String kind, int clients, int requests, Duration maxTime,
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
    window[0] = System.nanoTime();
    go.countDown();
    long bound = maxTime.toMillis() + 60_000; // a request already sent may take up to its 30 s timeout
    for (Thread thread : threads) {
      thread.join(bound);
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not finish within " + bound + " ms");
      }
    }
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
    return new Phase(kind, clients, total, failed.get(), (end - window[0]) / 1e9, Latency.of(all, total),
        firstFailure.get());
  }

  /**
   * Runs from the command line.
   *
   * @param args {@code --clients 1,8,64 --requests N --seconds S --warmup N}
   */
  public static void main(String[] args) throws Exception {
    Arguments a = new Arguments(args, "--clients", "--requests", "--seconds", "--warmup");
    Options options = new Options(a.integers("--clients", List.of(1, 8, 64)), a.integer("--requests", 2000),
        Duration.ofSeconds(a.integer("--seconds", 15)), a.integer("--warmup", 300));
    run(options, System.out);
    System.exit(0); // HttpClient selector threads would keep the JVM a little longer
  }
}
