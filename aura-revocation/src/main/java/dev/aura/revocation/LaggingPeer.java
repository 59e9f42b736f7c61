package dev.aura.revocation;

import dev.aura.spi.PeerId;
import java.time.Instant;
import java.util.Objects;

/**
 * A peer whose last acknowledged revocation version is behind the list's current version, for
 * {@code aura doctor} and {@code status}.
 *
 * @param peer the peer
 * @param acknowledgedVersion the version it last reported having applied
 * @param currentVersion the list's version when asked
 * @param acknowledgedAt when it reported, from the Mothership's clock
 */
public record LaggingPeer(PeerId peer, long acknowledgedVersion, long currentVersion, Instant acknowledgedAt) {
  /** Checks nulls. */
  public LaggingPeer {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(acknowledgedAt, "acknowledgedAt");
  }

  /** @return how many versions it is behind */
  public long behindBy() {
    return currentVersion - acknowledgedVersion;
  }

  /** @return for example {@code peer_0a1b2c3d at version 9 of 12 (3 behind), reported 2026-04-21T17:59:01Z} */
  @Override
  public String toString() {
    return peer + " at version " + acknowledgedVersion + " of " + currentVersion + " (" + behindBy()
        + " behind), reported " + acknowledgedAt;
  }
}
