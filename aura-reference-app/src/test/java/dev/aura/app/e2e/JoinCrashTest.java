package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aura.app.cli.CliEnvironment;
import dev.aura.app.config.DataDir;
import dev.aura.app.testing.ChildProcess;
import dev.aura.app.testing.Cli;
import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditVerification;
import dev.aura.store.jdbc.JdbcStoreOptions;
import dev.aura.store.jdbc.JdbcStores;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import dev.aura.spi.Fingerprint;
import dev.aura.tls.PinSet;
import dev.aura.tls.TlsContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a real Mothership (a JVM of its own, {@link ChildProcess}) at random moments of a stream
 * of concurrent joins over HTTPS, {@value #ROUNDS} rounds on one data directory, with an exact accounting
 * after each kill, read from the database itself while the Mothership is down:
 * <ul>
 *   <li>every consumed use of every token has exactly one peer that joined with it, one refresh credential
 *       of that peer and one {@code token_used} entry naming that peer and token;
 *   <li>every join the server acknowledged (a 200 with its {@code peer_id}) exists;
 *   <li>nothing else exists: no peer, credential or {@code token_used} entry without its consumed use;
 *   <li>the audit chain verifies.
 * </ul>
 * Tokens are one-shot and multi-use (both consume through the same ledger). On SQLite always; on PostgreSQL
 * too when {@code AURA_TEST_POSTGRES_URL} is set (a schema of its own, dropped after). The kill moments come
 * from a seed printed in the output and in every failure message.
 */
class JoinCrashTest {
  private static final int ROUNDS = 12;
  private static final int CLIENTS = 8;
  private static final int ONE_SHOTS_PER_ROUND = 24;
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path temp;
  private final long seed = new Random().nextLong();

  @Test
  void killingTheMothershipDuringConcurrentJoins_onSqlite_leavesEveryConsumedUseWholeAndNothingElse()
      throws Exception {
    System.out.println("JoinCrashTest SQLite: seed " + seed);
    Path home = temp.resolve("sqlite");
    DataDir data = new DataDir(home.resolve("mothership"));
    run(home, "", data.defaultStoreUrl(), JdbcStoreOptions.defaults());
  }

  @Test
  void killingTheMothershipDuringConcurrentJoins_onPostgres_leavesEveryConsumedUseWholeAndNothingElse()
      throws Exception {
    String base = System.getenv("AURA_TEST_POSTGRES_URL");
    assumeTrue(base != null && !base.isBlank(), "AURA_TEST_POSTGRES_URL is not set: no PostgreSQL to test against");
    System.out.println("JoinCrashTest PostgreSQL: seed " + seed);
    String schema = "aura_joincrash_" + Long.toHexString(seed & 0xffff_ffffL);
    try (Connection db = DriverManager.getConnection(base); Statement s = db.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    try {
      String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      Path keyFile = temp.resolve("signing-key.secret");
      run(temp.resolve("pg"), "[store]\nurl = \"" + url + "\"\nkey_file = \"" + keyFile + "\"\n", url,
          JdbcStoreOptions.builder().keyFile(keyFile).build());
    } finally {
      try (Connection db = DriverManager.getConnection(base); Statement s = db.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  private void run(Path home, String storeConfig, String storeUrl, JdbcStoreOptions options) throws Exception {
    Random random = new Random(seed);
    int port = freePort();
    DataDir data = new DataDir(home.resolve("mothership"));
    Files.createDirectories(data.root());
    Files.writeString(data.configFile(), storeConfig);
    CliEnvironment env = CliEnvironment.builder().variable("AURA_HOME", home.toString()).userHome(temp)
        .clock(Clock.systemUTC()).build();
    Set<String> acknowledged = new HashSet<>();
    int totalAcknowledged = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      String when = "round " + round + " of " + ROUNDS + " (seed " + seed + ")";
      ChildProcess mothership = ChildProcess.start(home, temp.resolve("logs"), "mothership", "mothership", "start",
          "--bind", "127.0.0.1", "--port", Integer.toString(port));
      try {
        mothership.awaitOutput("stop with: ", BOUND);
        ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < ONE_SHOTS_PER_ROUND; i++) {
          tokens.add(issue(env, "one-shot-" + round + "-" + i + "@acme.com"));
        }
        String multiUse = issue(env, "team-" + round + "@acme.com", "--uses", "100000");
        String fingerprint = Cli.run(env, "mothership", "tls", "info").field("fingerprint");
        Joiners joiners = new Joiners(URI.create("https://127.0.0.1:" + port), fingerprint, tokens, multiUse);
        joiners.start();
        joiners.awaitJoins(1 + random.nextInt(CLIENTS * 3), mothership);
        Thread.sleep(random.nextInt(400));
        mothership.kill();
        joiners.stop();
        acknowledged.addAll(joiners.acknowledged);
        totalAcknowledged += joiners.acknowledged.size();
        assertThat(joiners.unexpected).as("answers other than a join or a dropped connection, %s", when).isEmpty();
      } finally {
        mothership.close();
      }
      int uses = assertExactAccounting(storeUrl, options, acknowledged, when);
      System.out.printf("JoinCrashTest %s: %d joins acknowledged in total, %d uses consumed and accounted%n", when,
          totalAcknowledged, uses);
    }
    assertThat(acknowledged).as("acknowledged joins over %d rounds", ROUNDS).hasSize(totalAcknowledged)
        .hasSizeGreaterThan(ROUNDS);
  }

  /** @return the uses consumed in total */
  private int assertExactAccounting(String storeUrl, JdbcStoreOptions options, Set<String> acknowledged,
      String when) throws Exception {
    try (JdbcStores stores = JdbcStores.open(storeUrl, options)) {
      AuditVerification chain = AuditChain.verify(stores.auditLog());
      assertThat(chain.entriesChecked()).as("audit entries after the kill in %s", when).isPositive();
      assertThat(chain.isIntact()).as("audit chain after the kill in %s: %s", when, chain.problemIfAny())
          .isTrue();
    }
    try (Connection db = connect(storeUrl)) {
      Map<String, Integer> consumed = new HashMap<>();
      try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT jti, uses_consumed FROM token_ledger")) {
        while (rs.next()) {
          consumed.put(rs.getString(1), rs.getInt(2));
        }
      }
      Map<String, String> peerToken = new HashMap<>();
      try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT peer_id, joined_with FROM peers")) {
        while (rs.next()) {
          peerToken.put(rs.getString(1), rs.getString(2));
        }
      }
      List<String> credentialPeers = new ArrayList<>();
      try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT peer_id FROM refresh_credentials")) {
        while (rs.next()) {
          credentialPeers.add(rs.getString(1));
        }
      }
      Map<String, String> usedPeerToken = new HashMap<>();
      int usedEntries = 0;
      try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT peer, reference FROM audit_log WHERE type = 'token_used'")) {
        while (rs.next()) {
          usedPeerToken.put(rs.getString(1), rs.getString(2));
          usedEntries++;
        }
      }

      int uses = consumed.values().stream().mapToInt(Integer::intValue).sum();
      assertThat(peerToken).as("peers after the kill in %s", when).hasSize(uses);
      assertThat(usedEntries).as("token_used entries after the kill in %s", when).isEqualTo(uses);
      assertThat(usedPeerToken).as("token_used entries, by peer, after the kill in %s", when)
          .isEqualTo(peerToken);
      assertThat(credentialPeers).as("refresh credentials after the kill in %s", when)
          .containsExactlyInAnyOrderElementsOf(peerToken.keySet());
      Map<String, Integer> peersPerToken = new HashMap<>();
      peerToken.values().forEach(jti -> peersPerToken.merge(jti, 1, Integer::sum));
      for (Map.Entry<String, Integer> e : consumed.entrySet()) {
        assertThat(peersPerToken.getOrDefault(e.getKey(), 0)).as("peers that joined with %s (uses consumed %d),"
            + " after the kill in %s", e.getKey(), e.getValue(), when).isEqualTo(e.getValue());
      }
      assertThat(peerToken.keySet()).as("acknowledged joins after the kill in %s", when)
          .containsAll(acknowledged);
      return uses;
    }
  }

  private static Connection connect(String storeUrl) throws Exception {
    return DriverManager.getConnection(storeUrl.startsWith("sqlite:") ? "jdbc:" + storeUrl : storeUrl);
  }

  private String issue(CliEnvironment env, String subject, String... more) {
    List<String> args = new ArrayList<>(List.of("mothership", "token", "issue", "--for", subject));
    args.addAll(List.of(more));
    Cli.Result r = Cli.run(env, args.toArray(new String[0]));
    assertThat(r.exit()).as("%s (seed %d)", r, seed).isZero();
    return r.field("token");
  }

  /** {@value #CLIENTS} threads joining as fast as they can, one-shot tokens first, until stopped or cut off. */
  private static final class Joiners {
    final Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final URI base;
    private final HttpClient http;
    private final ConcurrentLinkedQueue<String> oneShots;
    private final String multiUse;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger joins = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    Joiners(URI base, String fingerprint, ConcurrentLinkedQueue<String> oneShots, String multiUse) {
      this.base = base;
      this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(TlsContexts.pinnedClient(PinSet.of(Fingerprint.parse(fingerprint)), Clock.systemUTC()))
          .connectTimeout(Duration.ofSeconds(5)).build();
      this.oneShots = oneShots;
      this.multiUse = multiUse;
    }

    void start() {
      for (int i = 0; i < CLIENTS; i++) {
        Thread t = new Thread(this::joinUntilStopped, "joiner-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    private void joinUntilStopped() {
      while (!stopped.get()) {
        String token = oneShots.poll();
        String body = "{\"token\":\"" + (token != null ? token : multiUse) + "\",\"addresses\":[]}";
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/join")).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json").header("Aura-Protocol", "1").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
          response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          return; // the server died under the request: not acknowledged
        } catch (InterruptedException e) {
          return;
        }
        try {
          JsonNode answer = JSON.readTree(response.body());
          if (response.statusCode() == 200 && answer.path("peer_id").isTextual()) {
            acknowledged.add(answer.path("peer_id").asText());
            joins.incrementAndGet();
          } else {
            unexpected.add(response.statusCode() + " " + response.body());
            return;
          }
        } catch (IOException e) {
          unexpected.add(response.statusCode() + " unreadable: " + response.body());
          return;
        }
      }
    }

    /** Waits until {@code n} joins were acknowledged (or the stream ended), bounded. */
    void awaitJoins(int n, ChildProcess mothership) throws InterruptedException {
      long deadline = System.nanoTime() + BOUND.toNanos();
      while (joins.get() < n && threads.stream().anyMatch(Thread::isAlive)) {
        assertThat(System.nanoTime()).as("%d joins within %s; %s", n, BOUND, mothership.describe())
            .isLessThan(deadline);
        Thread.sleep(2);
      }
    }

    void stop() throws InterruptedException {
      stopped.set(true);
      for (Thread t : threads) {
        t.join(BOUND.toMillis());
        assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
