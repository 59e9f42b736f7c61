package dev.aura.token;

import static dev.aura.token.RejectionAssert.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Peer identities: issued by the Mothership, verified by a peer against the key of its TLS connection. */
class PeerIdentityTest {
  private static final PeerId ALICE = PeerId.parse("peer_0a1b2c3d");
  private static final Fingerprint ALICE_KEY = Fingerprint.ofCertificate("alice cert".getBytes(StandardCharsets.UTF_8));
  private static final Fingerprint MALLORY_KEY =
      Fingerprint.ofCertificate("mallory cert".getBytes(StandardCharsets.UTF_8));
  private static final WorkspaceName WIDGET = WorkspaceName.parse("widget");
  private static final WorkspaceName GADGET = WorkspaceName.parse("gadget");

  private final Harness h = harness();
  private final PeerIdentityIssuer issuer = PeerIdentityIssuer.builder().mothershipId(Harness.MSHIP)
      .keyRing(h.ring).clock(h.clock).refreshPeriod(Duration.ofHours(1)).build();

  private static Harness harness() {
    try {
      return Harness.ed25519();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private PeerIdentityVerifier.Builder verifierBuilder() {
    return PeerIdentityVerifier.builder().mothershipId(Harness.MSHIP).keys(h.ring::publicKeys).clock(h.clock);
  }

  private PeerIdentityVerifier verifier() {
    return verifierBuilder().ownWorkspaces(Set::of).withoutRevocationCheck().build();
  }

  private IssuedPeerIdentity alice(Set<WorkspaceName> workspaces) {
    return issuer.issue(ALICE, "alice@acme.com", Role.READ_ONLY, Harness.T0.minusSeconds(3600), workspaces,
        ALICE_KEY);
  }

  /** The claims the issuer writes, at the clock's now, for hand-made breakages. */
  private Map<String, Object> claims() {
    long now = h.clock.instant().getEpochSecond();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", Harness.MSHIP.value());
    c.put("sub", ALICE.value());
    c.put("subject", "alice@acme.com");
    c.put("role", "member");
    c.put("joined_at", now - 60);
    c.put("iat", now);
    c.put("exp", now + 3600);
    c.put("jti", "jt_01HYXT8K3PQ7V2M4N6R8S0T1W3");
    c.put("cnf", Map.of("x5t#S256", Base64.getUrlEncoder().withoutPadding().encodeToString(ALICE_KEY.toByteArray())));
    return c;
  }

  private String sign(Map<String, Object> claims) {
    return TypedJws.sign(h.ring, TokenType.PEER_IDENTITY, claims);
  }

  @Test
  void verify_identityOnItsOwnKey_isAcceptedWithEveryClaim() throws Exception {
    IssuedPeerIdentity issued = alice(Set.of(WIDGET));
    VerifiedPeerIdentity v = verifier().verify(issued.compact(), ALICE_KEY);
    assertThat(v.peer()).isEqualTo(ALICE);
    assertThat(v.subject()).isEqualTo("alice@acme.com");
    assertThat(v.role()).isEqualTo(Role.READ_ONLY);
    assertThat(v.workspaces()).containsExactly(WIDGET);
    assertThat(v.issuer()).isEqualTo(Harness.MSHIP);
    assertThat(v.joinedAt()).isEqualTo(Harness.T0.minusSeconds(3600));
    assertThat(v.issuedAt()).isEqualTo(Harness.T0);
    assertThat(v.expiresAt()).isEqualTo(Harness.T0.plus(Duration.ofHours(1))).isEqualTo(issued.expiresAt());
    assertThat(v.jti()).isEqualTo(issued.jti());
    assertThat(v.keyFingerprint()).isEqualTo(ALICE_KEY);
    assertThat(v.kid()).isEqualTo(h.ring.primaryKid());
    assertThat(v.toString()).doesNotContain("eyJ");
    assertThat(issued.toString()).doesNotContain(issued.compact());
  }

  @Test
  void issue_writesTypedHeaderAndCnfThumbprint() throws Exception {
    IssuedPeerIdentity issued = alice(Set.of());
    VerifiedJws jws = TypedJws.verify(issued.compact(), TokenType.PEER_IDENTITY, h.ring.publicKeys(),
        TypedJws.DEFAULT_ALGORITHMS, h.clock.instant());
    assertThat(jws.claims().asMap()).containsOnlyKeys("iss", "sub", "subject", "role", "joined_at", "iat", "exp",
        "jti", "cnf");
    assertThat(jws.claims().asMap().get("cnf")).isEqualTo(Map.of("x5t#S256",
        Base64.getUrlEncoder().withoutPadding().encodeToString(ALICE_KEY.toByteArray())));
    String header = new String(Base64.getUrlDecoder().decode(issued.compact().split("\\.")[0]), StandardCharsets.UTF_8);
    assertThat(header).contains("\"typ\":\"aura-peer-identity+jwt\"");
  }

  @Test
  void verify_identitySignedByAnotherMothershipsKey_isRefusedAsInvalidSignature() throws Exception {
    Harness foreign = Harness.ed25519();
    String forged = TypedJws.sign(foreign.ring, TokenType.PEER_IDENTITY, claims());
    TokenRejectedException e = rejected(() -> verifier().verify(forged, ALICE_KEY), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("signed by another Mothership");
  }

  @Test
  void verify_tamperedRole_isRefusedAsInvalidSignature() {
    String[] parts = alice(Set.of()).compact().split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("read-only", "admin");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    rejected(() -> verifier().verify(tampered, ALICE_KEY), RejectionReason.INVALID_SIGNATURE);
  }

  @Test
  void verify_identityOfAnotherMothershipSharingTheKey_isRefusedAsWrongIssuer() {
    Map<String, Object> c = claims();
    c.put("iss", "mship_00000000");
    TokenRejectedException e = rejected(() -> verifier().verify(sign(c), ALICE_KEY), RejectionReason.WRONG_ISSUER);
    assertThat(e.getMessage()).isEqualTo("wrong issuer: peer identity of peer_0a1b2c3d was signed by"
        + " 'mship_00000000', this peer belongs to mship_7fcd21a9");
  }

  @Test
  void verify_atExpPlusSkew_isExpired_oneSecondBefore_isAccepted() throws Exception {
    String identity = alice(Set.of()).compact();
    h.clock.set(Harness.T0.plus(Duration.ofHours(1)).plusSeconds(59));
    assertThat(verifier().verify(identity, ALICE_KEY).peer()).isEqualTo(ALICE);
    h.clock.set(Harness.T0.plus(Duration.ofHours(1)).plusSeconds(60));
    TokenRejectedException e = rejected(() -> verifier().verify(identity, ALICE_KEY), RejectionReason.EXPIRED);
    assertThat(e.getMessage()).contains("expired at 2026-04-21T10:00:00Z, 60s ago");
  }

  @Test
  void verify_iatBeyondSkewInTheFuture_isNotYetValid_atTheSkew_isAccepted() throws Exception {
    Map<String, Object> c = claims();
    long now = h.clock.instant().getEpochSecond();
    c.put("iat", now + 60);
    c.put("exp", now + 3660);
    assertThat(verifier().verify(sign(c), ALICE_KEY).issuedAt()).isEqualTo(Instant.ofEpochSecond(now + 60));
    c.put("iat", now + 61);
    TokenRejectedException e = rejected(() -> verifier().verify(sign(c), ALICE_KEY), RejectionReason.NOT_YET_VALID);
    assertThat(e.getMessage()).contains("61s ahead of this peer's clock");
    assertThat(e.clockOffset()).contains(Duration.ofSeconds(61));
  }

  @Test
  void verify_lifetimeBeyondTheRefreshPeriod_isRefused() {
    Map<String, Object> c = claims();
    c.put("exp", h.clock.instant().getEpochSecond() + Duration.ofHours(2).toSeconds());
    PeerIdentityVerifier oneHour = verifierBuilder().ownWorkspaces(Set::of).withoutRevocationCheck()
        .maxLifetime(Duration.ofHours(1)).build();
    TokenRejectedException e = rejected(() -> oneHour.verify(sign(c), ALICE_KEY), RejectionReason.LIFETIME_TOO_LONG);
    assertThat(e.getMessage()).contains("peer identity of peer_0a1b2c3d lives 2h, longer than the 1h refresh period");
  }

  @Test
  void verify_someoneElsesIdentityOnAnotherKey_isRefusedAsKeyMismatch() {
    String stolen = alice(Set.of()).compact();
    TokenRejectedException e = rejected(() -> verifier().verify(stolen, MALLORY_KEY), RejectionReason.KEY_MISMATCH);
    assertThat(e.getMessage()).startsWith("peer identity is for another key: the identity of peer_0a1b2c3d"
        + " (alice@acme.com) is bound to certificate " + ALICE_KEY + ", the connection was made with "
        + MALLORY_KEY);
  }

  @Test
  void verify_noWorkspaceInCommon_isRefused_oneInCommonOrEveryWorkspace_isAccepted() throws Exception {
    String widgetOnly = alice(Set.of(WIDGET)).compact();
    PeerIdentityVerifier gadgetPeer = verifierBuilder().ownWorkspaces(() -> Set.of(GADGET))
        .withoutRevocationCheck().build();
    TokenRejectedException e = rejected(() -> gadgetPeer.verify(widgetOnly, ALICE_KEY),
        RejectionReason.NO_SHARED_WORKSPACE);
    assertThat(e.getMessage()).isEqualTo("no shared workspace: peer_0a1b2c3d (alice@acme.com) may use widget,"
        + " this peer may use gadget");
    PeerIdentityVerifier both = verifierBuilder().ownWorkspaces(() -> Set.of(GADGET, WIDGET))
        .withoutRevocationCheck().build();
    assertThat(both.verify(widgetOnly, ALICE_KEY).covers(WIDGET)).isTrue();
    assertThat(gadgetPeer.verify(alice(Set.of()).compact(), ALICE_KEY).covers(GADGET)).isTrue();
  }

  /** A revocation list holding one target of each kind, through the interface's default identity check. */
  private static RevocationCheck revoking(String kind, String value) {
    return new RevocationCheck() {
      @Override
      public Optional<String> revocationOf(VerifiedJoinToken token) {
        return kind.equals("jti") && token.jti().value().equals(value)
            ? Optional.of("token " + value + " was revoked") : Optional.empty();
      }

      @Override
      public Optional<String> revocationOfPeer(PeerId peer, String subject, Instant joinedAt) {
        boolean hit = kind.equals("peer") ? peer.value().equals(value) : kind.equals("subject") && subject.equals(value);
        return hit ? Optional.of(kind + " " + value + " was revoked") : Optional.empty();
      }
    };
  }

  @Test
  void verify_revokedByPeerIdSubjectOrJti_isRefusedAsRevoked() throws Exception {
    IssuedPeerIdentity issued = alice(Set.of());
    for (String[] target : List.of(new String[] {"peer", ALICE.value()},
        new String[] {"subject", "alice@acme.com"}, new String[] {"jti", issued.jti().value()})) {
      PeerIdentityVerifier v = verifierBuilder().ownWorkspaces(Set::of).revocation(revoking(target[0], target[1]))
          .build();
      TokenRejectedException e = rejected(() -> v.verify(issued.compact(), ALICE_KEY), RejectionReason.REVOKED);
      assertThat(e.getMessage()).isEqualTo("revoked: " + (target[0].equals("jti") ? "token" : target[0]) + " "
          + target[1] + " was revoked");
    }
    PeerIdentityVerifier otherJti = verifierBuilder().ownWorkspaces(Set::of)
        .revocation(revoking("jti", "jt_01HYXT8K3PQ7V2M4N6R8S0T1W3")).build();
    assertThat(otherJti.verify(issued.compact(), ALICE_KEY).jti()).isEqualTo(issued.jti());
  }

  @Test
  void verify_joinTokenShownAsIdentity_isRefusedAsWrongType() throws Exception {
    String join = h.issue().token();
    rejected(() -> verifier().verify(join, ALICE_KEY), RejectionReason.WRONG_TYPE);
  }

  @Test
  void verify_malformedClaims_areRefusedAsMalformed() {
    Map<String, Map<String, Object>> broken = new LinkedHashMap<>();
    Map<String, Object> noCnf = claims();
    noCnf.remove("cnf");
    broken.put("claim 'cnf' is missing", noCnf);
    Map<String, Object> jktCnf = claims();
    jktCnf.put("cnf", Map.of("jkt", "abc"));
    broken.put("exactly one member, 'x5t#S256'", jktCnf);
    Map<String, Object> shortThumbprint = claims();
    shortThumbprint.put("cnf", Map.of("x5t#S256", "AAAA"));
    broken.put("32-byte SHA-256", shortThumbprint);
    Map<String, Object> cnfString = claims();
    cnfString.put("cnf", "x5t");
    broken.put("must be an object, found a string", cnfString);
    Map<String, Object> subjectAsSub = claims();
    subjectAsSub.put("sub", "alice@acme.com");
    broken.put("claim 'sub'", subjectAsSub);
    Map<String, Object> expBeforeIat = claims();
    expBeforeIat.put("exp", expBeforeIat.get("iat"));
    broken.put("is not after iat", expBeforeIat);
    Map<String, Object> emptyWorkspaces = claims();
    emptyWorkspaces.put("workspaces", List.of());
    broken.put("empty array", emptyWorkspaces);
    Map<String, Object> noJoinedAt = claims();
    noJoinedAt.remove("joined_at");
    broken.put("claim 'joined_at' is missing", noJoinedAt);
    broken.forEach((expected, c) -> assertThat(
        rejected(() -> verifier().verify(sign(c), ALICE_KEY), RejectionReason.MALFORMED).getMessage())
        .as(expected).contains(expected));
    rejected(() -> verifier().verify("not.a.token", ALICE_KEY), RejectionReason.MALFORMED);
  }

  @Test
  void verify_identityOver8KiB_isRefusedAsMalformedBeforeDecoding() {
    Map<String, Object> c = claims();
    c.put("padding", "x".repeat(9000));
    TokenRejectedException e = rejected(() -> verifier().verify(sign(c), ALICE_KEY), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("8192");
  }

  @Test
  void tryVerify_returnsTheRejectionAsAValue() {
    PeerIdentityVerifier.Result r = verifier().tryVerify(alice(Set.of()).compact(), MALLORY_KEY);
    assertThat(r.accepted()).isFalse();
    assertThat(r.rejection().reason()).isEqualTo(RejectionReason.KEY_MISMATCH);
  }

  @Test
  void issuer_lifetimeLongerThanTheRefreshPeriod_refusesToBuild() {
    assertThatThrownBy(() -> PeerIdentityIssuer.builder().mothershipId(Harness.MSHIP).keyRing(h.ring)
        .clock(h.clock).refreshPeriod(Duration.ofHours(1)).lifetime(Duration.ofHours(2)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("may not outlive the peer's next refresh");
    assertThatThrownBy(() -> PeerIdentityIssuer.builder().refreshPeriod(Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(issuer.lifetime()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void verifier_withoutRevocationDecisionOrOwnWorkspaces_refusesToBuild() {
    assertThatThrownBy(() -> verifierBuilder().ownWorkspaces(Set::of).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("withoutRevocationCheck()");
    assertThatThrownBy(() -> verifierBuilder().withoutRevocationCheck().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ownWorkspaces");
  }

  @Test
  void jtiOfAnIdentity_isAJoinTokenStyleId() {
    assertThat(Jti.looksLike(alice(Set.of()).jti().value())).isTrue();
  }
}
