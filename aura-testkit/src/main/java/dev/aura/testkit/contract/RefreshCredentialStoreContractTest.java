package dev.aura.testkit.contract;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static dev.aura.testkit.contract.ContractFixtures.credential;
import static dev.aura.testkit.contract.ContractFixtures.credentialId;
import static dev.aura.testkit.contract.ContractFixtures.peerId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.aura.spi.PeerId;
import dev.aura.spi.RefreshCredentialRecord;
import dev.aura.spi.RefreshCredentialStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link RefreshCredentialStore} contract. Every implementation's test extends this class and says how
 * to make a fresh, empty store:
 *
 * <pre>{@code
 * class SqliteRefreshCredentialStoreTest extends RefreshCredentialStoreContractTest {
 *   @Override
 *   protected RefreshCredentialStore newStore() throws Exception {
 *     return SqliteStores.open(dir.resolve("aura.db")).refreshCredentialStore();
 *   }
 * }
 * }</pre>
 *
 * <p>Covers: {@code find} empty-not-null; every field round-trips; {@code issue} replaces the peer's
 * previous credential and leaves other peers alone; {@code rotate} replaces only the current credential and
 * returns {@code false}, changing nothing, for an unknown, rotated-out or replaced one; a chain of rotations;
 * null arguments; and of 16 concurrent rotations of the same credential exactly one succeeds.
 */
public abstract class RefreshCredentialStoreContractTest extends StoreContract<RefreshCredentialStore> {
  private static final int THREADS = 16;
  private static final Duration WEEK = Duration.ofDays(7);


  @Test
  void find_neverIssuedId_isEmptyNotNull() throws Exception {
    assertThat(store.find(credentialId())).isNotNull().isEmpty();
  }

  @Test
  void issue_thenFind_returnsAnEqualRecord() throws Exception {
    RefreshCredentialRecord record = credential(peerId(), T0);

    store.issue(record);

    assertThat(store.find(record.credentialId())).contains(record);
  }

  @Test
  void issue_secondCredentialForTheSamePeer_replacesTheFirst() throws Exception {
    PeerId peer = peerId();
    RefreshCredentialRecord first = credential(peer, T0);
    RefreshCredentialRecord second = credential(peer, T0.plusSeconds(60));
    store.issue(first);

    store.issue(second);

    assertThat(store.find(first.credentialId())).isEmpty();
    assertThat(store.find(second.credentialId())).contains(second);
  }

  @Test
  void issue_forAnotherPeer_leavesTheFirstPeersCredential() throws Exception {
    RefreshCredentialRecord carol = credential(peerId(), T0);
    RefreshCredentialRecord dave = credential(peerId(), T0);

    store.issue(carol);
    store.issue(dave);

    assertThat(store.find(carol.credentialId())).contains(carol);
    assertThat(store.find(dave.credentialId())).contains(dave);
  }

  @Test
  void rotate_currentCredential_replacesItAndReturnsTrue() throws Exception {
    PeerId peer = peerId();
    RefreshCredentialRecord current = credential(peer, T0);
    RefreshCredentialRecord next = credential(peer, T0.plus(WEEK));
    store.issue(current);

    assertThat(store.rotate(current.credentialId(), next)).isTrue();

    assertThat(store.find(current.credentialId())).as("the rotated-out credential").isEmpty();
    assertThat(store.find(next.credentialId())).contains(next);
  }

  @Test
  void rotate_unknownId_returnsFalseAndChangesNothing() throws Exception {
    PeerId peer = peerId();
    RefreshCredentialRecord current = credential(peer, T0);
    RefreshCredentialRecord next = credential(peer, T0.plus(WEEK));
    store.issue(current);

    assertThat(store.rotate(credentialId(), next)).isFalse();

    assertThat(store.find(current.credentialId())).contains(current);
    assertThat(store.find(next.credentialId())).isEmpty();
  }

  @Test
  void rotate_rotatedOutId_returnsFalseAndChangesNothing() throws Exception {
    PeerId peer = peerId();
    RefreshCredentialRecord stolen = credential(peer, T0);
    RefreshCredentialRecord legitimate = credential(peer, T0.plus(WEEK));
    RefreshCredentialRecord forked = credential(peer, T0.plus(WEEK).plusSeconds(1));
    store.issue(stolen);
    store.rotate(stolen.credentialId(), legitimate);

    assertThat(store.rotate(stolen.credentialId(), forked)).isFalse();

    assertThat(store.find(legitimate.credentialId())).contains(legitimate);
    assertThat(store.find(forked.credentialId())).isEmpty();
    assertThat(store.find(stolen.credentialId())).isEmpty();
  }

  @Test
  void rotate_idReplacedByANewIssue_returnsFalse() throws Exception {
    PeerId peer = peerId();
    RefreshCredentialRecord old = credential(peer, T0);
    RefreshCredentialRecord rejoined = credential(peer, T0.plusSeconds(60));
    store.issue(old);
    store.issue(rejoined);

    assertThat(store.rotate(old.credentialId(), credential(peer, T0.plus(WEEK)))).isFalse();

    assertThat(store.find(rejoined.credentialId())).contains(rejoined);
  }

  @Test
  void rotate_successively_followsTheChain() throws Exception {
    PeerId peer = peerId();
    RefreshCredentialRecord first = credential(peer, T0);
    RefreshCredentialRecord second = credential(peer, T0.plus(WEEK));
    RefreshCredentialRecord third = credential(peer, T0.plus(WEEK.multipliedBy(2)));
    store.issue(first);

    assertThat(store.rotate(first.credentialId(), second)).isTrue();
    assertThat(store.rotate(second.credentialId(), third)).isTrue();

    assertThat(store.find(first.credentialId())).isEmpty();
    assertThat(store.find(second.credentialId())).isEmpty();
    assertThat(store.find(third.credentialId())).contains(third);
  }

  @Test
  void rotate_oneLeavesOtherPeersAlone() throws Exception {
    RefreshCredentialRecord carol = credential(peerId(), T0);
    RefreshCredentialRecord dave = credential(peerId(), T0);
    store.issue(carol);
    store.issue(dave);

    store.rotate(carol.credentialId(), credential(carol.peer(), T0.plus(WEEK)));

    assertThat(store.find(dave.credentialId())).contains(dave);
  }

  @Test
  void rotate_sameCredentialRacedBy16Threads_succeedsExactlyOnce() throws Exception {
    PeerId peer = peerId();
    RefreshCredentialRecord current = credential(peer, T0);
    store.issue(current);
    List<RefreshCredentialRecord> nexts = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      nexts.add(credential(peer, T0.plus(WEEK).plusSeconds(i)));
    }

    List<Boolean> outcomes = Race.run(THREADS, i -> store.rotate(current.credentialId(), nexts.get(i)));

    assertThat(outcomes).filteredOn(Boolean::booleanValue).hasSize(1);
    RefreshCredentialRecord winner = nexts.get(outcomes.indexOf(Boolean.TRUE));
    assertThat(store.find(winner.credentialId())).contains(winner);
    assertThat(store.find(current.credentialId())).isEmpty();
    for (RefreshCredentialRecord next : nexts) {
      if (next != winner) {
        assertThat(store.find(next.credentialId())).as("a losing rotation's credential").isEmpty();
      }
    }
  }

  @Test
  void methods_withNullArguments_throwNullPointerException() throws Exception {
    RefreshCredentialRecord record = credential(peerId(), T0);
    store.issue(record);

    assertThatNullPointerException().isThrownBy(() -> store.issue(null));
    assertThatNullPointerException().isThrownBy(() -> store.find(null));
    assertThatNullPointerException().isThrownBy(() -> store.rotate(null, credential(record.peer(), T0)));
    assertThatNullPointerException().isThrownBy(() -> store.rotate(record.credentialId(), null));

    assertThat(store.find(record.credentialId())).contains(record);
  }
}
