package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aura.app.Main;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The announced addresses on a host with a Tailscale address, as the troubleshooting guide checks them
 * ("aura mothership peer-config --show-announced ... You should see a 100.x.x.x address"): a real
 * {@code aura sync} in a network namespace this test creates, with a veth pair holding a Tailscale CGNAT
 * address (100.64.0.0/10) and a decoy just outside that range. Needs root ({@code ip netns}); skipped with a
 * message when the namespace or the veth pair cannot be made.
 */
class TailscaleAnnounceTest {
  private static final Duration BOUND = Duration.ofSeconds(40);
  private static final String TAILSCALE = "100.101.102.103";
  private static final String DECOY = "100.128.0.1"; // 100.x, but outside 100.64.0.0/10: not Tailscale's

  @TempDir
  Path temp;

  private final String namespace = "p2p_aura_" + ProcessHandle.current().pid();
  private boolean created;

  private static int ip(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      return -1; // no ip command
    }
    return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  @AfterEach
  void removeNamespace() throws Exception {
    if (created) {
      ip("netns", "del", namespace);
    }
  }

  @Test
  void aTailscaleAddress_isAnnouncedFirst_andADecoyOutsideItsRange_after() throws Exception {
    created = ip("netns", "add", namespace) == 0;
    assumeTrue(created, "skipped: 'ip netns add' is not permitted here (needs root and network namespaces)");
    assumeTrue(ip("-n", namespace, "link", "add", "aura0", "type", "veth", "peer", "name", "aura1") == 0,
        "skipped: cannot create a veth pair in the test's network namespace");
    assertThat(ip("-n", namespace, "addr", "add", DECOY + "/24", "dev", "aura0")).isZero();
    assertThat(ip("-n", namespace, "addr", "add", TAILSCALE + "/10", "dev", "aura1")).isZero();
    assertThat(ip("-n", namespace, "link", "set", "aura0", "up")).isZero();
    assertThat(ip("-n", namespace, "link", "set", "aura1", "up")).isZero();

    try (MothershipFixture m = MothershipFixture.builder(temp).config("[peers]\nheartbeat_interval = \"1s\"\n")
        .start()) {
      MothershipFixture.Peer alice = m.peer("alice");
      Cli.Result joined = alice.join(m.issue("--for", "alice@acme.com"));
      assertThat(joined.exit()).as(joined.toString()).isZero();
      Path dir = Files.createDirectories(temp.resolve("trees/alice"));
      int port = 47_000 + (int) (ProcessHandle.current().pid() % 1000);
      // the real CLI inside the namespace (its Mothership is unreachable from there: announcing does not need it)
      ProcessBuilder command = new ProcessBuilder("ip", "netns", "exec", namespace,
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), Main.class.getName(), "sync", "--dir", dir.toString(),
          "--listen", "0.0.0.0:" + port, "--direct-retry", "1s").redirectErrorStream(true);
      command.environment().put("AURA_HOME", alice.home().toString());
      command.environment().put("HOME", temp.toString());
      Process sync = command.start();
      StringBuilder output = new StringBuilder();
      Thread reader = drain(sync.getInputStream(), output);
      try {
        String expected = "announced: " + TAILSCALE + ":" + port + "\nannounced: " + DECOY + ":" + port + "\n";
        String shown = "";
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline && sync.isAlive()) {
          shown = alice.run("mothership", "peer-config", "--show-announced").out();
          if (shown.contains(TAILSCALE)) {
            break;
          }
          Thread.sleep(100);
        }
        synchronized (output) {
          assertThat(output.toString()).as("aura sync in the namespace").contains("direct: listening on 0.0.0.0:"
              + port);
        }
        assertThat(shown).as("the Tailscale address first, then the other interface address").isEqualTo(expected);
      } finally {
        sync.destroy(); // this test's own child, by its handle
        if (!sync.waitFor(10, TimeUnit.SECONDS)) {
          sync.destroyForcibly();
        }
        reader.join(5_000);
      }
    }
  }

  private static Thread drain(InputStream in, StringBuilder into) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[4096];
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          synchronized (into) {
            into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "netns-sync-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
