package dev.aura.revocation;

/** What a peer does when its copy of the revocation list is older than the configured maximum staleness. */
public enum StalenessPolicy {
  /**
   * Refuse every join and refresh it checks, as revoked with a detail naming the staleness, until a fresh
   * update arrives. The default: a copy too old to trust might miss a revocation.
   */
  FAIL_CLOSED,
  /**
   * Log a warning (once each time the copy becomes stale) and keep enforcing the old copy. Keeps peers
   * working through a long Mothership outage, at the risk of admitting someone revoked meanwhile.
   */
  WARN
}
