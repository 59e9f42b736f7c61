package dev.aura.token;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.Jti;
import dev.aura.spi.Role;
import java.time.Instant;

/**
 * A freshly issued join token and the fields {@code aura mothership token issue} prints. The token itself is
 * shown once: the Mothership keeps only its jti, metadata and hash.
 *
 * <p><b>Warning:</b> {@link #token()} is a credential. {@link #toString()} never includes it; do not log it.
 *
 * @param token the compact JWS
 * @param jti its id
 * @param subject its subject
 * @param role its role
 * @param issuedAt its {@code iat}
 * @param expiresAt its {@code exp}
 * @param uses how many joins it allows (1 for one-shot)
 * @param fingerprint the pinned TLS fingerprint
 */
public record IssuedJoinToken(
    String token, Jti jti, String subject, Role role, Instant issuedAt, Instant expiresAt, int uses,
    Fingerprint fingerprint) {

  /** @return whether it is consumed on first use */
  public boolean oneShot() {
    return uses == 1;
  }

  /** Never includes the token. */
  @Override
  public String toString() {
    return "IssuedJoinToken[jti=" + jti + ", subject=" + subject + ", role=" + role + ", expiresAt="
        + expiresAt + ", uses=" + uses + ", token=redacted]";
  }
}
