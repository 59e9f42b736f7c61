package dev.aura.token;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import java.time.Instant;

/**
 * A peer identity the Mothership signed, to hand to the peer at join or refresh. The peer shows it to other
 * peers on direct connections; it is worthless without the private key it is bound to, but is still kept out
 * of logs ({@link #toString()} leaves it out).
 *
 * @param compact the compact JWS of type {@code aura-peer-identity+jwt}
 * @param jti its id
 * @param peer the peer it names
 * @param keyFingerprint the fingerprint of the peer certificate it is bound to
 * @param issuedAt its {@code iat}
 * @param expiresAt its {@code exp}; the peer fetches a new one before then (at its next refresh)
 */
public record IssuedPeerIdentity(String compact, Jti jti, PeerId peer, Fingerprint keyFingerprint,
    Instant issuedAt, Instant expiresAt) {
  @Override
  public String toString() {
    return "IssuedPeerIdentity[jti=" + jti + ", peer=" + peer + ", key=" + keyFingerprint.abbreviated(4)
        + ", expiresAt=" + expiresAt + "]";
  }
}
