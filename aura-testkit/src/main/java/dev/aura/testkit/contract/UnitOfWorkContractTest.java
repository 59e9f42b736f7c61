package dev.aura.testkit.contract;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.ConsumeOutcome;
import dev.aura.spi.Jti;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.PeerId;
import dev.aura.spi.PeerRecord;
import dev.aura.spi.RefreshCredentialRecord;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.Role;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.spi.StoreException;
import dev.aura.spi.StoredSigningKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link dev.aura.spi.UnitOfWork} contract, over a whole {@link StoreSet}. Every implementation's test
 * extends this class and says how to make a fresh, empty set:
 *
 * <pre>{@code
 * class SqliteUnitOfWorkContractTest extends UnitOfWorkContractTest {
 *   @Override
 *   protected StoreSet newStore() throws Exception {
 *     JdbcStores stores = JdbcStores.open("sqlite:" + dir.resolve("aura.db"));
 *     return new StoreSet(stores.unitOfWork(), stores.tokenLedger(), ..., stores);
 *   }
 * }
 * }</pre>
 *
 * <p>Covers the multi-store operations of a Mothership, each as the steps it writes: a join (consume the
 * use, create the peer, issue its credential, audit {@code token_used}), a refresh rotation (rotate the
 * credential, record the peer seen, audit {@code credential_rotated}), a revocation with its audit entry, a
 * key rotation with its audit entry. For each operation and each step k: a work that throws after step k,
 * and a store whose write at step k fails, leave nothing of the operation behind and publish no change
 * notice; a committed operation keeps every step and publishes only after the commit. Also: a store failure
 * the work swallows still rolls the unit back; nested units join the outer one (an inner failure undoes
 * only the inner unit, an outer failure undoes both); calls outside a unit commit on their own; 16
 * threads running joins at once, every third failing at its last step, leave exactly the others, with one
 * intact audit chain; and of 16 units racing to create one peer id, half of them rolling back after a won
 * create, exactly one that commits has it.
 */
public abstract class UnitOfWorkContractTest extends StoreContract<StoreSet> {
  private static final int THREADS = 16;
  private static final int JOINS_PER_THREAD = 4;
  private static final Duration NOTICE_WAIT = Duration.ofSeconds(10);

  private final List<StoreChange> notices = new CopyOnWriteArrayList<>();
  private StoreChangeFeed.Subscription subscription;
  private Scenario scenario;

  /** One step of an operation: a write to one store. */
  @FunctionalInterface
  private interface Step {
    void apply(StoreSet stores) throws StoreException;
  }

  /** A multi-store operation as its steps, the way the Mothership writes it. */
  private record Operation(String name, List<Step> steps) {}

  /** The records the operations write, fresh for each test, and the state they start from. */
  private final class Scenario {
    final Jti jti = ContractFixtures.jti();
    final PeerId joiner = ContractFixtures.peerId();
    final PeerRecord joinerRecord = ContractFixtures.peer(joiner, T0.plusSeconds(1));
    final RefreshCredentialRecord joinerCredential = ContractFixtures.credential(joiner, T0.plusSeconds(1));
    final PeerId member = ContractFixtures.peerId();
    final RefreshCredentialRecord memberCredential = ContractFixtures.credential(member, T0);
    final RefreshCredentialRecord memberNext = ContractFixtures.credential(member, T0.plusSeconds(60));
    final StoredSigningKey oldKey = ContractFixtures.primaryKey("k-old-" + jti.value(), T0);
    final StoredSigningKey newKey = ContractFixtures.primaryKey("k-new-" + jti.value(), T0.plusSeconds(60));

    void prepare(StoreSet s) throws StoreException {
      assertThat(s.tokenLedger().record(ContractFixtures.ledgerEntry(jti, 1, T0.plusSeconds(900)))).isTrue();
      s.peerStore().save(ContractFixtures.peer(member, T0));
      s.refreshCredentialStore().issue(memberCredential);
      s.signingKeyStore().saveAll(List.of(oldKey));
      s.auditLog().append(ContractFixtures.auditEvent(AuditEventType.TOKEN_ISSUED, T0));
    }

    List<Operation> operations() {
      return List.of(
          new Operation("join", List.of(
              s -> assertThat(s.tokenLedger().consume(jti, ContractFixtures.tokenHash(jti), T0.plusSeconds(1)))
                  .isEqualTo(ConsumeOutcome.CONSUMED),
              s -> assertThat(s.peerStore().create(joinerRecord)).isTrue(),
              s -> s.refreshCredentialStore().issue(joinerCredential),
              s -> s.auditLog().append(AuditEvent.of(AuditEventType.TOKEN_USED, T0.plusSeconds(1), jti.value())
                  .withPeer(joiner.value())))),
          new Operation("refresh rotation", List.of(
              s -> assertThat(s.refreshCredentialStore().rotate(memberCredential.credentialId(), memberNext))
                  .isTrue(),
              s -> s.peerStore().recordSeen(member, T0.plusSeconds(60)),
              s -> s.auditLog().append(AuditEvent.of(AuditEventType.CREDENTIAL_ROTATED, T0.plusSeconds(60),
                  memberNext.credentialId()).withPeer(member.value())))),
          new Operation("revocation", List.of(
              s -> s.revocationStore().append(ContractFixtures.revoke(RevocationTarget.peer(member),
                  T0.plusSeconds(120))),
              s -> s.auditLog().append(AuditEvent.of(AuditEventType.TOKEN_REVOKED, T0.plusSeconds(120),
                  member.value()).by("admin@example.com")))),
          new Operation("key rotation", List.of(
              s -> s.signingKeyStore().saveAll(List.of(oldKey.retired(T0.plusSeconds(3600)), newKey)),
              s -> s.auditLog().append(AuditEvent.of(AuditEventType.KEY_ROTATION, T0.plusSeconds(60),
                  newKey.kid()).by("admin@example.com")))));
    }

    Snapshot snapshot(StoreSet s) throws StoreException {
      List<String> keys = new ArrayList<>();
      for (StoredSigningKey k : s.signingKeyStore().loadAll()) {
        keys.add(k.kid() + " " + k.status() + " " + k.retireAtIfAny().orElse(null));
      }
      return new Snapshot(s.tokenLedger().find(jti), s.peerStore().find(joiner), s.peerStore().find(member),
          s.refreshCredentialStore().find(memberCredential.credentialId()),
          s.refreshCredentialStore().find(memberNext.credentialId()),
          s.refreshCredentialStore().find(joinerCredential.credentialId()), s.auditLog().readChain(1, 10_000),
          s.revocationStore().latestVersion(), keys);
    }
  }

  /** Everything the operations can change. */
  private record Snapshot(Optional<LedgerEntry> ledger, Optional<PeerRecord> joiner, Optional<PeerRecord> member,
      Optional<RefreshCredentialRecord> memberCredential, Optional<RefreshCredentialRecord> memberNext,
      Optional<RefreshCredentialRecord> joinerCredential, List<AuditEntry> audit, long revocationVersion,
      List<String> keys) {}

  /** For subclasses. */
  protected UnitOfWorkContractTest() {}

  @BeforeEach
  final void prepareScenario() throws Exception {
    scenario = new Scenario();
    scenario.prepare(store);
    awaitNoticesSettled();
    subscription = store.changeFeed().subscribe(notices::add);
  }

  @AfterEach
  final void unsubscribe() {
    if (subscription != null) {
      subscription.close();
    }
  }

  @Test
  void everyOperation_committed_keepsEveryStepAndPublishesOnlyAfterTheCommit() throws Exception {
    for (Operation operation : scenario.operations()) {
      notices.clear();
      store.unitOfWork().inTransaction(() -> {
        for (Step step : operation.steps()) {
          step.apply(store);
        }
        assertThat(notices).as("notices published before %s committed", operation.name()).isEmpty();
        return null;
      });
      if (!operation.name().equals("refresh rotation")) { // recordSeen publishes nothing
        awaitNotice(c -> true);
      }
    }

    Snapshot after = scenario.snapshot(store);
    assertThat(after.ledger()).get().extracting(LedgerEntry::usesConsumed).isEqualTo(1);
    assertThat(after.joiner()).contains(scenario.joinerRecord);
    assertThat(after.joinerCredential()).contains(scenario.joinerCredential);
    assertThat(after.memberCredential()).isEmpty();
    assertThat(after.memberNext()).contains(scenario.memberNext);
    assertThat(after.member()).get().extracting(PeerRecord::lastSeen).isEqualTo(T0.plusSeconds(60));
    assertThat(after.revocationVersion()).as("the settle marker, then the revocation").isEqualTo(2);
    assertThat(after.keys()).hasSize(2);
    assertThat(after.audit()).extracting(e -> e.event().type()).containsExactly(AuditEventType.TOKEN_ISSUED,
        AuditEventType.TOKEN_USED, AuditEventType.CREDENTIAL_ROTATED, AuditEventType.TOKEN_REVOKED,
        AuditEventType.KEY_ROTATION);
    assertThat(AuditChain.verify(store.auditLog()).isIntact()).isTrue();
  }

  @Test
  void everyOperation_workThrowingAfterEachStep_leavesNothingBehindAndPublishesNothing() throws Exception {
    assertEveryFailingStepLeavesNothing("failing after step", (operation, k) -> {
      for (int i = 0; i < k; i++) {
        operation.steps().get(i).apply(store);
      }
      throw new IllegalStateException("work failed after step " + k);
    }, (thrown, k) -> assertThat(thrown).isInstanceOf(IllegalStateException.class)
        .hasMessage("work failed after step " + k));
  }

  @Test
  void everyOperation_storeFailingAtEachStep_leavesNothingBehindAndPublishesNothing() throws Exception {
    assertEveryFailingStepLeavesNothing("store failing at step", (operation, k) -> {
      StoreSet failing = FailingStores.failingAt(store, k);
      for (Step step : operation.steps()) {
        step.apply(failing);
      }
    }, (thrown, k) -> assertThat(thrown).isInstanceOf(StoreException.class)
        .hasMessageStartingWith(FailingStores.INJECTED + k));
  }

  /** How a unit fails at step k of an operation. */
  @FunctionalInterface
  private interface FailingWork {
    void run(Operation operation, int k) throws Exception;
  }

  /** What the unit must have thrown when it failed at step k. */
  @FunctionalInterface
  private interface ExpectedFailure {
    void check(Throwable thrown, int k);
  }

  /** For every operation and every step k: the unit fails as told, and the stores are as before it. */
  private void assertEveryFailingStepLeavesNothing(String how, FailingWork work, ExpectedFailure expected)
      throws Exception {
    Snapshot before = scenario.snapshot(store);
    for (Operation operation : scenario.operations()) {
      for (int k = 1; k <= operation.steps().size(); k++) {
        int step = k;
        Throwable thrown = catchThrowable(() -> store.unitOfWork()
            .inTransaction(() -> {
              work.run(operation, step);
              return null;
            }));
        expected.check(thrown, k);
        assertThat(scenario.snapshot(store)).as("%s, %s %d", operation.name(), how, k).isEqualTo(before);
      }
    }
    assertNoNoticeButAMarker();
  }

  @Test
  void storeFailureTheWorkSwallows_stillRollsTheUnitBackAndIsRethrown() throws Exception {
    Snapshot before = scenario.snapshot(store);
    RefreshCredentialRecord othersCredential = ContractFixtures.credential(ContractFixtures.peerId(), T0);

    assertThatThrownBy(() -> store.unitOfWork().inTransaction(() -> {
      store.peerStore().save(scenario.joinerRecord);
      try {
        // A replacement naming another peer: the store refuses it (IllegalArgumentException).
        store.refreshCredentialStore().rotate(scenario.memberCredential.credentialId(), othersCredential);
      } catch (IllegalArgumentException swallowed) {
        // the work goes on as if nothing happened; the unit must not commit the peer anyway
      }
      return "committed?";
    })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(scenario.memberCredential.credentialId());

    assertThat(scenario.snapshot(store)).isEqualTo(before);
  }

  @Test
  void nestedUnit_joinsTheOuterOne_andItsFailureUndoesOnlyItself() throws Exception {
    String result = store.unitOfWork().inTransaction(() -> {
      store.peerStore().save(scenario.joinerRecord);
      try {
        store.unitOfWork().inTransaction(() -> {
          assertThat(store.peerStore().find(scenario.joiner)).as("the outer unit's write, seen inside")
              .contains(scenario.joinerRecord);
          store.refreshCredentialStore().issue(scenario.joinerCredential);
          throw new IllegalStateException("inner unit failed");
        });
      } catch (IllegalStateException expected) {
        assertThat(expected).hasMessage("inner unit failed");
      }
      assertThat(store.refreshCredentialStore().find(scenario.joinerCredential.credentialId())).isEmpty();
      store.unitOfWork().inTransaction(() ->
          store.auditLog().append(AuditEvent.of(AuditEventType.TOKEN_USED, T0, scenario.jti.value())));
      return "outer committed";
    });

    assertThat(result).isEqualTo("outer committed");
    assertThat(store.peerStore().find(scenario.joiner)).contains(scenario.joinerRecord);
    assertThat(store.refreshCredentialStore().find(scenario.joinerCredential.credentialId())).isEmpty();
    assertThat(store.auditLog().readChain(1, 100)).extracting(e -> e.event().type())
        .containsExactly(AuditEventType.TOKEN_ISSUED, AuditEventType.TOKEN_USED);
    assertThat(AuditChain.verify(store.auditLog()).isIntact()).isTrue();
  }

  @Test
  void outerUnitFailing_undoesWhatACommittedInnerUnitWrote() throws Exception {
    Snapshot before = scenario.snapshot(store);

    assertThatThrownBy(() -> store.unitOfWork().inTransaction(() -> {
      store.unitOfWork().inTransaction(() -> {
        store.peerStore().save(scenario.joinerRecord);
        return store.auditLog().append(AuditEvent.of(AuditEventType.TOKEN_USED, T0, scenario.jti.value()));
      });
      throw new IllegalStateException("outer unit failed after the inner one returned");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(scenario.snapshot(store)).isEqualTo(before);
  }

  @Test
  void callsOutsideAUnit_commitOnTheirOwn() throws Exception {
    store.peerStore().save(scenario.joinerRecord);
    assertThatThrownBy(() -> store.unitOfWork().inTransaction(() -> {
      store.refreshCredentialStore().issue(scenario.joinerCredential);
      throw new IllegalStateException("unit failed");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(store.peerStore().find(scenario.joiner)).contains(scenario.joinerRecord);
    assertThat(store.refreshCredentialStore().find(scenario.joinerCredential.credentialId())).isEmpty();
  }

  @Test
  void concurrentJoins_everyThirdFailingAtItsLastStep_leaveExactlyTheOthersOnOneIntactChain()
      throws Exception {
    int joins = THREADS * JOINS_PER_THREAD;
    List<Jti> jtis = new ArrayList<>();
    for (int i = 0; i < joins; i++) {
      Jti jti = ContractFixtures.jti();
      store.tokenLedger().record(ContractFixtures.ledgerEntry(jti, 1, T0.plusSeconds(900)));
      jtis.add(jti);
    }
    List<PeerId> peers = new ArrayList<>();
    for (int i = 0; i < joins; i++) {
      peers.add(ContractFixtures.peerId());
    }
    long auditBefore = store.auditLog().readChain(1, 10_000).size();

    List<Integer> committed = Race.run(THREADS, t -> {
      int ok = 0;
      for (int j = 0; j < JOINS_PER_THREAD; j++) {
        int i = t * JOINS_PER_THREAD + j;
        try {
          store.unitOfWork().inTransaction(() -> {
            Jti jti = jtis.get(i);
            assertThat(store.tokenLedger().consume(jti, ContractFixtures.tokenHash(jti), T0.plusSeconds(1)))
                .isEqualTo(ConsumeOutcome.CONSUMED);
            store.peerStore().save(ContractFixtures.peer(peers.get(i), T0.plusSeconds(1)));
            store.refreshCredentialStore().issue(ContractFixtures.credential(peers.get(i), T0.plusSeconds(1)));
            store.auditLog().append(AuditEvent.of(AuditEventType.TOKEN_USED, T0.plusSeconds(1), jti.value())
                .withPeer(peers.get(i).value()));
            if (i % 3 == 0) {
              throw new IllegalStateException("join " + i + " failed at its last step");
            }
            return null;
          });
          ok++;
        } catch (IllegalStateException expected) {
          assertThat(i % 3).isZero();
        }
      }
      return ok;
    });

    int expected = (int) java.util.stream.IntStream.range(0, joins).filter(i -> i % 3 != 0).count();
    assertThat(committed.stream().mapToInt(Integer::intValue).sum()).isEqualTo(expected);
    for (int i = 0; i < joins; i++) {
      boolean kept = i % 3 != 0;
      assertThat(store.tokenLedger().find(jtis.get(i))).get().extracting(LedgerEntry::usesConsumed)
          .as("join %d", i).isEqualTo(kept ? 1 : 0);
      assertThat(store.peerStore().find(peers.get(i)).isPresent()).as("peer of join %d", i).isEqualTo(kept);
    }
    List<AuditEntry> chain = store.auditLog().readChain(1, 10_000);
    assertThat(chain).hasSize((int) auditBefore + expected);
    assertThat(chain.subList((int) auditBefore, chain.size())).extracting(e -> e.event().peer())
        .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, joins).filter(i -> i % 3 != 0)
            .mapToObj(i -> peers.get(i).value()).toList());
    assertThat(AuditChain.verify(store.auditLog()).isIntact()).isTrue();
  }

  @Test
  void concurrentUnitsCreatingOnePeerId_exactlyOneCommittedUnitHasIt_andRolledBackCreatesFreeIt()
      throws Exception {
    PeerId id = ContractFixtures.peerId();
    List<PeerRecord> versions = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      versions.add(new PeerRecord(id, "joiner-" + i + "@example.com", Role.MEMBER, ContractFixtures.jti(), T0,
          T0.plusSeconds(i), List.of("10.0.0." + i + ":7000")));
    }
    long auditBefore = store.auditLog().readChain(1, 10_000).size();

    // Even contenders that win roll their unit back after the create; an odd one can lose only to a
    // committed create, which only an odd one makes: so exactly one odd contender commits the peer.
    List<String> outcomes = Race.run(THREADS, i -> {
      try {
        return store.unitOfWork().inTransaction(() -> {
          if (!store.peerStore().create(versions.get(i))) {
            return "taken";
          }
          Thread.sleep(30); // hold the uncommitted row while the others reach their create
          store.auditLog().append(AuditEvent.of(AuditEventType.TOKEN_USED, T0, versions.get(i).joinedWith()
              .value()).withPeer(id.value()));
          if (i % 2 == 0) {
            throw new IllegalStateException("contender " + i + " failed after its create");
          }
          return "committed";
        });
      } catch (IllegalStateException expected) {
        return "rolled back";
      }
    });

    assertThat(outcomes).filteredOn("committed"::equals).hasSize(1);
    int winner = outcomes.indexOf("committed");
    assertThat(winner % 2).as("the winner %d of %s", winner, outcomes).isOne();
    assertThat(store.peerStore().find(id)).contains(versions.get(winner));
    List<AuditEntry> chain = store.auditLog().readChain(1, 10_000);
    assertThat(chain.subList((int) auditBefore, chain.size())).extracting(e -> e.event().reference())
        .containsExactly(versions.get(winner).joinedWith().value());
    assertThat(AuditChain.verify(store.auditLog()).isIntact()).isTrue();
  }

  /**
   * Commits a marker revocation and waits for its notice; asserts that it is the only notice since the
   * subscription (notices are delivered in commit order, so a rolled-back unit's would have come first).
   */
  private void assertNoNoticeButAMarker() throws Exception {
    long version = store.revocationStore().append(ContractFixtures.revoke(RevocationTarget.subject("marker"),
        T0)).version();
    awaitNotice(c -> c.topic() == StoreChange.Topic.REVOCATIONS && c.version() == version);
    assertThat(notices).as("notices of rolled-back units").allMatch(c -> c.topic() == StoreChange.Topic.REVOCATIONS
        && c.version() == version);
  }

  private void awaitNotice(Predicate<StoreChange> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + NOTICE_WAIT.toNanos();
    while (notices.stream().noneMatch(wanted)) {
      assertThat(System.nanoTime()).as("a notice of the commit within %s", NOTICE_WAIT).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /** Lets notices of the preparation (delivered asynchronously by some stores) arrive before subscribing. */
  private void awaitNoticesSettled() throws Exception {
    List<StoreChange> seen = new CopyOnWriteArrayList<>();
    try (StoreChangeFeed.Subscription s = store.changeFeed().subscribe(seen::add)) {
      long version = store.revocationStore().append(ContractFixtures.revoke(RevocationTarget.subject("settle"),
          T0)).version();
      long deadline = System.nanoTime() + NOTICE_WAIT.toNanos();
      while (seen.stream().noneMatch(c -> c.topic() == StoreChange.Topic.REVOCATIONS && c.version() == version)) {
        assertThat(System.nanoTime()).as("the feed delivers within %s", NOTICE_WAIT).isLessThan(deadline);
        Thread.sleep(5);
      }
    }
  }

}
