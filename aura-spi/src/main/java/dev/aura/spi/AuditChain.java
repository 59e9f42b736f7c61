package dev.aura.spi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The audit log's hash chain: how every store computes an entry's hash, and how a chain is verified. Shared
 * so that every {@link AuditLog} implementation produces the same hashes for the same events.
 *
 * <p>{@code hash = SHA-256(previousHash || sequence || each field length-prefixed in UTF-8)}, hex encoded.
 */
public final class AuditChain {
  /** The {@code previousHash} of the first entry: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);
  private static final int PAGE = 1_000;

  private AuditChain() {}

  /** Computes an entry's hash. */
  public static String hash(String previousHash, long sequence, AuditEvent event) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    update(sha256, previousHash);
    sha256.update(ByteBuffer.allocate(Long.BYTES * 3)
        .putLong(sequence).putLong(event.at().getEpochSecond()).putLong(event.at().getNano()).array());
    update(sha256, event.type().wireName());
    update(sha256, event.reference());
    update(sha256, event.peer());
    update(sha256, event.actor());
    update(sha256, event.subject());
    update(sha256, event.source());
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static void update(MessageDigest digest, String field) {
    if (field == null) {
      digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
      return;
    }
    byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
    digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
    digest.update(bytes);
  }

  /**
   * Whether {@code entry} continues a chain whose last entry is {@code previousSequence} with hash
   * {@code previousHash} (0 and {@link #GENESIS} for an empty chain): the next sequence, linked to that hash,
   * and its own hash recomputed. For copies of a chain that arrive entry by entry (an admin peer's copy, entries
   * given back to a restored Mothership); {@link #verify} walks a whole log and says what broke.
   */
  public static boolean follows(long previousSequence, String previousHash, AuditEntry entry) {
    return entry.sequence() == previousSequence + 1 && entry.previousHash().equals(previousHash)
        && hash(previousHash, entry.sequence(), entry.event()).equals(entry.hash());
  }

  /**
   * Walks the whole chain and reports the first entry that was modified, removed or reordered.
   *
   * @throws StoreException if the log could not be read
   */
  public static AuditVerification verify(AuditLog log) throws StoreException {
    long expectedSequence = 1;
    String expectedPrevious = GENESIS;
    long checked = 0;
    while (true) {
      List<AuditEntry> page = log.readChain(expectedSequence, PAGE);
      if (page.isEmpty()) {
        return AuditVerification.intact(checked);
      }
      for (AuditEntry entry : page) {
        checked++;
        if (entry.sequence() != expectedSequence) {
          String what = entry.sequence() > expectedSequence
              ? "entry " + expectedSequence + " is missing (next entry found is " + entry.sequence() + ")"
              : "entry " + entry.sequence() + " appears out of order after " + (expectedSequence - 1);
          return new AuditVerification(checked, expectedSequence, what);
        }
        if (!entry.previousHash().equals(expectedPrevious)) {
          return new AuditVerification(checked, entry.sequence(), "entry " + entry.sequence()
              + " does not follow entry " + (entry.sequence() - 1)
              + " (previous-hash link broken: an entry was removed, inserted or reordered)");
        }
        String recomputed = hash(entry.previousHash(), entry.sequence(), entry.event());
        if (!MessageDigest.isEqual(recomputed.getBytes(StandardCharsets.US_ASCII),
            entry.hash().getBytes(StandardCharsets.US_ASCII))) {
          return new AuditVerification(checked, entry.sequence(),
              "entry " + entry.sequence() + " was modified (its content does not match its hash)");
        }
        expectedPrevious = entry.hash();
        expectedSequence++;
      }
    }
  }
}
