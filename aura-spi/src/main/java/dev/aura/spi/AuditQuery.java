package dev.aura.spi;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Selects audit entries by time and type, for {@code aura mothership audit --since 24h --filter key_rotation}.
 *
 * @param from inclusive lower bound on {@link AuditEvent#at()}
 * @param to exclusive upper bound
 * @param types the event types wanted; empty means all
 * @param limit at most this many entries, oldest first
 */
public record AuditQuery(Instant from, Instant to, Set<AuditEventType> types, int limit) {
  /** Checks the bounds and copies the type set. */
  public AuditQuery {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("'to' is before 'from'");
    }
  }

  /** Everything between two instants, up to {@code limit}. */
  public static AuditQuery between(Instant from, Instant to, int limit) {
    return new AuditQuery(from, to, Set.of(), limit);
  }

  /** @return whether an event matches this query */
  public boolean matches(AuditEvent event) {
    return !event.at().isBefore(from) && event.at().isBefore(to)
        && (types.isEmpty() || types.contains(event.type()));
  }
}
