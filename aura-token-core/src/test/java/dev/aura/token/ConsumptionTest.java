package dev.aura.token;

import static dev.aura.token.RejectionAssert.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Step 8: the ledger decides how many joins a token allows. */
class ConsumptionTest {
  private final Harness h = Harness.ed25519();

  ConsumptionTest() throws Exception {}

  @Test
  void oneShotToken_usedTwice_isRejectedAsAlreadyUsed() throws Exception {
    String token = h.issue().token();

    assertThat(h.validator.admit(token).consumed()).isTrue();
    TokenRejectedException e = rejected(() -> h.validator.admit(token), RejectionReason.ALREADY_USED);
    assertThat(e.getMessage()).contains("one-shot token").contains("was already used");
  }

  @Test
  void tokenAllowingThreeUses_usedFourTimes_isRejectedTheFourthTime() throws Exception {
    String token = h.issuer.issue(JoinTokenRequest.forSubject("team-onboarding").uses(3).build()).token();

    for (int i = 0; i < 3; i++) {
      assertThat(h.validator.admit(token).uses()).isEqualTo(3);
    }
    TokenRejectedException e = rejected(() -> h.validator.admit(token), RejectionReason.ALREADY_USED);
    assertThat(e.getMessage()).isEqualTo("token already used: all 3 uses of token "
        + h.validator.verify(token).jti() + " were consumed");
  }

  @Test
  void verify_doesNotConsume() throws Exception {
    String token = h.issue().token();

    h.validator.verify(token);
    h.validator.verify(token);

    assertThat(h.validator.admit(token).consumed()).isTrue();
  }

  @Test
  void tokenUnknownToTheLedger_isRejected() throws Exception {
    String token = h.issue().token();
    JoinTokenValidator emptyLedger = JoinTokenValidator.builder().mothershipId(Harness.MSHIP)
        .keys(h.ring::publicKeys).clock(h.clock).acceptedFingerprints(() -> java.util.Set.of(Harness.FINGERPRINT))
        .permitRoles(dev.aura.spi.Role.MEMBER).withoutRevocationCheck().ledger(new FakeStores.Ledger()).build();

    rejected(() -> emptyLedger.admit(token), RejectionReason.UNKNOWN_TOKEN);
  }

  @Test
  void sixtyFourThreadsRacingOneOneShotToken_exactlyOneWins() throws Exception {
    String token = h.issue().token();
    ExecutorService pool = Executors.newFixedThreadPool(64);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ValidationResult>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return h.validator.tryAdmit(token);
        }));
      }
      start.countDown();
      int accepted = 0;
      int alreadyUsed = 0;
      for (Future<ValidationResult> r : results) {
        ValidationResult result = r.get(30, TimeUnit.SECONDS);
        if (result.isAccepted()) {
          accepted++;
        } else if (result.reason().orElseThrow() == RejectionReason.ALREADY_USED) {
          alreadyUsed++;
        }
      }
      assertThat(accepted).isEqualTo(1);
      assertThat(alreadyUsed).isEqualTo(63);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void admit_withoutALedger_isAProgrammerError() throws Exception {
    JoinTokenValidator noLedger = JoinTokenValidator.builder().mothershipId(Harness.MSHIP).keys(h.ring::publicKeys)
        .clock(h.clock).acceptedFingerprints(() -> java.util.Set.of(Harness.FINGERPRINT))
        .permitRoles(dev.aura.spi.Role.MEMBER).withoutRevocationCheck().build();
    String token = h.issue().token();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> noLedger.admit(token))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a ledger");
  }
}
