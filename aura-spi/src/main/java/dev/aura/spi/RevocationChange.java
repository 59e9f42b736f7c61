package dev.aura.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A revocation or its lifting, before the store assigns it a version.
 *
 * @param action revoke or unrevoke
 * @param target what it applies to
 * @param actor who did it, for the audit trail (an admin's subject, or {@code local-admin})
 * @param at when, from the caller's clock; a subject revocation refuses tokens issued before this instant
 * @param reason optional free text, null when none was given
 */
public record RevocationChange(
    Action action, RevocationTarget target, String actor, Instant at, String reason) {

  /** What a change does. */
  public enum Action {
    /** Refuse the target from now on. */
    REVOKE,
    /** Lift an earlier revocation of the target. */
    UNREVOKE
  }

  /** Checks nulls (reason may be null). */
  public RevocationChange {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(at, "at");
  }

  /** @return the reason, if one was given */
  public Optional<String> reasonIfAny() {
    return Optional.ofNullable(reason);
  }
}
