package dev.aura.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.PeerId;
import dev.aura.testkit.ManualClock;
import dev.aura.token.PublicKeyRing;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a stream of saves: the copy left behind loads, holds every version whose save
 * was acknowledged, and at most the one save that was in flight.
 */
class SavedRevocationCopyKillTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "killed after {0} acknowledged saves")
  @ValueSource(ints = {1, 7, 40})
  void killedMidLoop_leavesTheLastAcknowledgedCopyOrTheOneInFlight_neverABrokenOne(int killAfter)
      throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        SavedCopyWriter.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long acknowledged = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.US_ASCII))) {
      assertThat(out.readLine()).isEqualTo("ready");
      int seen = 0;
      String line;
      while (seen < killAfter && (line = out.readLine()) != null) {
        acknowledged = Long.parseLong(line.substring("saved ".length()));
        seen++;
      }
      // SIGKILL from outside: Process.destroyForcibly() would also close the pipe we still have to drain
      assertThat(new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor()).isZero();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isEqualTo(137);
      while ((line = out.readLine()) != null) { // acknowledgements already in the pipe when it died
        if (line.startsWith("saved ")) {
          acknowledged = Long.parseLong(line.substring("saved ".length()));
        }
      }
    }
    assertThat(acknowledged).isGreaterThanOrEqualTo(killAfter);

    PublicKeyRing keys = PublicKeyRing.fromJwkSet(Files.readString(dir.resolve("keys.json")));
    ManualClock clock = ManualClock.startingAt(TestMothership.START.plus(Duration.ofHours(1)));
    PeerRevocationCache cache = PeerRevocationCache.builder().keys(() -> keys).clock(clock)
        .maxStaleness(Duration.ofDays(1)).build();
    SavedRevocationCopy saved = SavedRevocationCopy.open(dir.resolve("revocations"), cache);

    long version = saved.load();

    System.out.println("kill -9 after " + killAfter + " read: acknowledged " + acknowledged + ", loaded " + version);
    assertThat(version).isBetween(acknowledged, acknowledged + 1);
    assertThat(saved.highWaterMark()).isEqualTo(version);
    for (long i = 1; i <= version; i++) {
      assertThat(cache.revocationOfPeer(PeerId.parse(String.format("peer_%08x", i)), "x@acme.com",
          TestMothership.START)).as("peer %d", i).isPresent();
    }
    assertThat(cache.revocationOfPeer(PeerId.parse(String.format("peer_%08x", version + 1)), "x@acme.com",
        TestMothership.START)).isEmpty();
  }
}
