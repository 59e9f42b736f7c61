package dev.aura.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How current a peer's copy of the revocation list is.
 *
 * @param version the version held
 * @param completeAsOf the signing time of the newest update after which the copy was complete (its
 *     {@code to} reached the Mothership's {@code head}), or null if it never was
 * @param maxStaleness how old the copy may be before it is not trusted
 * @param checkedAt the instant this was judged at
 */
public record Freshness(long version, Instant completeAsOf, Duration maxStaleness, Instant checkedAt) {
  /** Checks nulls (completeAsOf may be null). */
  public Freshness {
    Objects.requireNonNull(maxStaleness, "maxStaleness");
    Objects.requireNonNull(checkedAt, "checkedAt");
  }

  /** @return when the copy was last complete, if ever */
  public Optional<Instant> completeAsOfIfAny() {
    return Optional.ofNullable(completeAsOf);
  }

  /**
   * @return the first instant the copy is stale ({@code completeAsOf + maxStaleness}), if it was ever
   *     complete
   */
  public Optional<Instant> staleFrom() {
    return completeAsOfIfAny().map(t -> t.plus(maxStaleness));
  }

  /** @return whether the copy is too old to trust: never complete, or {@code checkedAt >= staleFrom} */
  public boolean isStale() {
    return completeAsOf == null || !checkedAt.isBefore(completeAsOf.plus(maxStaleness));
  }

  /** @return an operator's description, for example {@code version 12, complete as of ... (max staleness PT1H)} */
  public String describe() {
    if (completeAsOf == null) {
      return "version " + version + ", never complete: no update reaching the Mothership's latest version"
          + " has been applied yet";
    }
    return "version " + version + ", complete as of " + completeAsOf + " (age "
        + Duration.between(completeAsOf, checkedAt) + ", max staleness " + maxStaleness + ", stale from "
        + completeAsOf.plus(maxStaleness) + ")";
  }
}
