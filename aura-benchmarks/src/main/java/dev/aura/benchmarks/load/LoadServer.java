package dev.aura.benchmarks.load;

import dev.aura.app.AuraException;
import dev.aura.app.config.ConfigLoader;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.protocol.Wire;
import dev.aura.app.server.MothershipServer;
import dev.aura.app.server.MothershipService;
import dev.aura.app.server.Principal;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.Role;
import dev.aura.spi.StoreException;
import dev.aura.tls.PinSet;
import dev.aura.token.JoinTokenRequest;
import dev.aura.token.TokenIssuanceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real Mothership of {@code aura-reference-app}, started in this JVM for a load measurement: HTTPS on
 * {@code 127.0.0.1} with an ephemeral port, the SQLite store (WAL, fsync on commit) in a fresh data
 * directory under a temporary directory (0700), the system clock. Everything is deleted on {@link #close()}.
 *
 * <pre>{@code
 * try (LoadServer server = LoadServer.start("")) {
 *   List<String> tokens = server.issueTokens("load", 100);
 *   MothershipClient client = server.client();
 *   client.post(Wire.JOIN, joinBody(tokens.get(0)), null);
 * }
 * }</pre>
 *
 * <p>Warning: the admin credential ({@link #adminCredential()}) and the issued tokens are secrets of this
 * throw-away Mothership; never print them.
 */
public final class LoadServer implements AutoCloseable {
  private final Path root;
  private final MothershipServer server;
  private final String adminCredential;

  private LoadServer(Path root, MothershipServer server, String adminCredential) {
    this.root = root;
    this.server = server;
    this.adminCredential = adminCredential;
  }

  /**
   * Starts a Mothership.
   *
   * @param extraToml more {@code config.toml} sections (for example {@code [peers]}), or empty; must not
   *     contain {@code [server]}, which this class sets to {@code 127.0.0.1}, port 0
   * @throws AuraException when the Mothership cannot start
   */
  public static LoadServer start(String extraToml) throws AuraException {
    if (extraToml.contains("[server]")) {
      throw new IllegalArgumentException("[server] is fixed to bind = \"127.0.0.1\", port = 0");
    }
    Path root;
    try {
      root = Files.createTempDirectory("aura-load-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      DataDir dir = new DataDir(root.resolve("mothership"));
      MothershipConfig config = ConfigLoader.parse(dir.configFile(),
          "[server]\nbind = \"127.0.0.1\"\nport = 0\n" + extraToml);
      MothershipService service = MothershipService.open(dir, config, Clock.systemUTC());
      MothershipServer server = MothershipServer.start(service, Wire.PROTOCOL_VERSION);
      String admin = dir.readAdminCredential().orElseThrow(() -> new IllegalStateException("no admin credential"))
          .reveal();
      return new LoadServer(root, server, admin);
    } catch (IOException e) {
      deleteTree(root);
      throw new UncheckedIOException(e);
    } catch (AuraException | RuntimeException e) {
      deleteTree(root);
      throw e;
    }
  }

  /** @return {@code https://127.0.0.1:PORT} */
  public URI url() {
    return server.localUrl();
  }

  /** @return the fingerprint of the served certificate, which every client pins */
  public Fingerprint fingerprint() {
    return server.mothership().certificates().current().fingerprint();
  }

  /** @return a new pinned client, as a peer that joined with one of this Mothership's tokens has */
  public MothershipClient client() {
    return newClient(url(), fingerprint());
  }

  /** @return a pinned client of the app ({@link MothershipClient}), with a 30 s timeout per request */
  static MothershipClient newClient(URI url, Fingerprint pinned) {
    return new MothershipClient(url, PinSet.of(pinned), Clock.systemUTC(), Wire.PROTOCOL_VERSION,
        Duration.ofSeconds(30));
  }

  /** @return the running server */
  public MothershipServer server() {
    return server;
  }

  /** @return the admin credential (a secret: never print it) */
  public String adminCredential() {
    return adminCredential;
  }

  /** @return the data directory's parent, deleted on close */
  public Path root() {
    return root;
  }

  /**
   * Issues one-shot {@code member} tokens for {@code prefix-N@load.test}, N from 0, as {@code token issue}
   * does (ledger record and audit entry, both durable). Slow on purpose: call it outside a measurement.
   *
   * @return the tokens (secrets)
   */
  public List<String> issueTokens(String prefix, int count) throws StoreException, TokenIssuanceException {
    List<String> tokens = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tokens.add(server.mothership().issue(JoinTokenRequest.forSubject(prefix + "-" + i + "@load.test")
          .role(Role.MEMBER).oneShot().build(), Principal.localAdmin()).token());
    }
    return tokens;
  }

  /** Stops the Mothership and deletes its data directory. */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      deleteTree(root);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("warning: could not delete " + root + ": " + e.getMessage());
    }
  }
}
