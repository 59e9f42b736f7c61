package dev.aura.spi;

import java.util.Objects;

/**
 * A stored audit event with its place in the hash chain.
 *
 * @param sequence 1 for the first entry, then consecutive
 * @param event the event
 * @param previousHash the {@code hash} of entry {@code sequence - 1}, or {@link AuditChain#GENESIS}
 * @param hash {@link AuditChain#hash}{@code (previousHash, sequence, event)}
 */
public record AuditEntry(long sequence, AuditEvent event, String previousHash, String hash) {
  /** Checks nulls and the sequence. */
  public AuditEntry {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be positive, got " + sequence);
    }
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(hash, "hash");
  }

  /** Builds the entry that follows {@code previous} (or the first one when {@code previous} is null). */
  public static AuditEntry chain(AuditEntry previous, AuditEvent event) {
    long sequence = previous == null ? 1 : previous.sequence() + 1;
    String previousHash = previous == null ? AuditChain.GENESIS : previous.hash();
    return new AuditEntry(sequence, event, previousHash, AuditChain.hash(previousHash, sequence, event));
  }
}
