package dev.aura.testkit.contract;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static dev.aura.testkit.contract.ContractFixtures.auditEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.AuditLog;
import dev.aura.spi.AuditQuery;
import dev.aura.spi.AuditVerification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The {@link AuditLog} contract. Every implementation's test extends this class and says how to make a
 * fresh, empty log:
 *
 * <pre>{@code
 * class SqliteAuditLogTest extends AuditLogContractTest {
 *   @Override
 *   protected AuditLog newStore() throws Exception {
 *     return SqliteStores.open(dir.resolve("aura.db")).auditLog();
 *   }
 * }
 * }</pre>
 *
 * <p>Covers: {@code append} returns entries chained from {@link AuditChain#GENESIS} with the hashes
 * {@link AuditChain#hash} computes; every event field round-trips exactly (nulls stay null, nanoseconds
 * are kept, since both are part of the hash); {@code readChain} from a sequence with a limit;
 * {@code query} over {@code [from, to)}, by types, with a limit, oldest first; empty-not-null; results not
 * changed by later appends; null arguments; and {@link AuditChain#verify} intact after appends, including
 * appends from 16 threads at once, which must form one chain.
 */
public abstract class AuditLogContractTest extends StoreContract<AuditLog> {
  private static final int THREADS = 16;
  private static final int APPENDS_PER_THREAD = 4;
  private static final Instant FAR_FUTURE = T0.plusSeconds(365L * 24 * 3600);


  @Test
  void emptyLog_readsEmptyNotNullAndVerifiesIntact() throws Exception {
    assertThat(store.readChain(1, 100)).isNotNull().isEmpty();
    assertThat(store.query(AuditQuery.between(T0, FAR_FUTURE, 100))).isNotNull().isEmpty();

    AuditVerification verification = AuditChain.verify(store);
    assertThat(verification.isIntact()).isTrue();
    assertThat(verification.entriesChecked()).isZero();
  }

  @Test
  void append_firstEvent_startsTheChainAtGenesis() throws Exception {
    AuditEvent event = auditEvent(AuditEventType.TOKEN_ISSUED, T0);

    AuditEntry entry = store.append(event);

    assertThat(entry.sequence()).isEqualTo(1);
    assertThat(entry.event()).isEqualTo(event);
    assertThat(entry.previousHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(entry.hash()).isEqualTo(AuditChain.hash(AuditChain.GENESIS, 1, event));
  }

  @Test
  void append_successiveEvents_linkEachEntryToThePreviousOne() throws Exception {
    List<AuditEntry> entries = appendAll(events(4));

    assertThat(entries).extracting(AuditEntry::sequence).containsExactly(1L, 2L, 3L, 4L);
    for (int i = 1; i < entries.size(); i++) {
      AuditEntry entry = entries.get(i);
      assertThat(entry.previousHash()).isEqualTo(entries.get(i - 1).hash());
      assertThat(entry.hash()).isEqualTo(AuditChain.hash(entry.previousHash(), entry.sequence(), entry.event()));
    }
  }

  @Test
  void readChain_fromTheStart_returnsEntriesExactlyAsAppended() throws Exception {
    List<AuditEntry> appended = appendAll(events(3));

    assertThat(store.readChain(1, 100)).containsExactlyElementsOf(appended);
  }

  @Test
  void readChain_fromASequenceWithALimit_returnsThatPageInSequenceOrder() throws Exception {
    List<AuditEntry> appended = appendAll(events(5));

    assertThat(store.readChain(2, 2)).containsExactly(appended.get(1), appended.get(2));
    assertThat(store.readChain(4, 10)).containsExactly(appended.get(3), appended.get(4));
    assertThat(store.readChain(5, 1)).containsExactly(appended.get(4));
  }

  @Test
  void readChain_pastTheEnd_isEmptyNotNull() throws Exception {
    appendAll(events(2));

    assertThat(store.readChain(3, 10)).isNotNull().isEmpty();
    assertThat(store.readChain(100, 10)).isNotNull().isEmpty();
  }

  @Test
  void append_eventWithEveryField_roundTripsExactly() throws Exception {
    AuditEvent full = AuditEvent.of(AuditEventType.TOKEN_USED, T0, "jt_01HYXT8K3PQ7V2M4N6R8S0T1W3")
        .withPeer("peer_2c3d4e5f").by("admin@acme.com").forSubject("carol@contractor.com").from("10.0.1.42");
    AuditEvent bare = AuditEvent.of(AuditEventType.HANDSHAKE_FAIL, T0.plusSeconds(1), "jt_expired");
    AuditEvent unicode = AuditEvent.of(AuditEventType.TOKEN_ISSUED, T0.plusSeconds(2), "jt_01HYXT8K3PQ7V2M4N6R8S0T1W4")
        .by("zoë@exämple.com").forSubject("");

    appendAll(List.of(full, bare, unicode));

    List<AuditEntry> stored = store.readChain(1, 10);
    assertThat(stored).extracting(AuditEntry::event).containsExactly(full, bare, unicode);
    assertThat(stored.get(1).event().peer()).as("an absent field stays null").isNull();
    assertThat(stored.get(1).event().source()).as("an absent field stays null").isNull();
    assertThat(stored.get(2).event().subject()).as("an empty field stays empty, not null").isEmpty();
    assertThat(AuditChain.verify(store).isIntact()).isTrue();
  }

  @Test
  void append_eventWithNanosecondTimestamp_roundTripsItExactlySoTheChainVerifies() throws Exception {
    AuditEvent event = auditEvent(AuditEventType.KEY_ROTATION, T0.plusNanos(123_456_789));

    store.append(event);

    assertThat(store.readChain(1, 1)).extracting(e -> e.event().at()).containsExactly(T0.plusNanos(123_456_789));
    assertThat(AuditChain.verify(store).isIntact()).isTrue();
  }

  @Test
  void query_timeRange_includesFromAndExcludesTo() throws Exception {
    AuditEvent before = auditEvent(AuditEventType.TOKEN_ISSUED, T0.minusNanos(1));
    AuditEvent atFrom = auditEvent(AuditEventType.TOKEN_ISSUED, T0);
    AuditEvent inside = auditEvent(AuditEventType.TOKEN_USED, T0.plusSeconds(30));
    AuditEvent justBeforeTo = auditEvent(AuditEventType.TOKEN_USED, T0.plusSeconds(60).minusNanos(1));
    AuditEvent atTo = auditEvent(AuditEventType.TOKEN_USED, T0.plusSeconds(60));
    appendAll(List.of(before, atFrom, inside, justBeforeTo, atTo));

    List<AuditEntry> found = store.query(AuditQuery.between(T0, T0.plusSeconds(60), 100));

    assertThat(found).extracting(AuditEntry::event).containsExactly(atFrom, inside, justBeforeTo);
  }

  @Test
  void query_emptyRange_isEmptyNotNull() throws Exception {
    appendAll(events(3));

    assertThat(store.query(AuditQuery.between(T0, T0, 100))).isNotNull().isEmpty();
  }

  @Test
  void query_byTypes_returnsOnlyThoseTypesOldestFirst() throws Exception {
    AuditEvent issued = auditEvent(AuditEventType.TOKEN_ISSUED, T0);
    AuditEvent rotation = auditEvent(AuditEventType.KEY_ROTATION, T0.plusSeconds(1));
    AuditEvent used = auditEvent(AuditEventType.TOKEN_USED, T0.plusSeconds(2));
    AuditEvent tls = auditEvent(AuditEventType.TLS_ROTATION, T0.plusSeconds(3));
    AuditEvent secondRotation = auditEvent(AuditEventType.KEY_ROTATION, T0.plusSeconds(4));
    appendAll(List.of(issued, rotation, used, tls, secondRotation));

    List<AuditEntry> rotations =
        store.query(new AuditQuery(T0, FAR_FUTURE, Set.of(AuditEventType.KEY_ROTATION), 100));
    List<AuditEntry> rotationsOfAnyKind = store.query(new AuditQuery(T0, FAR_FUTURE,
        EnumSet.of(AuditEventType.KEY_ROTATION, AuditEventType.TLS_ROTATION), 100));

    assertThat(rotations).extracting(AuditEntry::event).containsExactly(rotation, secondRotation);
    assertThat(rotationsOfAnyKind).extracting(AuditEntry::event).containsExactly(rotation, tls, secondRotation);
  }

  @Test
  void query_withNoTypes_returnsEveryTypeOldestFirst() throws Exception {
    List<AuditEvent> events = events(4);
    appendAll(events);

    assertThat(store.query(new AuditQuery(T0, FAR_FUTURE, Set.of(), 100)))
        .extracting(AuditEntry::event).containsExactlyElementsOf(events);
  }

  @Test
  void query_typeThatNeverHappened_isEmptyNotNull() throws Exception {
    appendAll(events(3));

    assertThat(store.query(new AuditQuery(T0, FAR_FUTURE, Set.of(AuditEventType.PEER_KICKED), 100)))
        .isNotNull().isEmpty();
  }

  @Test
  void query_withLimit_returnsTheOldestMatches() throws Exception {
    List<AuditEvent> events = events(5);
    appendAll(events);

    assertThat(store.query(AuditQuery.between(T0, FAR_FUTURE, 2)))
        .extracting(AuditEntry::event).containsExactly(events.get(0), events.get(1));
    assertThat(store.query(AuditQuery.between(T0.plusSeconds(3), FAR_FUTURE, 1)))
        .extracting(AuditEntry::event).containsExactly(events.get(3));
  }

  @Test
  void query_returnsEntriesWithTheirChainFields() throws Exception {
    List<AuditEntry> appended = appendAll(events(3));

    assertThat(store.query(AuditQuery.between(T0, FAR_FUTURE, 100))).containsExactlyElementsOf(appended);
  }

  @Test
  void results_areNotChangedByLaterAppends() throws Exception {
    appendAll(events(2));
    List<AuditEntry> chain = store.readChain(1, 100);
    List<AuditEntry> queried = store.query(AuditQuery.between(T0, FAR_FUTURE, 100));
    List<AuditEntry> chainCopy = List.copyOf(chain);
    List<AuditEntry> queriedCopy = List.copyOf(queried);

    store.append(auditEvent(AuditEventType.TOKEN_USED, T0.plusSeconds(10)));

    assertThat(chain).containsExactlyElementsOf(chainCopy);
    assertThat(queried).containsExactlyElementsOf(queriedCopy);
  }

  @Test
  void verify_afterAppends_isIntactAndChecksEveryEntry() throws Exception {
    appendAll(events(6));

    AuditVerification verification = AuditChain.verify(store);

    assertThat(verification.isIntact()).isTrue();
    assertThat(verification.problemIfAny()).isEmpty();
    assertThat(verification.entriesChecked()).isEqualTo(6);
  }

  @Test
  void append_from16ThreadsAtOnce_formsOneIntactChain() throws Exception {
    List<List<AuditEntry>> perThread = Race.run(THREADS, thread -> {
      List<AuditEntry> appended = new ArrayList<>();
      for (int i = 0; i < APPENDS_PER_THREAD; i++) {
        appended.add(store.append(AuditEvent.of(AuditEventType.TOKEN_USED, T0.plusSeconds(i), "jt_race")
            .withPeer(String.format("peer_%08x", thread))));
      }
      return appended;
    });

    int total = THREADS * APPENDS_PER_THREAD;
    List<AuditEntry> returned = perThread.stream().flatMap(List::stream).collect(Collectors.toList());
    assertThat(returned).extracting(AuditEntry::sequence)
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().collect(Collectors.toList()));
    assertThat(store.readChain(1, total + 10)).containsExactlyInAnyOrderElementsOf(returned);
    AuditVerification verification = AuditChain.verify(store);
    assertThat(verification.problemIfAny()).isEmpty();
    assertThat(verification.entriesChecked()).isEqualTo(total);
  }

  @Test
  void methods_withNullArguments_throwNullPointerException() throws Exception {
    assertThatNullPointerException().isThrownBy(() -> store.append(null));
    assertThatNullPointerException().isThrownBy(() -> store.query(null));

    assertThat(store.readChain(1, 10)).isEmpty();
  }

  /** {@code n} events of varied types, one second apart from {@link ContractFixtures#T0}. */
  private static List<AuditEvent> events(int n) {
    AuditEventType[] types = AuditEventType.values();
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(auditEvent(types[i % types.length], T0.plusSeconds(i)));
    }
    return events;
  }

  private List<AuditEntry> appendAll(List<AuditEvent> events) throws Exception {
    List<AuditEntry> entries = new ArrayList<>();
    for (AuditEvent event : events) {
      entries.add(store.append(event));
    }
    return entries;
  }
}
