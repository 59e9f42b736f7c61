package dev.aura.benchmarks.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.ContentHash;
import dev.aura.sync.EventId;
import dev.aura.sync.EventLog;
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
import java.util.concurrent.TimeUnit;

/**
 * The Mothership's memory per connected peer with sync on, against the same peers connected without a
 * subscription, in one run.
 *
 * <p>The Mothership ({@link LoadServer}, SQLite) runs in this JVM; the peers ({@link SubscriberSwarm}) in a
 * child JVM, so that the heap measured here holds only the server, as in Table 10. Steps: join {@code N}
 * peers, seed the workspace with {@code events} file puts (so each subscription gets a page and ends caught
 * up), measure the used heap after full collections (the baseline, 0 connected); the child opens {@code N}
 * control connections and acks their {@code hello}: measure again (connected, not subscribed); the child
 * subscribes every connection to the workspace and reads the relayed events until each is caught up: measure
 * again (connected and subscribed). Per peer: each difference to the baseline over {@code N}; the
 * subscription's own cost is the last difference. Direct buffers are reported beside the heap.
 *
 * <pre>{@code
 * java -cp aura-benchmarks/target/benchmarks.jar dev.aura.benchmarks.load.SyncMemory --peers 1000
 * }</pre>
 */
public final class SyncMemory {
  /** How long each state is left to settle before its heap is measured. */
  private static final long SETTLE_MILLIS = 1_000;

  private SyncMemory() {}

  /**
   * The bounds of a run.
   *
   * @param peers connected peers
   * @param events events in the workspace before anyone subscribes
   * @param bound the longest any step may take
   * @param childHeapMb the peers' JVM's heap
   */
  public record Options(int peers, int events, Duration bound, int childHeapMb) {
    /** Checks the bounds. */
    public Options {
      if (peers < 1 || peers > 100_000 || events < 0 || bound.isZero() || childHeapMb < 64) {
        throw new IllegalArgumentException("peers 1..100000, events >= 0, bound > 0, childHeapMb >= 64 required");
      }
    }
  }

  /**
   * What a run measured (bytes).
   *
   * @param peers peers connected (and then subscribed)
   * @param subscribed subscriptions caught up with every seeded event
   * @param eventsReceived events the peers received in all
   * @param heapBaseline used heap with no peer connected
   * @param heapConnected with every peer connected, not subscribed
   * @param heapSubscribed with every peer connected and subscribed
   * @param directBaseline direct buffers with no peer connected
   * @param directConnected with every peer connected
   * @param directSubscribed with every peer subscribed
   * @param problem the first problem a peer reported, or null
   */
  public record Result(int peers, long subscribed, long eventsReceived, long heapBaseline, long heapConnected,
      long heapSubscribed, long directBaseline, long directConnected, long directSubscribed, String problem) {
    /** @return server heap per connected, unsubscribed peer */
    public double connectedPerPeer() {
      return (heapConnected - heapBaseline) / (double) peers;
    }

    /** @return server heap per connected and subscribed peer */
    public double subscribedPerPeer() {
      return (heapSubscribed - heapBaseline) / (double) peers;
    }

    /** @return what the subscription adds per peer */
    public double subscriptionPerPeer() {
      return (heapSubscribed - heapConnected) / (double) peers;
    }
  }

  /** Runs the measurement and prints the table. */
  public static Result run(Options options, PrintStream out) throws Exception {
    out.println("machine: " + Machine.describe());
    long needed = options.peers() + 256L;
    if (Machine.maxFileDescriptors() >= 0 && Machine.maxFileDescriptors() < needed) {
      throw new IllegalStateException("this process may open " + Machine.maxFileDescriptors() + " files, "
          + options.peers() + " connections need about " + needed + ": raise the limit (ulimit -n " + needed + ")");
    }
    WorkspaceName workspace = WorkspaceName.DEFAULT;
    try (LoadServer server = LoadServer.start("")) {
      out.println("mothership: " + server.url() + ", SQLite store and event log in " + server.root());
      long started = System.nanoTime();
      List<String> tokens = server.issueTokens("memory", options.peers());
      List<SyncFixtures.Joined> joined = SyncFixtures.joinAll(server, tokens, 8, options.bound());
      tokens.clear();
      seed(server.server().mothership().eventLog(), workspace, joined.get(0).id(), options.events());
      out.printf(Locale.ROOT, "issued and joined %,d peers, seeded %d events in %.1f s%n", joined.size(),
          options.events(), (System.nanoTime() - started) / 1e9);

      ObjectNode setup = Wire.object();
      setup.put("url", server.url().toString());
      setup.put("fingerprint", server.fingerprint().toString());
      setup.put("workspace", workspace.value());
      setup.put("bound_millis", options.bound().toMillis());
      setup.put("concurrency", 16);
      ArrayNode credentials = setup.putArray("credentials");
      joined.forEach(j -> credentials.add(j.credential()));
      String setupLine = Wire.write(setup) + "\n";
      joined.clear(); // the setup line stays referenced through every measurement

      long heap0 = Machine.usedHeapAfterGc();
      long direct0 = Machine.directBuffers();
      Process child = startChild(options);
      try {
        BufferedReader fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8));
        Writer toChild = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
        toChild.write(setupLine);
        toChild.flush();
        String[] connected = expect(fromChild, "connected", out).split(" ");
        int n = Integer.parseInt(connected[0]);
        waitFor(() -> server.server().connectedPeers().size() >= n, options.bound());
        Thread.sleep(SETTLE_MILLIS); // the last hellos' acks (each a last_seen commit) settle
        long heap1 = Machine.usedHeapAfterGc();
        long direct1 = Machine.directBuffers();
        out.printf(Locale.ROOT, "connected: %d peers (server counts %d), used heap %,d -> %,d bytes; peers' JVM:"
                + " open files %s, limit %s%n", n, server.server().connectedPeers().size(), heap0, heap1,
            connected[2], connected[1]);

        toChild.write("subscribe\n");
        toChild.flush();
        String[] subscribed = expect(fromChild, "subscribed", out).split(" ", 3);
        waitFor(() -> server.server().syncSubscribers().getOrDefault(workspace.value(), 0) >= n, options.bound());
        Thread.sleep(SETTLE_MILLIS); // the relay's last send callbacks run
        long heap2 = Machine.usedHeapAfterGc();
        long direct2 = Machine.directBuffers();
        java.lang.ref.Reference.reachabilityFence(setupLine);
        out.printf(Locale.ROOT, "subscribed: %s caught up (server counts %d subscribers), %s events received, used"
                + " heap %,d bytes%n", subscribed[0], server.server().syncSubscribers().getOrDefault(workspace.value(),
                0), subscribed[1], heap2);
        toChild.write("done\n");
        toChild.flush();
        String problem = subscribed.length > 2 && !subscribed[2].equals("-") ? subscribed[2] : null;
        Result r = new Result(n, Long.parseLong(subscribed[0]), Long.parseLong(subscribed[1]), heap0, heap1, heap2,
            direct0, direct1, direct2, problem);
        print(r, options, out);
        return r;
      } finally {
        child.getOutputStream().close();
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      }
    }
  }

  /** Puts {@code events} file puts into the workspace directly, with their blobs. */
  private static void seed(EventLog log, WorkspaceName workspace, PeerId author, int events) throws Exception {
    if (events == 0) {
      return;
    }
    List<byte[]> contents = SyncFixtures.blobs("memory", Math.min(events, SyncThroughput.BLOBS));
    List<ContentHash> hashes = SyncFixtures.storeBlobs(log, workspace, contents);
    List<EventLog.Submitted> batch = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      batch.add(new EventLog.Submitted(new EventId(author, i + 1), SyncFixtures.filePut("seed/f" + i + ".txt",
          hashes.get(i % hashes.size()), contents.get(i % hashes.size()).length)));
    }
    for (EventLog.AppendResult r : log.append(workspace, batch).get(60, TimeUnit.SECONDS)) {
      if (!(r instanceof EventLog.Persisted)) {
        throw new IllegalStateException("seed event not persisted: " + r);
      }
    }
  }

  private static void print(Result r, Options options, PrintStream out) {
    out.println();
    out.println("| Peers | State | Server heap (bytes) | Heap per peer (bytes) | Direct buffers per peer (bytes) |");
    out.println("|---:|---|---:|---:|---:|");
    out.printf(Locale.ROOT, "| %,d | none connected (baseline) | %,d | | |%n", r.peers(), r.heapBaseline());
    out.printf(Locale.ROOT, "| %,d | connected, not subscribed | %,d | %,.0f | %,.0f |%n", r.peers(), r.heapConnected(),
        r.connectedPerPeer(), (r.directConnected() - r.directBaseline()) / (double) r.peers());
    out.printf(Locale.ROOT, "| %,d | connected and subscribed | %,d | %,.0f | %,.0f |%n", r.peers(),
        r.heapSubscribed(), r.subscribedPerPeer(), (r.directSubscribed() - r.directBaseline()) / (double) r.peers());
    out.printf(Locale.ROOT, "subscription's own cost: %,.0f bytes of heap per peer; %d of %d subscriptions caught up"
            + " with %d seeded events (%,d events received in all); load average at the end: %s%n",
        r.subscriptionPerPeer(), r.subscribed(), r.peers(), options.events(), r.eventsReceived(), Machine.loadAverage());
    if (r.problem() != null) {
      out.println("first problem: " + r.problem());
    }
  }

  private static Process startChild(Options options) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xms" + options.childHeapMb() + "m",
        "-Xmx" + options.childHeapMb() + "m", "-cp", System.getProperty("java.class.path"),
        SubscriberSwarm.class.getName());
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }

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
   * @param args {@code [--quick] --peers N --events N --bound-seconds S --child-heap-mb M}
   */
  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    Arguments a = new Arguments(List.of(args).stream().filter(s -> !s.equals("--quick")).toArray(String[]::new),
        "--peers", "--events", "--bound-seconds", "--child-heap-mb");
    run(new Options(a.integer("--peers", quick ? 20 : 1000), a.integer("--events", 100),
        Duration.ofSeconds(a.integer("--bound-seconds", 120)), a.integer("--child-heap-mb", quick ? 256 : 1024)),
        System.out);
    System.exit(0);
  }
}
