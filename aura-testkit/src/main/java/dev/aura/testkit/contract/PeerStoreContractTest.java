package dev.aura.testkit.contract;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static dev.aura.testkit.contract.ContractFixtures.peer;
import static dev.aura.testkit.contract.ContractFixtures.peerId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.aura.spi.PeerId;
import dev.aura.spi.PeerRecord;
import dev.aura.spi.PeerStore;
import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@link PeerStore} contract. Every implementation's test extends this class and says how to make a
 * fresh, empty store:
 *
 * <pre>{@code
 * class SqlitePeerStoreTest extends PeerStoreContractTest {
 *   @Override
 *   protected PeerStore newStore() throws Exception {
 *     return SqliteStores.open(dir.resolve("aura.db")).peerStore();
 *   }
 * }
 * }</pre>
 *
 * <p>Covers: {@code find} and {@code list} empty-not-null; every field round-trips (announced addresses in
 * order, an empty address list stays empty, workspaces in name order, no workspaces stays "every workspace"); {@code list} ordered by id whatever the save order;
 * {@code save} replaces by id; results not changed by later saves; null arguments; concurrent saves:
 * distinct peers are all kept, and racing saves of one peer leave exactly one writer's record whole; and
 * {@code create}: a new id inserted whole, a taken id refused with the stored peer kept, and of 16 racing
 * creates of one id exactly one wins, its record whole.
 */
public abstract class PeerStoreContractTest extends StoreContract<PeerStore> {
  private static final int THREADS = 16;


  @Test
  void emptyStore_findsNothingAndListsEmptyNotNull() throws Exception {
    assertThat(store.find(peerId())).isNotNull().isEmpty();
    assertThat(store.list()).isNotNull().isEmpty();
  }

  @Test
  void save_thenFind_returnsAnEqualPeer() throws Exception {
    PeerRecord peer = new PeerRecord(peerId(), "carol@contractor.com", Role.READ_ONLY, ContractFixtures.jti(),
        T0, T0.plusSeconds(42), List.of("10.0.1.42:7000", "[fd00::1]:7000", "peer.example.com:7000"));

    store.save(peer);

    assertThat(store.find(peer.id())).contains(peer);
    assertThat(store.list()).containsExactly(peer);
  }

  @Test
  void save_peerWithoutAddresses_keepsAnEmptyAddressList() throws Exception {
    PeerRecord peer = peer(peerId(), T0);

    store.save(peer);

    assertThat(store.find(peer.id())).get().satisfies(found -> {
      assertThat(found.announcedAddresses()).isNotNull().isEmpty();
      assertThat(found).isEqualTo(peer);
    });
  }

  @Test
  void save_peerRestrictedToWorkspaces_roundTripsTheNamesInNameOrder() throws Exception {
    PeerRecord peer = peer(peerId(), T0, "10.0.1.42:7000").withWorkspaces(Set.of(WorkspaceName.parse("widget"),
        WorkspaceName.parse("api"), WorkspaceName.parse("a.b_c-9")));

    store.save(peer);

    assertThat(store.find(peer.id())).get().satisfies(found -> {
      assertThat(found.workspaces()).extracting(WorkspaceName::value).containsExactly("a.b_c-9", "api", "widget");
      assertThat(found).isEqualTo(peer);
    });
    assertThat(store.list()).containsExactly(peer);
  }

  @Test
  void save_peerWithoutWorkspaces_keepsAnEmptySetMeaningEveryWorkspace() throws Exception {
    PeerRecord peer = peer(peerId(), T0);

    store.save(peer);

    assertThat(store.find(peer.id())).get().satisfies(found -> {
      assertThat(found.workspaces()).isNotNull().isEmpty();
      assertThat(found).isEqualTo(peer);
    });
  }

  @Test
  void save_withWorkspacesChangedOrLifted_replacesThem_andLastSeenUpdatesKeepThem() throws Exception {
    PeerRecord peer = peer(peerId(), T0).withWorkspaces(Set.of(WorkspaceName.parse("widget")));
    store.save(peer);

    store.save(peer.seenAt(T0.plusSeconds(30)));
    assertThat(store.find(peer.id()).orElseThrow().workspaces()).containsExactly(WorkspaceName.parse("widget"));

    store.save(peer.withWorkspaces(Set.of(WorkspaceName.parse("api"))));
    assertThat(store.find(peer.id()).orElseThrow().workspaces()).containsExactly(WorkspaceName.parse("api"));

    store.save(peer.withWorkspaces(Set.of()));
    assertThat(store.find(peer.id()).orElseThrow().workspaces()).isEmpty();
  }

  @Test
  void save_thirtyTwoWorkspacesOfTheLongestName_roundTrip() throws Exception {
    Set<WorkspaceName> names = new java.util.HashSet<>();
    for (int i = 0; i < 32; i++) {
      names.add(WorkspaceName.parse(String.format("%02d", i) + "w".repeat(62)));
    }
    PeerRecord peer = peer(peerId(), T0).withWorkspaces(names);

    store.save(peer);

    assertThat(store.find(peer.id())).contains(peer);
  }

  @Test
  void find_anotherId_findsNothing() throws Exception {
    store.save(peer(peerId(), T0));

    assertThat(store.find(peerId())).isEmpty();
  }

  @Test
  void list_isOrderedByIdWhateverTheSaveOrder() throws Exception {
    PeerRecord c = peer(PeerId.parse("peer_c0000000"), T0);
    PeerRecord a = peer(PeerId.parse("peer_0000000a"), T0.plusSeconds(1));
    PeerRecord b = peer(PeerId.parse("peer_0a000000"), T0.plusSeconds(2));
    PeerRecord d = peer(PeerId.parse("peer_ffffffff"), T0.plusSeconds(3));

    store.save(c);
    store.save(d);
    store.save(a);
    store.save(b);

    assertThat(store.list()).containsExactly(a, b, c, d);
  }

  @Test
  void save_existingId_replacesThePeer() throws Exception {
    PeerRecord original = peer(peerId(), T0, "10.0.1.42:7000");
    PeerRecord other = peer(peerId(), T0);
    store.save(original);
    store.save(other);
    PeerRecord moved = new PeerRecord(original.id(), original.subject(), Role.ADMIN, original.joinedWith(),
        original.joinedAt(), T0.plusSeconds(300), List.of("10.0.2.7:7000"));

    store.save(moved);

    assertThat(store.find(original.id())).contains(moved);
    assertThat(store.find(other.id())).contains(other);
    assertThat(store.list()).hasSize(2).contains(moved, other);
  }

  @Test
  void save_lastSeenUpdate_replacesOnlyLastSeen() throws Exception {
    PeerRecord peer = peer(peerId(), T0, "10.0.1.42:7000");
    store.save(peer);

    store.save(peer.seenAt(T0.plusSeconds(90)));

    assertThat(store.find(peer.id())).get().satisfies(found -> {
      assertThat(found.lastSeen()).isEqualTo(T0.plusSeconds(90));
      assertThat(found.joinedAt()).isEqualTo(T0);
      assertThat(found.announcedAddresses()).containsExactly("10.0.1.42:7000");
    });
  }

  @Test
  void list_resultIsNotChangedByLaterSaves() throws Exception {
    PeerRecord peer = peer(peerId(), T0);
    store.save(peer);
    List<PeerRecord> before = store.list();

    store.save(peer(peerId(), T0));
    store.save(peer.seenAt(T0.plusSeconds(5)));

    assertThat(before).containsExactly(peer);
  }

  @Test
  void save_distinctPeersFrom16ThreadsAtOnce_keepsEveryPeer() throws Exception {
    List<PeerRecord> saved = Race.run(THREADS, i -> {
      PeerRecord peer = peer(peerId(), T0.plusSeconds(i), "10.0.0." + i + ":7000");
      store.save(peer);
      return peer;
    });

    assertThat(store.list()).containsExactlyInAnyOrderElementsOf(saved);
  }

  @Test
  void save_samePeerFrom16ThreadsAtOnce_leavesOneWritersRecordWhole() throws Exception {
    PeerId id = peerId();
    PeerRecord base = peer(id, T0);
    store.save(base);

    List<PeerRecord> saved = Race.run(THREADS, i -> {
      PeerRecord version = new PeerRecord(id, base.subject(), base.role(), base.joinedWith(), base.joinedAt(),
          T0.plusSeconds(i + 1), List.of("10.0.0." + i + ":7000", "10.0.1." + i + ":7000"));
      store.save(version);
      return version;
    });

    assertThat(store.list()).hasSize(1);
    assertThat(store.find(id)).get().isIn(saved);
  }

  @Test
  void create_aNewId_insertsThePeerWhole() throws Exception {
    PeerRecord peer = new PeerRecord(peerId(), "carol@contractor.com", Role.READ_ONLY, ContractFixtures.jti(),
        T0, T0.plusSeconds(42), List.of("10.0.1.42:7000", "[fd00::1]:7000"));

    assertThat(store.create(peer)).isTrue();

    assertThat(store.find(peer.id())).contains(peer);
    assertThat(store.list()).containsExactly(peer);
  }

  @Test
  void create_aTakenId_returnsFalseAndKeepsTheStoredPeer() throws Exception {
    PeerId id = peerId();
    PeerRecord stored = peer(id, T0, "10.0.0.1:7000");
    store.save(stored);
    PeerRecord other = new PeerRecord(id, "mallory@example.com", Role.ADMIN, ContractFixtures.jti(),
        T0.plusSeconds(9), T0.plusSeconds(9), List.of("10.6.6.6:7000"));

    assertThat(store.create(other)).isFalse();

    assertThat(store.list()).containsExactly(stored);
  }

  @Test
  void create_sameIdFrom16ThreadsAtOnce_exactlyOneWins_andItsRecordIsStoredWhole() throws Exception {
    PeerId id = peerId();
    List<PeerRecord> versions = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      versions.add(new PeerRecord(id, "joiner-" + i + "@example.com", Role.MEMBER, ContractFixtures.jti(), T0,
          T0.plusSeconds(i), List.of("10.0.0." + i + ":7000", "10.0.1." + i + ":7000")));
    }

    List<Boolean> created = Race.run(THREADS, i -> store.create(versions.get(i)));

    assertThat(created).filteredOn(c -> c).hasSize(1);
    assertThat(store.list()).containsExactly(versions.get(created.indexOf(true)));
  }

  @Test
  void methods_withNullArguments_throwNullPointerException() throws Exception {
    assertThatNullPointerException().isThrownBy(() -> store.save(null));
    assertThatNullPointerException().isThrownBy(() -> store.create(null));
    assertThatNullPointerException().isThrownBy(() -> store.find(null));

    assertThat(store.list()).isEmpty();
  }
}
