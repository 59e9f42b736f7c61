package dev.aura.app.testing;

import dev.aura.app.cli.CliEnvironment;
import dev.aura.app.config.DataDir;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several real Motherships on one store (a PostgreSQL schema, or an SQLite file to show that a second one is
 * refused) with one key file: each its own JVM ({@link ChildProcess}),
 * data directory ({@code <temp>/<name>/mothership}) and loopback port. Peers are {@code AURA_HOME}s beside them
 * ({@code <temp>/<peer>}). Closing stops every instance it started.
 *
 * <pre>{@code
 * try (PostgresSchema schema = PostgresSchema.create("aura_group_");
 *     MothershipGroup group = new MothershipGroup(temp, schema, "")) {
 *   group.start("a");
 *   group.start("b");
 *   Cli.run(group.env("a"), "mothership", "token", "issue", "--for", "alice@acme.com");
 * }
 * }</pre>
 */
public final class MothershipGroup implements AutoCloseable {
  /** How long an instance may take to start, and any other "never happened" bound. */
  public static final Duration BOUND = Duration.ofSeconds(60);

  private final Path temp;
  private final String storeUrl;
  private final Path keyFile;
  private final String extraConfig;
  private final List<ChildProcess> started = new ArrayList<>();

  /**
   * @param extraConfig TOML appended to each instance's {@code config.toml} after its {@code [store]} section
   */
  public MothershipGroup(Path temp, PostgresSchema schema, String extraConfig) {
    this(temp, schema.url(), temp.resolve("shared").resolve("store-key.secret"), extraConfig);
  }

  /**
   * @param storeUrl every instance's {@code [store] url}
   * @param keyFile every instance's {@code [store] key_file}
   * @param extraConfig TOML appended to each instance's {@code config.toml} after its {@code [store]} section
   */
  public MothershipGroup(Path temp, String storeUrl, Path keyFile, String extraConfig) {
    this.temp = temp;
    this.storeUrl = storeUrl;
    this.keyFile = keyFile;
    this.extraConfig = extraConfig;
  }

  /** Starts instance {@code name} on a free loopback port and waits until it serves. */
  public ChildProcess start(String name) throws IOException {
    ChildProcess process = launch(name);
    process.awaitOutput("stop with: ", BOUND);
    return process;
  }

  /** Starts instance {@code name} without waiting for it. */
  public ChildProcess launch(String name) throws IOException {
    return launch(name, keyFile);
  }

  /** Starts instance {@code name} with another key file than the group's, without waiting for it. */
  public ChildProcess launch(String name, Path otherKeyFile) throws IOException {
    Files.createDirectories(dataDir(name).root());
    Files.writeString(dataDir(name).configFile(), "[store]\nurl = \"" + storeUrl + "\"\nkey_file = \""
        + otherKeyFile + "\"\n" + extraConfig);
    ChildProcess process = ChildProcess.start(temp.resolve(name), temp.resolve("logs"), "mothership-" + name,
        "mothership", "start", "--bind", "127.0.0.1", "--port", Integer.toString(freePort()));
    started.add(process);
    return process;
  }

  /** @return the data directory of instance {@code name} */
  public DataDir dataDir(String name) {
    return new DataDir(temp.resolve(name).resolve("mothership"));
  }

  /** @return the environment of instance or peer {@code name} ({@code AURA_HOME=<temp>/<name>}) */
  public CliEnvironment env(String name) {
    return CliEnvironment.builder().variable("AURA_HOME", temp.resolve(name).toString()).userHome(temp)
        .clock(Clock.systemUTC()).build();
  }

  /** @return the port instance {@code name} listens on */
  public int port(String name) throws IOException {
    return url(name).getPort();
  }

  /** @return the HTTPS URL instance {@code name} serves */
  public URI url(String name) throws IOException {
    return dataDir(name).readUrl().orElseThrow();
  }

  /** Runs {@code aura mothership <args>} on the host of instance {@code name}. */
  public Cli.Result host(String name, String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "mothership";
    System.arraycopy(args, 0, full, 1, args.length);
    return Cli.run(env(name), full);
  }

  /** Joins peer {@code peer} through instance {@code mothership}. */
  public Cli.Result join(String peer, String mothership, String token) throws IOException {
    return Cli.run(env(peer), "mothership", "join", "--url", "https://127.0.0.1:" + port(mothership), "--token",
        token, "--announce", "127.0.0.1");
  }

  /** Waits until instance {@code name}'s {@code status} shows {@code expected} connected peers. */
  public void awaitConnectedPeers(String name, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    String seen = "";
    while (System.nanoTime() < deadline) {
      seen = host(name, "status").field("connected_peers");
      if (seen.equals(Long.toString(expected))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Mothership " + name + " has " + seen + " connected peers, expected " + expected);
  }

  /** @return a describe() of every instance, for failure messages */
  public String describe() {
    StringBuilder out = new StringBuilder();
    started.forEach(p -> out.append(p.describe()).append('\n'));
    return out.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops every instance started, last first. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }
}
