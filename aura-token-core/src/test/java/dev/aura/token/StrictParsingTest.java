package dev.aura.token;

import static dev.aura.token.RejectionAssert.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict pre-parse: everything but one canonical compact JWS is "malformed token". */
class StrictParsingTest {
  private final Harness h = Harness.ed25519();
  private final String valid = h.issue().token();
  private final String[] parts = valid.split("\\.");

  StrictParsingTest() throws Exception {}

  @Test
  void validToken_passes() throws Exception {
    assertThat(h.validator.verify(valid).subject()).isEqualTo("alice@acme.com");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4, 5})
  void wrongNumberOfSegments_isMalformed(int segments) {
    StringBuilder token = new StringBuilder(parts[0]);
    for (int i = 1; i < segments; i++) {
      token.append('.').append(parts[Math.min(i, 2)]);
    }
    TokenRejectedException e = rejected(() -> h.validator.verify(token.toString()), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("token has " + segments + " segments, expected 3");
  }

  @Test
  void paddedBase64_isMalformed() {
    TokenRejectedException e = rejected(() -> h.validator.verify(valid + "=="), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("padding '='");
  }

  @Test
  void standardBase64Characters_areMalformed() {
    String token = valid.replace('-', '+').replace('_', '/');
    if (token.equals(valid)) {
      token = parts[0] + "." + parts[1] + "+." + parts[2];
    }
    String t = token;
    TokenRejectedException e = rejected(() -> h.validator.verify(t), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("standard base64, not base64url");
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "\n", "\t", "\r\n"})
  void whitespaceAnywhere_isMalformed(String ws) {
    rejected(() -> h.validator.verify(parts[0] + "." + ws + parts[1] + "." + parts[2]), RejectionReason.MALFORMED);
    rejected(() -> h.validator.verify(valid + ws), RejectionReason.MALFORMED);
  }

  @Test
  void nonCanonicalTrailingBits_areMalformed() {
    // The Ed25519 signature is 64 bytes: 86 characters whose last one carries 4 unused bits.
    String sig = parts[2];
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = sig.charAt(sig.length() - 1);
    char sloppy = alphabet.charAt(alphabet.indexOf(last) | 1);
    String token = parts[0] + "." + parts[1] + "." + sig.substring(0, sig.length() - 1) + sloppy;

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("signature segment is not canonical base64url");
  }

  @Test
  void oversizedToken_isMalformed_withoutParsingIt() {
    String huge = parts[0] + "." + "A".repeat(9000) + "." + parts[2];

    TokenRejectedException e = rejected(() -> h.validator.verify(huge), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("over the 8192 cap");
  }

  @Test
  void sizeCap_dependsOnTheType_aLargeRevocationListIsRead_aJoinTokenOfThatSizeIsNot() throws Exception {
    java.util.Map<String, Object> big = new java.util.LinkedHashMap<>();
    big.put("entries", java.util.Collections.nCopies(2000, "peer_0a1b2c3d"));
    String revocations = TypedJws.sign(h.ring, TokenType.REVOCATION, big);
    String join = h.forge(h.joinHeader(), new String(dev.aura.token.internal.JsonWriter.write(big),
        java.nio.charset.StandardCharsets.UTF_8));

    assertThat(revocations.length()).isGreaterThan(8 * 1024);
    assertThat(TypedJws.verify(revocations, TokenType.REVOCATION, h.ring.publicKeys(), TypedJws.DEFAULT_ALGORITHMS,
        h.clock.instant()).claims().asMap()).containsKey("entries");
    rejected(() -> h.validator.verify(join), RejectionReason.MALFORMED);
    rejected(() -> TypedJws.verify("x".repeat(TokenType.REVOCATION.maxLength() + 1), TokenType.REVOCATION,
        h.ring.publicKeys(), TypedJws.DEFAULT_ALGORITHMS, h.clock.instant()), RejectionReason.MALFORMED);
  }

  @Test
  void hundredThousandNestedBrackets_areMalformed() {
    String payload = Harness.b64("[".repeat(100_000) + "]".repeat(100_000));
    rejected(() -> h.validator.verify(parts[0] + "." + payload + "." + parts[2]), RejectionReason.MALFORMED);
  }

  @Test
  void deepNestingInsideTheSizeCap_isMalformed() {
    String header = "{\"alg\":\"EdDSA\",\"typ\":\"aura-join+jwt\",\"kid\":\"" + h.ring.primaryKid()
        + "\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}";
    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(header, "{}")), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("nests deeper than 16 levels");

    Map<String, Object> claims = h.claims();
    Object nested = "x";
    for (int i = 0; i < 40; i++) {
      nested = java.util.List.of(nested);
    }
    claims.put("extra", nested);
    TokenRejectedException inPayload = rejected(() -> h.validator.verify(h.forge(claims)), RejectionReason.MALFORMED);
    assertThat(inPayload.getMessage()).contains("token payload nests deeper");
  }

  @Test
  void duplicateKeyInTheHeader_isMalformed() {
    String header = "{\"alg\":\"EdDSA\",\"alg\":\"none\",\"typ\":\"aura-join+jwt\",\"kid\":\""
        + h.ring.primaryKid() + "\"}";
    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(header, "{}")), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("duplicate key 'alg'");
  }

  @Test
  void duplicateKeyInSignedClaims_atTopLevel_isMalformed() {
    String json = new String(dev.aura.token.internal.JsonWriter.write(h.claims()),
        java.nio.charset.StandardCharsets.UTF_8);
    String duplicated = json.substring(0, json.length() - 1) + ",\"role\":\"admin\"}";

    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(h.joinHeader(), duplicated)),
        RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("duplicate key 'role'");
  }

  @Test
  void duplicateKeyInSignedClaims_nested_isMalformed() {
    String json = new String(dev.aura.token.internal.JsonWriter.write(h.claims()),
        java.nio.charset.StandardCharsets.UTF_8);
    String nested = json.substring(0, json.length() - 1) + ",\"meta\":{\"a\":[{\"k\":1,\"k\":2}]}}";

    TokenRejectedException e = rejected(() -> h.validator.verify(h.forge(h.joinHeader(), nested)),
        RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("duplicate key 'k'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"text\"", "{} {}", "{\"a\":1", "{'a':1}", "\u00ff\u00fe"})
  void headerThatIsNotOneJsonObject_isMalformed(String header) {
    rejected(() -> h.validator.verify(Harness.b64(header) + "." + parts[1] + "." + parts[2]),
        RejectionReason.MALFORMED);
  }

  @Test
  void emptyOrNullToken_isMalformed() {
    rejected(() -> h.validator.verify(""), RejectionReason.MALFORMED);
    rejected(() -> h.validator.verify(null), RejectionReason.MALFORMED);
  }

  @Test
  void unknownClaims_areIgnoredAsRfc7519Requires() throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>(h.claims());
    claims.put("x-extension", "anything");
    h.ledger.record(dev.aura.spi.LedgerEntry.issued(dev.aura.spi.Jti.parse("jt_01HYXT8K3PQ7V2M4N6R8S0T1W3"),
        "mallory@acme.com", dev.aura.spi.Role.MEMBER, h.clock.instant(), h.clock.instant().plusSeconds(3600),
        1, dev.aura.spi.SecretHash.of("x")));

    assertThat(h.validator.verify(h.forge(claims)).subject()).isEqualTo("mallory@acme.com");
  }
}
