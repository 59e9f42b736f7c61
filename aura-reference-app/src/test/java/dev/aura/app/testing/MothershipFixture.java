package dev.aura.app.testing;

import dev.aura.app.cli.CliEnvironment;
import dev.aura.app.config.DataDir;
import dev.aura.testkit.ManualClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.aura.app.cli.AuraCli;
import picocli.CommandLine;

/**
 * A real Mothership for end-to-end tests: started with the real CLI ({@code aura mothership start --port 0
 * --bind 127.0.0.1}) in a background thread of this JVM, with its own {@code AURA_HOME} under a temporary
 * directory and a manual clock shared with every CLI it hands out. Stopped with {@code aura mothership stop}.
 *
 * <pre>{@code
 * try (MothershipFixture m = MothershipFixture.builder(tempDir).start()) {
 *   String token = m.host("mothership", "token", "issue", "--for", "carol@contractor.com").field("token");
 *   m.peer("carol").run("mothership", "join", "--url", m.url().toString(), "--token", token);
 * }
 * }</pre>
 */
public final class MothershipFixture implements AutoCloseable {
  private final Path root;
  private final ManualClock clock;
  private final int protocolVersion;
  private final CliEnvironment hostEnv;
  private CompletableFuture<Cli.Result> running;
  private URI url;

  private MothershipFixture(Builder b) {
    this.root = b.root;
    this.clock = b.clock;
    this.protocolVersion = b.protocolVersion;
    this.hostEnv = environment("host", protocolVersion);
  }

  /** @return a builder for a Mothership under {@code root} */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** Configures a fixture. */
  public static final class Builder {
    private final Path root;
    private ManualClock clock = ManualClock.startingAt(Instant.now());
    private int protocolVersion = dev.aura.app.protocol.Wire.PROTOCOL_VERSION;
    private String config;
    private int port;

    private Builder(Path root) {
      this.root = root;
    }

    /** The Mothership's {@code config.toml}. */
    public Builder config(String toml) {
      this.config = toml;
      return this;
    }

    /** The port to listen on (default: a free one). */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** The protocol version the Mothership speaks. */
    public Builder protocolVersion(int version) {
      this.protocolVersion = version;
      return this;
    }

    /** @return the started Mothership */
    public MothershipFixture start() {
      MothershipFixture m = new MothershipFixture(this);
      if (port != 0) {
        m.url = java.net.URI.create("https://127.0.0.1:" + port);
      }
      if (config != null) {
        try {
          Files.createDirectories(m.dataDir().root());
          Files.writeString(m.dataDir().configFile(), config);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      m.startServer();
      return m;
    }
  }

  /** @return an environment whose {@code AURA_HOME} is {@code root/name}, sharing the clock */
  public CliEnvironment environment(String name, int protocol) {
    return environment(name, protocol, clock);
  }

  private CliEnvironment environment(String name, int protocol, java.time.Clock peerClock) {
    return CliEnvironment.builder().variable("AURA_HOME", root.resolve(name).toString())
        .userHome(root).clock(peerClock).protocolVersion(protocol).build();
  }

  /** Starts the server (again) and waits until it listens. */
  public void startServer() {
    if (running != null && !running.isDone()) {
      throw new IllegalStateException("already running");
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    CommandLine cli = AuraCli.create(hostEnv);
    cli.setOut(outWriter);
    cli.setErr(errWriter);
    List<String> args = new ArrayList<>(List.of("mothership", "start", "--bind", "127.0.0.1", "--port",
        url == null ? "0" : Integer.toString(url.getPort())));
    running = CompletableFuture.supplyAsync(() -> {
      int exit = cli.execute(args.toArray(new String[0]));
      return new Cli.Result(exit, out.toString(), err.toString());
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (running.isDone()) {
        throw new AssertionError("the Mothership did not start:\n" + running.join());
      }
      try {
        if (Files.exists(dataDir().urlFile())) {
          url = URI.create("https://127.0.0.1:" + dataDir().readUrl().orElseThrow().getPort());
          return;
        }
        Thread.sleep(20);
      } catch (IOException e) {
        // being written: retry
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("the Mothership did not start within 30s");
  }

  /** Stops the server with {@code aura mothership stop} and returns what {@code start} printed. */
  public Cli.Result stopServer() {
    Cli.Result stop = host("mothership", "stop");
    if (stop.exit() != 0) {
      throw new AssertionError("stop failed: " + stop);
    }
    try {
      return running.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("start did not return after stop", e);
    }
  }

  /** @return whether the server runs */
  public boolean isRunning() {
    return running != null && !running.isDone();
  }

  /** @return the Mothership's URL on loopback */
  public URI url() {
    return url;
  }

  /** @return the data directory */
  public DataDir dataDir() {
    return new DataDir(root.resolve("host").resolve("mothership"));
  }

  /** @return the shared manual clock */
  public ManualClock clock() {
    return clock;
  }

  /** @return the host's environment */
  public CliEnvironment hostEnv() {
    return hostEnv;
  }

  /** Runs {@code aura args...} on the Mothership host. */
  public Cli.Result host(String... args) {
    return Cli.run(hostEnv, args);
  }

  /** @return a peer with its own {@code AURA_HOME} on this machine */
  public Peer peer(String name) {
    return new Peer(environment(name, protocolVersion));
  }

  /** @return a peer with its own clock (for clock skew) */
  public Peer peer(String name, java.time.Clock peerClock) {
    return new Peer(environment(name, protocolVersion, peerClock));
  }

  /** @return a peer speaking another protocol version */
  public Peer peer(String name, int protocol) {
    return new Peer(environment(name, protocol));
  }

  /** Issues a token and returns it, failing the test if issuance fails. */
  public String issue(String... args) {
    List<String> all = new ArrayList<>(List.of("mothership", "token", "issue"));
    all.addAll(List.of(args));
    Cli.Result r = host(all.toArray(new String[0]));
    if (r.exit() != 0) {
      throw new AssertionError("token issue failed: " + r);
    }
    return r.field("token");
  }

  /** A peer's command line. */
  public final class Peer {
    private final CliEnvironment env;

    Peer(CliEnvironment env) {
      this.env = env;
    }

    /** Runs {@code aura args...} as this peer. */
    public Cli.Result run(String... args) {
      return Cli.run(env, args);
    }

    /** Joins the fixture's Mothership. */
    public Cli.Result join(String token) {
      return run("mothership", "join", "--url", url.toString(), "--token", token, "--announce", "127.0.0.1");
    }

    /** @return this peer's environment */
    public CliEnvironment env() {
      return env;
    }

    /** @return this peer's {@code AURA_HOME} */
    public Path home() {
      return Path.of(env.variable("AURA_HOME"));
    }
  }

  @Override
  public void close() {
    if (isRunning()) {
      stopServer();
    }
  }
}
