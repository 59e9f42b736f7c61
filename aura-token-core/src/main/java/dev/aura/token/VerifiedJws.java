package dev.aura.token;

/**
 * A JWS whose signature verified under a key of the ring that was valid at the time, or under the one key a
 * caller trusted for a {@link CertificateSignedJws}, and whose {@code typ} is the one expected. Only
 * {@link TypedJws#verify} and {@link CertificateSignedJws#verify} create it.
 */
public final class VerifiedJws {
  private final String kid;
  private final SigningAlgorithm algorithm;
  private final TokenType type;
  private final Claims claims;

  VerifiedJws(String kid, SigningAlgorithm algorithm, TokenType type, Claims claims) {
    this.kid = kid;
    this.algorithm = algorithm;
    this.type = type;
    this.claims = claims;
  }

  /**
   * @return the id of the key that verified it: the header's {@code kid}, or for a certificate-signed JWS
   *     the name its caller gave the trusted key
   */
  public String kid() {
    return kid;
  }

  /** @return the algorithm bound to that key */
  public SigningAlgorithm algorithm() {
    return algorithm;
  }

  /** @return its type */
  public TokenType type() {
    return type;
  }

  /** @return its claims */
  public Claims claims() {
    return claims;
  }
}
