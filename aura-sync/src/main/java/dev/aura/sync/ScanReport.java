package dev.aura.sync;

import java.util.List;

/**
 * What one {@link Replica#scan()} found.
 *
 * @param recorded the changes it recorded in the WAL, in WAL order (durable when {@code scan} returns)
 * @param skipped entries it did not sync, one message each, for example {@code big.iso is 70.0 MiB, larger
 *     than [sync] max_file_size (64 MiB): not synced}
 */
public record ScanReport(List<PendingEvent> recorded, List<String> skipped) {
  /** Copies the lists. */
  public ScanReport {
    recorded = List.copyOf(recorded);
    skipped = List.copyOf(skipped);
  }
}
