package dev.aura.token;

import dev.aura.spi.PeerId;
import java.time.Instant;

/**
 * A refresh credential handed to a peer, once. The Mothership keeps only its id and hash.
 *
 * <p><b>Warning:</b> {@link #credential()} is a long-lived secret: store it owner-only (0600) on the peer;
 * {@link #toString()} never includes it.
 *
 * @param credential the compact JWS the peer presents
 * @param credentialId its id
 * @param peer the peer it belongs to
 * @param issuedAt when it was issued
 * @param expiresAt when it stops being accepted
 * @param rotateAfter when the peer should rotate it (half its lifetime)
 */
public record IssuedRefreshCredential(
    String credential, String credentialId, PeerId peer, Instant issuedAt, Instant expiresAt,
    Instant rotateAfter) {
  @Override
  public String toString() {
    return "IssuedRefreshCredential[id=" + credentialId + ", peer=" + peer + ", expiresAt=" + expiresAt
        + ", credential=redacted]";
  }
}
