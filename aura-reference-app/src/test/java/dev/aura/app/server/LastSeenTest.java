package dev.aura.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import dev.aura.spi.PeerRecord;
import dev.aura.spi.PeerStore;
import dev.aura.spi.Role;
import dev.aura.spi.StoreException;
import dev.aura.testkit.InMemoryStores;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LastSeenTest {
  private static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");
  private static final PeerId PEER = PeerId.parse("peer_0a1b2c3d");

  private final InMemoryStores stores = InMemoryStores.create();

  private PeerRecord stored() throws StoreException {
    return stores.peerStore().find(PEER).orElseThrow();
  }

  private void register() {
    stores.peerStore().save(new PeerRecord(PEER, "carol@example.com", Role.MEMBER,
        Jti.parse("jt_01HV6Z4X8Q9R2T3W5Y7A1B2C3D"), T0, T0, List.of()));
  }

  @Test
  void seen_writesNothingUntilAFlush_butReadersGetTheFresherValue() throws Exception {
    register();
    try (LastSeen lastSeen = new LastSeen(stores.peerStore(), stores.unitOfWork())) {
      lastSeen.seen(PEER, T0.plusSeconds(30));
      lastSeen.seen(PEER, T0.plusSeconds(10)); // an older report never wins

      assertThat(stored().lastSeen()).isEqualTo(T0);
      assertThat(lastSeen.fresher(stored()).lastSeen()).isEqualTo(T0.plusSeconds(30));
      assertThat(lastSeen.pendingCount()).isEqualTo(1);

      assertThat(lastSeen.flush()).isEqualTo(1);
      assertThat(stored().lastSeen()).isEqualTo(T0.plusSeconds(30));
      assertThat(lastSeen.pendingCount()).isZero();
      assertThat(lastSeen.flush()).isZero();
    }
  }

  @Test
  void close_flushesWhatIsPending() throws Exception {
    register();
    LastSeen lastSeen = new LastSeen(stores.peerStore(), stores.unitOfWork());
    lastSeen.seen(PEER, T0.plusSeconds(5));

    lastSeen.close();

    assertThat(stored().lastSeen()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void flush_keepsOtherFieldsSavedMeanwhile_andIgnoresUnknownPeers() throws Exception {
    register();
    try (LastSeen lastSeen = new LastSeen(stores.peerStore(), stores.unitOfWork())) {
      lastSeen.seen(PEER, T0.plusSeconds(5));
      lastSeen.seen(PeerId.parse("peer_ffffffff"), T0.plusSeconds(5));
      stores.peerStore().save(stored().withWorkspaces(java.util.Set.of(dev.aura.spi.WorkspaceName.parse("api"))));

      lastSeen.flush();

      assertThat(stored().workspaces()).extracting(w -> w.value()).containsExactly("api");
      assertThat(stored().lastSeen()).isEqualTo(T0.plusSeconds(5));
      assertThat(stores.peerStore().find(PeerId.parse("peer_ffffffff"))).isEmpty();
    }
  }

  @Test
  void failedFlush_keepsEveryValuePending_andWritesNoneOfThem() throws Exception {
    register();
    PeerId second = PeerId.parse("peer_00000002");
    stores.peerStore().save(new PeerRecord(second, "dave@example.com", Role.MEMBER,
        Jti.parse("jt_01HV6Z4X8Q9R2T3W5Y7A1B2C3E"), T0, T0, List.of()));
    PeerStore failingOnSecond = new PeerStore() {
      @Override
      public void save(PeerRecord peer) {
        stores.peerStore().save(peer);
      }

      @Override
      public Optional<PeerRecord> find(PeerId id) {
        return stores.peerStore().find(id);
      }

      @Override
      public List<PeerRecord> list() {
        return stores.peerStore().list();
      }

      @Override
      public void recordSeen(PeerId peer, Instant seenAt) throws StoreException {
        if (peer.equals(second)) {
          throw new StoreException("disk full");
        }
        stores.peerStore().recordSeen(peer, seenAt);
      }
    };
    try (LastSeen lastSeen = new LastSeen(failingOnSecond, stores.unitOfWork())) {
      lastSeen.seen(PEER, T0.plusSeconds(5));
      lastSeen.seen(second, T0.plusSeconds(5));

      assertThatThrownBy(lastSeen::flush).isInstanceOf(StoreException.class).hasMessage("disk full");

      assertThat(stored().lastSeen()).as("one unit: the first peer's write was undone too").isEqualTo(T0);
      assertThat(lastSeen.pendingCount()).isEqualTo(2);
    }
  }
}
