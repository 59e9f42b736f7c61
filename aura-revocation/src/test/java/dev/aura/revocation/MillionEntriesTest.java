package dev.aura.revocation;

import static dev.aura.revocation.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationChange;
import dev.aura.spi.RevocationChange.Action;
import dev.aura.spi.RevocationTarget;
import dev.aura.testkit.InMemoryAuditLog;
import dev.aura.testkit.InMemoryRevocationStore;
import dev.aura.testkit.ManualClock;
import dev.aura.token.IssuedJoinToken;
import dev.aura.token.RejectionReason;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A list of one million revocations, built directly in the store (one audited {@code revoke} per entry is
 * the slow path an operator never takes a million times), then loaded and looked up. Prints the load time and
 * the heap the list takes, for the record; asserts only correctness.
 */
class MillionEntriesTest {
  private static final int JTIS = 900_000;
  private static final int PEERS = 90_000;
  private static final int SUBJECTS = 10_000;
  private static final int TOTAL = JTIS + PEERS + SUBJECTS;
  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  /** A distinct, canonical jti for each number. */
  static String jti(long n) {
    char[] c = "jt_01HYXT8K3P0000000000000000".toCharArray();
    for (int i = c.length - 1; n > 0; i--, n >>>= 5) {
      c[i] = CROCKFORD.charAt((int) (n & 31));
    }
    return new String(c);
  }

  static RevocationTarget target(int i) {
    if (i < JTIS) {
      return new RevocationTarget(RevocationTarget.Kind.JTI, jti(i));
    }
    if (i < JTIS + PEERS) {
      return new RevocationTarget(RevocationTarget.Kind.PEER, String.format("peer_%08x", i));
    }
    return RevocationTarget.subject("user" + i + "@acme.com");
  }

  @Test
  void aMillionRevocations_loadFromTheStore_andEveryOneIsFoundInO1() throws Exception {
    TestMothership m = new TestMothership();
    IssuedJoinToken realToken = m.issue("someone@acme.com");
    ManualClock clock = m.clock;
    InMemoryRevocationStore store = new InMemoryRevocationStore();
    Instant at = clock.instant();
    for (int i = 0; i < TOTAL; i++) {
      store.append(new RevocationChange(Action.REVOKE, target(i), "bulk-import", at, null));
    }
    store.append(new RevocationChange(Action.REVOKE, RevocationTarget.jti(realToken.jti()), "admin", at, null));
    store.append(new RevocationChange(Action.UNREVOKE, target(7), "admin", at, null));
    long heapBefore = usedHeapAfterGc();

    long started = System.nanoTime();
    RevocationList list = RevocationList.open(store, new InMemoryAuditLog(), clock);
    long loadMillis = (System.nanoTime() - started) / 1_000_000;
    long listBytes = usedHeapAfterGc() - heapBefore;

    started = System.nanoTime();
    for (int i = 0; i < TOTAL; i++) {
      RevocationTarget t = target(i);
      if (i != 7 && list.find(t).isEmpty()) {
        throw new AssertionError(t + " was not found");
      }
    }
    long lookupMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("1,000,000 revocations: loaded in %d ms, %d ms for 1,000,000 lookups (including building"
        + " the targets), list heap about %d MB (%d bytes per entry)%n", loadMillis, lookupMillis,
        listBytes >> 20, listBytes / TOTAL);

    assertThat(list.version()).isEqualTo(TOTAL + 2L);
    assertThat(list.size()).isEqualTo(TOTAL); // one more revoked, one lifted
    assertThat(list.find(target(7))).isEmpty();
    assertThat(list.find(target(TOTAL - 1)).orElseThrow().version()).isEqualTo(TOTAL);
    assertThat(list.find(RevocationTarget.jti(Jti.parse(jti(TOTAL + 5L))))).isEmpty();
    assertThat(list.revocationOfPeer(PeerId.parse(String.format("peer_%08x", JTIS + 1)), "x", at)).isPresent();
    assertThat(list.revocationOfPeer(PeerId.parse("peer_ffffffff"), "nobody@acme.com", at)).isEmpty();
    assertThat(list.revocationOfPeer(PeerId.parse("peer_ffffffff"), "user" + (TOTAL - 1) + "@acme.com", at))
        .isPresent();
    assertThat(refusal(() -> m.validator(list).admit(realToken.token())).reason())
        .isEqualTo(RejectionReason.REVOKED);
  }

  @Test
  void compactJtiKeys_roundTripEveryCharacterPosition() throws Exception {
    TestMothership m = new TestMothership();
    String highest = "jt_7ZZZZZZZZZZZZZZZZZZZZZZZZZ";
    String lowest = "jt_00000000000000000000000000";
    for (String jti : new String[] {highest, lowest, jti(123_456_789L), "jt_01HYXT8K3PQ7V2M4N6R8S0T1W3"}) {
      m.list.revoke(RevocationTarget.fromArgument(jti), "admin", null);
    }

    assertThat(m.list.inForce()).extracting(r -> r.target().value()).containsExactly(highest, lowest,
        jti(123_456_789L), "jt_01HYXT8K3PQ7V2M4N6R8S0T1W3");
    assertThat(m.list.find(RevocationTarget.fromArgument("jt_7ZZZZZZZZZZZZZZZZZZZZZZZZY"))).isEmpty();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
  }
}
