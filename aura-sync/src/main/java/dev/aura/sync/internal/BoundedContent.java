package dev.aura.sync.internal;

import dev.aura.spi.WorkspaceName;
import dev.aura.sync.ContentHash;
import dev.aura.sync.EventLogException;
import dev.aura.sync.EventLogException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Blob content read from an untrusted stream into one buffer that never grows past the size limit, hashed
 * while it is read: what {@code putBlob} stores only when it matches.
 *
 * @param data the buffer (may be longer than the content)
 * @param length the content's length
 */
public record BoundedContent(byte[] data, int length) {
  private static final int CHUNK = 64 * 1024;

  /**
   * Reads {@code in} to its end (not closed).
   *
   * @throws EventLogException {@link Reason#TOO_LARGE} as soon as more than {@code maxSize} bytes arrive,
   *     {@link Reason#BAD_CONTENT} when the content does not hash to {@code expected}
   */
  public static BoundedContent read(WorkspaceName workspace, ContentHash expected, InputStream in, long maxSize)
      throws EventLogException, IOException {
    MessageDigest digest = ContentHash.sha256();
    byte[] buffer = new byte[(int) Math.min(CHUNK, maxSize + 1)];
    int length = 0;
    while (true) {
      if (length == buffer.length) {
        if (length > maxSize) {
          throw new EventLogException(Reason.TOO_LARGE, "content for " + expected.abbreviated() + " in workspace "
              + workspace + " is over this Mothership's limit of " + maxSize + " bytes; nothing was stored");
        }
        buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, maxSize + 1));
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        break;
      }
      digest.update(buffer, length, n);
      length += n;
    }
    if (length > maxSize) {
      throw new EventLogException(Reason.TOO_LARGE, "content for " + expected.abbreviated() + " in workspace "
          + workspace + " is over this Mothership's limit of " + maxSize + " bytes; nothing was stored");
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!MessageDigest.isEqual(actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        expected.hex().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
      throw new EventLogException(Reason.BAD_CONTENT, "content uploaded as " + expected.abbreviated()
          + " in workspace " + workspace + " hashes to " + actual.substring(0, 12) + " (" + length
          + " bytes); nothing was stored");
    }
    return new BoundedContent(buffer, length);
  }
}
