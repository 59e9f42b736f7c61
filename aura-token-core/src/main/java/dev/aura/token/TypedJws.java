package dev.aura.token;

import dev.aura.token.internal.JsonWriter;
import dev.aura.token.internal.ParsedJws;
import dev.aura.token.internal.StrictJson;
import java.time.Instant;
import java.util.EnumSet;
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
 */
public final class TypedJws {
  /** The algorithms accepted unless a caller opts into RS256. */
  public static final Set<SigningAlgorithm> DEFAULT_ALGORITHMS =
      Set.copyOf(EnumSet.of(SigningAlgorithm.EDDSA, SigningAlgorithm.ES256));

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
   * Verifies a compact JWS as described in the class documentation.
   *
   * @param compact the token; never echoed in a message
   * @param expected the type it must have
   * @param keys the keys that may have signed it
   * @param acceptedAlgorithms the algorithms accepted at all
   * @param now the instant retired keys are judged against
   * @throws TokenRejectedException with the first failed check's reason
   */
  public static VerifiedJws verify(String compact, TokenType expected, PublicKeyRing keys,
      Set<SigningAlgorithm> acceptedAlgorithms, Instant now) throws TokenRejectedException {
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
    int expectedLength = entry.key().signatureLength();
    if (jws.signature().length != expectedLength) {
      throw new TokenRejectedException(RejectionReason.INVALID_SIGNATURE, "signature is "
          + jws.signature().length + " bytes, " + algorithm + " signatures are exactly " + expectedLength);
    }
    if (!entry.key().verify(jws.signingInput(), jws.signature())) {
      throw new TokenRejectedException(RejectionReason.INVALID_SIGNATURE,
          "signature does not verify under key " + jws.kid());
    }
    if (!expected.typ().equals(jws.typ())) {
      throw new TokenRejectedException(RejectionReason.WRONG_TYPE, "expected " + expected.typ() + ", found "
          + (jws.typ() == null ? "no typ" : StrictJson.printable(jws.typ())));
    }
    Map<String, Object> claims;
    try {
      claims = StrictJson.parseObject(jws.payload());
    } catch (StrictJson.JsonRejected e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "token payload " + e.getMessage());
    }
    return new VerifiedJws(jws.kid(), algorithm, expected, new Claims(claims));
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
