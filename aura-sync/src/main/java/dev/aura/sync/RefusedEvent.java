package dev.aura.sync;

import java.time.Instant;

/**
 * A local event the Mothership refused (for example a read-only peer's edit): kept in the WAL, never sent
 * again, shown by {@code aura wal status}.
 *
 * @param id its id
 * @param path the path it changed
 * @param op what it did
 * @param code the Mothership's reason code
 * @param message the Mothership's message
 * @param at when the refusal was recorded (this peer's clock)
 */
public record RefusedEvent(EventId id, SyncPath path, Change.Op op, String code, String message, Instant at) {}
