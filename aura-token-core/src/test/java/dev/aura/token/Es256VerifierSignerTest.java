package dev.aura.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The public ES256 Nimbus adapters: RFC 7515 A.3 and RFC 6979 A.2.5 vectors, and every malformed R||S. */
class Es256VerifierSignerTest {
  private static final HexFormat HEX = HexFormat.of();
  /** The order n of the P-256 base point (SEC 2, section 2.4.2). */
  private static final BigInteger N =
      new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
  private static final JWSHeader ES256 = new JWSHeader(JWSAlgorithm.ES256);

  /** RFC 7515 appendix A.3.1. */
  private static final String RFC7515_JWK = "{\"kty\":\"EC\",\"crv\":\"P-256\","
      + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
      + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\","
      + "\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\"}";
  private static final String RFC7515_JWS = "eyJhbGciOiJFUzI1NiJ9"
      + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
      + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

  private final ECKey key = parse(RFC7515_JWK);
  private final Es256Verifier verifier = new Es256Verifier(key.toPublicJWK());
  private final JWSObject vector = parseJws(RFC7515_JWS);
  private final byte[] input = vector.getSigningInput();
  private final byte[] signature = vector.getSignature().decode();

  private static ECKey parse(String json) {
    try {
      return ECKey.parse(json);
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWSObject parseJws(String compact) {
    try {
      return JWSObject.parse(compact);
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean verifies(byte[] sig) throws JOSEException {
    return verifier.verify(ES256, input, Base64URL.encode(sig));
  }

  private static byte[] rs(BigInteger r, BigInteger s) {
    byte[] out = new byte[64];
    fixed(r, out, 0);
    fixed(s, out, 32);
    return out;
  }

  private static void fixed(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
  }

  private BigInteger r() {
    return new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
  }

  private BigInteger s() {
    return new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
  }

  @Test
  void verify_rfc7515A3_verifiesThroughNimbus_andRefusesATamperedPayload() throws Exception {
    assertThat(parseJws(RFC7515_JWS).verify(verifier)).isTrue();
    String tampered = RFC7515_JWS.replace(".eyJpc3MiOiJqb2Ui", ".eyJpc3MiOiJqb2Yi");
    assertThat(parseJws(tampered).verify(verifier)).isFalse();
  }

  @Test
  void verify_rfc7515A3_withOneBitFlippedInROrS_isFalse() throws Exception {
    byte[] inR = signature.clone();
    inR[10] ^= 1;
    byte[] inS = signature.clone();
    inS[50] ^= 1;

    assertThat(verifies(signature)).isTrue();
    assertThat(verifies(inR)).isFalse();
    assertThat(verifies(inS)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"r = 0, r, 0", "s = 0, s, 0", "r = n, r, n", "s = n, s, n", "r = n + 1, r, n+1",
      "s = n + 1, s, n+1", "r = 2^256 - 1, r, max", "s = 2^256 - 1, s, max"})
  void verify_withROrSOutsideOneToNMinusOne_isFalse(String name, String which, String value) throws Exception {
    BigInteger v = switch (value) {
      case "0" -> BigInteger.ZERO;
      case "n" -> N;
      case "n+1" -> N.add(BigInteger.ONE);
      default -> BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    };
    byte[] sig = which.equals("r") ? rs(v, s()) : rs(r(), v);

    assertThat(sig).hasSize(64);
    assertThat(verifies(sig)).isFalse();
  }

  @Test
  void verify_withBothROrSAtTheirLargestValidValue_runsTheCurveCheck_andIsFalse() throws Exception {
    assertThat(verifies(rs(N.subtract(BigInteger.ONE), s()))).isFalse();
    assertThat(verifies(rs(r(), N.subtract(BigInteger.ONE)))).isFalse();
  }

  @Test
  void verify_theValidSignatureInDer_isFalse() throws Exception {
    byte[] der = der(r(), s());
    java.security.Signature jdk = java.security.Signature.getInstance("SHA256withECDSA");
    jdk.initVerify(key.toECPublicKey());
    jdk.update(input);

    assertThat(jdk.verify(der)).as("the DER form is the same signature").isTrue();
    assertThat(verifies(der)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 32, 63, 65, 72, 128})
  void verify_withAnyLengthButSixtyFour_isFalse(int length) throws Exception {
    byte[] sig = Arrays.copyOf(signature, length);

    assertThat(verifies(sig)).isFalse();
  }

  @Test
  void verify_withTheValidSignatureAndALeadingOrTrailingZeroByte_isFalse() throws Exception {
    byte[] leading = new byte[65];
    System.arraycopy(signature, 0, leading, 1, 64);

    assertThat(verifies(leading)).isFalse();
    assertThat(verifies(Arrays.copyOf(signature, 65))).isFalse();
  }

  @Test
  void verify_withACritHeader_isFalse() throws Exception {
    JWSHeader crit = new JWSHeader.Builder(JWSAlgorithm.ES256).criticalParams(Set.of("exp"))
        .customParam("exp", 1).build();

    assertThat(verifier.verify(crit, input, Base64URL.encode(signature))).isFalse();
  }

  @Test
  void verifyAndSign_withAnotherAlgorithm_throwJoseException() {
    assertThatThrownBy(() -> verifier.verify(new JWSHeader(JWSAlgorithm.ES384), input, Base64URL.encode(signature)))
        .isInstanceOf(JOSEException.class).hasMessage("Es256Verifier supports only ES256, not ES384");
    assertThatThrownBy(() -> new Es256Signer(key).sign(new JWSHeader(JWSAlgorithm.EdDSA), input))
        .isInstanceOf(JOSEException.class).hasMessage("Es256Signer supports only ES256, not EdDSA");
    assertThat(verifier.supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.ES256);
    assertThat(new Es256Signer(key).supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.ES256);
  }

  /** RFC 6979 appendix A.2.5, P-256 with SHA-256: deterministic nonces reproduce the exact signatures. */
  @ParameterizedTest(name = "RFC 6979 A.2.5 message \"{0}\"")
  @CsvSource({
      "sample, efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
          + "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8",
      "test, f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"
          + "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083"})
  void sign_rfc6979A25_reproducesTheExactSignature_andVerifies(String message, String expected)
      throws Exception {
    ECKey rfc6979 = new ECKey.Builder(Curve.P_256,
        Base64URL.encode(HEX.parseHex("60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6")),
        Base64URL.encode(HEX.parseHex("7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299")))
        .d(Base64URL.encode(HEX.parseHex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721")))
        .build();
    byte[] data = message.getBytes(StandardCharsets.US_ASCII);

    Base64URL sig = new Es256Signer(rfc6979).sign(ES256, data);

    assertThat(HEX.formatHex(sig.decode())).isEqualTo(expected);
    assertThat(new Es256Verifier(rfc6979.toPublicJWK()).verify(ES256, data, sig)).isTrue();
  }

  @Test
  void sign_throughNimbus_givesASixtyFourByteSignatureThatTheJdkAndTheVerifierAccept() throws Exception {
    JWSObject jws = new JWSObject(ES256, new Payload("aura"));

    jws.sign(new Es256Signer(key));

    byte[] sig = jws.getSignature().decode();
    java.security.Signature jdk = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
    jdk.initVerify(key.toECPublicKey());
    jdk.update(jws.getSigningInput());
    assertThat(sig).hasSize(64);
    assertThat(jdk.verify(sig)).isTrue();
    assertThat(parseJws(jws.serialize()).verify(verifier)).isTrue();
  }

  /** The README's example ("Keys"), as written there. */
  @Test
  void readmeExample_signsWithAGeneratedKey_andVerifiesWithItsPublicHalf() throws Exception {
    ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(Curve.P_256).generate();
    JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("{\"sub\":\"alice\"}"));
    jws.sign(new Es256Signer(key));
    boolean ok = JWSObject.parse(jws.serialize()).verify(new Es256Verifier(key.toPublicJWK()));

    assertThat(ok).isTrue();
    assertThat(jws.getSignature().decode()).hasSize(64);
    ECKey another = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(Curve.P_256).generate();
    assertThat(JWSObject.parse(jws.serialize()).verify(new Es256Verifier(another.toPublicJWK()))).isFalse();
  }

  @Test
  void signer_withoutOrWithAMismatchedPrivateKey_isRefusedAtConstruction() {
    ECKey other = parse(RFC7515_JWK.replace("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI",
        "jpsQnnGQmL-YBIffH1136cLCEQ2ymNvFnqzmb7N2xrA"));

    assertThatThrownBy(() -> new Es256Signer(key.toPublicJWK()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Es256Signer needs the private key (d)");
    assertThatThrownBy(() -> new Es256Signer(other))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match its public key");
  }

  @Test
  void verifier_withAKeyOnAnotherCurve_isRefusedAtConstruction() throws Exception {
    ECKey p384 = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(Curve.P_384).generate();

    assertThatThrownBy(() -> new Es256Verifier(p384)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not on P-256");
  }

  @Test
  void keyRingEs256Tokens_verifyWithThePublicVerifier_soBothRunOnOnePath() throws Exception {
    Harness h = Harness.es256();
    String token = h.issue().token();
    ECKey ringKey = ECKey.parse(new String(h.ring.exportPrivateJwk(h.ring.primaryKid()).revealCopy(),
        StandardCharsets.UTF_8));

    JWSObject parsed = parseJws(token);

    assertThat(parsed.verify(new Es256Verifier(ringKey.toPublicJWK()))).isTrue();
    assertThat(new Es256Signer(ringKey).sign(parsed.getHeader(), parsed.getSigningInput()))
        .as("RFC 6979: the public signer gives the ring's exact signature").isEqualTo(parsed.getSignature());
  }

  private static byte[] der(BigInteger r, BigInteger s) {
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    byte[] out = new byte[6 + rb.length + sb.length];
    out[0] = 0x30;
    out[1] = (byte) (4 + rb.length + sb.length);
    out[2] = 0x02;
    out[3] = (byte) rb.length;
    System.arraycopy(rb, 0, out, 4, rb.length);
    out[4 + rb.length] = 0x02;
    out[5 + rb.length] = (byte) sb.length;
    System.arraycopy(sb, 0, out, 6 + rb.length, sb.length);
    return out;
  }
}
