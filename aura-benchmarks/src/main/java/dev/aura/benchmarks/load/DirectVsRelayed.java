package dev.aura.benchmarks.load;

import dev.aura.app.cli.AuraCli;
import dev.aura.app.cli.CliEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;

/**
 * The same stream of events between two peers, direct against relayed: latency, throughput and the
 * Mothership's bytes per event.
 *
 * <p>A real Mothership ({@link LoadServer}) behind a counting TCP proxy ({@link CountingProxy}: every byte the
 * Mothership sends or receives, TLS included, passes through it; the peers join with the proxy's URL) and two
 * real {@code aura sync --listen 127.0.0.1:PORT --direct-retry 1s --verbose} peers in this JVM. Modes:
 * <ul>
 *   <li>{@code relayed}: both listen ports are held without listening (connections refused), so each peer
 *       falls back to the Mothership for everything, as behind a NAT;
 *   <li>{@code direct}: the peers connect directly; the writer sends each event with its content over the link
 *       right after its scan (the receiver applies it provisionally at once), and the Mothership still
 *       sequences every event (the writer uploads the content and pushes the event); a receiver that gets the
 *       sequenced event first fetches the content from the writer;
 *   <li>{@code mothership-down}: connected directly, then the proxy stops (connections refused, as a stopped
 *       Mothership): events and their content travel only over the direct link and are applied
 *       provisionally; the Mothership's bytes are zero by construction.
 * </ul>
 * Each mode: {@code writes} files of {@code size} bytes written one every {@code interval} on the writer, each
 * timed from the write to the moment it exists on the receiver (latency), then a burst of {@code burst} files
 * written at once, timed from the first write to the last arrival (throughput). Files appear whole (written
 * outside, moved in; the receiver also writes and moves). The byte count starts after both peers are syncing.
 *
 * <pre>{@code
 * java -cp aura-benchmarks/target/benchmarks.jar dev.aura.benchmarks.load.DirectVsRelayed --writes 100 --burst 200
 * }</pre>
 */
public final class DirectVsRelayed {
  /** The modes, in the order run. */
  public static final List<String> MODES = List.of("relayed", "direct", "mothership-down");

  private DirectVsRelayed() {}

  /**
   * The bounds of a run.
   *
   * @param writes files written one at a time (latency)
   * @param burst files written at once (throughput)
   * @param size bytes per file
   * @param interval between the latency writes
   * @param bound the longest any step may take
   */
  public record Options(int writes, int burst, int size, Duration interval, Duration bound) {
    /** Checks the bounds. */
    public Options {
      if (writes < 1 || writes > 100_000 || burst < 1 || burst > 100_000 || size < 1 || size > 4 * 1024 * 1024
          || interval.isNegative() || bound.isZero()) {
        throw new IllegalArgumentException("writes and burst 1..100000, size 1..4 MiB, interval >= 0, bound > 0");
      }
    }
  }

  /**
   * One mode's outcome.
   *
   * @param mode {@code relayed}, {@code direct} or {@code mothership-down}
   * @param events files written (latency writes and burst)
   * @param arrived files that appeared on the receiver within the bound
   * @param fetchedDirectly contents the receiver fetched from the writer while the Mothership was up
   * @param appliedDirectly files the receiver applied provisionally from the direct link
   * @param latency write to appearance, over the latency writes
   * @param burstArrived burst files that arrived
   * @param burstSeconds first burst write to last burst arrival
   * @param confirmSeconds first burst write until the Mothership had acknowledged every event to the writer
   *     (0: not confirmed within the bound, or the Mothership is down)
   * @param mothershipBytes bytes in and out of the Mothership during the measurement
   * @param problem the first thing that went wrong (a peer's output), or null
   */
  public record Row(String mode, int events, int arrived, int fetchedDirectly, int appliedDirectly, Latency latency,
      int burstArrived, double burstSeconds, double confirmSeconds, long mothershipBytes, String problem) {
    /** @return burst files per second */
    public double eventsPerSecond() {
      return burstSeconds <= 0 ? 0 : burstArrived / burstSeconds;
    }

    /** @return burst events the Mothership sequenced per second (0 when it is down) */
    public double confirmedPerSecond() {
      return confirmSeconds <= 0 ? 0 : burstArrived / confirmSeconds;
    }

    /** @return the Mothership's bytes per event written */
    public double bytesPerEvent() {
      return events == 0 ? 0 : (double) mothershipBytes / events;
    }
  }

  /** Runs every mode and prints the table. */
  public static List<Row> run(Options options, PrintStream out) throws Exception {
    out.println("machine: " + Machine.describe());
    List<Row> rows = new ArrayList<>();
    for (String mode : MODES) {
      rows.add(runMode(mode, options));
    }
    print(rows, options, out);
    return rows;
  }

  private static Row runMode(String mode, Options options) throws Exception {
    Path root = SyncFixtures.tempDirectory("aura-direct-bench-");
    List<SyncLatency.CliThread> syncs = new ArrayList<>();
    List<Socket> held = new ArrayList<>();
    try (LoadServer server = LoadServer.start("");
        CountingProxy proxy = CountingProxy.start(server.url())) {
      List<String> tokens = server.issueTokens("direct", 2);
      List<CliEnvironment> envs = new ArrayList<>();
      List<Path> dirs = new ArrayList<>();
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        CliEnvironment env = CliEnvironment.builder().variable("AURA_HOME", root.resolve("home-" + i).toString())
            .userHome(root).build();
        StringWriter e = new StringWriter();
        CommandLine cli = AuraCli.create(env);
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(e, true));
        if (cli.execute("mothership", "join", "--url", proxy.url().toString(), "--token", tokens.get(i),
            "--announce", "127.0.0.1") != 0) {
          throw new IllegalStateException("peer " + i + " could not join:\n" + e);
        }
        envs.add(env);
        dirs.add(Files.createDirectories(root.resolve("tree-" + i)));
        int port = freePort();
        ports.add(port);
        if (mode.equals("relayed")) {
          held.add(hold(port));
        }
      }
      tokens.clear();
      for (int i = 0; i < 2; i++) {
        syncs.add(new SyncLatency.CliThread(envs.get(i), "direct-bench-" + i, "sync", "--dir", dirs.get(i).toString(),
            "--listen", "127.0.0.1:" + ports.get(i), "--direct-retry", "1s", "--verbose"));
      }
      for (SyncLatency.CliThread s : syncs) {
        require(s.awaitOutput("syncing: ", options.bound()), syncs, "did not start syncing");
        require(s.awaitOutput(mode.equals("relayed") ? "not reachable directly" : "direct: connected to",
            options.bound()), syncs, "did not reach the expected direct state");
      }
      if (mode.equals("mothership-down")) {
        proxy.stop();
        for (SyncLatency.CliThread s : syncs) {
          require(s.awaitOutput("reconnecting in", options.bound()), syncs, "did not notice the Mothership stopped");
        }
        require(proxy.awaitAllClosed(options.bound()), syncs, "kept a connection through the stopped proxy");
      }
      proxy.resetCount();
      Path scratch = Files.createDirectories(root.resolve("scratch"));
      Path from = dirs.get(0);
      Path to = dirs.get(1);
      byte[] body = new byte[options.size()];

      long[] latencies = new long[options.writes()];
      int arrived = 0;
      for (int k = 0; k < options.writes(); k++) {
        long start = System.nanoTime();
        Path file = write(scratch, from, "latency-" + k + ".bin", body, k);
        long at = awaitFile(to.resolve(file.getFileName()), start + options.bound().toNanos());
        if (at == 0) {
          break; // this mode is broken: the row says how many arrived
        }
        latencies[arrived++] = at - start;
        Thread.sleep(options.interval().toMillis());
      }
      long burstStart = System.nanoTime();
      List<Path> burst = new ArrayList<>();
      for (int k = 0; k < options.burst(); k++) {
        burst.add(write(scratch, from, "burst-" + k + ".bin", body, options.writes() + k));
      }
      long last = 0;
      int burstArrived = 0;
      for (Path f : burst) {
        long at = awaitFile(to.resolve(f.getFileName()), burstStart + options.bound().toNanos());
        if (at > 0) {
          burstArrived++;
          last = Math.max(last, at);
        }
      }
      double burstSeconds = last == 0 ? 0 : (last - burstStart) / 1e9;
      // the Mothership's share is counted once it has sequenced every event (direct arrival comes before that)
      long confirmed = mode.equals("mothership-down") ? 0
          : awaitConfirmed(envs.get(0), burstStart + options.bound().toNanos());
      double confirmSeconds = confirmed == 0 ? 0 : (confirmed - burstStart) / 1e9;
      long bytes = proxy.count();
      int delivered = arrived + burstArrived;
      long linesDeadline = System.nanoTime() + options.bound().toNanos();
      while (!mode.equals("relayed") && count(syncs.get(1).output(), "direct: fetched ")
          + count(syncs.get(1).output(), "(directly from ") < delivered && System.nanoTime() - linesDeadline < 0) {
        Thread.sleep(10); // a file appears just before the line that reports it
      }
      String receiver = syncs.get(1).output();
      String problem = null;
      for (int i = 0; i < syncs.size(); i++) {
        if (!syncs.get(i).alive() && problem == null) {
          problem = "peer " + i + " stopped:\n" + syncs.get(i).describe();
        }
      }
      return new Row(mode, options.writes() + options.burst(), delivered,
          count(receiver, "direct: fetched "), count(receiver, "(directly from "), Latency.of(latencies, arrived),
          burstArrived, burstSeconds, confirmSeconds, bytes, problem);
    } finally {
      for (SyncLatency.CliThread s : syncs) {
        s.close();
      }
      for (Socket s : held) {
        s.close();
      }
      SyncFixtures.deleteTree(root);
    }
  }

  private static void require(boolean ok, List<SyncLatency.CliThread> syncs, String what) {
    if (!ok) {
      StringBuilder all = new StringBuilder();
      syncs.forEach(s -> all.append(s.describe()).append('\n'));
      throw new IllegalStateException("a peer " + what + ":\n" + all);
    }
  }

  /** Writes a distinct file outside the tree and moves it in, so it appears whole. */
  private static Path write(Path scratch, Path dir, String name, byte[] body, int k) throws IOException {
    byte[] content = body.clone();
    String stamp = "event " + k + "\n";
    System.arraycopy(stamp.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, content, 0,
        Math.min(stamp.length(), content.length));
    Path temp = Files.write(scratch.resolve(name), content);
    return Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /** @return {@link System#nanoTime()} when {@code file} existed, or 0 after {@code deadline} (nanoTime) */
  private static long awaitFile(Path file, long deadline) throws InterruptedException {
    while (System.nanoTime() - deadline < 0) {
      if (Files.exists(file)) {
        return System.nanoTime();
      }
      Thread.sleep(1);
    }
    return 0;
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Holds a port without listening on it: connections are refused and nobody else can bind it. */
  private static Socket hold(int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  /** @return when the writer's WAL was first seen empty (every event sequenced), or 0 past {@code deadline} */
  private static long awaitConfirmed(CliEnvironment writer, long deadline) throws InterruptedException {
    while (System.nanoTime() - deadline < 0) {
      StringWriter printed = new StringWriter();
      CommandLine cli = AuraCli.create(writer);
      cli.setOut(new PrintWriter(printed, true));
      cli.setErr(new PrintWriter(new StringWriter(), true));
      if (cli.execute("wal", "status", "--json") == 0 && dev.aura.app.protocol.Wire.parseObject(printed.toString())
          .path("unacked_events").asLong(-1) == 0) {
        return System.nanoTime();
      }
      Thread.sleep(20);
    }
    return 0;
  }

  private static void print(List<Row> rows, Options options, PrintStream out) {
    out.println();
    out.println("| Mode | Events | Arrived | Content fetched directly | Applied directly | latency p50 ms | p99 ms"
        + " | burst events/s | burst sequenced/s | Mothership bytes/event |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s | %.0f | %.0f | %.0f |%n", r.mode(), r.events(),
          r.arrived(), r.fetchedDirectly(), r.appliedDirectly(), Latency.millis(r.latency().p50Nanos()),
          Latency.millis(r.latency().p99Nanos()), r.eventsPerSecond(), r.confirmedPerSecond(), r.bytesPerEvent());
      if (r.problem() != null) {
        out.println("problem: " + r.problem());
      }
    }
    out.println(options.writes() + " latency writes (one every " + options.interval().toMillis() + " ms) and a burst"
        + " of " + options.burst() + ", " + options.size() + " bytes each; load average at the end: "
        + Machine.loadAverage());
  }

  /**
   * A TCP proxy in front of the Mothership that counts every byte either way.
   * {@link #stop} refuses new connections and cuts the open ones, as a stopped Mothership would.
   */
  static final class CountingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicLong bytes = new AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    private CountingProxy(ServerSocket listener, InetSocketAddress target) {
      this.listener = listener;
      this.target = target;
    }

    static CountingProxy start(URI mothership) throws IOException {
      CountingProxy p = new CountingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
          new InetSocketAddress(mothership.getHost(), mothership.getPort()));
      Thread t = new Thread(p::accept, "counting-proxy");
      t.setDaemon(true);
      t.start();
      return p;
    }

    URI url() {
      return URI.create("https://127.0.0.1:" + listener.getLocalPort());
    }

    private void accept() {
      while (!stopped) {
        try {
          Socket client = listener.accept();
          Socket upstream = new Socket();
          upstream.connect(target, 5_000);
          open.add(client);
          open.add(upstream);
          if (stopped) { // accepted while stop() ran: it may have closed the open ones before these were added
            closeQuietly(client);
            closeQuietly(upstream);
            return;
          }
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          if (stopped) {
            return;
          }
        }
      }
    }

    private void pump(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream o = to.getOutputStream()) {
          for (int n; (n = in.read(buffer)) > 0; ) {
            bytes.addAndGet(n);
            o.write(buffer, 0, n);
            o.flush();
          }
        } catch (IOException e) {
          // one side closed
        } finally {
          closeQuietly(from);
          closeQuietly(to);
        }
      }, "counting-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    private void closeQuietly(Socket s) {
      open.remove(s);
      try {
        s.close();
      } catch (IOException e) {
        // closed already
      }
    }

    long count() {
      return bytes.get();
    }

    /** @return whether every proxied connection was closed within {@code bound} */
    boolean awaitAllClosed(Duration bound) throws InterruptedException {
      long deadline = System.nanoTime() + bound.toNanos();
      while (!open.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      return open.isEmpty();
    }

    void resetCount() {
      bytes.set(0);
    }

    void stop() {
      stopped = true;
      try {
        listener.close();
      } catch (IOException e) {
        // closed already
      }
      open.forEach(this::closeQuietly);
    }

    @Override
    public void close() {
      stop();
    }
  }

  /**
   * Runs from the command line.
   *
   * @param args {@code --writes N --burst N --size BYTES --interval-ms MS --bound-seconds S}
   */
  public static void main(String[] args) throws Exception {
    Arguments a = new Arguments(args, "--writes", "--burst", "--size", "--interval-ms", "--bound-seconds");
    run(new Options(a.integer("--writes", 100), a.integer("--burst", 200), a.integer("--size", 4096),
        Duration.ofMillis(a.integer("--interval-ms", 50)), Duration.ofSeconds(a.integer("--bound-seconds", 60))),
        System.out);
    System.exit(0);
  }
}
