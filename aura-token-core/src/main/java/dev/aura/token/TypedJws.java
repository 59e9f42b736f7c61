package dev.aura.token;

import dev.aura.token.internal.Base64Url;
import dev.aura.token.internal.Es256Key;
import dev.aura.token.internal.JsonWriter;
import dev.aura.token.internal.JwsKey;
import dev.aura.token.internal.ParsedJws;
import dev.aura.token.internal.StrictJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Signs and verifies compact JWS of one of Aura's {@link TokenType}s. Every token Aura reads goes through
 * {@link #verify}, which checks in this order:
 *
 * <ol>
 *   <li>strict pre-parse (RFC 7515 section 7.1 compact form; stricter than the RFC): at most
 *       {@link TokenType#maxLength()} (8 KiB for a join token), exactly
 *       three segments, canonical unpadded base64url, a header of only {@code alg}, {@code typ} and
 *       {@code kid} in duplicate-key-strict JSON with a nesting cap; else {@link RejectionReason#MALFORMED};
 *   <li>the algorithm is one of the accepted ones and the one bound to the key named by {@code kid} (never
 *       taken from the header alone; RFC 8725 section 3.1), the key still verifies at {@code now}, the
 *       signature has exactly the algorithm's length and verifies; else
 *       {@link RejectionReason#INVALID_SIGNATURE};
 *   <li>{@code typ} is the expected type (RFC 8725 section 3.11); else {@link RejectionReason#WRONG_TYPE};
 *   <li>only then is the payload parsed, as duplicate-key-strict JSON in strict UTF-8 without a byte order
 *       mark (RFC 8259 section 8.1; the header is held to the same); else {@link RejectionReason#MALFORMED}.
 * </ol>
 *
 * <pre>{@code
 * String jws = TypedJws.sign(keyRing, TokenType.REVOCATION, Map.of("from", 0L, "to", 12L));
 * VerifiedJws ok = TypedJws.verify(jws, TokenType.REVOCATION, keyRing.publicKeys(),
 *     TypedJws.DEFAULT_ALGORITHMS, clock.instant());
 * }</pre>
 *
 * <p>A type whose signer travels in the token ({@link TokenType#PIN_HANDOVER}: the old TLS certificate, in
 * {@code x5c}) is signed with {@link #signWithCertificate} and read with {@link #parseCertificateSigned},
 * through the same pre-parse, JSON and ES256 code; {@link #sign} and {@link #verify} refuse such a type.
 */
public final class TypedJws {
  /** The algorithms accepted unless a caller opts into RS256. */
  public static final Set<SigningAlgorithm> DEFAULT_ALGORITHMS =
      Set.copyOf(EnumSet.of(SigningAlgorithm.EDDSA, SigningAlgorithm.ES256));
  /** The one algorithm of a type signed by certificate. */
  static final SigningAlgorithm CERTIFICATE_ALGORITHM = SigningAlgorithm.ES256;

  private TypedJws() {}

  /**
   * Signs claims with the ring's primary key.
   *
   * @param claims String keys; values String, Number, Boolean, null, List or Map, written in map order
   * @return the compact JWS
   */
  public static String sign(KeyRing ring, TokenType type, Map<String, ?> claims) {
    return ring.sign(type, JsonWriter.write(claims));
  }

  /**
   * Signs claims ES256 with one explicit key and names the signer by its certificate: header
   * {@code {"alg":"ES256","typ":...,"x5c":[certificate]}} (RFC 7515 section 4.1.6), the certificate in
   * standard base64 DER. Only for a type signed by certificate ({@link TokenType#PIN_HANDOVER}).
   *
   * @param type a type signed by certificate
   * @param claims String keys; values String, Number, Boolean, null, List or Map, written in map order
   * @param key the EC P-256 private key of {@code certificate}
   * @param certificate travels in {@code x5c}; its public key verifies the signature
   * @return the compact JWS
   * @throws IllegalArgumentException for a type signed by the key ring, a key that is not EC P-256 or that
   *     is not the certificate's, or a certificate that cannot be DER-encoded
   */
  public static String signWithCertificate(TokenType type, Map<String, ?> claims, PrivateKey key,
      X509Certificate certificate) {
    if (!type.certificateSigned()) {
      throw new IllegalArgumentException(type + " is signed by the key ring (kid): use TypedJws.sign");
    }
    Es256Key signer;
    try {
      signer = Es256Key.fromJca(certificate.getPublicKey(), key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(type + " is signed ES256: " + e.getMessage()
          + " (the key must be the certificate's EC P-256 key)");
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", CERTIFICATE_ALGORITHM.jwsName());
    header.put("typ", type.typ());
    try {
      header.put("x5c", List.of(Base64.getEncoder().encodeToString(certificate.getEncoded())));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
    }
    String signingInput = Base64Url.encode(JsonWriter.write(header)) + "." + Base64Url.encode(
        JsonWriter.write(claims));
    return signingInput + "." + Base64Url.encode(signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * The first half of reading a JWS signed by certificate: the strict pre-parse of {@link #verify} (size cap
   * of the type, three canonical base64url segments, duplicate-key-strict UTF-8 JSON) with a header of
   * exactly {@code alg}, {@code typ} and {@code x5c} (one certificate, canonical standard base64 of one DER
   * X.509 certificate and nothing after it), else {@link RejectionReason#MALFORMED}; {@code alg} is ES256,
   * else {@link RejectionReason#INVALID_SIGNATURE}; {@code typ} is the expected one, else
   * {@link RejectionReason#WRONG_TYPE}. The type is checked here, before the signature, because the caller
   * is about to judge a certificate the token brought: nothing but a token of this type gets that far.
   * Then decide whether to trust {@link CertificateSignedJws#certificate()} and call
   * {@link CertificateSignedJws#verify}.
   *
   * @param compact the token; never echoed in a message
   * @param expected a type signed by certificate
   * @throws TokenRejectedException with the first failed check's reason
   * @throws IllegalArgumentException for a type signed by the key ring
   */
  public static CertificateSignedJws parseCertificateSigned(String compact, TokenType expected)
      throws TokenRejectedException {
    if (!expected.certificateSigned()) {
      throw new IllegalArgumentException(expected + " is signed by the key ring (kid): use TypedJws.verify");
    }
    ParsedJws jws;
    try {
      jws = ParsedJws.parse(compact, expected.maxLength(), ParsedJws.Signer.X5C);
    } catch (ParsedJws.Malformed e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, e.getMessage());
    }
    X509Certificate certificate = certificate(jws.x5c());
    SigningAlgorithm algorithm = SigningAlgorithm.fromHeader(jws.alg());
    if (algorithm != CERTIFICATE_ALGORITHM) {
      throw new TokenRejectedException(RejectionReason.INVALID_SIGNATURE, "algorithm '"
          + StrictJson.printable(jws.alg()) + "' is " + (algorithm == null ? "never" : "not") + " accepted for "
          + expected + " (expected " + CERTIFICATE_ALGORITHM + ")");
    }
    checkType(jws, expected);
    return new CertificateSignedJws(jws, expected, certificate);
  }

  private static X509Certificate certificate(byte[] der) throws TokenRejectedException {
    try {
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      if (Arrays.equals(certificate.getEncoded(), der)) {
        return certificate;
      }
    } catch (CertificateException | ClassCastException e) {
      // refused below
    }
    throw new TokenRejectedException(RejectionReason.MALFORMED,
        "header parameter 'x5c' is not exactly one DER X.509 certificate");
  }

  /**
   * Verifies a compact JWS as described in the class documentation.
   *
   * @param compact the token; never echoed in a message
   * @param expected the type it must have
   * @param keys the keys that may have signed it
   * @param acceptedAlgorithms the algorithms accepted at all
   * @param now the instant retired keys are judged against
   * @throws TokenRejectedException with the first failed check's reason
   * @throws IllegalArgumentException for a type signed by certificate
   */
  public static VerifiedJws verify(String compact, TokenType expected, PublicKeyRing keys,
      Set<SigningAlgorithm> acceptedAlgorithms, Instant now) throws TokenRejectedException {
    if (expected.certificateSigned()) {
      throw new IllegalArgumentException(expected + " is signed by certificate (x5c), not by the key ring:"
          + " use TypedJws.parseCertificateSigned");
    }
    ParsedJws jws;
    try {
      jws = ParsedJws.parse(compact, expected.maxLength());
    } catch (ParsedJws.Malformed e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, e.getMessage());
    }
    SigningAlgorithm algorithm = SigningAlgorithm.fromHeader(jws.alg());
    if (algorithm == null) {
      throw new TokenRejectedException(RejectionReason.INVALID_SIGNATURE,
          "algorithm '" + StrictJson.printable(jws.alg()) + "' is never accepted (expected "
              + names(acceptedAlgorithms) + ")");
    }
    if (!acceptedAlgorithms.contains(algorithm)) {
      throw new TokenRejectedException(RejectionReason.INVALID_SIGNATURE,
          "algorithm " + algorithm + " is not enabled (expected " + names(acceptedAlgorithms) + ")");
    }
    PublicKeyRing.Entry entry = keys.entry(jws.kid());
    if (entry == null) {
      throw new TokenRejectedException(RejectionReason.INVALID_SIGNATURE, "unknown key id '"
          + StrictJson.printable(jws.kid())
          + "' (signed by another Mothership, or by a key no longer in the ring)");
    }
    if (entry.info().algorithm() != algorithm) {
      throw new TokenRejectedException(RejectionReason.INVALID_SIGNATURE, "header says " + algorithm
          + " but key " + jws.kid() + " is bound to " + entry.info().algorithm());
    }
    if (!entry.info().verifiesAt(now)) {
      throw new TokenRejectedException(RejectionReason.INVALID_SIGNATURE, "key " + jws.kid()
          + " was rotated out; its grace ended at " + entry.info().retireAt());
    }
    checkSignature(jws, entry.key(), algorithm, "under key " + jws.kid());
    checkType(jws, expected);
    return new VerifiedJws(jws.kid(), algorithm, expected, claims(jws));
  }

  /** Exact length, then the signature itself; {@code underKey} names the key in the message. */
  static void checkSignature(ParsedJws jws, JwsKey key, SigningAlgorithm algorithm, String underKey)
      throws TokenRejectedException {
    int expectedLength = key.signatureLength();
    if (jws.signature().length != expectedLength) {
      throw new TokenRejectedException(RejectionReason.INVALID_SIGNATURE, "signature is "
          + jws.signature().length + " bytes, " + algorithm + " signatures are exactly " + expectedLength);
    }
    if (!key.verify(jws.signingInput(), jws.signature())) {
      throw new TokenRejectedException(RejectionReason.INVALID_SIGNATURE,
          "signature does not verify " + underKey);
    }
  }

  private static void checkType(ParsedJws jws, TokenType expected) throws TokenRejectedException {
    if (!expected.typ().equals(jws.typ())) {
      throw new TokenRejectedException(RejectionReason.WRONG_TYPE, "expected " + expected.typ() + ", found "
          + (jws.typ() == null ? "no typ" : StrictJson.printable(jws.typ())));
    }
  }

  /** The payload, parsed only now that the signature verified. */
  static Claims claims(ParsedJws jws) throws TokenRejectedException {
    try {
      return new Claims(StrictJson.parseObject(jws.payload()));
    } catch (StrictJson.JsonRejected e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "token payload " + e.getMessage());
    }
  }

  private static String names(Set<SigningAlgorithm> algorithms) {
    StringBuilder out = new StringBuilder();
    for (SigningAlgorithm a : SigningAlgorithm.values()) {
      if (algorithms.contains(a)) {
        out.append(out.length() == 0 ? "" : " or ").append(a.jwsName());
      }
    }
    return out.toString();
  }
}
