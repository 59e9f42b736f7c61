package dev.aura.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as an operator gets it: extracted with {@code tar} into an empty directory, run as
 * {@code bin/aura} with a PATH that holds neither Maven nor the source tree (only the few tools the launcher
 * calls), through a {@code current} symlink as the README installs it; its systemd unit passes
 * {@code systemd-analyze verify}.
 */
class ReleaseArchiveIT {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final String VERSION = System.getProperty("aura.version");

  @TempDir
  static Path temp;

  private static Path current;
  private static Path tools;

  @BeforeAll
  static void extract() throws Exception {
    Path archive = Path.of(System.getProperty("aura.archive"));
    assertThat(archive.getFileName().toString()).isEqualTo("aura-" + VERSION + ".tar.gz");
    Path opt = Files.createDirectories(temp.resolve("opt-aura"));
    assertThat(run(List.of("tar", "-xzf", archive.toString(), "-C", opt.toString()), Map.of(), temp).exit)
        .isZero();
    current = Files.createSymbolicLink(opt.resolve("current"), Path.of("aura-" + VERSION));
    tools = Files.createDirectories(temp.resolve("tools"));
    for (String tool : List.of("env", "bash", "readlink", "dirname")) {
      Path wrapper = tools.resolve(tool);
      Files.writeString(wrapper, "#!/bin/sh\nexec " + which(tool) + " \"$@\"\n");
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void theArchive_holdsLauncherLibrariesDocsUnitAndRelease() throws Exception {
    Path root = current.toRealPath();
    assertThat(root.getFileName().toString()).isEqualTo("aura-" + VERSION);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("bin/aura"))))
        .isEqualTo("rwxr-xr-x");
    try (Stream<Path> jars = Files.list(root.resolve("lib"))) {
      assertThat(jars.map(p -> p.getFileName().toString()))
          .contains("aura-reference-app-" + VERSION + ".jar", "bcpg-jdk18on-1.87.jar")
          .allMatch(n -> n.endsWith(".jar"));
    }
    assertThat(root.resolve("docs/README.md")).exists();
    assertThat(root.resolve("docs/aura-reference-app/README.md")).exists();
    assertThat(root.resolve("docs/operations.md")).exists();
    assertThat(root.resolve("systemd/aura-mothership.service")).exists();
    Properties release = new Properties();
    try (var in = Files.newInputStream(root.resolve("release.properties"))) {
      release.load(in);
    }
    assertThat(release.getProperty("version")).isEqualTo(VERSION);
    assertThat(run(List.of(current.resolve("bin/aura").toString(), "--version"), env(), temp).out)
        .isEqualTo("aura " + VERSION + " (protocol v" + release.getProperty("protocol") + ")\n");
  }

  @Test
  void binAura_runsWithoutMavenOrTheSourceTree_andStartsAMothership() throws Exception {
    assertThat(run(List.of("bash", "-c", "command -v mvn || echo none"), env(), temp).out).isEqualTo("none\n");
    Result version = run(List.of(current.resolve("bin/aura").toString(), "--version"), env(), temp);
    assertThat(version.exit).as(version.toString()).isZero();
    assertThat(version.out).isEqualTo("aura " + VERSION + " (protocol v1)\n");

    Path data = temp.resolve("data");
    Path log = temp.resolve("start.out");
    Process mothership = startMothership(List.of(current.resolve("bin/aura").toString(), "mothership", "start",
        "--port", "0", "--bind", "127.0.0.1", "--data-dir", data.toString()), env(), temp, log);
    try {
      assertThat(Files.readString(log)).as(Files.readString(log)).contains("listening: 127.0.0.1:")
          .contains("data_dir: " + data);
      Result status = run(List.of(current.resolve("bin/aura").toString(), "mothership", "status", "--data-dir",
          data.toString()), env(), temp);
      assertThat(status.exit).as(status.toString()).isZero();
      assertThat(status.out).contains("mothership: running (pid " + mothership.pid() + ")");
      Result stop = run(List.of(current.resolve("bin/aura").toString(), "mothership", "stop", "--data-dir",
          data.toString()), env(), temp);
      assertThat(stop.exit).as(stop.toString()).isZero();
      assertThat(mothership.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(mothership.exitValue()).isZero();
    } finally {
      mothership.destroyForcibly();
    }
  }

  @Test
  void theInstalledMothership_servesItsArchiveFromBesideTheInstallation_toAnInstalledPeersSelfUpdate()
      throws Exception {
    // As the README installs it: the archive copied into the installation root, beside aura-VERSION/.
    Path opt = current.getParent();
    Path served = opt.resolve("aura-" + VERSION + ".tar.gz");
    Files.copy(Path.of(System.getProperty("aura.archive")), served);
    Path data = temp.resolve("data-release");
    Path log = temp.resolve("release-start.out");
    String aura = current.resolve("bin/aura").toString();
    Process mothership = startMothership(List.of(aura, "mothership", "start", "--port", "0", "--bind", "127.0.0.1",
        "--data-dir", data.toString()), env(), temp, log);
    try {
      String started = Files.readString(log);
      java.util.regex.Matcher listening = java.util.regex.Pattern.compile("listening: 127\\.0\\.0\\.1:(\\d+)")
          .matcher(started);
      assertThat(listening.find()).as(started).isTrue();
      Result token = run(List.of(aura, "mothership", "token", "issue", "--for", "alice@acme.com", "--data-dir",
          data.toString()), env(), temp);
      assertThat(token.exit).as(token.toString()).isZero();
      String issued = token.out.lines().filter(l -> l.startsWith("token: ")).findFirst().orElseThrow()
          .substring("token: ".length());
      Map<String, String> alice = new java.util.HashMap<>(env());
      alice.put("AURA_HOME", temp.resolve("alice-home").toString());
      Result join = run(List.of(aura, "mothership", "join", "--url", "https://127.0.0.1:" + listening.group(1),
          "--token", issued), alice, temp);
      assertThat(join.exit).as(join.toString()).isZero();

      // The peer runs the same installed release: the signed manifest of the served archive verifies with its
      // copy of the keys, and it names this very version, so there is nothing to install.
      Result update = run(List.of(aura, "self-update"), alice, temp);
      assertThat(update.exit).as(update.toString()).isZero();
      assertThat(update.out).isEqualTo("up to date: aura " + VERSION + " (protocol v1) is installed in "
          + current.toRealPath() + "\n");
      try (Stream<Path> root = Files.list(opt)) {
        assertThat(root.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("aura-" + VERSION,
            "current", served.getFileName().toString());
      }
      assertThat(run(List.of(aura, "mothership", "stop", "--data-dir", data.toString()), env(), temp).exit).isZero();
      assertThat(mothership.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } finally {
      mothership.destroyForcibly();
      Files.deleteIfExists(served);
    }
  }

  @Test
  void withoutJava_theLauncherSaysWhatIsMissing() throws Exception {
    Map<String, String> noJava = Map.of("PATH", tools.toString(), "HOME", temp.toString());
    Result r = run(List.of(current.resolve("bin/aura").toString(), "--version"), noJava, temp);
    assertThat(r.exit).isEqualTo(1);
    assertThat(r.err).isEqualTo("error: Java 17 or later is needed to run aura\ncaused by: no java on PATH;"
        + " install a JDK or JRE 17+, or set JAVA_HOME\n");
  }

  @Test
  void theSystemdUnit_passesSystemdAnalyzeVerify() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed (Debian package"
        + " 'systemd'; .ci/run installs it): skipping the unit check");
    String unit = Files.readString(current.resolve("systemd/aura-mothership.service"));
    assertThat(unit).contains("User=aura", "NoNewPrivileges=true", "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/aura", "PrivateTmp=true", "AmbientCapabilities=CAP_NET_BIND_SERVICE",
        "ExecStart=/opt/aura/current/bin/aura mothership start --data-dir /var/lib/aura/mothership");
    // Installed where the README puts it, but under this test's directory: the unit's paths moved along.
    Path installed = temp.resolve("aura-mothership.service");
    Files.writeString(installed, unit.replace("/opt/aura/current", current.toString())
        .replace("/var/lib/aura", temp.resolve("var-lib-aura").toString()));
    Result verify = run(List.of(analyze.toString(), "verify", installed.toString()), Map.of(), temp);
    assertThat(verify.exit).as(verify.toString()).isZero();
    assertThat(verify.out + verify.err).as("systemd-analyze warnings").isEmpty();

    Path broken = temp.resolve("broken.service");
    Files.writeString(broken, Files.readString(installed).replace("ExecStart=" + current, "ExecStart=/nonexistent"));
    assertThat(run(List.of(analyze.toString(), "verify", broken.toString()), Map.of(), temp).exit).isNotZero();
  }

  @Test
  void theUnitsAmbientCapability_letsAnUnprivilegedUserBindPort443_withoutSetcap() throws Exception {
    Path setpriv = Path.of("/usr/bin/setpriv");
    Assumptions.assumeTrue(Files.isExecutable(setpriv) && "root".equals(System.getProperty("user.name")),
        "needs root and setpriv (util-linux) to run as nobody with an ambient capability, as systemd does");
    Assumptions.assumeTrue(portFree(443), "port 443 is in use on this machine");
    // A copy nobody can read (the test's own temporary directory is private).
    Path shared = Files.createTempDirectory(Path.of("/tmp"), "aura-443-");
    try {
      Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
      assertThat(run(List.of("cp", "-r", current.toRealPath().toString(), shared.toString()), Map.of(), temp).exit)
          .isZero();
      Path aura = shared.resolve(current.toRealPath().getFileName()).resolve("bin/aura");
      List<String> asNobody = List.of(setpriv.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups");
      Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", System.getProperty("java.home"),
          "HOME", shared.toString(), "AURA_HOME", shared.resolve("home").toString());

      List<String> without = new ArrayList<>(asNobody);
      without.addAll(List.of(aura.toString(), "mothership", "start", "--port", "443", "--bind", "127.0.0.1"));
      Result refused = run(without, env, shared);
      assertThat(refused.exit).as(refused.toString()).isEqualTo(1);
      assertThat(refused.err).startsWith("error: failed to bind 127.0.0.1:443\ncaused by: permission denied:"
          + " ports below 1024 need root or the CAP_NET_BIND_SERVICE capability: run it as the release's systemd"
          + " unit (systemd/aura-mothership.service grants it with AmbientCapabilities)");

      List<String> with = new ArrayList<>(asNobody);
      with.addAll(List.of("--inh-caps=+net_bind_service", "--ambient-caps=+net_bind_service", aura.toString(),
          "mothership", "start", "--port", "443", "--bind", "127.0.0.1"));
      Path log = shared.resolve("start.out");
      Process mothership = startMothership(with, env, shared, log);
      try {
        assertThat(Files.readString(log)).as(Files.readString(log)).contains("listening: 127.0.0.1:443\n");
      } finally {
        mothership.destroy(); // SIGTERM, as systemctl stop sends
        assertThat(mothership.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      run(List.of("rm", "-rf", shared.toString()), Map.of(), temp);
    }
  }

  /** Starts {@code mothership start} and waits until it printed its last line (or exited, or the bound passed). */
  private static Process startMothership(List<String> command, Map<String, String> env, Path dir, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder start = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    start.environment().clear();
    start.environment().putAll(env);
    Process mothership = start.start();
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!Files.readString(log).contains("stop with: ") && mothership.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return mothership;
  }

  private static boolean portFree(int port) {
    try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Map<String, String> env() {
    return Map.of("PATH", tools.toString(), "JAVA_HOME", System.getProperty("java.home"),
        "HOME", temp.toString(), "AURA_HOME", temp.resolve("aura-home").toString());
  }

  private static Path which(String tool) {
    for (String dir : System.getenv("PATH").split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(tool + " is not on PATH");
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(List<String> command, Map<String, String> env, Path dir)
      throws IOException, InterruptedException {
    ProcessBuilder b = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile());
    if (!env.isEmpty()) {
      b.environment().clear();
      b.environment().putAll(env);
    }
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = b.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within " + BOUND);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
