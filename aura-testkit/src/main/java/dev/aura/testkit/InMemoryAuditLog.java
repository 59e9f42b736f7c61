package dev.aura.testkit;

import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditLog;
import dev.aura.spi.AuditQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A hash-chained {@link AuditLog} in memory. Thread-safe; concurrent appends form a single chain
 * ({@link AuditEntry#chain}), which {@link dev.aura.spi.AuditChain#verify} accepts.
 *
 * <pre>{@code
 * InMemoryAuditLog log = new InMemoryAuditLog();
 * log.append(AuditEvent.of(AuditEventType.TOKEN_ISSUED, clock.instant(), jti.value()).by("admin"));
 * AuditChain.verify(log).isIntact();   // true
 * }</pre>
 *
 * <p>{@link #query} returns matching entries ordered by event time, then sequence. To test that tampering
 * is detected, {@link #replaceEventForTest} and {@link #removeForTest} change stored entries behind the
 * chain's back.
 *
 * <p>Never throws {@link dev.aura.spi.StoreException}. Nothing survives the object.
 */
public final class InMemoryAuditLog implements AuditLog {
  private static final Comparator<AuditEntry> OLDEST_FIRST =
      Comparator.comparing((AuditEntry e) -> e.event().at()).thenComparingLong(AuditEntry::sequence);

  /** Index i holds sequence i + 1, unless a test removed entries. */
  private final List<AuditEntry> entries = new ArrayList<>();
  /** The last appended entry, which the next one chains to; kept apart so tampering does not repair it. */
  private AuditEntry last;

  private final InMemoryUnitOfWork units;

  /** An empty log with a unit of work of its own. */
  public InMemoryAuditLog() {
    this(new InMemoryUnitOfWork());
  }

  InMemoryAuditLog(InMemoryUnitOfWork units) {
    this.units = units;
  }

  /** {@inheritDoc} */
  @Override
  public AuditEntry append(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    return units.locked(() -> {
      synchronized (entries) {
        AuditEntry previous = last;
        AuditEntry entry = AuditEntry.chain(previous, event);
        entries.add(entry);
        last = entry;
        units.undo(() -> {
          synchronized (entries) {
            entries.remove(entry);
            last = previous;
          }
        });
        return entry;
      }
    });
  }

  /** {@inheritDoc} */
  @Override
  public List<AuditEntry> query(AuditQuery query) {
    Objects.requireNonNull(query, "query");
    List<AuditEntry> matching = new ArrayList<>();
    units.locked(() -> {
      synchronized (entries) {
        for (AuditEntry entry : entries) {
          if (query.matches(entry.event())) {
            matching.add(entry);
          }
        }
      }
      return null;
    });
    matching.sort(OLDEST_FIRST);
    return List.copyOf(matching.subList(0, Math.min(matching.size(), query.limit())));
  }

  /** {@inheritDoc} */
  @Override
  public List<AuditEntry> readChain(long fromSequence, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    List<AuditEntry> page = new ArrayList<>();
    units.locked(() -> {
      synchronized (entries) {
        for (AuditEntry entry : entries) {
          if (page.size() == limit) {
            break;
          }
          if (entry.sequence() >= fromSequence) {
            page.add(entry);
          }
        }
      }
      return null;
    });
    return List.copyOf(page);
  }

  /**
   * <b>Test only.</b> Replaces the event of a stored entry while keeping its sequence and hashes, as an
   * attacker editing the database would; {@link dev.aura.spi.AuditChain#verify} then reports the entry as
   * modified.
   *
   * @param sequence the entry to modify
   * @param forged the event to store in its place
   * @throws IllegalArgumentException if no entry has that sequence
   */
  public void replaceEventForTest(long sequence, AuditEvent forged) {
    Objects.requireNonNull(forged, "forged");
    synchronized (entries) {
      int index = indexOf(sequence);
      AuditEntry original = entries.get(index);
      entries.set(index, new AuditEntry(sequence, forged, original.previousHash(), original.hash()));
    }
  }

  /**
   * <b>Test only.</b> Deletes a stored entry, as an attacker editing the database would;
   * {@link dev.aura.spi.AuditChain#verify} then reports it missing.
   *
   * @param sequence the entry to delete
   * @throws IllegalArgumentException if no entry has that sequence
   */
  public void removeForTest(long sequence) {
    synchronized (entries) {
      entries.remove(indexOf(sequence));
    }
  }

  private int indexOf(long sequence) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).sequence() == sequence) {
        return i;
      }
    }
    throw new IllegalArgumentException("no audit entry with sequence " + sequence);
  }
}
