package dev.aura.token;

import static dev.aura.token.RejectionAssert.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.token.internal.Base64Url;
import dev.aura.token.internal.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Correctly signed tokens the issuer would never make: a blank subject, control characters in it, JSON that
 * is not plain UTF-8. Refused at validation too, in case an older or compromised issuer signed them.
 */
class StrictInputsTest {
  private final Harness h = Harness.ed25519();

  StrictInputsTest() throws Exception {}

  private String withSubject(String subject) {
    Map<String, Object> claims = h.claims();
    claims.put("sub", subject);
    return h.forge(claims);
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "   ", "\u00a0", "\u2003\u3000"})
  void validate_withBlankSubject_isRejectedAsMalformed(String subject) {
    TokenRejectedException e = rejected(() -> h.validator.verify(withSubject(subject)), RejectionReason.MALFORMED);

    assertThat(e.getMessage()).isEqualTo("malformed token: claim 'sub' is blank (only whitespace)");
  }

  @Test
  void validate_withEmptySubject_isRejectedAsMalformed() {
    TokenRejectedException e = rejected(() -> h.validator.verify(withSubject("")), RejectionReason.MALFORMED);

    assertThat(e.getMessage()).isEqualTo("malformed token: claim 'sub' is empty");
  }

  @ParameterizedTest(name = "U+{1} at {2}")
  @CsvSource({
      "'mallory\u0000@acme.com', 0000, 8",
      "'mallory@acme.com\n', 000A, 17",
      "'\rmallory', 000D, 1",
      "'a\tb', 0009, 2",
      "'mallory\u001b[2J', 001B, 8",
      "'mallory\u007f', 007F, 8",
      "'mallory\u0085admin', 0085, 8",
      "'mallory\u2028admin', 2028, 8",
      "'mallory\u202e', 202E, 8",
      "'mallory\u2066x', 2066, 8"})
  void validate_withControlCharacterInSubject_isRejectedAsMalformedNamingIt(String subject, String code,
      int position) {
    TokenRejectedException e = rejected(() -> h.validator.verify(withSubject(subject)), RejectionReason.MALFORMED);

    assertThat(e.getMessage()).isEqualTo("malformed token: claim 'sub' contains a control character (U+" + code
        + ") at position " + position);
  }

  @Test
  void validate_withSubjectThatHasNonAsciiLettersOrInnerSpaces_isStillAccepted() throws Exception {
    assertThat(h.validator.verify(withSubject("zoë@exämple.com")).subject()).isEqualTo("zoë@exämple.com");
    assertThat(h.validator.verify(withSubject("team onboarding")).subject()).isEqualTo("team onboarding");
  }

  @Test
  void issue_withBidiControlInSubject_isRefusedLikeTheValidatorWould() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JoinTokenRequest.forSubject("mallory\u202e@acme.com").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JoinTokenRequest.forSubject("mallory\u0085").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
  }

  private String claimsJson() {
    return new String(JsonWriter.write(h.claims()), StandardCharsets.UTF_8);
  }

  @Test
  void validate_withClaimsSetStartingWithAUtf8ByteOrderMark_isRejectedAsMalformed() {
    String token = h.forge(h.joinHeader(), "\uFEFF" + claimsJson());

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).isEqualTo("malformed token: token payload starts with a UTF-8 byte order mark"
        + " (RFC 8259 section 8.1 forbids one)");
  }

  @Test
  void validate_withHeaderStartingWithAUtf8ByteOrderMark_isRejectedAsMalformed() {
    String token = h.forge("\uFEFF" + h.joinHeader(), claimsJson());

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).isEqualTo("malformed token: token header starts with a UTF-8 byte order mark"
        + " (RFC 8259 section 8.1 forbids one)");
  }

  private String forgeBytes(byte[] payload) {
    String input = Harness.b64(h.joinHeader()) + "." + Base64Url.encode(payload);
    return input + "." + Base64Url.encode(h.primaryKey().sign(input.getBytes(StandardCharsets.US_ASCII)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE"})
  void validate_withClaimsSetInAnotherUnicodeEncoding_isRejectedAsMalformed(String charset) {
    String token = forgeBytes(claimsJson().getBytes(java.nio.charset.Charset.forName(charset)));

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).isIn("malformed token: token payload is not valid JSON",
        "malformed token: token payload is not valid UTF-8");
  }

  @Test
  void validate_withInvalidUtf8InAClaim_isRejectedAsMalformed() {
    byte[] json = claimsJson().replace("mallory", "mall\u0001ry").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < json.length; i++) {
      if (json[i] == 1) {
        json[i] = (byte) 0xc0; // a lone lead byte, never valid UTF-8
      }
    }

    TokenRejectedException e = rejected(() -> h.validator.verify(forgeBytes(json)), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).isEqualTo("malformed token: token payload is not valid UTF-8");
  }

  private String refreshCredential(String subject) {
    long now = h.clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", Harness.MSHIP.value());
    claims.put("sub", "peer_0a1b2c3d");
    claims.put("aud", "aura-mothership");
    claims.put("iat", now);
    claims.put("exp", now + 3600);
    claims.put("jti", "rc_01HYXT8K3PQ7V2M4N6R8S0T1W3");
    claims.put("subject", subject);
    claims.put("role", "member");
    claims.put("joined_at", now);
    return TypedJws.sign(h.ring, TokenType.REFRESH, claims);
  }

  @Test
  void authenticate_refreshCredentialWithControlCharacterOrBlankSubject_isRejectedAsMalformed() {
    RefreshCredentials credentials = RefreshCredentials.builder().mothershipId(Harness.MSHIP).keyRing(h.ring)
        .store(new FakeStores.Refresh()).clock(h.clock).withoutRevocationCheck().build();

    TokenRejectedException nul = rejected(() -> credentials.authenticate(refreshCredential("alice\u0000")),
        RejectionReason.MALFORMED);
    TokenRejectedException blank = rejected(() -> credentials.authenticate(refreshCredential(" ")),
        RejectionReason.MALFORMED);

    assertThat(nul.getMessage())
        .isEqualTo("malformed token: claim 'subject' contains a control character (U+0000) at position 6");
    assertThat(blank.getMessage()).isEqualTo("malformed token: claim 'subject' is blank (only whitespace)");
  }

  @Test
  void authenticate_refreshCredentialWithAGoodSubject_getsPastTheClaimsToTheStore() {
    RefreshCredentials credentials = RefreshCredentials.builder().mothershipId(Harness.MSHIP).keyRing(h.ring)
        .store(new FakeStores.Refresh()).clock(h.clock).withoutRevocationCheck().build();

    rejected(() -> credentials.authenticate(refreshCredential("alice@acme.com")),
        RejectionReason.CREDENTIAL_SUPERSEDED);
  }
}
