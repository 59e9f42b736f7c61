package dev.aura.benchmarks.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.protocol.Wire;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Revocation fan-out: {@code N} peers hold control connections to one Mothership, the operator runs
 * {@code peer revoke} on one of them; how long until the revoked peer's connection is closed, and until every
 * other peer has applied (verified) the signed revocation update? Also the server's memory per connected peer.
 *
 * <p>The Mothership ({@link LoadServer}) runs in this JVM; the peers ({@link PeerSwarm}) in a child JVM
 * started from the same class path, so that the heap measured here holds only the server. Memory per peer is
 * the used heap after full collections with every peer connected, minus the same before they connected,
 * divided by {@code N}; the direct-buffer difference is reported beside it. The revocation is timed in the
 * child, from just before it sends {@code POST /v1/admin/peers/revoke} (what {@code aura mothership peer
 * revoke PEER_ID} sends) to the close frame (4003) of the revoked connection and to the moment each other
 * peer's {@code PeerRevocationCache} accepted the update. Both processes' open-file limits are checked first
 * and reported: each connection is a file descriptor on both sides.
 *
 * <pre>{@code
 * java -cp aura-benchmarks/target/benchmarks.jar dev.aura.benchmarks.load.PeerFanout --peers 1000
 * }</pre>
 */
public final class PeerFanout {
  private PeerFanout() {}

  /**
   * The bounds of a run.
   *
   * @param peers how many peers connect
   * @param bound the longest any step may take (joining, connecting, the fan-out)
   * @param childHeapMb the peers' JVM's heap
   */
  public record Options(int peers, Duration bound, int childHeapMb) {
    /** Checks the bounds. */
    public Options {
      if (peers < 2 || peers > 100_000) {
        throw new IllegalArgumentException("peers must be 2..100000, got " + peers);
      }
      if (bound.isNegative() || bound.isZero() || childHeapMb < 64) {
        throw new IllegalArgumentException("bound > 0 and childHeapMb >= 64 required");
      }
    }
  }

  /**
   * What a run measured.
   *
   * @param peers connected peers
   * @param connectMillis how long the child took to open and greet them all
   * @param heapPerPeer server heap per connected peer, bytes
   * @param directPerPeer server direct buffers per connected peer, bytes
   * @param revokedCloseCode the close code the revoked peer saw (4003), or -1
   * @param revokedClosedMillis from the revoke request to that close, or -1
   * @param applied how many other peers applied the update
   * @param missing how many other peers did not within the bound
   * @param appliedP50Millis median time to apply
   * @param appliedP99Millis 99th percentile
   * @param appliedMaxMillis until the last peer applied it
   * @param othersOpen whether every other peer's connection stayed open
   * @param serverAcknowledged whether the server saw every remaining peer acknowledge the new version
   * @param problem the first problem a peer reported, or null
   */
  public record Result(int peers, long connectMillis, double heapPerPeer, double directPerPeer,
      int revokedCloseCode, double revokedClosedMillis, int applied, int missing, double appliedP50Millis,
      double appliedP99Millis, double appliedMaxMillis, boolean othersOpen, boolean serverAcknowledged,
      String problem) {}

  /** Runs the measurement and prints the table. */
  public static Result run(Options options, PrintStream out) throws Exception {
    out.println("machine: " + Machine.describe());
    long needed = options.peers() + 256L;
    if (Machine.maxFileDescriptors() >= 0 && Machine.maxFileDescriptors() < needed) {
      throw new IllegalStateException("this process may open " + Machine.maxFileDescriptors() + " files, "
          + options.peers() + " connections need about " + needed + ": raise the limit (ulimit -n " + needed
          + ") or connect fewer peers");
    }
    try (LoadServer server = LoadServer.start("")) {
      out.println("mothership: " + server.url() + ", SQLite store in " + server.root());
      long started = System.nanoTime();
      List<String> tokens = server.issueTokens("peer", options.peers());
      List<String[]> joined = joinAll(server, tokens, options.bound());
      tokens.clear();
      out.printf(Locale.ROOT, "issued and joined %,d peers in %.1f s%n", joined.size(),
          (System.nanoTime() - started) / 1e9);

      String revoke = joined.get(joined.size() / 2)[0];
      String setupLine = Wire.write(setup(server, joined, revoke, options)) + "\n";
      joined.clear(); // the setup line stays referenced until both heap measurements are taken
      long heapBefore = Machine.usedHeapAfterGc();
      long directBefore = Machine.directBuffers();
      Process child = startChild(options);
      try {
        BufferedReader fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8));
        Writer toChild = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
        toChild.write(setupLine);
        toChild.flush();

        String[] connected = expect(fromChild, "connected", out).split(" ");
        int n = Integer.parseInt(connected[0]);
        out.printf("peers connected: %d in %s ms; peers' JVM: open files %s, limit %s%n", n, connected[1],
            connected[3], connected[2]);
        waitFor(() -> server.server().connectedPeers().size() >= n, options.bound());
        long heapAfter = Machine.usedHeapAfterGc();
        long directAfter = Machine.directBuffers();
        java.lang.ref.Reference.reachabilityFence(setupLine); // alive in both measurements
        out.printf(Locale.ROOT, "server: %d connected peers, used heap %,d -> %,d bytes, direct buffers %,d -> %,d"
                + " bytes; open files %d, limit %d%n", server.server().connectedPeers().size(), heapBefore,
            heapAfter, directBefore, directAfter, Machine.openFileDescriptors(), Machine.maxFileDescriptors());

        toChild.write("revoke\n");
        toChild.flush();
        ObjectNode r = Wire.parseObject(expect(fromChild, "result", out));
        long version = r.path("version").asLong();
        boolean acknowledged = waitFor(() -> server.server().mothership().revocations().laggingPeers().isEmpty()
            && server.server().connectedPeers().size() == n - 1, options.bound());
        toChild.write("done\n");
        toChild.flush();
        Result result = new Result(n, Long.parseLong(connected[1]), (heapAfter - heapBefore) / (double) n,
            (directAfter - directBefore) / (double) n, r.path("revoked_close_code").asInt(),
            r.path("revoked_closed_ms").asDouble(), r.path("applied").asInt(), r.path("missing").asInt(),
            r.path("applied_p50_ms").asDouble(), r.path("applied_p99_ms").asDouble(),
            r.path("applied_max_ms").asDouble(), r.path("others_open").asBoolean(), acknowledged,
            r.hasNonNull("problem") ? r.get("problem").asText() : null);
        print(result, version, r.path("revoke_answer_ms").asDouble(), out);
        return result;
      } finally {
        child.getOutputStream().close();
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      }
    }
  }

  private static void print(Result r, long version, double answerMs, PrintStream out) {
    out.println();
    out.println("| Peers | Revoked peer closed (ms) | All others applied (ms) | Applied p50 (ms) | Applied p99 (ms)"
        + " | Applied / missing | Revoke answered (ms) | Heap per peer (bytes) | Direct per peer (bytes) |");
    out.println("|---:|---:|---:|---:|---:|---|---:|---:|---:|");
    out.printf(Locale.ROOT, "| %,d | %.1f (code %d) | %.1f | %.1f | %.1f | %d / %d | %.1f | %,.0f | %,.0f |%n",
        r.peers(), r.revokedClosedMillis(), r.revokedCloseCode(), r.appliedMaxMillis(), r.appliedP50Millis(),
        r.appliedP99Millis(), r.applied(), r.missing(), answerMs, r.heapPerPeer(), r.directPerPeer());
    boolean within = r.missing() == 0 && r.revokedClosedMillis() >= 0 && r.revokedClosedMillis() <= 1000
        && r.appliedMaxMillis() <= 1000;
    out.printf(Locale.ROOT, "revocation version %d; other peers stayed connected: %s; server saw every remaining"
            + " peer acknowledge: %s; target (revoked closed and all applied within 1 s): %s%n", version,
        r.othersOpen(), r.serverAcknowledged(), within ? "meets" : "misses");
    if (r.problem() != null) {
      out.println("first problem: " + r.problem());
    }
    out.println("load average at the end: " + Machine.loadAverage());
  }

  /** Joins every token with 8 clients; returns {peer id, refresh credential} pairs. */
  private static List<String[]> joinAll(LoadServer server, List<String> tokens, Duration bound) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<MothershipClient> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        clients.add(server.client());
      }
      List<Future<String[]>> futures = new ArrayList<>();
      for (int i = 0; i < tokens.size(); i++) {
        MothershipClient client = clients.get(i % 8);
        String token = tokens.get(i);
        futures.add(pool.submit(() -> {
          ObjectNode body = Wire.object();
          body.put("token", token);
          body.putArray("addresses");
          ObjectNode reply = client.post(Wire.JOIN, body, null).body();
          return new String[] {reply.path("peer_id").asText(), reply.path("refresh_credential").asText()};
        }));
      }
      List<String[]> out = new ArrayList<>();
      long deadline = System.nanoTime() + bound.toNanos();
      for (Future<String[]> f : futures) {
        out.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static ObjectNode setup(LoadServer server, List<String[]> joined, String revoke, Options options) {
    ObjectNode setup = Wire.object();
    setup.put("url", server.url().toString());
    setup.put("fingerprint", server.fingerprint().toString());
    setup.put("admin", server.adminCredential());
    setup.put("revoke", revoke);
    setup.put("bound_millis", options.bound().toMillis());
    setup.put("concurrency", 16);
    ArrayNode peers = setup.putArray("peers");
    for (String[] p : joined) {
      ObjectNode o = peers.addObject();
      o.put("id", p[0]);
      o.put("credential", p[1]);
    }
    return setup;
  }

  private static Process startChild(Options options) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xms" + options.childHeapMb() + "m",
        "-Xmx" + options.childHeapMb() + "m", "-cp", System.getProperty("java.class.path"),
        PeerSwarm.class.getName());
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }

  /** Reads the child's lines until one starts with {@code word}; echoes others; fails on "failed". */
  private static String expect(BufferedReader in, String word, PrintStream out) throws Exception {
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith(word + " ")) {
        return line.substring(word.length() + 1);
      }
      if (line.startsWith("failed ")) {
        throw new IllegalStateException("the peers' JVM failed: " + line.substring(7));
      }
      out.println("peers: " + line);
    }
    throw new IllegalStateException("the peers' JVM exited before '" + word + "'");
  }

  private static boolean waitFor(java.util.function.BooleanSupplier condition, Duration bound)
      throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(10);
    }
    return condition.getAsBoolean();
  }

  /**
   * Runs from the command line.
   *
   * @param args {@code --peers N --bound-seconds S --child-heap-mb M}
   */
  public static void main(String[] args) throws Exception {
    Arguments a = new Arguments(args, "--peers", "--bound-seconds", "--child-heap-mb");
    run(new Options(a.integer("--peers", 1000), Duration.ofSeconds(a.integer("--bound-seconds", 120)),
        a.integer("--child-heap-mb", 1024)), System.out);
    System.exit(0);
  }
}
