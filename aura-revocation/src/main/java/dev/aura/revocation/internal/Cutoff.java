package dev.aura.revocation.internal;

import java.time.Instant;

/** The subject-revocation rule, in one place: refused when issued in or before the revocation's second. */
public final class Cutoff {
  private Cutoff() {}

  /**
   * @param issuedOrJoined a token's {@code iat} or a peer's {@code joined_at}
   * @param revokedSecond the revocation time in whole epoch seconds (rounded down)
   */
  public static boolean refuses(Instant issuedOrJoined, long revokedSecond) {
    return issuedOrJoined.getEpochSecond() <= revokedSecond;
  }
}
