package dev.aura.token;

import static dev.aura.token.RejectionAssert.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.token.internal.Base64Url;
import dev.aura.token.internal.Es256Key;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JWS signed by the certificate in their own x5c (pin handovers): the same strict path, one header more. */
class CertificateSignedJwsTest {
  private static final TokenType HANDOVER = TokenType.PIN_HANDOVER;
  private final X509Certificate certificate = Signer.CERTIFICATE;
  private final PrivateKey key = Signer.KEY;
  private final String x5c = Base64.getEncoder().encodeToString(der());
  private final String header = "{\"alg\":\"ES256\",\"typ\":\"aura-pin-handover+jwt\",\"x5c\":[\"" + x5c + "\"]}";
  private final Map<String, Object> claims = new LinkedHashMap<>(Map.of("seq", 3L));

  CertificateSignedJwsTest() throws Exception {}

  /** A test-only P-256 key and its self-signed certificate (CN=handover-signer), made once per run. */
  private static final class Signer {
    static final PrivateKey KEY;
    static final X509Certificate CERTIFICATE;

    static {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=handover-signer");
        Instant now = Instant.now();
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(86_400)), name, pair.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        KEY = pair.getPrivate();
        CERTIFICATE = new JcaX509CertificateConverter().getCertificate(holder);
      } catch (Exception e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  private byte[] der() throws Exception {
    return certificate.getEncoded();
  }

  /** header.payload signed with the certificate's key on the token core's ES256. */
  private String forge(String headerJson, String payloadJson) {
    String input = Base64Url.encode(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
        + Base64Url.encode(payloadJson.getBytes(StandardCharsets.UTF_8));
    byte[] signature = Es256Key.fromJca(certificate.getPublicKey(), key)
        .sign(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + Base64Url.encode(signature);
  }

  private VerifiedJws verify(String compact) throws TokenRejectedException {
    CertificateSignedJws jws = TypedJws.parseCertificateSigned(compact, HANDOVER);
    return jws.verify(jws.certificate().getPublicKey(), "certificate CN=handover-signer");
  }

  @Test
  void signWithCertificate_thenVerify_returnsTheClaims_andTheHeaderNamesTheSignerOnlyByX5c() throws Exception {
    String compact = TypedJws.signWithCertificate(HANDOVER, claims, key, certificate);

    assertThat(new String(Base64.getUrlDecoder().decode(compact.split("\\.")[0]), StandardCharsets.UTF_8))
        .isEqualTo(header);
    CertificateSignedJws parsed = TypedJws.parseCertificateSigned(compact, HANDOVER);
    assertThat(parsed.certificate()).isEqualTo(certificate);
    assertThat(parsed.type()).isEqualTo(HANDOVER);
    VerifiedJws verified = parsed.verify(certificate.getPublicKey(), "certificate CN=handover-signer");
    assertThat(verified.claims().integer("seq")).isEqualTo(3);
    assertThat(verified.kid()).isEqualTo("certificate CN=handover-signer");
    assertThat(verified.algorithm()).isEqualTo(SigningAlgorithm.ES256);
    assertThat(TypedJws.signWithCertificate(HANDOVER, claims, key, certificate)).as("RFC 6979").isEqualTo(compact);
  }

  @Test
  void verify_withAnotherKeyThanTheSigners_isRefusedAsInvalidSignature_namingTheKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    CertificateSignedJws parsed = TypedJws.parseCertificateSigned(
        TypedJws.signWithCertificate(HANDOVER, claims, key, certificate), HANDOVER);

    TokenRejectedException e = rejected(() -> parsed.verify(generator.generateKeyPair().getPublic(), "pin X"),
        RejectionReason.INVALID_SIGNATURE);
    assertThat(e).hasMessage("invalid signature: signature does not verify with the key of pin X");
  }

  @Test
  void verify_withAKeyThatIsNotP256_isRefusedAsInvalidSignature() throws Exception {
    KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
    p384.initialize(new ECGenParameterSpec("secp384r1"));
    CertificateSignedJws parsed = TypedJws.parseCertificateSigned(forge(header, "{}"), HANDOVER);

    TokenRejectedException e = rejected(() -> parsed.verify(p384.generateKeyPair().getPublic(), "pin X"),
        RejectionReason.INVALID_SIGNATURE);
    assertThat(e).hasMessage("invalid signature: the key of pin X is EC, ES256 needs EC P-256");
  }

  @Test
  void theKeyRingPath_refusesACertificateSignedType_andTheCertificatePathAKeyRingType() throws Exception {
    Harness h = Harness.es256();

    assertThatThrownBy(() -> TypedJws.sign(h.ring, HANDOVER, claims)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use TypedJws.signWithCertificate");
    assertThatThrownBy(() -> TypedJws.verify(forge(header, "{}"), HANDOVER, h.ring.publicKeys(),
        TypedJws.DEFAULT_ALGORITHMS, Harness.T0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use TypedJws.parseCertificateSigned");
    assertThatThrownBy(() -> TypedJws.signWithCertificate(TokenType.JOIN, claims, key, certificate))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use TypedJws.sign");
    assertThatThrownBy(() -> TypedJws.parseCertificateSigned(h.issue().token(), TokenType.JOIN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use TypedJws.verify");
  }

  @Test
  void aCertificateSignedHandover_presentedAsAJoinToken_isMalformed() throws Exception {
    Harness h = Harness.es256();
    String handover = TypedJws.signWithCertificate(HANDOVER, claims, key, certificate);

    TokenRejectedException e = rejected(() -> h.validator.verify(handover), RejectionReason.MALFORMED);
    assertThat(e).hasMessage("malformed token: header parameter 'x5c' is not allowed (only alg, typ and kid)");
  }

  @Test
  void aJoinToken_presentedAsACertificateSignedType_isMalformed() throws Exception {
    String join = Harness.es256().issue().token();

    TokenRejectedException e = rejected(() -> TypedJws.parseCertificateSigned(join, HANDOVER),
        RejectionReason.MALFORMED);
    assertThat(e).hasMessage("malformed token: header parameter 'kid' is not allowed (only alg, typ and x5c)");
  }

  @Test
  void header_withoutX5c_orWithX5cOfTheWrongShape_isMalformed() {
    rejected(() -> verify(forge("{\"alg\":\"ES256\",\"typ\":\"aura-pin-handover+jwt\"}", "{}")),
        RejectionReason.MALFORMED);
    assertThat(rejected(() -> verify(forge(header.replace("[\"" + x5c + "\"]", "\"" + x5c + "\""), "{}")),
        RejectionReason.MALFORMED)).hasMessageContaining("must be an array of exactly one certificate string");
    assertThat(rejected(() -> verify(forge(header.replace("[\"" + x5c + "\"]", "[]"), "{}")),
        RejectionReason.MALFORMED)).hasMessageContaining("must be an array of exactly one certificate string");
    assertThat(rejected(() -> verify(forge(header.replace(x5c, "bm90IGEgY2VydGlmaWNhdGU="), "{}")),
        RejectionReason.MALFORMED)).hasMessageContaining("is not exactly one DER X.509 certificate");
    String wrapped = x5c.substring(0, 64) + "\\n" + x5c.substring(64);
    assertThat(rejected(() -> verify(forge(header.replace(x5c, wrapped), "{}")), RejectionReason.MALFORMED))
        .hasMessage("malformed token: header parameter 'x5c' is not canonical standard base64 (RFC 7515 section"
            + " 4.1.6)");
  }

  @Test
  void alg_otherThanEs256_isRefusedAsInvalidSignature_beforeTheCertificateIsJudged() {
    assertThat(rejected(() -> TypedJws.parseCertificateSigned(forge(header.replace("ES256", "EdDSA"), "{}"),
        HANDOVER), RejectionReason.INVALID_SIGNATURE)).hasMessage("invalid signature: algorithm 'EdDSA' is not"
            + " accepted for aura-pin-handover+jwt (expected ES256)");
    assertThat(rejected(() -> TypedJws.parseCertificateSigned(forge(header.replace("ES256", "HS256"), "{}"),
        HANDOVER), RejectionReason.INVALID_SIGNATURE)).hasMessageContaining("'HS256' is never accepted");
  }

  @Test
  void typ_isCheckedBeforeTheSignature_soAnotherTypeNeverHasItsCertificateJudged() {
    String refreshTyp = header.replace("aura-pin-handover+jwt", "aura-refresh+jwt");
    String forged = forge(refreshTyp, "{}");
    String badSignature = forged.substring(0, forged.lastIndexOf('.') + 1) + Base64Url.encode(new byte[64]);

    assertThat(rejected(() -> TypedJws.parseCertificateSigned(badSignature, HANDOVER),
        RejectionReason.WRONG_TYPE)).hasMessage("wrong token type: expected aura-pin-handover+jwt, found"
            + " aura-refresh+jwt");
  }

  @Test
  void signature_ofAnyLengthBut64_orAltered_isRefusedAsInvalidSignature() {
    String good = forge(header, "{}");
    String input = good.substring(0, good.lastIndexOf('.'));
    byte[] signature = Base64.getUrlDecoder().decode(good.substring(good.lastIndexOf('.') + 1));
    byte[] longer = java.util.Arrays.copyOf(signature, 65);
    byte[] altered = signature.clone();
    altered[5] ^= 1;

    assertThat(rejected(() -> verify(input + "." + Base64Url.encode(longer)), RejectionReason.INVALID_SIGNATURE))
        .hasMessage("invalid signature: signature is 65 bytes, ES256 signatures are exactly 64");
    rejected(() -> verify(input + "." + Base64Url.encode(altered)), RejectionReason.INVALID_SIGNATURE);
  }

  @Test
  void payload_withADuplicateKey_isMalformed_onlyAfterTheSignatureVerified() {
    assertThat(rejected(() -> verify(forge(header, "{\"seq\":1,\"seq\":2}")), RejectionReason.MALFORMED))
        .hasMessage("malformed token: token payload has a duplicate key 'seq'");
  }

  @Test
  void sizeCap_isTheType() {
    String huge = forge(header, "{\"pad\":\"" + "x".repeat(HANDOVER.maxLength()) + "\"}");

    assertThat(rejected(() -> verify(huge), RejectionReason.MALFORMED)).hasMessageContaining("over the 8192 cap");
  }
}
