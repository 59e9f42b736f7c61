package dev.aura.token;

import static dev.aura.token.RejectionAssert.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.StoredSigningKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One primary signs; retired keys verify until their grace ends. */
class KeyRingTest {
  @Test
  void freshEd25519AndEs256Tokens_validate() throws Exception {
    for (Harness h : new Harness[] {Harness.ed25519(), Harness.es256()}) {
      IssuedJoinToken t = h.issue();
      VerifiedJoinToken v = h.validator.admit(t.token());
      assertThat(v.jti()).isEqualTo(t.jti());
      assertThat(v.kid()).isEqualTo(h.ring.primaryKid());
    }
  }

  @Test
  void tokenSignedByARotatedKey_validatesUntilTheGraceEnds_andIsRejectedOneSecondAfter() throws Exception {
    Harness h = Harness.ed25519();
    String oldKid = h.ring.primaryKid();
    String token = h.issuer.issue(JoinTokenRequest.forSubject("alice@acme.com")
        .expiresIn(TokenDuration.parse("7d")).build()).token();
    Instant rotatedAt = h.clock.instant();

    String newKid = h.ring.rotate();

    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(h.validator.verify(token).kid()).isEqualTo(oldKid);
    h.clock.set(rotatedAt.plus(Duration.ofHours(24)).minusSeconds(1));
    assertThat(h.validator.verify(token).kid()).isEqualTo(oldKid);
    h.clock.set(rotatedAt.plus(Duration.ofHours(24)).plusSeconds(1));
    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("key " + oldKid + " was rotated out; its grace ended at "
        + rotatedAt.plus(Duration.ofHours(24)));
    assertThat(h.validator.verify(h.issue().token()).kid()).isEqualTo(newKid);
  }

  @Test
  void configuredGrace_isHonoured() throws Exception {
    MutableClock clock = new MutableClock(Harness.T0);
    FakeStores.Keys store = new FakeStores.Keys();
    KeyRing ring = KeyRing.builder().store(store).clock(clock).rotationGrace(Duration.ofHours(1)).open();
    String old = ring.primaryKid();

    ring.rotate();

    assertThat(ring.publicKeys().find(old).orElseThrow().retireAt()).isEqualTo(Harness.T0.plus(Duration.ofHours(1)));
  }

  @Test
  void rotation_isPersistedAtomically_andAReopenedRingHasTheSameKeys() throws Exception {
    MutableClock clock = new MutableClock(Harness.T0);
    FakeStores.Keys store = new FakeStores.Keys();
    KeyRing ring = KeyRing.builder().store(store).clock(clock).open();
    int savesBefore = store.saves;
    ring.rotate();

    assertThat(store.saves).isEqualTo(savesBefore + 1);
    KeyRing reopened = KeyRing.builder().store(store).clock(clock).open();
    assertThat(reopened.primaryKid()).isEqualTo(ring.primaryKid());
    assertThat(reopened.publicKeys().keys()).isEqualTo(ring.publicKeys().keys());
    assertThat(store.loadAll()).filteredOn(k -> k.status() == StoredSigningKey.KeyStatus.PRIMARY).hasSize(1);
  }

  @Test
  void changingTheConfiguredAlgorithm_rotatesToAKeyOfThatAlgorithm_keepingTheOldOneInGrace() throws Exception {
    MutableClock clock = new MutableClock(Harness.T0);
    FakeStores.Keys store = new FakeStores.Keys();
    KeyRing ed = KeyRing.builder().store(store).clock(clock).open();

    KeyRing es = KeyRing.builder().store(store).clock(clock).algorithm(SigningAlgorithm.ES256).open();

    assertThat(es.primaryAlgorithm()).isEqualTo(SigningAlgorithm.ES256);
    assertThat(es.publicKeys().find(ed.primaryKid()).orElseThrow().retireAt())
        .isEqualTo(Harness.T0.plus(Duration.ofHours(24)));
  }

  @Test
  void rs256_withoutTheLegacyFlag_refusesToOpen() {
    assertThatThrownBy(() -> KeyRing.builder().store(new FakeStores.Keys()).clock(new MutableClock(Harness.T0))
        .algorithm(SigningAlgorithm.RS256).open())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("allowRs256Legacy()");
  }

  @Test
  void hs256AndNone_cannotBeConfigured() {
    assertThatThrownBy(() -> SigningAlgorithm.parse("HS256")).hasMessageContaining("shared-secret algorithms don't scale");
    assertThatThrownBy(() -> SigningAlgorithm.parse("none")).hasMessageContaining("never accepted");
  }

  @Test
  void builderSettingGivenTwice_isRefused() {
    assertThatThrownBy(() -> KeyRing.builder().clock(new MutableClock(Harness.T0)).clock(new MutableClock(Harness.T0)))
        .isInstanceOf(IllegalStateException.class).hasMessage("clock was already set");
  }

  @Test
  void privateKeys_leaveOnlyThroughTheExplicitExport_andNeverThroughPublicViews() throws Exception {
    Harness h = Harness.ed25519();
    String published = h.ring.publicKeys().toJwkSetJson();
    String exported = new String(h.ring.exportPrivateJwk(h.ring.primaryKid()).revealCopy(), StandardCharsets.UTF_8);

    assertThat(exported).contains("\"d\":");
    String d = exported.replaceAll(".*\"d\":\"([^\"]+)\".*", "$1");
    assertThat(published).doesNotContain("\"d\"").doesNotContain(d);
    assertThat(h.ring.toString()).doesNotContain(d);
    assertThat(h.ring.describe()).allSatisfy(k -> assertThat(k.privateJwkIfAny()).isEmpty());
    assertThat(h.ring.describe().toString()).doesNotContain(d);
  }

  @Test
  void keyIds_areRfc7638Thumbprints_forEveryAlgorithm() throws Exception {
    for (Harness h : new Harness[] {Harness.ed25519(), Harness.es256(), Harness.rs256()}) {
      com.nimbusds.jose.jwk.JWK published = com.nimbusds.jose.jwk.JWKSet.parse(h.ring.publicKeys().toJwkSetJson())
          .getKeys().get(0);
      assertThat(published.computeThumbprint().toString()).isEqualTo(h.ring.primaryKid());
    }
  }

  @Test
  void publishedJwkSet_roundTripsWithRetireTimes_andVerifiesOnAPeer() throws Exception {
    Harness h = Harness.ed25519();
    String token = h.issue().token();
    h.ring.rotate();

    PublicKeyRing onPeer = PublicKeyRing.fromJwkSet(h.ring.publicKeys().toJwkSetJson());

    assertThat(onPeer.keys()).isEqualTo(h.ring.publicKeys().keys());
    VerifiedJws v = TypedJws.verify(token, TokenType.JOIN, onPeer, TypedJws.DEFAULT_ALGORITHMS, h.clock.instant());
    assertThat(v.claims().string("sub")).isEqualTo("alice@acme.com");
  }
}
