package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.cli.CliEnvironment;
import dev.aura.app.config.DataDir;
import dev.aura.app.testing.Background;
import dev.aura.app.testing.ChildProcess;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.PostgresSchema;
import dev.aura.app.testing.Trees;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real Motherships (JVMs of their own, separate data directories, loopback ports) on one PostgreSQL
 * schema: a peer learns both instances at join, {@code status} lists them with their health and peers, and
 * after {@code kill -9} of the instance a running {@code aura sync} peer is connected to, the peer reconnects
 * to the other one and nothing acknowledged before the kill is lost (skipped without
 * {@code AURA_TEST_POSTGRES_URL}).
 */
class InstanceFailoverTest {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final String WORKSPACE = "failover";
  private static final int ACKED_BEFORE = 20;
  private static final int IN_FLIGHT = 10;
  private static final int AFTER = 10;

  @TempDir
  Path temp;

  @Test
  void killingThePeersInstance_failsItOverToTheOther_andLosesNothingAcknowledged() throws Exception {
    try (PostgresSchema schema = PostgresSchema.create("c2_failover_")) {
      failover(schema);
    }
  }

  private void failover(PostgresSchema schema) throws Exception {
    Path keyFile = temp.resolve("shared").resolve("store-key.secret");
    Path logs = temp.resolve("logs");
    try (ChildProcess a = start("a", schema.url(), keyFile, logs);
        ChildProcess b = start("b", schema.url(), keyFile, logs)) {
      String urlA = "https://127.0.0.1:" + port("a");
      String urlB = "https://127.0.0.1:" + port("b");

      // Status on A lists both instances, healthy.
      List<String> instances = awaitInstances("a", 2, lines -> lines.stream().allMatch(l -> l.contains(" ok (")));
      assertThat(instances).anySatisfy(l -> assertThat(l).startsWith(urlA + " ok (").endsWith(", this instance)"));
      assertThat(instances).anySatisfy(l -> assertThat(l).startsWith(urlB + " ok (").doesNotContain("this instance"));

      // A join through A learns both instances, A first.
      Cli.Result aliceJoined = join("alice", issue("a", "alice@acme.com"), urlA);
      assertThat(aliceJoined.exit()).as(aliceJoined.toString()).isZero();
      assertThat(aliceJoined.field("instances")).isEqualTo(urlA + ", " + urlB);
      assertThat(Files.readString(temp.resolve("alice").resolve("instances.json"))).contains(urlA).contains(urlB);

      Path aliceDir = Files.createDirectories(temp.resolve("alice-files"));
      try (Background sync = new Background(env("alice"), "sync", "--dir", aliceDir.toString(), "--workspace",
          WORKSPACE)) {
        awaitConnected(sync, 1);
        assertThat(sync.out()).contains("\nconnected: ").contains(" at " + urlA + " as ");
        awaitInstanceLine("a", urlA, " ok (", "connected_peers 1,");

        // Acknowledged before the kill: ACKED_BEFORE events, a token, a revoked token, their audit entries.
        write(aliceDir, 0, ACKED_BEFORE);
        await("the first " + ACKED_BEFORE + " events acknowledged", () -> unacked("alice") == 0
            && events(schema).size() == ACKED_BEFORE, () -> progress(schema, sync));
        Cli.Result erinToken = Cli.run(env("a"), "mothership", "token", "issue", "--for", "erin@acme.com");
        Cli.Result frankToken = Cli.run(env("a"), "mothership", "token", "issue", "--for", "frank@acme.com");
        assertThat(erinToken.exit()).as(erinToken.toString()).isZero();
        assertThat(frankToken.exit()).as(frankToken.toString()).isZero();
        Cli.Result revoked = Cli.run(env("a"), "mothership", "token", "revoke", frankToken.field("jti"));
        assertThat(revoked.exit()).as(revoked.toString()).isZero();
        List<String> auditBefore = audit(schema);
        long revocationsBefore = count(schema, "SELECT count(*) FROM revocations");
        long ledgerBefore = count(schema, "SELECT count(*) FROM token_ledger");

        // Writes in flight at the kill: acknowledged or not, each must end in the log exactly once.
        write(aliceDir, ACKED_BEFORE, IN_FLIGHT);
        int connectedBefore = connections(sync.out());
        a.kill();
        long killedAt = System.nanoTime();
        awaitConnected(sync, connectedBefore + 1);
        long reconnectMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("InstanceFailoverTest: kill -9 of A, peer connected to B %d ms later%n", reconnectMillis);
        String afterKill = sync.out().substring(sync.out().lastIndexOf("\nconnected: ") + 1);
        assertThat(afterKill).startsWith("connected: ").contains(" at " + urlB + " as ");
        assertThat(sync.out()).contains("failover: " + urlA + " unreachable (cannot reach 127.0.0.1:" + port("a"));

        write(aliceDir, ACKED_BEFORE + IN_FLIGHT, AFTER);
        int total = ACKED_BEFORE + IN_FLIGHT + AFTER;
        await("all " + total + " events acknowledged through B", () -> unacked("alice") == 0
            && events(schema).size() == total, () -> progress(schema, sync));

        // Exact accounting: every file one event, once, in a gap-free sequence.
        List<Event> events = events(schema);
        assertThat(events).hasSize(total);
        assertThat(events.stream().map(Event::id).collect(Collectors.toSet())).hasSize(total);
        assertThat(events.stream().map(Event::path).collect(Collectors.toSet())).isEqualTo(paths(total));
        for (int i = 0; i < total; i++) {
          assertThat(events.get(i).seq()).isEqualTo(i + 1);
        }

        // Status on B: A is stale, B carries alice; doctor on B says DR016.
        List<String> group = awaitInstances("b", 2, lines -> lines.stream().anyMatch(l -> l.startsWith(urlA
            + " stale heartbeat (last ")));
        assertThat(group).anySatisfy(l -> assertThat(l).startsWith(urlB + " ok (").contains("connected_peers 1,"));
        Cli.Result doctor = Cli.run(env("b"), "doctor");
        assertThat(doctor.out()).as(doctor.toString()).containsPattern("(?m)^warning +DR016 Mothership instance not"
            + " reporting \\(stale heartbeat\\): " + java.util.regex.Pattern.quote(urlA) + " \\(i-[0-9a-f]{12}\\):"
            + " stale heartbeat, last ");

        // Ledger, revocations and audit written before the kill are all there, through B.
        assertThat(count(schema, "SELECT count(*) FROM token_ledger")).isGreaterThanOrEqualTo(ledgerBefore);
        assertThat(count(schema, "SELECT count(*) FROM revocations")).isEqualTo(revocationsBefore);
        Cli.Result erin = join("erin", erinToken.field("token"), urlB);
        assertThat(erin.exit()).as(erin.toString()).isZero();
        Cli.Result frank = join("frank", frankToken.field("token"), urlB);
        assertThat(frank.exit()).as(frank.toString()).isNotZero();
        assertThat(frank.err()).startsWith("error: revoked");
        List<String> auditAfter = audit(schema);
        assertThat(auditAfter.subList(0, auditBefore.size())).isEqualTo(auditBefore);
        Cli.Result verified = Cli.run(env("b"), "mothership", "audit", "--verify");
        assertThat(verified.exit()).as(verified.toString()).isZero();

        // A second peer, through B, receives every event: the same tree as alice's.
        Cli.Result daveJoined = join("dave", issue("b", "dave@acme.com"), urlB);
        assertThat(daveJoined.exit()).as(daveJoined.toString()).isZero();
        Path daveDir = Files.createDirectories(temp.resolve("dave-files"));
        Cli.Result pulled = Cli.run(env("dave"), "sync", "--dir", daveDir.toString(), "--workspace", WORKSPACE,
            "--once");
        assertThat(pulled.exit()).as(pulled.toString()).isZero();
        for (String path : paths(total)) {
          assertThat(daveDir.resolve(path)).hasSameTextualContentAs(aliceDir.resolve(path));
        }
      }

      // join --url A --url B with A down joins through B.
      Cli.Result carol = Cli.run(env("carol"), "mothership", "join", "--url", urlA, "--url", urlB, "--token",
          issue("b", "carol@acme.com"), "--announce", "127.0.0.1");
      assertThat(carol.exit()).as(carol.toString()).isZero();
      assertThat(carol.err()).startsWith("failover: " + urlA + " unreachable (cannot reach 127.0.0.1:" + port("a")
          + ": tcp connect: connection refused); trying " + urlB + "\n");
      assertThat(carol.field("joined")).endsWith(" at " + urlB);
      assertThat(carol.field("instances")).isEqualTo(urlB + ", " + urlA);

      // alice joined through A, which is down: ping fails over to B.
      Cli.Result alicePing = Cli.run(env("alice"), "mothership", "ping");
      assertThat(alicePing.exit()).as(alicePing.toString()).isZero();
      assertThat(alicePing.out()).startsWith("ping 127.0.0.1:" + port("a") + "\nfailover: " + urlA
          + " unreachable (cannot reach 127.0.0.1:" + port("a") + ": tcp connect: connection refused); trying "
          + urlB + "\n").contains("credential: accepted (");

      // A damaged instance list is a typed error for the peer state, not a crash: ping still reaches B.
      Files.writeString(temp.resolve("carol").resolve("instances.json"), "{\"instances\": [42]}\n");
      Cli.Result ping = Cli.run(env("carol"), "mothership", "ping");
      assertThat(ping.exit()).as(ping.toString()).isZero();
    }
  }

  @Test
  void anInstanceThatLosesTheDatabase_saysStoreUnreachable_itsPeersMoveOn_andTheOthersSeeItStale()
      throws Exception {
    try (PostgresSchema schema = PostgresSchema.create("c2_lost_")) {
      String base = System.getenv("AURA_TEST_POSTGRES_URL");
      org.junit.jupiter.api.Assumptions.assumeTrue(base.contains("user=postgres"),
          "AURA_TEST_POSTGRES_URL must name user=postgres to create a role of its own");
      String role = "c2_lost_" + Long.toHexString(System.nanoTime());
      try (Connection c = schema.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE ROLE " + role + " LOGIN SUPERUSER");
      }
      try {
        losesTheDatabase(schema, schema.url().replace("user=postgres", "user=" + role), role);
      } finally {
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
          s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
          s.execute("REASSIGN OWNED BY " + role + " TO CURRENT_USER");
          s.execute("DROP OWNED BY " + role);
          s.execute("DROP ROLE " + role);
        }
      }
    }
  }

  /**
   * A connects as {@code role}; taking the role's login away (and its sessions) cuts A, and only A, off. A
   * peer syncing through A fails over to B (told by A's heartbeat, or by its refused push) and every event
   * written before and after ends in the log once.
   */
  private void losesTheDatabase(PostgresSchema schema, String urlOfA, String role) throws Exception {
    Path keyFile = temp.resolve("shared").resolve("store-key.secret");
    Path logs = temp.resolve("logs");
    try (ChildProcess a = start("a", urlOfA, keyFile, logs);
        ChildProcess b = start("b", schema.url(), keyFile, logs)) {
      String urlA = "https://127.0.0.1:" + port("a");
      String urlB = "https://127.0.0.1:" + port("b");
      awaitInstances("b", 2, lines -> lines.stream().allMatch(l -> l.contains(" ok (")));
      dev.aura.app.testing.Https healthA = new dev.aura.app.testing.Https(java.net.URI.create(urlA),
          Cli.run(env("a"), "mothership", "status").field("fingerprint"));
      assertThat(healthA.get("/healthz").body()).isEqualTo("{\"status\":\"ok\"}\n");

      // A peer syncing through A, which then loses its database, moves to B and loses nothing.
      Cli.Result joined = join("alice", issue("a", "alice@acme.com"), urlA);
      assertThat(joined.exit()).as(joined.toString()).isZero();
      assertThat(joined.field("instances")).isEqualTo(urlA + ", " + urlB);
      // and a peer only connected (no sync, so nothing but A's heartbeat can tell it)
      Cli.Result bobJoined = join("bob", issue("a", "bob@acme.com"), urlA);
      assertThat(bobJoined.exit()).as(bobJoined.toString()).isZero();
      // and one that only pings now and then
      Cli.Result carolJoined = join("carol", issue("a", "carol@acme.com"), urlA);
      assertThat(carolJoined.exit()).as(carolJoined.toString()).isZero();
      Path aliceDir = Files.createDirectories(temp.resolve("alice-files"));
      try (Background sync = new Background(env("alice"), "sync", "--dir", aliceDir.toString(), "--workspace",
          WORKSPACE);
          Background bob = new Background(env("bob"), "mothership", "connect")) {
        awaitConnected(sync, 1);
        awaitConnected(bob, 1);
        assertThat(sync.out()).contains(" at " + urlA + " as ");
        assertThat(bob.out()).contains(" at " + urlA + " as ");
        write(aliceDir, 0, 5);
        await("5 events acknowledged through A", () -> unacked("alice") == 0 && events(schema).size() == 5,
            () -> progress(schema, sync));

        cutOff(schema, role);
        write(aliceDir, 5, 5);
        awaitConnected(sync, 2);
        String afterLoss = sync.out().substring(sync.out().lastIndexOf("\nconnected: ") + 1);
        assertThat(afterLoss).startsWith("connected: ").contains(" at " + urlB + " as ");
        assertThat(sync.out()).containsPattern("failover: " + java.util.regex.Pattern.quote(urlA)
            + " cannot reach its database \\((it says store unreachable|events not persisted|store unreachable: .+)\\);"
            + " trying "
            + java.util.regex.Pattern.quote(urlB));
        await("all 10 events acknowledged through B", () -> unacked("alice") == 0 && events(schema).size() == 10,
            () -> progress(schema, sync));
        awaitConnected(bob, 2);
        assertThat(bob.out()).contains("failover: " + urlA + " cannot reach its database (it says store"
            + " unreachable); trying " + urlB);
        assertThat(bob.out().substring(bob.out().lastIndexOf("\nconnected: ") + 1)).contains(" at " + urlB + " as ");
        // A answers carol's ping `store unreachable`, or not within the ping's 5 s while its pool waits for the
        // database; either way the ping tries B, which answers it
        Cli.Result ping = Cli.run(env("carol"), "mothership", "ping");
        assertThat(ping.exit()).as(ping.toString()).isZero();
        assertThat(ping.out()).containsPattern("(?m)^failover: " + java.util.regex.Pattern.quote(urlA)
            + " (cannot reach its database \\(store unreachable: the Mothership cannot reach its database \\(its"
            + " log says why\\)\\)|unreachable \\(no answer from [^)]*\\)); trying "
            + java.util.regex.Pattern.quote(urlB) + "$").contains("credential: accepted (");
        Cli.Result pingJson = Cli.run(env("carol"), "mothership", "ping", "--json");
        assertThat(pingJson.exit()).as(pingJson.toString()).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(pingJson.out()).path("target").asText())
            .isEqualTo("127.0.0.1:" + java.net.URI.create(urlB).getPort());
        // what A told its peers of its failure: not where its database is, nor as whom it connects
        for (String told : List.of(sync.out(), sync.err(), bob.out(), bob.err(), ping.out(), ping.err())) {
          assertThat(told).doesNotContain("postgresql://").doesNotContain(role);
        }
        List<Event> events = events(schema);
        assertThat(events.stream().map(Event::path).collect(Collectors.toSet())).isEqualTo(paths(10));
        for (int i = 0; i < events.size(); i++) {
          assertThat(events.get(i).seq()).isEqualTo(i + 1);
        }
      }

      await("A's /healthz says store_unreachable", () -> healthA.get("/healthz").statusCode() == 503);
      java.net.http.HttpResponse<String> degraded = healthA.get("/healthz");
      assertThat(degraded.body()).isEqualTo("{\"status\":\"degraded\",\"reason\":\"store_unreachable\"}\n");
      List<String> seenByA = awaitInstances("a", 2, lines -> lines.stream().anyMatch(l -> l.startsWith(urlA
          + " cannot reach the database (")));
      assertThat(seenByA).anySatisfy(l -> assertThat(l).startsWith(urlB + " "));
      Cli.Result statusA = Cli.run(env("a"), "mothership", "status");
      assertThat(statusA.out()).as(statusA.toString()).contains("instances_error: cannot reach the database (");
      assertThat(statusA.field("health")).isEqualTo("degraded: store_unreachable");
      List<String> seenByB = awaitInstances("b", 2, lines -> lines.stream().anyMatch(l -> l.startsWith(urlA
          + " stale heartbeat (last ")));
      assertThat(seenByB).anySatisfy(l -> assertThat(l).startsWith(urlB + " ok ("));
      Cli.Result doctor = Cli.run(env("b"), "doctor");
      assertThat(doctor.out()).as(doctor.toString()).contains("DR016").contains(urlA);
    }
  }

  /** Takes the login of A's role away, and its sessions: A, and only A, loses the database. */
  private static void cutOff(PostgresSchema schema, String role) throws SQLException {
    try (Connection c = schema.connect(); Statement s = c.createStatement()) {
      s.execute("ALTER ROLE " + role + " NOLOGIN");
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
    }
  }

  private record Event(long seq, String id, String path) {}

  private static List<Event> events(PostgresSchema schema) {
    try (Connection c = schema.connect(); PreparedStatement s = c.prepareStatement(
        "SELECT seq, event_id, path FROM sync_events WHERE workspace = ? ORDER BY seq")) {
      s.setString(1, WORKSPACE);
      List<Event> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new Event(rs.getLong(1), rs.getString(2), rs.getString(3)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> audit(PostgresSchema schema) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = schema.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT seq, type, hash FROM audit_log ORDER BY seq")) {
      while (rs.next()) {
        out.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
    }
    return out;
  }

  private static long count(PostgresSchema schema, String query) throws SQLException {
    try (Connection c = schema.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Set<String> paths(int n) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < n; i++) {
      out.add(String.format("file-%03d.txt", i));
    }
    return out;
  }

  /**
   * Writes each file beside the tree and moves it in whole: a scan that caught a file created but not yet
   * written would log an empty version as an event of its own, and the accounting counts one event per file.
   */
  private void write(Path dir, int from, int n) throws IOException {
    for (int i = from; i < from + n; i++) {
      Trees.writeWhole(temp.resolve("staging"), dir.resolve(String.format("file-%03d.txt", i)),
          "content of file " + i + "\n");
    }
  }

  private String progress(PostgresSchema schema, Background sync) {
    return "\nunacked: " + unacked("alice") + "\nevents: " + events(schema) + "\nsync out:\n" + sync.out()
        + "\nsync err:\n" + sync.err();
  }

  private long unacked(String peer) {
    Cli.Result wal = Cli.run(env(peer), "wal", "status");
    for (String line : wal.out().split("\n")) {
      if (line.strip().startsWith("unacked events: ")) {
        return Long.parseLong(line.strip().substring("unacked events: ".length()).split(" ")[0]);
      }
    }
    return -1;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(what, condition, () -> "");
  }

  private static void await(String what, BooleanSupplier condition, java.util.function.Supplier<String> diagnosis)
      throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(what + ": not within " + BOUND + diagnosis.get());
  }

  /** @return the {@code instance:} lines of {@code status}, once there are {@code n} and they satisfy the test */
  private List<String> awaitInstances(String mothership, int n, java.util.function.Predicate<List<String>> test)
      throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    List<String> lines = List.of();
    Cli.Result status = null;
    while (System.nanoTime() < deadline) {
      status = Cli.run(env(mothership), "mothership", "status");
      lines = status.out().lines().filter(l -> l.startsWith("instance: "))
          .map(l -> l.substring("instance: ".length())).toList();
      if (lines.size() == n && test.test(lines)) {
        return lines;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("status of " + mothership + " never listed the expected instances:\n" + status);
  }

  private void awaitInstanceLine(String mothership, String url, String... parts) throws InterruptedException {
    awaitInstances(mothership, 2, lines -> lines.stream().anyMatch(l -> l.startsWith(url)
        && java.util.Arrays.stream(parts).allMatch(l::contains)));
  }

  /** @return the {@code connected: } lines (not {@code disconnected: }) */
  private static int connections(String out) {
    return (int) out.lines().filter(l -> l.startsWith("connected: ")).count();
  }

  private static void awaitConnected(Background sync, int times) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (connections(sync.out()) < times) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not connected " + times + " time(s) within " + BOUND + ":\n" + sync.out()
            + "\n" + sync.err());
      }
      Thread.sleep(10);
    }
  }

  private String issue(String mothership, String subject) {
    Cli.Result issued = Cli.run(env(mothership), "mothership", "token", "issue", "--for", subject);
    assertThat(issued.exit()).as(issued.toString()).isZero();
    return issued.field("token");
  }

  private Cli.Result join(String peer, String token, String url) {
    return Cli.run(env(peer), "mothership", "join", "--url", url, "--token", token, "--announce", "127.0.0.1");
  }

  private ChildProcess start(String name, String url, Path keyFile, Path logs) throws IOException {
    Files.createDirectories(dataDir(name).root());
    Files.writeString(dataDir(name).configFile(), "[store]\nurl = \"" + url + "\"\nkey_file = \"" + keyFile
        + "\"\n[peers]\nheartbeat_interval = \"1s\"\n");
    ChildProcess process = ChildProcess.start(temp.resolve(name), logs, "mothership-" + name, "mothership", "start",
        "--bind", "127.0.0.1", "--port", Integer.toString(freePort()));
    process.awaitOutput("stop with: ", BOUND);
    return process;
  }

  private int port(String mothership) throws IOException {
    return dataDir(mothership).readUrl().orElseThrow().getPort();
  }

  private DataDir dataDir(String name) {
    return new DataDir(temp.resolve(name).resolve("mothership"));
  }

  private CliEnvironment env(String name) {
    return CliEnvironment.builder().variable("AURA_HOME", temp.resolve(name).toString()).userHome(temp)
        .clock(Clock.systemUTC()).build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
