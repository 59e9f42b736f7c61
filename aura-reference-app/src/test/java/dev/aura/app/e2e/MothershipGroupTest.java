package dev.aura.app.e2e;

import static dev.aura.app.testing.MothershipGroup.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aura.app.testing.Background;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipGroup;
import dev.aura.app.testing.PostgresSchema;
import dev.aura.app.testing.Trees;
import dev.aura.spi.Fingerprint;
import dev.aura.tls.CertificateProbe;
import dev.aura.tls.PinSet;
import dev.aura.tls.TlsContexts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two and three real Motherships (JVMs of their own, separate data directories, loopback ports) on one
 * PostgreSQL schema act as one for {@code peer kick}, {@code tls rotate}, {@code rotate-key}, the sync relay
 * and token consumption (skipped without {@code AURA_TEST_POSTGRES_URL}). Latencies are printed, never
 * asserted.
 */
class MothershipGroupTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG = "[peers]\nheartbeat_interval = \"1s\"\n";

  @TempDir
  Path temp;

  @Test
  void kickOnA_closesThePeersConnectionOnB_withTheKickersWording() throws Exception {
    try (PostgresSchema schema = PostgresSchema.create("aura_group_");
        MothershipGroup group = new MothershipGroup(temp, schema, CONFIG)) {
      group.start("a");
      group.start("b");
      String peerId = ok(group.join("alice", "b", issue(group, "a", "alice@acme.com"))).field("peer_id");
      try (Background connect = new Background(group.env("alice"), "mothership", "connect")) {
        for (int run = 1; run <= 3; run++) {
          connect.awaitOutput("connected: ", run, BOUND);
          group.awaitConnectedPeers("b", 1);
          long started = System.nanoTime();
          Cli.Result kicked = group.host("a", "peer", "kick", peerId);
          long returned = System.nanoTime();
          assertThat(kicked.exit()).as(kicked.toString()).isZero();
          assertThat(kicked.out()).isEqualTo("kicked " + peerId + " (1 connection closed)\n");
          connect.awaitOutput("disconnected: kicked by local-admin; reconnecting in 1s", run, BOUND);
          System.out.printf("MothershipGroupTest: kick on A of a peer on B, run %d: command returned after %d ms"
              + " (B closed the connection before it returned), the peer printed it %d ms after the command"
              + " started%n", run, (returned - started) / 1_000_000, (System.nanoTime() - started) / 1_000_000);
        }
      }
      assertThat(group.host("a", "audit", "--filter", "peer_kicked").out())
          .containsPattern("(?m)^.{19} peer_kicked " + peerId + " by local-admin$");
      group.awaitConnectedPeers("b", 0);
      Cli.Result notConnected = group.host("a", "peer", "kick", peerId);
      assertThat(notConnected.exit()).isNotZero();
      assertThat(notConnected.err()).startsWith("error: " + peerId + " is not connected");
    }
  }

  @Test
  void anInstanceStartedAfterAPeerJoined_isLearnedAtTheNextHeartbeat_andTakesThePeerWhenTheFirstIsKilled()
      throws Exception {
    try (PostgresSchema schema = PostgresSchema.create("aura_group_");
        MothershipGroup group = new MothershipGroup(temp, schema, CONFIG)) {
      dev.aura.app.testing.ChildProcess a = group.start("a");
      String urlA = group.url("a").toString();
      Cli.Result joined = ok(group.join("alice", "a", issue(group, "a", "alice@acme.com")));
      assertThat(joined.field("instances")).isEqualTo(urlA);
      ok(group.join("bob", "a", issue(group, "a", "bob@acme.com"))); // never connects: only pings
      try (Background connect = new Background(group.env("alice"), "mothership", "connect")) {
        connect.awaitOutput("connected: ", 1, BOUND);
        group.start("b");
        String urlB = group.url("b").toString();
        connect.awaitOutput("instances: " + urlA + ", " + urlB + "\n", 1, BOUND);
        assertThat(Files.readString(temp.resolve("alice").resolve("instances.json"))).contains(urlB);
        // A knows B now (alice heard it): a peer that only pings learns it from the ping's answer
        Cli.Result ping = ok(Cli.run(group.env("bob"), "mothership", "ping"));
        assertThat(ping.out()).endsWith("instances: " + urlA + ", " + urlB + "\n");
        assertThat(Files.readString(temp.resolve("bob").resolve("instances.json"))).contains(urlB);
        assertThat(ok(Cli.run(group.env("bob"), "mothership", "ping")).out()).doesNotContain("instances: ");

        a.kill(); // the peer never refreshed since B started, and still fails over to it
        connect.awaitOutput(" (heartbeat 1s)\n", 2, BOUND); // a connected: line ("disconnected: " is not one)
        assertThat(connect.out()).contains("failover: " + urlA + " unreachable (");
        assertThat(connect.out().substring(connect.out().lastIndexOf("\nconnected: ") + 1))
            .contains(" at " + urlB + " as ");
        assertThat(ok(Cli.run(group.env("bob"), "mothership", "ping")).out()) // and so does the one that pings
            .contains("failover: " + urlA + " unreachable (").contains("; trying " + urlB + "\n");
      }
    }
  }

  @Test
  void tlsRotateOnA_isServedByBAtItsNextHandshake_andAnOldPinnedPeerFollowsTheHandoverThroughB()
      throws Exception {
    try (PostgresSchema schema = PostgresSchema.create("aura_group_");
        MothershipGroup group = new MothershipGroup(temp, schema, CONFIG)) {
      group.start("a");
      group.start("b");
      String old = group.host("b", "tls", "info").field("fingerprint");
      ok(group.join("alice", "b", issue(group, "a", "alice@acme.com")));
      ok(group.join("carol", "b", issue(group, "a", "carol@acme.com")));
      String fresh;
      try (Background connected = new Background(group.env("carol"), "mothership", "connect")) {
        connected.awaitOutput("connected: ");
        group.awaitConnectedPeers("b", 1);
        Cli.Result rotated = group.host("a", "tls", "rotate");
        long returned = System.nanoTime();
        assertThat(rotated.exit()).as(rotated.toString()).isZero();
        fresh = rotated.field("fingerprint");
        assertThat(fresh).isNotEqualTo(old);
        String servedByB = "";
        while (!servedByB.equals(fresh) && System.nanoTime() - returned < BOUND.toNanos()) {
          servedByB = CertificateProbe.fetch("127.0.0.1", group.port("b"), Duration.ofSeconds(5)).fingerprint()
              .toString();
        }
        System.out.printf("MothershipGroupTest: tls rotate on A, B served the new certificate %d ms after the"
            + " command returned%n", (System.nanoTime() - returned) / 1_000_000);
        assertThat(servedByB).isEqualTo(fresh);
        // a peer connected to B is handed the signed handover by B, as by the instance that rotated
        connected.awaitOutput("pin_handover: now pinning " + old);
      }
      assertThat(group.host("b", "tls", "info").field("previous"))
          .isEqualTo(group.host("a", "tls", "info").field("previous")).startsWith(old);

      Cli.Result ping = Cli.run(group.env("alice"), "mothership", "ping");
      assertThat(ping.exit()).as(ping.toString()).isZero();
      assertThat(ping.out()).contains("(followed the Mothership's signed certificate handover)");
      assertThat(ping.out()).contains(group.url("b").getPort() + "");

      try (Connection db = schema.connect(); Statement s = db.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM mothership_previous_certificates")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
      group.start("c"); // started during the grace: honours it too
      assertThat(group.host("c", "tls", "info").field("previous"))
          .isEqualTo(group.host("a", "tls", "info").field("previous"));
      assertThat(CertificateProbe.fetch("127.0.0.1", group.port("c"), Duration.ofSeconds(5)).fingerprint()
          .toString()).isEqualTo(fresh);
    }
  }

  @Test
  void rotateKeyOnA_aNewTokenJoinsThroughBAtOnce_andAnOldOneThroughCDuringTheGrace() throws Exception {
    try (PostgresSchema schema = PostgresSchema.create("aura_group_");
        MothershipGroup group = new MothershipGroup(temp, schema, CONFIG)) {
      group.start("a");
      group.start("b");
      group.start("c");
      String signedByOldKey = issue(group, "a", "olga@acme.com");
      Cli.Result rotated = group.host("a", "rotate-key");
      assertThat(rotated.exit()).as(rotated.toString()).isZero();
      String newKid = rotated.field("kid").split(" ")[0];
      String signedByNewKey = issue(group, "a", "nina@acme.com");
      assertThat(kidOf(signedByNewKey)).isEqualTo(newKid);

      Cli.Result joinedB = group.join("nina", "b", signedByNewKey);
      assertThat(joinedB.exit()).as(joinedB.toString()).isZero();
      Cli.Result joinedC = group.join("olga", "c", signedByOldKey);
      assertThat(joinedC.exit()).as(joinedC.toString()).isZero();

      // one retire time, stored once, on every instance
      String previous = rotated.field("previous");
      for (String instance : List.of("a", "b", "c")) {
        assertThat(group.host(instance, "status").field("key_ring"))
            .isEqualTo(group.host("a", "status").field("key_ring"));
      }
      assertThat(previous).contains("verifies until ");
      // the peer that joined through B refreshes through B with a credential signed by the new key
      assertThat(Cli.run(group.env("nina"), "mothership", "ping").exit()).isZero();
    }
  }

  @Test
  void eventsPushedThroughA_reachAPeerSubscribedOnB_inOneGapFreeSequence() throws Exception {
    try (PostgresSchema schema = PostgresSchema.create("aura_group_");
        MothershipGroup group = new MothershipGroup(temp, schema, CONFIG)) {
      group.start("a");
      group.start("b");
      ok(group.join("alice", "a", issue(group, "a", "alice@acme.com")));
      ok(group.join("carol", "a", issue(group, "a", "carol@acme.com")));
      ok(group.join("bob", "b", issue(group, "a", "bob@acme.com")));
      Path a = Files.createDirectories(temp.resolve("trees/alice"));
      Path b = Files.createDirectories(temp.resolve("trees/bob"));
      Path c = Files.createDirectories(temp.resolve("trees/carol"));
      int files = 20;
      try (Background syncA = new Background(group.env("alice"), "sync", "--dir", a.toString());
          Background syncB = new Background(group.env("bob"), "sync", "--dir", b.toString());
          Background syncC = new Background(group.env("carol"), "sync", "--dir", c.toString())) {
        syncA.awaitOutput("syncing: ");
        syncB.awaitOutput("syncing: ");
        syncC.awaitOutput("syncing: ");
        for (int run = 1; run <= 3; run++) {
          long written = System.nanoTime();
          Trees.writeWhole(temp.resolve("staging"), a.resolve("latency-" + run + ".txt"), "run " + run + "\n");
          long[] took = awaitEach(written, List.of(syncA, syncB, syncC), b.resolve("latency-" + run + ".txt"),
              c.resolve("latency-" + run + ".txt"));
          System.out.printf("MothershipGroupTest: event relay, run %d: alice on A to bob on B %d ms, to carol on"
              + " A (same instance) %d ms%n", run, took[0] / 1_000_000, took[1] / 1_000_000);
        }
        for (int i = 0; i < files; i++) { // both instances append to one workspace at once; files written whole,
          // so that each appears once, with its content (the trees are compared as soon as all exist)
          Trees.writeWhole(temp.resolve("staging"), a.resolve("from-alice-" + i + ".txt"), "alice " + i + "\n");
          Trees.writeWhole(temp.resolve("staging"), b.resolve("from-bob-" + i + ".txt"), "bob " + i + "\n");
        }
        for (int i = 0; i < files; i++) {
          for (Path tree : List.of(a, b, c)) {
            Trees.await(tree.resolve("from-alice-" + i + ".txt"), BOUND);
            Trees.await(tree.resolve("from-bob-" + i + ".txt"), BOUND);
          }
        }
      }
      assertThat(Trees.of(b)).isEqualTo(Trees.of(a));
      assertThat(Trees.of(c)).isEqualTo(Trees.of(a));
      try (Connection db = schema.connect(); Statement s = db.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT event_id), min(seq), max(seq),"
              + " count(DISTINCT path) FROM sync_events WHERE workspace = 'default'")) {
        assertThat(rs.next()).isTrue();
        long count = rs.getLong(1);
        assertThat(count).as("events").isGreaterThanOrEqualTo(3 + 2L * files);
        assertThat(rs.getLong(2)).as("distinct event ids").isEqualTo(count);
        assertThat(rs.getLong(3)).as("first sequence").isEqualTo(1);
        assertThat(rs.getLong(4)).as("last sequence: no gaps").isEqualTo(count);
        assertThat(rs.getLong(5)).as("paths").isEqualTo(3 + 2L * files);
      }
    }
  }

  /**
   * 10,000 join attempts over HTTPS, spread evenly over 3 instances by 24 threads (8 per instance, each with
   * its own keep-alive connection), on 100 tokens of 5 uses each: exactly 5 succeed per token, every other
   * attempt is refused as "token already used", and the audit trail has one {@code token_used} per success.
   * Joins are the real consumption route, and the refused ones are cheap (no peer, no credential), which keeps
   * it to well under a minute on 2 loaded cores.
   */
  @Test
  void tenThousandConcurrentJoinAttemptsOverThreeInstances_neverExceedAToken_sUses() throws Exception {
    int tokens = 100;
    int uses = 5;
    int attempts = 10_000;
    int threadsPerInstance = 8;
    String config = CONFIG + "[limits]\nfailed_handshakes_per_minute = 100000\n";
    try (PostgresSchema schema = PostgresSchema.create("aura_group_");
        MothershipGroup group = new MothershipGroup(temp, schema, config)) {
      List<String> instances = List.of("a", "b", "c");
      for (String instance : instances) {
        group.start(instance);
      }
      List<String> issued = new ArrayList<>();
      for (int i = 0; i < tokens; i++) {
        Cli.Result r = group.host(instances.get(i % 3), "token", "issue", "--for", "fleet-" + i + "@acme.com",
            "--uses", Integer.toString(uses));
        assertThat(r.exit()).as(r.toString()).isZero();
        issued.add(r.field("token"));
      }
      String fingerprint = group.host("a", "tls", "info").field("fingerprint");
      Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
      List<String> unexpected = new CopyOnWriteArrayList<>();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(threadsPerInstance * 3);
      List<Future<?>> running = new ArrayList<>();
      long started = System.nanoTime();
      for (int t = 0; t < threadsPerInstance * 3; t++) {
        URI base = group.url(instances.get(t % 3));
        running.add(pool.submit(() -> {
          HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
              .sslContext(TlsContexts.pinnedClient(PinSet.of(Fingerprint.parse(fingerprint)), Clock.systemUTC()))
              .connectTimeout(Duration.ofSeconds(10)).build();
          for (int n = next.getAndIncrement(); n < attempts; n = next.getAndIncrement()) {
            String token = issued.get(n % tokens);
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/join")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Aura-Protocol", "1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\",\"addresses\":[]}")).build();
            try {
              HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
              JsonNode answer = JSON.readTree(response.body());
              if (response.statusCode() == 200 && answer.path("peer_id").isTextual()) {
                successes.computeIfAbsent(token, k -> new AtomicInteger()).incrementAndGet();
              } else if (response.body().contains("token already used")) {
                refused.incrementAndGet();
              } else {
                unexpected.add(response.statusCode() + " " + response.body());
              }
            } catch (Exception e) {
              unexpected.add(e.toString());
            }
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();
      long elapsed = System.nanoTime() - started;
      System.out.printf("MothershipGroupTest: %d join attempts over 3 instances by %d threads in %d ms (%.0f/s)%n",
          attempts, threadsPerInstance * 3, elapsed / 1_000_000, attempts * 1e9 / elapsed);

      assertThat(unexpected).isEmpty();
      Map<String, Integer> perToken = new HashMap<>();
      successes.forEach((k, v) -> perToken.put(k, v.get()));
      assertThat(perToken).hasSize(tokens);
      assertThat(perToken.values()).containsOnly(uses);
      assertThat(refused.get()).isEqualTo(attempts - tokens * uses);
      try (Connection db = schema.connect(); Statement s = db.createStatement()) {
        assertThat(count(s, "SELECT count(*) FROM audit_log WHERE type = 'token_used'"))
            .isEqualTo(tokens * uses);
        assertThat(count(s, "SELECT count(*) FROM peers")).isEqualTo(tokens * uses);
        assertThat(count(s, "SELECT count(*) FROM token_ledger WHERE uses_consumed <> allowed_uses")).isZero();
      }
      assertThat(group.host("b", "audit", "--verify").exit()).isZero();
    }
  }

  private static long count(Statement s, String query) throws Exception {
    try (ResultSet rs = s.executeQuery(query)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }

  /**
   * @return for each file, the nanoseconds from {@code since} until it appeared (polled together, every 2 ms);
   *     on timeout the failure shows what the syncs printed and where this JVM's threads are (the syncs run in it)
   */
  private static long[] awaitEach(long since, List<Background> syncs, Path... files) throws InterruptedException {
    long[] took = new long[files.length];
    int left = files.length;
    while (left > 0) {
      if (System.nanoTime() - since >= BOUND.toNanos()) {
        StringBuilder why = new StringBuilder(List.of(files) + " did not all appear within " + BOUND + "\n");
        for (Background sync : syncs) {
          why.append("--- sync out\n").append(sync.out()).append("--- sync err\n").append(sync.err());
        }
        why.append("--- threads\n");
        Thread.getAllStackTraces().forEach((t, stack) -> {
          why.append(t.getName()).append(' ').append(t.getState()).append('\n');
          for (int i = 0; i < Math.min(stack.length, 25); i++) {
            why.append("    at ").append(stack[i]).append('\n');
          }
        });
        throw new AssertionError(why.toString());
      }
      for (int i = 0; i < files.length; i++) {
        if (took[i] == 0 && Files.exists(files[i])) {
          took[i] = System.nanoTime() - since;
          left--;
        }
      }
      Thread.sleep(2);
    }
    return took;
  }

  private static String kidOf(String token) throws Exception {
    return JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))))
        .path("kid").asText();
  }

  private static String issue(MothershipGroup group, String instance, String subject) {
    Cli.Result r = group.host(instance, "token", "issue", "--for", subject);
    assertThat(r.exit()).as(r.toString()).isZero();
    return r.field("token");
  }

  private static Cli.Result ok(Cli.Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
    return r;
  }
}
