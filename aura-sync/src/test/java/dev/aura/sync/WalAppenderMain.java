package dev.aura.sync;

import dev.aura.spi.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Child JVM of {@link WalKillTest}: edits files and scans in a loop, printing each recorded local seq. */
public final class WalAppenderMain {
  private WalAppenderMain() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    Path dir = Path.of(args[1]);
    PeerSyncStore store = PeerSyncStore.open(db);
    Replica replica = Replica.open(store, dir, TestLog.WS, PeerId.parse(args[2]), 1 << 20, Clock.systemUTC());
    for (long i = 1; ; i++) {
      Files.writeString(dir.resolve("f" + (i % 7) + ".txt"), "edit " + i);
      if (i % 5 == 0) {
        Files.writeString(dir.resolve("g" + i + ".txt"), "new " + i);
      }
      for (PendingEvent p : replica.scan().recorded()) {
        System.out.println(p.id().localSeq());
      }
      System.out.flush();
    }
  }
}
