package dev.aura.sync;

import dev.aura.spi.WorkspaceName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state of one binding's WAL, for {@code aura wal status}.
 *
 * @param directory the bound directory
 * @param workspace its workspace
 * @param unacked how many events wait for the Mothership's acknowledgement (refused ones not included)
 * @param bytes what the WAL's rows take: stored content plus the fields of each row
 * @param oldestUnacked when the oldest unacknowledged event was recorded; empty when there is none
 * @param lastAck when the Mothership last acknowledged an event of this binding; empty before the first
 * @param refused the refused events, oldest first
 */
public record WalStatus(Path directory, WorkspaceName workspace, long unacked, long bytes,
    Optional<Instant> oldestUnacked, Optional<Instant> lastAck, List<RefusedEvent> refused) {
  /** Copies the list. */
  public WalStatus {
    refused = List.copyOf(refused);
  }
}
