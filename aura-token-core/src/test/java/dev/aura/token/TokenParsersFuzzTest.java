package dev.aura.token;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Coverage-guided fuzz tests of every token-core parser that reads untrusted text (docs/security.md, "Fuzzing").
 *
 * <p>The property: a typed rejection or a success, never another exception. Under {@code mvn verify} each
 * method runs once per file in {@code src/test/resources/dev/aura/token/TokenParsersFuzzTestInputs/<method>/}
 * (the regression corpus); {@code JAZZER_FUZZ=1} fuzzes for real.
 *
 * <p>Signed targets read the input as {@code header-json LF payload-json}: the harness replaces {@code KID}
 * in the header with the ring's primary kid and signs both parts, so the fuzzer reaches the header and claims
 * checks behind the signature. The clock stands at {@link Harness#T0} (epoch second 1776762000).
 */
class TokenParsersFuzzTest {
  private static final Harness H = harness();
  private static final dev.aura.spi.Fingerprint KEY = dev.aura.spi.Fingerprint.ofDigest(new byte[32]);
  private static final PeerIdentityVerifier IDENTITIES = PeerIdentityVerifier.builder().mothershipId(Harness.MSHIP)
      .keys(H.ring::publicKeys).clock(H.clock)
      .ownWorkspaces(() -> java.util.Set.of(dev.aura.spi.WorkspaceName.parse("widget")))
      .withoutRevocationCheck().build();

  private static Harness harness() {
    try {
      return Harness.ed25519();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "2m")
  void joinTokenVerify(byte[] data) {
    verifyJoin(new String(data, StandardCharsets.UTF_8));
  }

  @FuzzTest(maxDuration = "2m")
  void joinTokenVerifySigned(byte[] data) {
    verifyJoin(signed(data));
  }

  @FuzzTest(maxDuration = "2m")
  void peerIdentityVerify(byte[] data) {
    verifyIdentity(new String(data, StandardCharsets.UTF_8));
  }

  /**
   * Header and claims behind a valid signature; the connection's key is 32 zero bytes
   * ({@code "x5t#S256":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) and this peer may use {@code widget}.
   */
  @FuzzTest(maxDuration = "2m")
  void peerIdentityVerifySigned(byte[] data) {
    verifyIdentity(signed(data));
  }

  private static void verifyIdentity(String compact) {
    try {
      IDENTITIES.verify(compact, KEY);
    } catch (TokenRejectedException expected) {
      // typed rejection
    }
    PeerIdentityVerifier.Result r = IDENTITIES.tryVerify(compact, KEY);
    if (r.accepted() == (r.rejection() != null)) {
      throw new AssertionError("a result is either accepted or rejected");
    }
  }

  @FuzzTest(maxDuration = "2m")
  void typedJwsVerify(byte[] data) {
    if (data.length == 0) {
      return;
    }
    TokenType[] types = {TokenType.REVOCATION, TokenType.REFRESH, TokenType.AUDIT_HEAD};
    TokenType type = types[Math.floorMod(data[0], types.length)];
    byte[] rest = Arrays.copyOfRange(data, 1, data.length);
    for (String compact : new String[] {new String(rest, StandardCharsets.UTF_8), signed(rest)}) {
      try {
        TypedJws.verify(compact, type, H.ring.publicKeys(), TypedJws.DEFAULT_ALGORITHMS, H.clock.instant());
      } catch (TokenRejectedException expected) {
        // typed rejection
      }
    }
  }

  @FuzzTest(maxDuration = "2m")
  void certificateSignedParse(byte[] data) {
    try {
      TypedJws.parseCertificateSigned(new String(data, StandardCharsets.UTF_8), TokenType.PIN_HANDOVER);
    } catch (TokenRejectedException expected) {
      // typed rejection
    }
  }

  @FuzzTest(maxDuration = "2m")
  void publicKeyRingFromJwkSet(byte[] data) {
    try {
      PublicKeyRing.fromJwkSet(new String(data, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException expected) {
      // the documented rejection of a bad JWK set
    }
  }

  @FuzzTest(maxDuration = "2m")
  void bulkIssuanceParse(byte[] data) throws IOException {
    try {
      BulkIssuance.parse(new StringReader(new String(data, StandardCharsets.UTF_8)));
    } catch (TokenIssuanceException expected) {
      // typed rejection
    }
  }

  private static void verifyJoin(String token) {
    try {
      H.validator.verify(token);
    } catch (TokenRejectedException expected) {
      // typed rejection
    }
    // the non-throwing form must never throw either
    H.validator.tryVerify(token);
  }

  /** {@code header LF payload}, signed by the primary key; without a LF the whole input is the payload. */
  static String signed(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    int lf = text.indexOf('\n');
    String header = lf < 0 ? H.joinHeader() : text.substring(0, lf).replace("KID", H.ring.primaryKid());
    String payload = lf < 0 ? text : text.substring(lf + 1);
    return H.forge(header, payload);
  }
}
