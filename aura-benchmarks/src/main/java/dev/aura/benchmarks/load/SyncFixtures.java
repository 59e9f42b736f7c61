package dev.aura.benchmarks.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.ControlConnection;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.Change;
import dev.aura.sync.ContentHash;
import dev.aura.sync.EventLog;
import dev.aura.sync.EventLogException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** What the sync harnesses share: joined peers, small blobs, file-put changes, a throw-away PostgreSQL schema. */
final class SyncFixtures {
  /** The environment variable that names the PostgreSQL server, as for the other PostgreSQL benchmarks. */
  static final String POSTGRES_ENV = "AURA_TEST_POSTGRES_URL";

  private SyncFixtures() {}

  /**
   * A joined peer.
   *
   * @param id its peer id
   * @param credential its refresh credential (a secret: never print it)
   */
  record Joined(PeerId id, String credential) {}

  /** Joins every token over HTTPS ({@code POST /v1/join}) with {@code clients} clients. */
  static List<Joined> joinAll(LoadServer server, List<String> tokens, int clients, Duration bound) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<MothershipClient> pinned = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        pinned.add(server.client());
      }
      List<Future<Joined>> futures = new ArrayList<>();
      for (int i = 0; i < tokens.size(); i++) {
        MothershipClient client = pinned.get(i % clients);
        String token = tokens.get(i);
        futures.add(pool.submit(() -> {
          ObjectNode body = Wire.object();
          body.put("token", token);
          body.putArray("addresses");
          ObjectNode reply = client.post(Wire.JOIN, body, null).body();
          return new Joined(PeerId.parse(reply.path("peer_id").asText()), reply.path("refresh_credential").asText());
        }));
      }
      List<Joined> out = new ArrayList<>();
      long deadline = System.nanoTime() + bound.toNanos();
      for (Future<Joined> f : futures) {
        out.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** @return {@code count} distinct small contents (about 40 bytes each) */
  static List<byte[]> blobs(String prefix, int count) {
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(("content " + prefix + " #" + i + " of a small source file\n").getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Stores the contents in the workspace directly (what an upload does, without HTTP). */
  static List<ContentHash> storeBlobs(EventLog log, WorkspaceName workspace, List<byte[]> contents)
      throws EventLogException, IOException {
    List<ContentHash> hashes = new ArrayList<>();
    for (byte[] c : contents) {
      ContentHash hash = ContentHash.of(c);
      log.putBlob(workspace, hash, new java.io.ByteArrayInputStream(c));
      hashes.add(hash);
    }
    return hashes;
  }

  /** Uploads the contents as a peer does ({@code PUT /v1/sync/<ws>/blobs/<sha256>}). */
  static List<ContentHash> uploadBlobs(MothershipClient client, String credential, WorkspaceName workspace,
      List<byte[]> contents) throws AuraException {
    List<ContentHash> hashes = new ArrayList<>();
    for (byte[] c : contents) {
      ContentHash hash = ContentHash.of(c);
      client.putBytes(Wire.blob(workspace.value(), hash.hex()), c, credential);
      hashes.add(hash);
    }
    return hashes;
  }

  /** A file put of a new path (based on nothing), with one of the stored contents. */
  static Change filePut(String path, ContentHash hash, long size) {
    return Change.putFile(dev.aura.sync.SyncPath.parse(path), hash, size, false, 0, Instant.now());
  }

  /** Waits for a message of one type on a control connection, acking heartbeats and hellos meanwhile. */
  static ObjectNode await(ControlConnection c, String type, Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      ControlConnection.Event e = c.next(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
      if (e instanceof ControlConnection.Message m) {
        if (m.type().equals("hello") || m.type().equals("heartbeat")) {
          ack(c);
        }
        if (m.type().equals(type)) {
          return m.body();
        }
        if (m.type().equals("sync_refused")) {
          throw new IllegalStateException("sync refused: " + m.body().path("message").asText());
        }
      } else if (e instanceof ControlConnection.Closed closed) {
        throw new IllegalStateException("control connection closed: " + closed.code() + " " + closed.reason());
      } else if (e instanceof ControlConnection.Failed failed) {
        throw new IllegalStateException("control connection failed: " + failed.cause());
      }
    }
    throw new IllegalStateException("no '" + type + "' within " + bound);
  }

  /** Acknowledges revocation version 0 (a fresh Mothership has revoked nothing), as a peer acks a heartbeat. */
  static void ack(ControlConnection c) {
    ObjectNode ack = Wire.object();
    ack.put("type", "ack");
    ack.put("revocation_version", 0);
    c.send(ack);
  }

  /** @return a {@code subscribe} message */
  static ObjectNode subscribe(WorkspaceName workspace, long after) {
    ObjectNode m = Wire.object();
    m.put("type", "subscribe");
    m.put("workspace", workspace.value());
    m.put("after", after);
    return m;
  }

  /** @return a 0700 temporary directory */
  static Path tempDirectory(String prefix) throws IOException {
    return Files.createTempDirectory(prefix,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /** A PostgreSQL schema of its own for one run, dropped on close. */
  static final class PostgresSchema implements AutoCloseable {
    private final String baseUrl;
    final String name;

    private PostgresSchema(String baseUrl, String name) {
      this.baseUrl = baseUrl;
      this.name = name;
    }

    /** Creates {@code aura_sync_bench_<random>} on the server at {@code baseUrl} (JDBC form). */
    static PostgresSchema create(String baseUrl) throws SQLException {
      byte[] random = new byte[6];
      new SecureRandom().nextBytes(random);
      String name = "aura_sync_bench_" + HexFormat.of().formatHex(random);
      execute(baseUrl, "CREATE SCHEMA " + name);
      return new PostgresSchema(baseUrl, name);
    }

    /** @return the base URL with {@code currentSchema} set to this schema */
    String url() {
      return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    @Override
    public void close() throws SQLException {
      execute(baseUrl, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    private static void execute(String url, String sql) throws SQLException {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }

  /** @return the URL with anything after {@code ?} hidden (it may hold a password) */
  static String redacted(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?...";
  }

  /** Deletes a tree, warning on failure. */
  static void deleteTree(Path root) {
    try (var files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("warning: could not delete " + root + ": " + e.getMessage());
    }
  }
}
