package dev.aura.token;

import static dev.aura.token.RejectionAssert.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The two halves of every signing or verifying write: the signature work first, outside any unit of work,
 * then the store's write. Each half alone changes nothing it should not; together they equal the one call.
 */
class SignOutsideTheUnitTest {
  private static final PeerId PEER = PeerId.parse("peer_0a1b2c3d");
  private final Harness h = Harness.ed25519();
  private final FakeStores.Refresh store = new FakeStores.Refresh();
  private final RefreshCredentials credentials = RefreshCredentials.builder().mothershipId(Harness.MSHIP)
      .keyRing(h.ring).store(store).clock(h.clock).withoutRevocationCheck().build();

  SignOutsideTheUnitTest() throws Exception {}

  @Test
  void verifiedToken_isConsumedOnce_andVerifyingAloneConsumedNothing() throws Exception {
    String token = h.issue().token();
    VerifiedJoinToken presented = h.validator.verify(token);
    assertThat(h.ledger.find(presented.jti()).orElseThrow().usesConsumed()).isZero();

    VerifiedJoinToken consumed = h.validator.consume(presented);

    assertThat(consumed.consumed()).isTrue();
    assertThat(consumed.jti()).isEqualTo(presented.jti());
    assertThat(h.ledger.find(presented.jti()).orElseThrow().usesConsumed()).isEqualTo(1);
    TokenRejectedException e = rejected(() -> h.validator.consume(h.validator.verify(token)),
        RejectionReason.ALREADY_USED);
    assertThat(e.getMessage()).contains("one-shot token " + presented.jti() + " was already used");
  }

  @Test
  void consumedToken_cannotBeConsumedAgain_throughTheSameObject() throws Exception {
    VerifiedJoinToken consumed = h.validator.consume(h.validator.verify(h.issue().token()));

    assertThatThrownBy(() -> h.validator.consume(consumed)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nobody consumed");
  }

  @Test
  void revocationPublishedBetweenVerifyAndConsume_refusesIt_andConsumesNothing() throws Exception {
    AtomicBoolean revoked = new AtomicBoolean();
    RevocationCheck check = new RevocationCheck() {
      @Override
      public Optional<String> revocationOf(VerifiedJoinToken token) {
        return revoked.get() ? Optional.of("token " + token.jti() + " was revoked") : Optional.empty();
      }

      @Override
      public Optional<String> revocationOfPeer(PeerId peer, String subject, Instant joinedAt) {
        return Optional.empty();
      }
    };
    JoinTokenValidator validator = JoinTokenValidator.builder().mothershipId(Harness.MSHIP)
        .keys(h.ring::publicKeys).clock(h.clock).acceptedFingerprints(() -> Set.of(Harness.FINGERPRINT))
        .permitRoles(Role.MEMBER).revocation(check).ledger(h.ledger).build();
    VerifiedJoinToken presented = validator.verify(h.issue().token());

    revoked.set(true);

    TokenRejectedException e = rejected(() -> validator.consume(presented), RejectionReason.REVOKED);
    assertThat(e.getMessage()).contains("was revoked");
    assertThat(h.ledger.find(presented.jti()).orElseThrow().usesConsumed()).isZero();
  }

  @Test
  void tokenVerifiedByAnotherMothershipsValidator_isAProgrammerError() throws Exception {
    Harness other = Harness.ed25519();
    JoinTokenValidator foreign = JoinTokenValidator.builder()
        .mothershipId(dev.aura.spi.MothershipId.parse("mship_00000001")).keys(other.ring::publicKeys)
        .clock(other.clock).acceptedFingerprints(() -> Set.of(Harness.FINGERPRINT)).permitRoles(Role.MEMBER)
        .withoutRevocationCheck().ledger(other.ledger).build();
    JoinTokenIssuer foreignIssuer = JoinTokenIssuer.builder()
        .mothershipId(dev.aura.spi.MothershipId.parse("mship_00000001")).keyRing(other.ring).ledger(other.ledger)
        .clock(other.clock).fingerprint(() -> Harness.FINGERPRINT).build();
    VerifiedJoinToken theirs = foreign.verify(foreignIssuer.issue(JoinTokenRequest.forSubject("a@b.c").build())
        .token());

    assertThatThrownBy(() -> h.validator.consume(theirs)).isInstanceOf(IllegalArgumentException.class);
    assertThat(other.ledger.find(theirs.jti()).orElseThrow().usesConsumed()).isZero();
  }

  @Test
  void mintedJoinToken_isUnknownUntilIssued() throws Exception {
    JoinTokenIssuer.Minted minted = h.issuer.mint(JoinTokenRequest.forSubject("alice@acme.com").build());
    assertThat(h.ledger.find(minted.jti())).isEmpty();
    assertThat(minted.toString()).startsWith("Minted[" + minted.jti());

    IssuedJoinToken issued = h.issuer.issue(minted);

    assertThat(issued.jti()).isEqualTo(minted.jti());
    assertThat(h.validator.admit(issued.token()).jti()).isEqualTo(minted.jti());
  }

  @Test
  void bulkMint_withAnExpiryOverTheMaximum_signsNothing() throws Exception {
    List<BulkIssuance.Row> rows = BulkIssuance.parse(new java.io.StringReader("email,role\na@x.io,member\n"));

    assertThatThrownBy(() -> h.issuer.mintBulk(rows, TokenDuration.parse("400d")))
        .isInstanceOf(TokenIssuanceException.class);
    List<JoinTokenIssuer.Minted> minted = h.issuer.mintBulk(rows, TokenDuration.parse("72h"));
    assertThat(minted).hasSize(1);
    assertThat(h.ledger.find(minted.get(0).jti())).isEmpty();
  }

  @Test
  void mintedCredential_isNotStoredUntilIssued_thenAuthenticates() throws Exception {
    RefreshCredentials.Minted minted = credentials.mint(PEER, "alice@acme.com", Role.MEMBER, h.clock.instant());
    assertThat(minted.peer()).isEqualTo(PEER);

    assertThat(store.find(minted.credentialId())).isEmpty();
    IssuedRefreshCredential issued = credentials.issue(minted);

    assertThat(credentials.authenticate(issued.credential()).credentialId()).isEqualTo(issued.credentialId());
    assertThat(minted.toString()).doesNotContain(issued.credential());
  }

  @Test
  void rotationMintedBeforeAnotherRotationWon_isRefused_andNotStored() throws Exception {
    IssuedRefreshCredential first = credentials.issue(PEER, "alice@acme.com", Role.MEMBER, h.clock.instant());
    AuthenticatedPeer who = credentials.authenticate(first.credential());
    RefreshCredentials.Minted late = credentials.mint(PEER, who.subject(), who.role(), who.joinedAt());

    IssuedRefreshCredential winner = credentials.rotate(first.credential());

    rejected(() -> credentials.rotate(who, late), RejectionReason.CREDENTIAL_SUPERSEDED);
    assertThat(credentials.authenticate(winner.credential()).credentialId()).isEqualTo(winner.credentialId());
  }

  @Test
  void rotationMintedForAnotherPeer_isAProgrammerError() throws Exception {
    IssuedRefreshCredential first = credentials.issue(PEER, "alice@acme.com", Role.MEMBER, h.clock.instant());
    AuthenticatedPeer who = credentials.authenticate(first.credential());
    RefreshCredentials.Minted other = credentials.mint(PeerId.parse("peer_99999999"), "alice@acme.com",
        Role.MEMBER, who.joinedAt());

    assertThatThrownBy(() -> credentials.rotate(who, other)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("peer_99999999");
    assertThat(credentials.authenticate(first.credential()).credentialId()).isEqualTo(first.credentialId());
  }
}
