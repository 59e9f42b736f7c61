package dev.aura.revocation;

import dev.aura.spi.RevocationTarget;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link SavedRevocationCopyKillTest}: a Mothership and a peer in one JVM. It writes the
 * Mothership's public keys to {@code <dir>/keys.json}, then revokes one peer after another, syncs the peer's
 * saved copy after each and prints {@code saved <version>} once the save has returned, until it is killed.
 */
final class SavedCopyWriter {
  private SavedCopyWriter() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    TestMothership m = new TestMothership();
    Files.writeString(dir.resolve("keys.json"), m.ring.publicKeys().toJwkSetJson());
    PeerRevocationCache cache = PeerRevocationCache.builder().keys(m.ring::publicKeys).clock(m.clock)
        .maxStaleness(Duration.ofDays(1)).build();
    SavedRevocationCopy saved = SavedRevocationCopy.open(dir.resolve("revocations"), cache);
    saved.load();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
    out.println("ready");
    for (int i = 1; i < 1_000_000; i++) {
      m.clock.advance(Duration.ofSeconds(1));
      m.list.revoke(RevocationTarget.fromArgument(String.format("peer_%08x", i)), TestMothership.ADMIN, "kill test");
      saved.sync(m.publisher());
      out.println("saved " + saved.cache().version());
    }
  }
}
