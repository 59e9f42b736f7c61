package dev.aura.token;

import java.util.Locale;

/**
 * The JWS algorithms a key ring can hold. {@code HS256} and {@code none} are not among them and never will
 * be: a token naming them is refused before any signature code runs.
 */
public enum SigningAlgorithm {
  /** Ed25519 (RFC 8037), the default: 64-byte signatures. */
  EDDSA("EdDSA", 64),
  /** ECDSA P-256 with SHA-256 (RFC 7518 section 3.4), for FIPS deployments: 64-byte R||S signatures. */
  ES256("ES256", 64),
  /** RSASSA-PKCS1-v1_5 with SHA-256, only for legacy integration and only when explicitly allowed. */
  RS256("RS256", -1);

  private final String jwsName;
  private final int signatureLength;

  SigningAlgorithm(String jwsName, int signatureLength) {
    this.jwsName = jwsName;
    this.signatureLength = signatureLength;
  }

  /** @return the {@code alg} header value */
  public String jwsName() {
    return jwsName;
  }

  /** @return the exact signature length in bytes, or -1 when it depends on the key (RSA) */
  public int signatureLength() {
    return signatureLength;
  }

  /**
   * Reads a configured algorithm name ({@code [jwt] algorithm}).
   *
   * @throws IllegalArgumentException for HS256, none or anything unknown, with the reason
   */
  public static SigningAlgorithm parse(String name) {
    for (SigningAlgorithm a : values()) {
      if (a.jwsName.equals(name)) {
        return a;
      }
    }
    String upper = name == null ? "" : name.toUpperCase(Locale.ROOT);
    if (upper.startsWith("HS")) {
      throw new IllegalArgumentException("algorithm " + name
          + " is not supported: shared-secret algorithms don't scale (use EdDSA, or ES256 for FIPS)");
    }
    if (upper.equals("NONE")) {
      throw new IllegalArgumentException("algorithm none is never accepted");
    }
    throw new IllegalArgumentException(
        "unknown algorithm '" + name + "' (expected EdDSA, ES256, or RS256 with the legacy flag)");
  }

  /** @return the algorithm named by a token header, or null if it is not one of ours */
  static SigningAlgorithm fromHeader(String alg) {
    for (SigningAlgorithm a : values()) {
      if (a.jwsName.equals(alg)) {
        return a;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return jwsName;
  }
}
