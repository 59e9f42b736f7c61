package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.cli.CliEnvironment;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mothership start|stop|status}, the data directory, and start-up failures. */
class LifecycleTest {
  @TempDir
  Path temp;

  private CliEnvironment env(String home) {
    return CliEnvironment.builder().variable("AURA_HOME", temp.resolve(home).toString()).userHome(temp).build();
  }

  @Test
  void start_onPortInUse_printsExactlyFailedToBindAndAddressAlreadyInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Cli.Result r = Cli.run(env("a"), "mothership", "start", "--bind", "127.0.0.1", "--port", Integer.toString(port));
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("error: failed to bind 127.0.0.1:" + port + "\ncaused by: address already in use\n");
      assertThat(r.out()).isEmpty();

      Cli.Result wildcard = Cli.run(env("b"), "mothership", "start", "--port", Integer.toString(port));
      assertThat(wildcard.err()).isEqualTo("error: failed to bind 0.0.0.0:" + port
          + "\ncaused by: address already in use\n");
    }
  }

  @Test
  void status_whenNothingRuns_exitsThree() {
    Cli.Result r = Cli.run(env("a"), "mothership", "status");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.out()).startsWith("mothership: not running");
  }

  @Test
  void firstStart_createsOwnerOnlyDataDirectoryWithIdCertificateAndAdminCredential() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      DataDir dir = m.dataDir();
      assertThat(OwnerOnlyFiles.permissions(dir.root())).hasValue("rwx------");
      assertThat(OwnerOnlyFiles.permissions(dir.privateKey())).hasValue("rw-------");
      assertThat(OwnerOnlyFiles.permissions(dir.adminCredential())).hasValue("rw-------");
      assertThat(dir.idFile()).content().matches("mship_[0-9a-f]{8}\\n");
      assertThat(dir.database()).exists();
      assertThat(dir.pidFile()).content().isEqualTo(ProcessHandle.current().pid() + "\n");
      Cli.Result stopped = m.stopServer();
      assertThat(stopped.exit()).isZero();
      assertThat(stopped.field("listening")).isEqualTo("127.0.0.1:" + m.url().getPort());
      assertThat(stopped.field("fingerprint")).matches("([0-9a-f]{2}:){31}[0-9a-f]{2}");
      assertThat(dir.pidFile()).doesNotExist();
      assertThat(dir.urlFile()).doesNotExist();
      // tls info reads the data directory: it works while the Mothership is stopped.
      assertThat(m.host("mothership", "tls", "info").field("fingerprint")).isEqualTo(stopped.field("fingerprint"));
    }
  }

  @Test
  void start_whileRunningFromTheSameDataDirectory_refuses() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      Cli.Result r = m.host("mothership", "start", "--port", "0", "--bind", "127.0.0.1");
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).startsWith("error: a Mothership is already running from " + m.dataDir().root());
    }
  }

  @Test
  void stop_withStalePidFile_removesIt() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    DataDir dir = new DataDir(temp.resolve("a").resolve("mothership"));
    Files.createDirectories(dir.root());
    Files.writeString(dir.pidFile(), gone.pid() + "\n");
    Files.writeString(dir.urlFile(), "https://127.0.0.1:1\n");
    Cli.Result r = Cli.run(env("a"), "mothership", "stop");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("removed stale pid file (process " + gone.pid() + " is not running)\n");
    assertThat(dir.pidFile()).doesNotExist();
    assertThat(Cli.run(env("a"), "mothership", "stop").out()).startsWith("not running");
  }

  @Test
  void start_withUnknownConfigKey_namesTheKey() throws Exception {
    Path config = temp.resolve("config.toml");
    Files.writeString(config, "[server]\nprot = 7777\n");
    Cli.Result r = Cli.run(env("a"), "mothership", "start", "--config", config.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: invalid config file " + config + "\ncaused by: unknown key 'server.prot'"
        + " (known keys in [server]: bind, port, idle_timeout, advertise_url)\n");
  }

  @Test
  void start_withHs256Configured_isRefusedWithTheReason() throws Exception {
    Path config = temp.resolve("config.toml");
    Files.writeString(config, "[jwt]\nalgorithm = \"HS256\"\n");
    Cli.Result r = Cli.run(env("a"), "mothership", "start", "--config", config.toString());
    assertThat(r.err()).contains("caused by: jwt.algorithm = \"HS256\": algorithm HS256 is not supported:"
        + " shared-secret algorithms don't scale");
  }

  @Test
  void detach_runsInTheBackground_andStopEndsIt() throws Exception {
    CliEnvironment host = env("host");
    Cli.Result started = Cli.run(host, "mothership", "start", "--detach", "--port", "0", "--bind", "127.0.0.1");
    assertThat(started.exit()).as(started.toString()).isZero();
    long pid = Long.parseLong(started.field("pid"));
    try {
      assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(started.field("listening")).startsWith("127.0.0.1:");
      assertThat(started.field("log")).endsWith("mothership.log");
      Cli.Result status = Cli.run(host, "mothership", "status");
      assertThat(status.exit()).as(status.toString()).isZero();
      assertThat(status.field("mothership")).isEqualTo("running (pid " + pid + ")");

      Cli.Result stopped = Cli.run(host, "mothership", "stop");
      assertThat(stopped.exit()).as(stopped.toString()).isZero();
      assertThat(stopped.out()).isEqualTo("stopped mothership (pid " + pid + ")\n");
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(Cli.run(host, "mothership", "status").exit()).isEqualTo(3);
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
