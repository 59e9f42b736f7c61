package dev.aura.token.internal;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * ULIDs (48-bit millisecond time, 80 random bits, 26 Crockford base32 characters). Written here rather than
 * taken from a library: it is twenty lines, and the time must come from the caller's clock.
 */
public final class Ulid {
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private Ulid() {}

  /** A new ULID for {@code at}, with 80 bits from {@code random}. */
  public static String next(Instant at, SecureRandom random) {
    long millis = at.toEpochMilli();
    if (millis < 0 || millis >= (1L << 48)) {
      throw new IllegalArgumentException("time out of ULID range");
    }
    byte[] r = new byte[10];
    random.nextBytes(r);
    // 128 bits: hi = 48 time bits + 16 random bits, lo = 64 random bits
    long hi = (millis << 16) | ((r[0] & 0xffL) << 8) | (r[1] & 0xffL);
    long lo = 0;
    for (int i = 2; i < 10; i++) {
      lo = (lo << 8) | (r[i] & 0xffL);
    }
    char[] out = new char[26];
    for (int i = 25; i >= 0; i--) {
      int index = (int) (lo & 31);
      lo = (lo >>> 5) | (hi << 59);
      hi >>>= 5;
      out[i] = CROCKFORD[index];
    }
    return new String(out);
  }
}
