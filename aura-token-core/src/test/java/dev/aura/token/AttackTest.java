package dev.aura.token;

import static dev.aura.token.RejectionAssert.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aura.token.internal.Base64Url;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The classic JWT attacks, each refused with its reason and without any other exception escaping. */
class AttackTest {
  private final Harness h = Harness.ed25519();
  private final String valid = h.issue().token();
  private final String[] parts = valid.split("\\.");

  AttackTest() throws Exception {}

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
  void algNone_withEmptySignature_isRefusedAsMalformed(String alg) {
    String token = Harness.b64(h.header(alg, TokenType.JOIN.typ())) + "." + parts[1] + ".";

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("signature segment is empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE"})
  void algNone_withAnySignature_isRefusedBeforeSignatureCode(String alg) {
    String token = Harness.b64(h.header(alg, TokenType.JOIN.typ())) + "." + parts[1] + "." + parts[2];

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("'" + alg + "' is never accepted");
  }

  @Test
  void hs256_keyedWithOurPublicKey_isRefused() throws Exception {
    String input = Harness.b64(h.header("HS256", TokenType.JOIN.typ())) + "." + parts[1];
    byte[] publicKeyBytes = h.ring.publicKeys().toJwkSetJson().getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(publicKeyBytes, "HmacSHA256"));
    String token = input + "." + Base64Url.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("'HS256' is never accepted");
  }

  @Test
  void rs256_whenNotEnabled_isRefused_andAcceptedOnlyWithTheLegacyFlag() throws Exception {
    Harness rsa = Harness.rs256();
    String token = rsa.issue().token();

    TokenRejectedException e = rejected(() -> rsa.validator.verify(token), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("RS256 is not enabled");
    assertThat(rsa.validatorBuilder().acceptRs256Legacy().build().verify(token).subject())
        .isEqualTo("alice@acme.com");
  }

  @Test
  void es256Header_againstAnEd25519Key_isRefused() {
    String token = Harness.b64(h.header("ES256", TokenType.JOIN.typ())) + "." + parts[1] + "." + parts[2];

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("header says ES256 but key").contains("bound to EdDSA");
  }

  @Test
  void eddsaHeader_againstAnEs256Key_isRefused() throws Exception {
    Harness ec = Harness.es256();
    String[] p = ec.issue().token().split("\\.");
    String token = Harness.b64(ec.header("EdDSA", TokenType.JOIN.typ())) + "." + p[1] + "." + p[2];

    TokenRejectedException e = rejected(() -> ec.validator.verify(token), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("header says EdDSA but key").contains("bound to ES256");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jwk", "jku", "x5u", "x5c", "x5t", "crit", "b64", "zip", "enc", "cty"})
  void headerParameterOutsideTheAllowList_isRefusedAndNothingIsFetched(String name) {
    String header = "{\"alg\":\"EdDSA\",\"typ\":\"aura-join+jwt\",\"kid\":\"" + h.ring.primaryKid()
        + "\",\"" + name + "\":\"http://127.0.0.1:1/keys\"}";
    String token = h.forge(header, "{}");

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.MALFORMED);
    assertThat(e.getMessage()).contains("header parameter '" + name + "' is not allowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../etc/passwd", "' OR 1=1 --", "${jndi:ldap://127.0.0.1/a}", "\\u0000",
      "kid\\nInjected: yes", ""})
  void hostileKid_isRefusedAsUnknownKey_withAPrintableMessage(String kid) {
    String header = "{\"alg\":\"EdDSA\",\"typ\":\"aura-join+jwt\",\"kid\":\"" + kid + "\"}";
    String token = Harness.b64(header) + "." + parts[1] + "." + parts[2];

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("unknown key id").doesNotContain("\n").doesNotContain("\u0000");
  }

  @Test
  void kidOfTheWrongJsonType_isMalformed() {
    String token = Harness.b64("{\"alg\":\"EdDSA\",\"typ\":\"aura-join+jwt\",\"kid\":7}") + "." + parts[1]
        + "." + parts[2];

    rejected(() -> h.validator.verify(token), RejectionReason.MALFORMED);
  }

  @Test
  void emptySignature_isMalformed() {
    rejected(() -> h.validator.verify(parts[0] + "." + parts[1] + "."), RejectionReason.MALFORMED);
  }

  @Test
  void ed25519Signature_oneByteLong_isRefused_evenWhenTheFirst64BytesAreValid() {
    byte[] sig = java.util.Base64.getUrlDecoder().decode(parts[2]);
    String token = parts[0] + "." + parts[1] + "." + Base64Url.encode(Arrays.copyOf(sig, 65));

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("signature is 65 bytes, EdDSA signatures are exactly 64");
  }

  @Test
  void ed25519Signature_oneByteShort_isRefused() {
    byte[] sig = java.util.Base64.getUrlDecoder().decode(parts[2]);
    String token = parts[0] + "." + parts[1] + "." + Base64Url.encode(Arrays.copyOf(sig, 63));

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("signature is 63 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"r=0", "s=0", "r=n", "s=n"})
  void es256_withROrSOutOfRange_isRefused(String which) throws Exception {
    Harness ec = Harness.es256();
    String[] p = ec.issue().token().split("\\.");
    byte[] sig = java.util.Base64.getUrlDecoder().decode(p[2]);
    BigInteger n = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    byte[] value = which.endsWith("=0") ? new byte[32] : toFixed32(n);
    System.arraycopy(value, 0, sig, which.startsWith("r") ? 0 : 32, 32);
    String token = p[0] + "." + p[1] + "." + Base64Url.encode(sig);

    TokenRejectedException e = rejected(() -> ec.validator.verify(token), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("signature does not verify");
  }

  private static byte[] toFixed32(BigInteger v) {
    byte[] b = v.toByteArray();
    return Arrays.copyOfRange(b, b.length - 32, b.length);
  }

  @Test
  void flippedBitInTheHeader_isRefused() {
    String token = flip(0) + "." + parts[1] + "." + parts[2];

    TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class, () -> h.validator.verify(token));
    assertThat(e.reason()).isIn(RejectionReason.MALFORMED, RejectionReason.INVALID_SIGNATURE);
  }

  @Test
  void flippedBitInThePayload_isRefusedAsInvalidSignature() {
    rejected(() -> h.validator.verify(parts[0] + "." + flip(1) + "." + parts[2]),
        RejectionReason.INVALID_SIGNATURE);
  }

  @Test
  void flippedBitInTheSignature_isRefusedAsInvalidSignature() {
    rejected(() -> h.validator.verify(parts[0] + "." + parts[1] + "." + flip(2)),
        RejectionReason.INVALID_SIGNATURE);
  }

  private String flip(int segment) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char[] chars = parts[segment].toCharArray();
    int at = chars.length / 2;
    chars[at] = alphabet.charAt(alphabet.indexOf(chars[at]) ^ 1);
    return new String(chars);
  }

  @Test
  void tokenOfAnotherMothership_isRefusedAsInvalidSignature() throws Exception {
    String foreign = Harness.ed25519().issue().token();

    TokenRejectedException e = rejected(() -> h.validator.verify(foreign), RejectionReason.INVALID_SIGNATURE);
    assertThat(e.getMessage()).contains("unknown key id").contains("another Mothership");
  }

  @Test
  void refreshCredential_presentedAsAJoinToken_isRefusedAsWrongType() throws Exception {
    RefreshCredentials credentials = RefreshCredentials.builder().mothershipId(Harness.MSHIP).keyRing(h.ring)
        .store(new FakeStores.Refresh()).clock(h.clock).withoutRevocationCheck().build();
    String credential = credentials.issue(dev.aura.spi.PeerId.parse("peer_0a1b2c3d"), "alice@acme.com",
        dev.aura.spi.Role.MEMBER, h.clock.instant()).credential();

    TokenRejectedException e = rejected(() -> h.validator.verify(credential), RejectionReason.WRONG_TYPE);
    assertThat(e.getMessage()).isEqualTo("wrong token type: expected aura-join+jwt, found aura-refresh+jwt");
  }

  @Test
  void tokenWithoutTyp_isRefusedAsWrongType() {
    String token = h.forge("{\"alg\":\"EdDSA\",\"kid\":\"" + h.ring.primaryKid() + "\"}",
        new String(dev.aura.token.internal.JsonWriter.write(h.claims()), StandardCharsets.UTF_8));

    TokenRejectedException e = rejected(() -> h.validator.verify(token), RejectionReason.WRONG_TYPE);
    assertThat(e.getMessage()).endsWith("found no typ");
  }

  @Test
  void forgedClaims_signedByUs_withAGenericJwtTyp_areRefused() {
    Map<String, Object> claims = h.claims();
    String token = h.forge(h.header("EdDSA", "JWT"),
        new String(dev.aura.token.internal.JsonWriter.write(claims), StandardCharsets.UTF_8));

    rejected(() -> h.validator.verify(token), RejectionReason.WRONG_TYPE);
  }
}
