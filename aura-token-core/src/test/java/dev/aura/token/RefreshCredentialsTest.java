package dev.aura.token;

import static dev.aura.token.RejectionAssert.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.spi.SecretHash;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Refresh credentials: rotated weekly; a rotated-out or week-old credential is useless. */
class RefreshCredentialsTest {
  private static final PeerId PEER = PeerId.parse("peer_0a1b2c3d");
  private final Harness h = Harness.ed25519();
  private final FakeStores.Refresh store = new FakeStores.Refresh();
  private final RefreshCredentials credentials = RefreshCredentials.builder().mothershipId(Harness.MSHIP)
      .keyRing(h.ring).store(store).clock(h.clock).withoutRevocationCheck().build();

  RefreshCredentialsTest() throws Exception {}

  @Test
  void issuedCredential_authenticates_andTheStoreHoldsOnlyItsHash() throws Exception {
    IssuedRefreshCredential c = credentials.issue(PEER, "alice@acme.com", Role.MEMBER, h.clock.instant());

    AuthenticatedPeer who = credentials.authenticate(c.credential());

    assertThat(who.peer()).isEqualTo(PEER);
    assertThat(who.subject()).isEqualTo("alice@acme.com");
    assertThat(store.find(c.credentialId()).orElseThrow().hash()).isEqualTo(SecretHash.of(c.credential()));
    assertThat(c.toString()).doesNotContain(c.credential());
    assertThat(c.expiresAt()).isEqualTo(Harness.T0.plus(Duration.ofDays(7)));
  }

  @Test
  void rotatedOutCredential_isRefusedAsSuperseded_andTheNewOneWorks() throws Exception {
    IssuedRefreshCredential first = credentials.issue(PEER, "alice@acme.com", Role.MEMBER, h.clock.instant());
    h.clock.advance(Duration.ofDays(4));
    assertThat(credentials.authenticate(first.credential()).shouldRotate(h.clock.instant())).isTrue();

    IssuedRefreshCredential next = credentials.rotate(first.credential());

    assertThat(credentials.authenticate(next.credential()).credentialId()).isEqualTo(next.credentialId());
    TokenRejectedException e = rejected(() -> credentials.authenticate(first.credential()),
        RejectionReason.CREDENTIAL_SUPERSEDED);
    assertThat(e.getMessage()).contains("is not current");
    rejected(() -> credentials.rotate(first.credential()), RejectionReason.CREDENTIAL_SUPERSEDED);
  }

  @Test
  void weekOldCredential_isRefusedAsExpired_oneSecondBeforeItWorks() throws Exception {
    IssuedRefreshCredential c = credentials.issue(PEER, "alice@acme.com", Role.MEMBER, h.clock.instant());

    h.clock.set(c.expiresAt().minusSeconds(1));
    assertThat(credentials.authenticate(c.credential()).peer()).isEqualTo(PEER);
    h.clock.set(c.expiresAt());
    TokenRejectedException e = rejected(() -> credentials.authenticate(c.credential()), RejectionReason.EXPIRED);
    assertThat(e.getMessage()).contains("must rejoin");
  }

  @Test
  void joinToken_presentedAsARefreshCredential_isRefusedAsWrongType() throws Exception {
    String joinToken = h.issue().token();

    TokenRejectedException e = rejected(() -> credentials.authenticate(joinToken), RejectionReason.WRONG_TYPE);
    assertThat(e.getMessage()).isEqualTo("wrong token type: expected aura-refresh+jwt, found aura-join+jwt");
  }

  @Test
  void credentialOfAnotherMothership_isRefused() throws Exception {
    Harness other = Harness.ed25519();
    RefreshCredentials foreign = RefreshCredentials.builder().mothershipId(Harness.MSHIP).keyRing(other.ring)
        .store(new FakeStores.Refresh()).clock(other.clock).withoutRevocationCheck().build();
    String stolen = foreign.issue(PEER, "alice@acme.com", Role.MEMBER, other.clock.instant()).credential();

    rejected(() -> credentials.authenticate(stolen), RejectionReason.INVALID_SIGNATURE);
  }

  @Test
  void revokedPeer_isRefused() throws Exception {
    RevocationCheck revokePeer = new RevocationCheck() {
      @Override
      public java.util.Optional<String> revocationOf(VerifiedJoinToken token) {
        return java.util.Optional.empty();
      }

      @Override
      public java.util.Optional<String> revocationOfPeer(PeerId p, String s, java.time.Instant j) {
        return p.equals(PEER) ? java.util.Optional.of("peer " + p + " was revoked") : java.util.Optional.empty();
      }
    };
    RefreshCredentials guarded = RefreshCredentials.builder().mothershipId(Harness.MSHIP).keyRing(h.ring)
        .store(store).clock(h.clock).revocation(revokePeer).build();
    IssuedRefreshCredential c = guarded.issue(PEER, "alice@acme.com", Role.MEMBER, h.clock.instant());

    TokenRejectedException e = rejected(() -> guarded.authenticate(c.credential()), RejectionReason.REVOKED);
    assertThat(e.getMessage()).isEqualTo("revoked: peer peer_0a1b2c3d was revoked");
  }
}
