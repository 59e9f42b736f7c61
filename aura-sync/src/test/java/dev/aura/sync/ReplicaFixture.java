package dev.aura.sync;

import dev.aura.spi.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Replicas in separate directories with separate stores, and the log between them. */
abstract class ReplicaFixture {
  static final PeerId ALICE = PeerId.parse("peer_0000000a");
  static final PeerId BOB = PeerId.parse("peer_0000000b");
  static final PeerId CAROL = PeerId.parse("peer_0000000c");
  static final Instant NOW = Instant.parse("2026-12-01T09:45:12Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final long MAX = 1024 * 1024;

  @TempDir Path temp;
  final TestLog log = new TestLog();
  private final List<PeerSyncStore> stores = new ArrayList<>();

  Replica replica(PeerId peer) throws Exception {
    return replica(peer, MAX);
  }

  Replica replica(PeerId peer, long maxFileSize) throws Exception {
    Path dir = Files.createDirectories(temp.resolve(peer.value()).resolve("work"));
    return Replica.open(store(peer), dir, TestLog.WS, peer, maxFileSize, CLOCK);
  }

  PeerSyncStore store(PeerId peer) throws Exception {
    PeerSyncStore s = PeerSyncStore.open(temp.resolve(peer.value()).resolve("home").resolve("sync.db"));
    stores.add(s);
    return s;
  }

  PeerSyncStore track(PeerSyncStore s) {
    stores.add(s);
    return s;
  }

  @AfterEach
  void closeStores() {
    stores.forEach(PeerSyncStore::close);
  }
}
