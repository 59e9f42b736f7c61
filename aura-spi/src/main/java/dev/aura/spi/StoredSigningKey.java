package dev.aura.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a signing key ring as a store keeps it.
 *
 * @param kid the key id, carried in the {@code kid} header of every token it signs
 * @param algorithm the JWS algorithm bound to the key ({@code EdDSA}, {@code ES256}, {@code RS256})
 * @param status primary (signs and verifies) or retired (verifies until {@code retireAt})
 * @param createdAt when the key was generated
 * @param retireAt when a retired key stops verifying; null for the primary
 * @param publicJwk the public key as a JSON Web Key (RFC 7517), without private members
 * @param privateJwk the private key as a JSON Web Key, or null on a verify-only node; the store must keep it
 *     from a plain database dump (for example by encrypting it)
 */
public record StoredSigningKey(
    String kid,
    String algorithm,
    KeyStatus status,
    Instant createdAt,
    Instant retireAt,
    String publicJwk,
    SecretBytes privateJwk) {

  /** The state of a key in the ring. */
  public enum KeyStatus {
    /** Signs new tokens and verifies. Exactly one per ring. */
    PRIMARY,
    /** No longer signs; verifies until its {@code retireAt}. */
    RETIRED
  }

  /** Checks nulls and that a retired key has a retire time. */
  public StoredSigningKey {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(publicJwk, "publicJwk");
    if (status == KeyStatus.RETIRED && retireAt == null) {
      throw new IllegalArgumentException("a retired key needs a retireAt");
    }
  }

  /** @return the private key, if this node holds it */
  public Optional<SecretBytes> privateJwkIfAny() {
    return Optional.ofNullable(privateJwk);
  }

  /** @return the retire time, if the key is retired */
  public Optional<Instant> retireAtIfAny() {
    return Optional.ofNullable(retireAt);
  }

  /** @return the same key, retired at {@code when} */
  public StoredSigningKey retired(Instant when) {
    return new StoredSigningKey(kid, algorithm, KeyStatus.RETIRED, createdAt, when, publicJwk, privateJwk);
  }

  @Override
  public String toString() {
    return "StoredSigningKey[kid=" + kid + ", algorithm=" + algorithm + ", status=" + status
        + ", createdAt=" + createdAt + ", retireAt=" + retireAt + ", private="
        + (privateJwk == null ? "absent" : "redacted") + "]";
  }
}
