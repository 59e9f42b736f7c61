package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.SigningKeyStore;
import dev.aura.spi.StoredSigningKey;
import dev.aura.tls.TlsPinningException.Reason;
import dev.aura.token.KeyRing;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pin handovers on the token core's strict JWS path: what the deleted hand-written parser refused is still
 * refused, now with the strict path's reason and wording, and handovers stored by the old code still verify.
 */
class PinHandoverStrictPathTest {
  private static final Instant ROTATED_AT = Fixtures.T0.plus(Duration.ofDays(100));
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private final ManualClock clock = new ManualClock(ROTATED_AT);
  private final TlsIdentity a = Fixtures.identity("mothership-a");
  private final TlsIdentity b = Fixtures.identity("mothership-b");
  private final PinSet pinnedToA = PinSet.of(a.fingerprint());
  private final String x5c = Base64.getEncoder().encodeToString(der(a));
  private final String header = "{\"alg\":\"ES256\",\"typ\":\"aura-pin-handover+jwt\",\"x5c\":[\"" + x5c + "\"]}";
  private final String payload = "{\"from\":\"" + a.fingerprint() + "\",\"to\":\"" + b.fingerprint()
      + "\",\"retire_at\":" + ROTATED_AT.plus(Duration.ofHours(24)).getEpochSecond() + ",\"iat\":"
      + ROTATED_AT.getEpochSecond() + ",\"seq\":1}";

  private static byte[] der(TlsIdentity identity) {
    try {
      return identity.certificate().getEncoded();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String encode(String json) {
    return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Signs like the deleted CompactJws did: the JDK's ECDSA, random nonce, R || S. */
  private static byte[] jdkSign(String jcaAlgorithm, PrivateKey key, String signingInput) {
    try {
      Signature signer = Signature.getInstance(jcaAlgorithm);
      signer.initSign(key);
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signer.sign();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A handover with this header and payload, signed (R || S) with {@code signer}'s key. */
  private static String signed(String header, String payload, TlsIdentity signer) {
    String input = encode(header) + "." + encode(payload);
    return input + "." + URL.encodeToString(jdkSign("SHA256withECDSAinP1363Format", signer.exportPrivateKey(),
        input));
  }

  private TlsPinningException refused(String compact, Reason reason) {
    TlsPinningException e = catchThrowableOfType(TlsPinningException.class,
        () -> PinHandover.verify(compact, pinnedToA, clock));
    assertThat(e).as("expected a refusal with reason %s", reason).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage()).startsWith(reason.text() + ": ").doesNotContain("eyJ");
    return e;
  }

  @Test
  void handoverStoredByTheHandWrittenCode_stillVerifies() throws Exception {
    // tls-previous/7.handover as the deleted FlatJson/CompactJws code wrote it (JDK ECDSA, random nonce).
    String stored;
    try (InputStream in = getClass().getResourceAsStream("legacy-7.handover")) {
      stored = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    Fingerprint legacyA = Fingerprint.parse(
        "eb:31:9d:5b:c2:17:68:8e:c3:d3:16:a3:a5:0d:0f:0f:c0:59:22:c5:dc:68:b9:30:bb:f1:85:12:18:3b:da:d4");

    PinHandover verified = PinHandover.verify(stored, PinSet.of(legacyA), clock);

    assertThat(verified.from()).isEqualTo(legacyA);
    assertThat(verified.to()).isEqualTo(Fingerprint.parse(
        "bc:83:82:33:64:c5:88:fc:ad:ba:8e:ce:6a:65:83:91:14:9f:ec:38:fc:29:fc:b8:bb:bf:03:26:df:0a:b4:1b"));
    assertThat(verified.retireAt()).isEqualTo(Instant.parse("2026-07-31T10:00:00Z"));
    assertThat(verified.issuedAt()).isEqualTo(Instant.parse("2026-07-30T10:00:00Z"));
    assertThat(verified.sequence()).isEqualTo(7);
    assertThat(verified.compact()).isEqualTo(stored);
  }

  @Test
  void handoverSignedAsTheOldCodeDid_verifies_andItsBytesAreWhatTheNewCodeWrites() throws Exception {
    PinHandover issued = PinHandover.sign(a, b.fingerprint(), ROTATED_AT.plus(Duration.ofHours(24)), ROTATED_AT, 1);
    String[] parts = issued.compact().split("\\.");

    assertThat(parts[0]).isEqualTo(encode(header));
    assertThat(parts[1]).isEqualTo(encode(payload));
    assertThat(PinHandover.verify(signed(header, payload, a), pinnedToA, clock).to()).isEqualTo(b.fingerprint());
  }

  @Test
  void handover_withADuplicateKeyInTheHeader_isRefusedAsMalformed() {
    String duplicated = header.replace("{\"alg\":\"ES256\",", "{\"alg\":\"ES256\",\"alg\":\"ES256\",");

    assertThat(refused(signed(duplicated, payload, a), Reason.HANDOVER_MALFORMED))
        .hasMessage("tls pin handover malformed: token header has a duplicate key 'alg'");
  }

  @Test
  void handover_withADuplicateKeyInTheSignedPayload_isRefusedAsMalformed() {
    String duplicated = payload.replace(",\"seq\":1}", ",\"seq\":1,\"seq\":9}");

    assertThat(refused(signed(header, duplicated, a), Reason.HANDOVER_MALFORMED))
        .hasMessage("tls pin handover malformed: token payload has a duplicate key 'seq'");
  }

  @Test
  void handover_withNonCanonicalBase64Url_isRefusedAsMalformed() {
    String genuine = signed(header, payload, a);
    // 64 signature bytes are 86 characters: the last one carries 4 unused bits, which must be zero.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = genuine.charAt(genuine.length() - 1);
    String strayBit = genuine.substring(0, genuine.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);

    assertThat(refused(strayBit, Reason.HANDOVER_MALFORMED))
        .hasMessage("tls pin handover malformed: token's signature segment is not canonical base64url");
    assertThat(refused(genuine.replaceFirst("\\.", ".+"), Reason.HANDOVER_MALFORMED))
        .hasMessageContaining("token contains '+' (standard base64, not base64url)");
  }

  @Test
  void handover_whoseX5cIsNotCanonicalStandardBase64_isRefusedAsMalformed() {
    String wrapped = header.replace(x5c, x5c.substring(0, 64) + "\\r\\n" + x5c.substring(64));
    String urlSafe = header.replace(x5c, Base64.getUrlEncoder().encodeToString(der(a)));

    assertThat(refused(signed(wrapped, payload, a), Reason.HANDOVER_MALFORMED)).hasMessage(
        "tls pin handover malformed: header parameter 'x5c' is not canonical standard base64 (RFC 7515 section"
            + " 4.1.6)");
    if (!urlSafe.equals(header)) {
      refused(signed(urlSafe, payload, a), Reason.HANDOVER_MALFORMED);
    }
  }

  @Test
  void handover_whoseX5cIsNotExactlyOneCertificate_isRefusedAsMalformed() {
    String two = header.replace("[\"" + x5c + "\"]", "[\"" + x5c + "\",\"" + x5c + "\"]");
    byte[] withTrailer = Arrays.copyOf(der(a), der(a).length + 1);
    String trailing = header.replace(x5c, Base64.getEncoder().encodeToString(withTrailer));

    assertThat(refused(signed(two, payload, a), Reason.HANDOVER_MALFORMED)).hasMessage("tls pin handover"
        + " malformed: header parameter 'x5c' must be an array of exactly one certificate string");
    assertThat(refused(signed(trailing, payload, a), Reason.HANDOVER_MALFORMED)).hasMessage(
        "tls pin handover malformed: header parameter 'x5c' is not exactly one DER X.509 certificate");
  }

  @ParameterizedTest
  @ValueSource(strings = {"crit", "jku", "jwk", "x5u", "kid", "b64", "zip"})
  void handover_withAHeaderParameterOutsideAlgTypX5c_isRefusedAsMalformed(String name) {
    String extra = header.replace("{\"alg\"", "{\"" + name + "\":\"http://127.0.0.1:1/keys\",\"alg\"");

    assertThat(refused(signed(extra, payload, a), Reason.HANDOVER_MALFORMED)).hasMessage("tls pin handover"
        + " malformed: header parameter '" + name + "' is not allowed (only alg, typ and x5c)");
  }

  @Test
  void handover_withAWrongTypCorrectlySigned_isRefusedAsMalformedWithTheWrongTypeWording() {
    String joinTyp = header.replace("aura-pin-handover+jwt", "aura-join+jwt");

    assertThat(refused(signed(joinTyp, payload, a), Reason.HANDOVER_MALFORMED)).hasMessage(
        "tls pin handover malformed: wrong token type: expected aura-pin-handover+jwt, found aura-join+jwt");
    assertThat(refused(signed(header.replace(",\"typ\":\"aura-pin-handover+jwt\"", ""), payload, a),
        Reason.HANDOVER_MALFORMED)).hasMessageEndingWith("found no typ");
  }

  @Test
  void joinToken_presentedAsAHandover_isRefusedAsMalformed() throws Exception {
    KeyRing ring = KeyRing.builder().store(new InMemoryKeys()).clock(clock).algorithm(SigningAlgorithm.ES256)
        .open();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", "mship_7fcd21a9");
    claims.put("sub", "alice@acme.com");
    claims.put("aud", "aura-peer");
    claims.put("tls_fingerprint", a.fingerprint().toString());
    String joinToken = TypedJws.sign(ring, TokenType.JOIN, claims);

    assertThat(refused(joinToken, Reason.HANDOVER_MALFORMED)).hasMessage(
        "tls pin handover malformed: header parameter 'kid' is not allowed (only alg, typ and x5c)");
  }

  @Test
  void handover_withADerSignature_isRefusedAsInvalidSignature() {
    String input = encode(header) + "." + encode(payload);
    byte[] der = jdkSign("SHA256withECDSA", a.exportPrivateKey(), input);

    assertThat(refused(input + "." + URL.encodeToString(der), Reason.HANDOVER_INVALID_SIGNATURE)).hasMessage(
        "tls pin handover invalid signature: signature is " + der.length
            + " bytes, ES256 signatures are exactly 64");
  }

  @Test
  void handover_withA65ByteSignature_isRefusedAsInvalidSignature() {
    String input = encode(header) + "." + encode(payload);
    byte[] longer = Arrays.copyOf(jdkSign("SHA256withECDSAinP1363Format", a.exportPrivateKey(), input), 65);

    assertThat(refused(input + "." + URL.encodeToString(longer), Reason.HANDOVER_INVALID_SIGNATURE))
        .hasMessage("tls pin handover invalid signature: signature is 65 bytes, ES256 signatures are exactly 64");
  }

  @Test
  void handover_withAlgNoneButASignature_isRefusedAsMalformedBeforeAnySignatureCode() {
    String none = header.replace("\"ES256\"", "\"none\"");

    assertThat(refused(signed(none, payload, a), Reason.HANDOVER_MALFORMED)).hasMessage(
        "tls pin handover malformed: algorithm 'none' is never accepted for aura-pin-handover+jwt (expected ES256)");
  }

  @Test
  void handover_whosePinnedCertificateHasAnRsaKey_isRefusedAsInvalidSignature() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    TlsIdentity rsaIdentity = TestCertificates.selfSigned(rsa.generateKeyPair(), Fixtures.T0);
    String rsaHeader = header.replace(x5c, Base64.getEncoder().encodeToString(der(rsaIdentity)));
    String input = encode(rsaHeader) + "." + encode(payload);
    String compact = input + "." + URL.encodeToString(new byte[64]);

    TlsPinningException e = catchThrowableOfType(TlsPinningException.class,
        () -> PinHandover.verify(compact, PinSet.of(rsaIdentity.fingerprint()), clock));
    assertThat(e.reason()).isEqualTo(Reason.HANDOVER_INVALID_SIGNATURE);
    assertThat(e).hasMessage("tls pin handover invalid signature: the key of certificate "
        + rsaIdentity.fingerprint() + " (subject CN=rsa-mothership) is RSA, ES256 needs EC P-256");
  }

  @Test
  void handover_withAClaimOfTheWrongJsonType_isRefusedAsMalformed() {
    String stringSeq = payload.replace("\"seq\":1", "\"seq\":\"1\"");

    assertThat(refused(signed(header, stringSeq, a), Reason.HANDOVER_MALFORMED)).hasMessageContaining("seq");
  }

  /** A signing-key store in memory, for the one test that needs a real key ring. */
  private static final class InMemoryKeys implements SigningKeyStore {
    private final List<StoredSigningKey> keys = new ArrayList<>();

    @Override
    public synchronized List<StoredSigningKey> loadAll() {
      return List.copyOf(keys);
    }

    @Override
    public synchronized void saveAll(List<StoredSigningKey> changed) {
      for (StoredSigningKey key : changed) {
        keys.removeIf(k -> k.kid().equals(key.kid()));
        keys.add(key);
      }
    }
  }
}
