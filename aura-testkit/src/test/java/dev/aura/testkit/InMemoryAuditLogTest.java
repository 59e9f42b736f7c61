package dev.aura.testkit;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static dev.aura.testkit.contract.ContractFixtures.auditEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.AuditLog;
import dev.aura.spi.AuditQuery;
import dev.aura.spi.AuditVerification;
import dev.aura.testkit.contract.AuditLogContractTest;
import org.junit.jupiter.api.Test;

class InMemoryAuditLogTest extends AuditLogContractTest {
  @Override
  protected AuditLog newStore() {
    return new InMemoryAuditLog();
  }

  private static InMemoryAuditLog logOfThree() {
    InMemoryAuditLog log = new InMemoryAuditLog();
    log.append(auditEvent(AuditEventType.TOKEN_ISSUED, T0));
    log.append(auditEvent(AuditEventType.TOKEN_USED, T0.plusSeconds(1)));
    log.append(auditEvent(AuditEventType.TOKEN_REVOKED, T0.plusSeconds(2)));
    return log;
  }

  @Test
  void verify_afterAnEventWasReplaced_reportsThatEntryAsModified() throws Exception {
    InMemoryAuditLog log = logOfThree();

    log.replaceEventForTest(2, AuditEvent.of(AuditEventType.TOKEN_USED, T0.plusSeconds(1), "jt_forged"));

    AuditVerification verification = AuditChain.verify(log);
    assertThat(verification.isIntact()).isFalse();
    assertThat(verification.firstBadSequence()).isEqualTo(2);
    assertThat(verification.problem()).isEqualTo("entry 2 was modified (its content does not match its hash)");
  }

  @Test
  void verify_afterAnEntryWasRemoved_reportsItMissing() throws Exception {
    InMemoryAuditLog log = logOfThree();

    log.removeForTest(2);

    AuditVerification verification = AuditChain.verify(log);
    assertThat(verification.firstBadSequence()).isEqualTo(2);
    assertThat(verification.problem()).isEqualTo("entry 2 is missing (next entry found is 3)");
  }

  @Test
  void append_afterTheLastEntryWasRemoved_stillChainsToItSoTheRemovalIsDetected() throws Exception {
    InMemoryAuditLog log = logOfThree();
    log.removeForTest(3);

    AuditEntry next = log.append(auditEvent(AuditEventType.PEER_KICKED, T0.plusSeconds(3)));

    assertThat(next.sequence()).isEqualTo(4);
    assertThat(AuditChain.verify(log).problem()).isEqualTo("entry 3 is missing (next entry found is 4)");
  }

  @Test
  void tamperHooks_withUnknownSequence_areRefused() {
    InMemoryAuditLog log = logOfThree();

    assertThatIllegalArgumentException().isThrownBy(() -> log.removeForTest(9))
        .withMessage("no audit entry with sequence 9");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> log.replaceEventForTest(0, auditEvent(AuditEventType.TOKEN_USED, T0)))
        .withMessage("no audit entry with sequence 0");
  }

  @Test
  void query_eventsAppendedOutOfTimeOrder_areReturnedOldestFirst() {
    InMemoryAuditLog log = new InMemoryAuditLog();
    AuditEvent later = auditEvent(AuditEventType.TOKEN_USED, T0.plusSeconds(5));
    AuditEvent earlier = auditEvent(AuditEventType.TOKEN_ISSUED, T0);
    log.append(later);
    log.append(earlier);

    assertThat(log.query(AuditQuery.between(T0, T0.plusSeconds(60), 10)))
        .extracting(AuditEntry::event).containsExactly(earlier, later);
  }

  @Test
  void readChain_withLimitBelowOne_isAProgrammerError() {
    assertThatIllegalArgumentException().isThrownBy(() -> new InMemoryAuditLog().readChain(1, 0))
        .withMessage("limit must be at least 1, got 0");
  }
}
