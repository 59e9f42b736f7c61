package dev.aura.store.jdbc;

import static dev.aura.store.jdbc.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChangeFeed;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link StoreBehaviourTest} on a fresh schema of the test PostgreSQL ({@value TestDatabases#POSTGRES_ENV}),
 * plus what only PostgreSQL does: notifications between processes (here: independently opened stores).
 */
class PostgresStoreBehaviourTest extends StoreBehaviourTest {
  @Override
  Backend newBackend(Path dir) throws Exception {
    return Backend.postgres(dir);
  }

  @Test
  void changeFeed_onARevocationAppendedByAnotherStore_deliversItThroughListenNotify() throws Exception {
    JdbcStores listening = open();
    JdbcStores writing = open();
    BlockingQueue<StoreChange> seen = new LinkedBlockingQueue<>();
    StoreChangeFeed.Subscription subscription = listening.changeFeed().subscribe(seen::add);
    try {
      writing.revocationStore().append(Fixtures.revokeSubject("carol@contractor.com", T0));
      writing.peerStore().save(new dev.aura.spi.PeerRecord(dev.aura.spi.PeerId.parse("peer_2c3d4e5f"),
          "carol@contractor.com", dev.aura.spi.Role.READ_ONLY, Fixtures.jti(1), T0, T0, List.of()));

      assertThat(seen.poll(60, TimeUnit.SECONDS)).isEqualTo(new StoreChange(StoreChange.Topic.REVOCATIONS, 1));
      assertThat(seen.poll(60, TimeUnit.SECONDS)).isEqualTo(new StoreChange(StoreChange.Topic.PEERS, 0));
    } finally {
      subscription.close();
    }
  }

  @Test
  void announce_ofANoticeWithASubject_reachesEveryStoreOnTheSchema_theAnnouncerIncluded() throws Exception {
    JdbcStores announcing = open();
    JdbcStores listening = open();
    BlockingQueue<StoreChange> heardThere = new LinkedBlockingQueue<>();
    BlockingQueue<StoreChange> heardHere = new LinkedBlockingQueue<>();
    listening.changeFeed().subscribe(heardThere::add);
    announcing.changeFeed().subscribe(heardHere::add);
    StoreChange kick = new StoreChange(StoreChange.Topic.KICK, 42, "peer_2c3d4e5f kicked by local-admin");

    announcing.announce(kick);

    assertThat(heardThere.poll(60, TimeUnit.SECONDS)).isEqualTo(kick);
    assertThat(heardHere.poll(60, TimeUnit.SECONDS)).isEqualTo(kick);
    assertThat(heardThere).isEmpty();
  }

  @Test
  void changeFeed_ofAStoreInAnotherSchema_hearsNothingOfThisOne() throws Exception {
    JdbcStores here = open();
    try (Backend elsewhere = Backend.postgres(dir.resolve("other"))) {
      JdbcStores other = elsewhere.open();
      opened.add(other);
      BlockingQueue<StoreChange> heardElsewhere = new LinkedBlockingQueue<>();
      BlockingQueue<StoreChange> heardHere = new LinkedBlockingQueue<>();
      other.changeFeed().subscribe(heardElsewhere::add);
      here.changeFeed().subscribe(heardHere::add);

      here.revocationStore().append(Fixtures.revokeSubject("carol@contractor.com", T0));
      assertThat(heardHere.poll(60, TimeUnit.SECONDS)).isNotNull();
      // Both listeners poll the same server; a notice for the other schema would have arrived by now.
      other.revocationStore().append(Fixtures.revokeSubject("dave@contractor.com", T0));
      assertThat(heardElsewhere.poll(60, TimeUnit.SECONDS))
          .isEqualTo(new StoreChange(StoreChange.Topic.REVOCATIONS, 1));
      assertThat(heardElsewhere).isEmpty();
      other.close();
    }
  }

  @Test
  void close_stopsTheListenerThread() throws Exception {
    JdbcStores stores = open();
    assertThat(stores.internals().listenerRunning()).isTrue();
    String threadName = "aura-store-listener-" + stores.internals().changeFeed().channel();

    stores.close();

    assertThat(stores.internals().listenerRunning()).isFalse();
    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
        .doesNotContain(threadName);
  }

  @Test
  void signingKeys_withoutAKeyFile_refuseToStoreAPrivateKey() throws Exception {
    JdbcStores stores = JdbcStores.open(backend.url());
    opened.add(stores);

    assertThatThrownBy(() -> stores.signingKeyStore().saveAll(List.of(Fixtures.primaryKey("k1", T0))))
        .isInstanceOfSatisfying(JdbcStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(JdbcStoreException.Reason.KEY_FILE))
        .hasMessageContaining("opened without a key file");
    assertThat(stores.signingKeyStore().loadAll()).isEmpty();
  }
}
