package dev.aura.benchmarks.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.protocol.Wire;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Several Motherships on one PostgreSQL schema (issue 12, part 2), in one run:
 * <ol>
 *   <li><b>Cluster throughput.</b> Joins per second and refreshes per second through 1 instance and through 3
 *       instances of one Mothership (in this JVM, {@link LoadServer}s on one fresh schema and one key file),
 *       the clients spread round-robin over the instances, with the same harness as {@link JoinLoad} (pinned
 *       {@link MothershipClient}s, connections opened before the window, pre-issued one-shot tokens).
 *   <li><b>Failover time.</b> Two instances as real processes ({@code aura mothership start}, JVMs of their
 *       own) and a few peers, each a {@code aura mothership connect} process that joined with
 *       {@code --url A --url B}; then, run after run, {@code kill -9} of the instance the peers are connected
 *       to and the time until each peer prints its next {@code connected:} line (at the other instance),
 *       then a restart of the killed one on the same port, so the next run kills the other.
 * </ol>
 *
 * <pre>{@code
 * java -cp aura-benchmarks/target/benchmarks.jar dev.aura.benchmarks.load.ClusterLoad \
 *     --postgres 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
 *     --clients 8 --requests 1500 --seconds 8 --peers 3 --kills 5
 * }</pre>
 */
public final class ClusterLoad {
  private static final Duration BOUND = Duration.ofSeconds(90);

  private ClusterLoad() {}

  /**
   * Runs from the command line.
   *
   * @param args {@code --postgres JDBC_URL [--clients N] [--requests N] [--seconds S] [--peers N] [--kills N]}
   */
  public static void main(String[] args) throws Exception {
    Arguments a = new Arguments(args, "--postgres", "--clients", "--requests", "--seconds", "--peers", "--kills");
    String postgres = a.text("--postgres", null);
    if (postgres == null) {
      throw new IllegalArgumentException("--postgres JDBC_URL is required: the instances share one PostgreSQL");
    }
    PrintStream out = System.out;
    out.println("machine: " + Machine.describe());
    int clients = a.integer("--clients", 8);
    int requests = a.integer("--requests", 1500);
    Duration seconds = Duration.ofSeconds(a.integer("--seconds", 8));
    List<JoinLoad.Phase> phases = new ArrayList<>();
    for (int instances : List.of(1, 3)) {
      phases.addAll(throughput(postgres, instances, clients, requests, seconds, out));
    }
    out.println();
    out.println("| Kind | Clients | 1 instance /s | 3 instances /s | 3 / 1 |");
    out.println("|---|---:|---:|---:|---:|");
    for (String kind : List.of("join", "refresh")) {
      double one = JoinLoad.rate(phases, "1 instance", kind, clients);
      double three = JoinLoad.rate(phases, "3 instances", kind, clients);
      out.printf(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %.2fx |%n", kind, clients, one, three, three / one);
    }
    failover(postgres, a.integer("--peers", 3), a.integer("--kills", 5), out);
    out.println("load average at the end: " + Machine.loadAverage());
    System.exit(0);
  }

  // ------------------------------------------------------------------------------ cluster throughput

  private static List<JoinLoad.Phase> throughput(String postgres, int instances, int clients, int requests,
      Duration maxTime, PrintStream out) throws Exception {
    String label = instances + (instances == 1 ? " instance" : " instances");
    List<LoadServer> servers = new ArrayList<>();
    try (PostgresSchema schema = PostgresSchema.create(postgres)) {
      try {
        for (int i = 0; i < instances; i++) {
          servers.add(LoadServer.start(schema.storeToml()));
        }
        out.println();
        out.println(label + " on one schema, load average " + Machine.loadAverage());
        int tokensNeeded = clients + requests;
        List<String> tokens = servers.get(0).issueTokens("cluster", tokensNeeded);
        List<MothershipClient> pool = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          MothershipClient client = servers.get(c % instances).client();
          client.get(Wire.TIME, null); // the handshake, outside the window
          pool.add(client);
        }
        java.util.concurrent.atomic.AtomicInteger nextToken = new java.util.concurrent.atomic.AtomicInteger();
        String[] credentials = new String[clients];
        JoinLoad.Phase warm = JoinLoad.phase(label, "warm-up join", clients, clients, Duration.ofMinutes(2), pool,
            (client, slot) -> credentials[slot] = join(client, tokens.get(nextToken.getAndIncrement()))
                .path("refresh_credential").asText());
        if (warm.failed() > 0) {
          throw new IllegalStateException("warm-up failed: " + warm.firstFailure());
        }
        List<JoinLoad.Phase> phases = new ArrayList<>();
        phases.add(JoinLoad.phase(label, "join", clients, requests, maxTime, pool,
            (client, slot) -> join(client, tokens.get(nextToken.getAndIncrement()))));
        phases.add(JoinLoad.phase(label, "refresh", clients, requests, maxTime, pool,
            (client, slot) -> credentials[slot] = client.post(Wire.REFRESH, Wire.object(), credentials[slot]).body()
                .path("refresh_credential").asText()));
        out.println("| Instances | Kind | Clients | Succeeded | Failed | Seconds | Requests/s | p50 ms | p99 ms |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (JoinLoad.Phase p : phases) {
          out.printf(Locale.ROOT, "| %s | %s | %d | %,d | %d | %.2f | %,.0f | %s | %s |%n", p.store(), p.kind(),
              p.clients(), p.succeeded(), p.failed(), p.seconds(), p.perSecond(),
              Latency.millis(p.latency().p50Nanos()), Latency.millis(p.latency().p99Nanos()));
          if (p.firstFailure() != null) {
            out.println("first failure: " + p.firstFailure());
          }
        }
        return phases;
      } finally {
        Collections.reverse(servers);
        servers.forEach(LoadServer::close);
      }
    }
  }

  private static ObjectNode join(MothershipClient client, String token) throws Exception {
    ObjectNode body = Wire.object();
    body.put("token", token);
    body.putArray("addresses");
    return client.post(Wire.JOIN, body, null).body();
  }

  // ------------------------------------------------------------------------------------- failover time

  /** One {@code aura} process of this benchmark, its output in files. */
  private record Child(String name, Process process, Path out) {
    String output() {
      try {
        return Files.readString(out);
      } catch (IOException e) {
        return "";
      }
    }

    int connections() {
      return (int) output().lines().filter(l -> l.startsWith("connected: ")).count();
    }

    void await(String text) throws InterruptedException {
      long deadline = System.nanoTime() + BOUND.toNanos();
      while (!output().contains(text)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(name + " did not print '" + text + "':\n" + output());
        }
        Thread.sleep(20);
      }
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static Child run(Path root, Path home, String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "dev.aura.app.Main"));
    command.addAll(List.of(args));
    Path out = root.resolve("logs").resolve(name + ".out");
    Files.createDirectories(out.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(root.resolve("logs").resolve(name + ".err").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().put("AURA_HOME", home.toString());
    return new Child(name, builder.start(), out);
  }

  private static String field(Child child, String key) throws InterruptedException {
    child.process().waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
    for (String line : child.output().split("\n")) {
      if (line.startsWith(key + ": ")) {
        return line.substring(key.length() + 2).trim();
      }
    }
    throw new IllegalStateException(child.name() + " printed no '" + key + ":'\n" + child.output());
  }

  private static void failover(String postgres, int peerCount, int kills, PrintStream out) throws Exception {
    Path root = Files.createTempDirectory("aura-cluster-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    List<Child> children = new ArrayList<>();
    try (PostgresSchema schema = PostgresSchema.create(postgres)) {
      int[] ports = {freePort(), freePort()};
      Child[] instances = new Child[2];
      int[] starts = {0, 0};
      for (int i = 0; i < 2; i++) {
        instances[i] = startInstance(root, schema, i, ports[i], starts[i]++);
        children.add(instances[i]);
      }
      String[] urls = {"https://127.0.0.1:" + ports[0], "https://127.0.0.1:" + ports[1]};
      List<Child> peers = new ArrayList<>();
      for (int p = 0; p < peerCount; p++) {
        Path home = root.resolve("peer-" + p);
        String token = field(run(root, root.resolve("instance-0"), "issue-" + p, "mothership", "token", "issue",
            "--for", "peer-" + p + "@cluster.test"), "token");
        Child joined = run(root, home, "join-" + p, "mothership", "join", "--url", urls[0], "--url", urls[1],
            "--token", token, "--announce", "127.0.0.1");
        field(joined, "joined");
        Child connect = run(root, home, "connect-" + p, "mothership", "connect");
        children.add(connect);
        peers.add(connect);
      }
      for (Child peer : peers) {
        peer.await("connected: ");
      }
      out.println();
      out.println("failover: 2 instances (processes), " + peerCount + " peers (`aura mothership connect` processes),"
          + " load average " + Machine.loadAverage());
      out.println("| Run | Killed | Peers reconnected | Per peer ms (min / median / max) | All connected again ms |");
      out.println("|---:|---|---:|---|---:|");
      List<Long> all = new ArrayList<>();
      List<Long> worst = new ArrayList<>();
      int victim = 0;
      for (int run = 1; run <= kills; run++) {
        int[] before = new int[peerCount];
        for (int p = 0; p < peerCount; p++) {
          before[p] = peers.get(p).connections();
        }
        long killed = System.nanoTime();
        instances[victim].kill();
        long[] reconnected = new long[peerCount];
        long deadline = killed + BOUND.toNanos();
        int done = 0;
        while (done < peerCount && System.nanoTime() < deadline) {
          for (int p = 0; p < peerCount; p++) {
            if (reconnected[p] == 0 && peers.get(p).connections() > before[p]) {
              reconnected[p] = System.nanoTime() - killed;
              done++;
            }
          }
          Thread.sleep(5);
        }
        List<Long> millis = new ArrayList<>();
        for (long r : reconnected) {
          if (r > 0) {
            millis.add(r / 1_000_000);
          }
        }
        Collections.sort(millis);
        all.addAll(millis);
        long max = millis.isEmpty() ? -1 : millis.get(millis.size() - 1);
        worst.add(max);
        out.printf(Locale.ROOT, "| %d | %s | %d / %d | %s | %s |%n", run, victim == 0 ? "A" : "B", millis.size(),
            peerCount, millis.isEmpty() ? "-" : millis.get(0) + " / " + median(millis) + " / " + max,
            done == peerCount ? Long.toString(max) : "not within " + BOUND.toSeconds() + " s");
        out.flush();
        instances[victim] = startInstance(root, schema, victim, ports[victim], starts[victim]++);
        children.add(instances[victim]);
        victim = 1 - victim;
      }
      Collections.sort(all);
      Collections.sort(worst);
      out.printf(Locale.ROOT, "failover over %d kills: per peer median %d ms, max %d ms; all peers connected again:"
          + " median %d ms, max %d ms%n", kills, median(all), all.isEmpty() ? -1 : all.get(all.size() - 1),
          median(worst), worst.get(worst.size() - 1));
    } finally {
      for (Child c : children) {
        c.process().destroyForcibly();
      }
      for (Child c : children) {
        c.process().waitFor(20, TimeUnit.SECONDS);
      }
      try (var files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static Child startInstance(Path root, PostgresSchema schema, int index, int port, int generation)
      throws Exception {
    Path home = root.resolve("instance-" + index);
    Path dataDir = home.resolve("mothership");
    Files.createDirectories(dataDir);
    Files.writeString(dataDir.resolve("config.toml"), schema.storeToml());
    Child child = run(root, home, "instance-" + index + "-" + generation, "mothership", "start", "--bind", "127.0.0.1",
        "--port", Integer.toString(port));
    child.await("stop with: ");
    return child;
  }

  private static long median(List<Long> sorted) {
    return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
