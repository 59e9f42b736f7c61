package dev.aura.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What the Mothership keeps about a peer's current refresh credential: its id and a hash, never the
 * credential, so a leaked database cannot be replayed.
 *
 * @param credentialId the credential's unique id
 * @param peer the peer holding it
 * @param hash SHA-256 of the credential
 * @param issuedAt when it was issued
 * @param expiresAt when it stops being accepted (issuance plus the rotation period)
 */
public record RefreshCredentialRecord(
    String credentialId, PeerId peer, SecretHash hash, Instant issuedAt, Instant expiresAt) {
  /** Checks nulls and the time order. */
  public RefreshCredentialRecord {
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("expiresAt must be after issuedAt");
    }
  }
}
