package dev.aura.benchmarks.load;

import dev.aura.app.cli.AuraCli;
import dev.aura.app.cli.CliEnvironment;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.EventLog;
import dev.aura.sync.SyncEvent;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/**
 * End-to-end latency of the sync plane: from a local write on one peer to the moment the file exists on each
 * of the others.
 *
 * <p>A real Mothership ({@link LoadServer}, SQLite) and {@code N} real peers in this JVM, each the app's own
 * {@code aura sync --dir DIR} ({@code AuraCli.create(env).execute(...)} in a thread of its own, as the app's
 * end-to-end tests run it) with its own {@code AURA_HOME} and directory, joined with its own one-shot token
 * ({@code aura mothership join}), all on the workspace {@code default}. Peer 0 writes a new small file every
 * {@code interval}: it writes the content to a scratch file outside every synced directory and moves it into
 * its directory atomically, so the file appears whole. The clock starts just before that write. A poller
 * thread checks {@code Files.exists} on every receiver every millisecond (the apply itself writes a temporary
 * file and moves it into place, so existing means complete) and records when each file appeared on each of
 * the {@code N - 1} others.
 *
 * <p>What bounds it, on the writer: {@code aura sync} learns of the write from the JDK {@link
 * java.nio.file.WatchService} (inotify on Linux) but acts on it only on its next tick, every 50 ms (its
 * control loop waits up to 50 ms for a message, then scans), and rescans everything every 10 s besides. Then:
 * scan, {@code POST blobs/missing}, {@code PUT} the blob, {@code push}, the Mothership's durable commit, and
 * the relay of the persisted event to every subscriber; each receiver applies it at once (no tick), which
 * fetches the blob with a {@code GET}. Peers also connect to each other directly ({@code aura sync}'s default
 * {@code --listen}), and a new edit reaches them that way with its content, often before the Mothership has
 * sequenced it; the run waits for the Mothership's log to hold every write before it reads the split. The split is measured: the event's {@code persisted_at} (the
 * Mothership's clock, the same JVM's) against the write's wall-clock time.
 *
 * <pre>{@code
 * java -cp aura-benchmarks/target/benchmarks.jar dev.aura.benchmarks.load.SyncLatency --peers 10 --writes 200
 * }</pre>
 */
public final class SyncLatency {
  private SyncLatency() {}

  /**
   * The bounds of a run.
   *
   * @param peers peers, the first of which writes
   * @param writes files written
   * @param interval between writes
   * @param bound the longest any step may take (joining, starting, the last file's arrival)
   */
  public record Options(int peers, int writes, Duration interval, Duration bound) {
    /** Checks the bounds. */
    public Options {
      if (peers < 2 || peers > 64 || writes < 1 || writes > 100_000 || interval.isNegative() || bound.isZero()) {
        throw new IllegalArgumentException("peers 2..64, writes 1..100000, interval >= 0, bound > 0 required");
      }
    }
  }

  /**
   * What a run measured.
   *
   * @param peers peers
   * @param writes files written by the writer
   * @param arrived (write, receiver) pairs where the file appeared
   * @param missing pairs where it did not within the bound
   * @param latency write to appearance, over every pair that arrived
   * @param toPersisted write to the Mothership's {@code persisted_at}, per write
   * @param persistedToArrival {@code persisted_at} to appearance, over every pair
   * @param perReceiverP50Millis the median of each receiver
   * @param problem the first peer that failed (its output), or null
   */
  public record Result(int peers, int writes, int arrived, int missing, Latency latency, Latency toPersisted,
      Latency persistedToArrival, List<Double> perReceiverP50Millis, String problem) {}

  /** A long-running {@code aura} command in a thread of its own. */
  static final class CliThread implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicInteger exit = new AtomicInteger(Integer.MIN_VALUE);
    private final Thread thread;

    CliThread(CliEnvironment env, String name, String... args) {
      CommandLine cli = AuraCli.create(env);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      thread = new Thread(() -> exit.set(cli.execute(args)), name);
      thread.setDaemon(true);
      thread.start();
    }

    /** @return whether the output contains {@code text} within {@code bound} */
    boolean awaitOutput(String text, Duration bound) throws InterruptedException {
      long deadline = System.nanoTime() + bound.toNanos();
      while (System.nanoTime() < deadline && thread.isAlive()) {
        if (out.toString().contains(text)) {
          return true;
        }
        Thread.sleep(20);
      }
      return out.toString().contains(text);
    }

    boolean alive() {
      return thread.isAlive();
    }

    String output() {
      return out.toString();
    }

    String describe() {
      return "exit " + exit.get() + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** Interrupts the command (as Ctrl-C does) and waits for it. */
    @Override
    public void close() {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Runs the measurement and prints the table. */
  public static Result run(Options options, PrintStream out) throws Exception {
    out.println("machine: " + Machine.describe());
    Path root = SyncFixtures.tempDirectory("aura-sync-latency-");
    List<CliThread> syncs = new ArrayList<>();
    try (LoadServer server = LoadServer.start("")) {
      out.println("mothership: " + server.url() + ", SQLite store and event log in " + server.root());
      List<String> tokens = server.issueTokens("latency", options.peers());
      List<Path> dirs = new ArrayList<>();
      List<CliEnvironment> envs = new ArrayList<>();
      for (int i = 0; i < options.peers(); i++) {
        CliEnvironment env = CliEnvironment.builder().variable("AURA_HOME", root.resolve("home-" + i).toString())
            .userHome(root).build();
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cli = AuraCli.create(env);
        cli.setOut(new PrintWriter(o, true));
        cli.setErr(new PrintWriter(e, true));
        int exit = cli.execute("mothership", "join", "--url", server.url().toString(), "--token", tokens.get(i),
            "--announce", "127.0.0.1");
        if (exit != 0) {
          throw new IllegalStateException("peer " + i + " could not join: exit " + exit + "\n" + e);
        }
        envs.add(env);
        dirs.add(Files.createDirectories(root.resolve("tree-" + i)));
      }
      tokens.clear();
      Path scratch = Files.createDirectories(root.resolve("scratch"));
      long started = System.nanoTime();
      for (int i = 0; i < options.peers(); i++) {
        syncs.add(new CliThread(envs.get(i), "sync-peer-" + i, "sync", "--dir", dirs.get(i).toString()));
      }
      for (int i = 0; i < options.peers(); i++) {
        if (!syncs.get(i).awaitOutput("syncing: ", options.bound())) {
          throw new IllegalStateException("peer " + i + " did not start syncing:\n" + syncs.get(i).describe());
        }
      }
      out.printf(Locale.ROOT, "%d peers joined and syncing in %.1f s (each an 'aura sync --dir' in this JVM)%n",
          options.peers(), (System.nanoTime() - started) / 1e9);

      int receivers = options.peers() - 1;
      long[] writtenAt = new long[options.writes()];
      Instant[] writtenWall = new Instant[options.writes()];
      long[][] arrivedAt = new long[options.writes()][receivers];
      AtomicInteger published = new AtomicInteger();
      Thread poller = new Thread(() -> poll(dirs, writtenAt, arrivedAt, published, options), "latency-poller");
      poller.setDaemon(true);
      poller.start();

      long t0 = System.nanoTime();
      for (int k = 0; k < options.writes(); k++) {
        String name = name(k);
        Path temp = scratch.resolve(name);
        writtenWall[k] = Instant.now();
        writtenAt[k] = System.nanoTime();
        Files.writeString(temp, "write " + k + " of the latency run\n", StandardCharsets.UTF_8);
        Files.move(temp, dirs.get(0).resolve(name), StandardCopyOption.ATOMIC_MOVE);
        published.set(k + 1);
        long next = t0 + (k + 1) * options.interval().toNanos();
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
      }
      poller.join(options.bound().toMillis());
      poller.interrupt();
      poller.join(1_000);

      String problem = null;
      for (int i = 0; i < syncs.size(); i++) {
        if (!syncs.get(i).alive() && problem == null) {
          problem = "peer " + i + " stopped:\n" + syncs.get(i).describe();
        }
      }
      Map<String, Instant> persisted = awaitPersisted(server.server().mothership().eventLog(), options);
      if (persisted.size() < options.writes() && problem == null) {
        List<String> absent = new ArrayList<>();
        for (int k = 0; k < options.writes(); k++) {
          if (!persisted.containsKey(name(k))) {
            absent.add(name(k));
          }
        }
        StringBuilder outputs = new StringBuilder();
        for (int i = 0; i < syncs.size(); i++) {
          outputs.append("\npeer ").append(i).append(i == 0 ? " (the writer): " : ": ").append(syncs.get(i).describe());
        }
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
          if (t.getKey().getName().startsWith("sync-peer-")) {
            outputs.append("\nthread ").append(t.getKey().getName()).append(" (").append(t.getKey().getState())
                .append(")");
            for (StackTraceElement frame : t.getValue()) {
              outputs.append("\n  at ").append(frame);
            }
          }
        }
        problem = "not in the Mothership's log within " + options.bound().toSeconds() + " s: " + absent + outputs;
      }
      Result result = result(options, writtenAt, writtenWall, arrivedAt, persisted, problem);
      print(result, options, out);
      return result;
    } finally {
      for (CliThread s : syncs) {
        s.close();
      }
      SyncFixtures.deleteTree(root);
    }
  }

  private static String name(int k) {
    return String.format(Locale.ROOT, "latency-%05d.txt", k);
  }

  /** Checks every outstanding (write, receiver) pair every millisecond until all arrived or the bound. */
  private static void poll(List<Path> dirs, long[] writtenAt, long[][] arrivedAt, AtomicInteger published,
      Options options) {
    int receivers = dirs.size() - 1;
    int complete = 0; // writes below this index arrived everywhere
    long end = Long.MAX_VALUE;
    while (!Thread.currentThread().isInterrupted()) {
      int upTo = published.get();
      if (upTo == options.writes() && end == Long.MAX_VALUE) {
        end = System.nanoTime() + options.bound().toNanos();
      }
      boolean all = true;
      for (int k = complete; k < upTo; k++) {
        boolean everywhere = true;
        for (int r = 0; r < receivers; r++) {
          if (arrivedAt[k][r] == 0) {
            if (Files.exists(dirs.get(r + 1).resolve(name(k)))) {
              arrivedAt[k][r] = System.nanoTime();
            } else {
              everywhere = false;
            }
          }
        }
        if (everywhere && k == complete) {
          complete++;
        }
        all &= everywhere;
      }
      if (upTo == options.writes() && (all || System.nanoTime() > end)) {
        return;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Waits, up to the bound, until the Mothership's log holds every write: a file reaches the directly connected
   * peers with its content, so it can arrive before the Mothership has sequenced it.
   */
  private static Map<String, Instant> awaitPersisted(EventLog log, Options options) throws Exception {
    long deadline = System.nanoTime() + options.bound().toNanos();
    Map<String, Instant> persisted = persistedAt(log);
    while (persisted.size() < options.writes() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      persisted = persistedAt(log);
    }
    return persisted;
  }

  /** @return each latency file's first {@code persisted_at}, from the Mothership's own log */
  private static Map<String, Instant> persistedAt(EventLog log) throws Exception {
    Map<String, Instant> out = new HashMap<>();
    long after = 0;
    while (true) {
      List<SyncEvent> page = log.read(WorkspaceName.DEFAULT, after, 500);
      if (page.isEmpty()) {
        return out;
      }
      for (SyncEvent e : page) {
        out.putIfAbsent(e.change().path().value(), e.persistedAt());
        after = e.seq();
      }
    }
  }

  private static Result result(Options options, long[] writtenAt, Instant[] wall, long[][] arrivedAt,
      Map<String, Instant> persisted, String problem) {
    int receivers = options.peers() - 1;
    long[] all = new long[options.writes() * receivers];
    long[] afterPersist = new long[options.writes() * receivers];
    long[] toPersist = new long[options.writes()];
    int n = 0;
    int m = 0;
    int p = 0;
    int missing = 0;
    for (int k = 0; k < options.writes(); k++) {
      Instant at = persisted.get(name(k));
      long persistNanos = at == null ? -1 : Duration.between(wall[k], at).toNanos();
      if (at != null) {
        toPersist[p++] = persistNanos;
      }
      for (int r = 0; r < receivers; r++) {
        if (arrivedAt[k][r] == 0) {
          missing++;
          continue;
        }
        long latency = arrivedAt[k][r] - writtenAt[k];
        all[n++] = latency;
        if (at != null) {
          afterPersist[m++] = latency - persistNanos;
        }
      }
    }
    List<Double> perReceiver = new ArrayList<>();
    for (int r = 0; r < receivers; r++) {
      long[] mine = new long[options.writes()];
      int c = 0;
      for (int k = 0; k < options.writes(); k++) {
        if (arrivedAt[k][r] != 0) {
          mine[c++] = arrivedAt[k][r] - writtenAt[k];
        }
      }
      perReceiver.add(Latency.of(mine, c).p50Nanos() / 1e6);
    }
    return new Result(options.peers(), options.writes(), n, missing, Latency.of(all, n), Latency.of(toPersist, p),
        Latency.of(afterPersist, m), perReceiver, problem);
  }

  private static void print(Result r, Options options, PrintStream out) {
    out.println();
    out.println("| Peers | Writes | Pairs arrived | Missing | p50 ms | p99 ms | max ms | write to persisted p50 / p99 ms"
        + " | persisted to file p50 / p99 ms |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|---|---|");
    out.printf(Locale.ROOT, "| %d | %d | %d | %d | %s | %s | %s | %s / %s | %s / %s |%n", r.peers(), r.writes(),
        r.arrived(), r.missing(), Latency.millis(r.latency().p50Nanos()), Latency.millis(r.latency().p99Nanos()),
        Latency.millis(r.latency().maxNanos()), Latency.millis(r.toPersisted().p50Nanos()),
        Latency.millis(r.toPersisted().p99Nanos()), Latency.millis(r.persistedToArrival().p50Nanos()),
        Latency.millis(r.persistedToArrival().p99Nanos()));
    StringBuilder per = new StringBuilder();
    for (double d : r.perReceiverP50Millis()) {
      per.append(per.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", d));
    }
    out.println("per-receiver p50 ms: " + per + "; a write every " + options.interval().toMillis() + " ms");
    if (r.problem() != null) {
      out.println("problem: " + r.problem());
    }
    out.println("load average at the end: " + Machine.loadAverage());
  }

  /**
   * Runs from the command line.
   *
   * @param args {@code [--quick] --peers N --writes N --interval-ms MS --bound-seconds S}
   */
  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    Arguments a = new Arguments(List.of(args).stream().filter(s -> !s.equals("--quick")).toArray(String[]::new),
        "--peers", "--writes", "--interval-ms", "--bound-seconds");
    run(new Options(a.integer("--peers", 10), a.integer("--writes", quick ? 20 : 200),
        Duration.ofMillis(a.integer("--interval-ms", 100)), Duration.ofSeconds(a.integer("--bound-seconds", 60))),
        System.out);
    System.exit(0);
  }
}
