package dev.aura.revocation.internal;

import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;

/**
 * Compact map keys for the two identifier kinds a large list holds most of: a jti's 26-character ULID packs
 * losslessly into 128 bits, a peer id's 8 hex digits into an int. Saves about 40 bytes per entry against a
 * String key.
 */
final class CompactKeys {
  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final int[] DIGIT = new int[128];

  static {
    java.util.Arrays.fill(DIGIT, -1);
    for (int i = 0; i < CROCKFORD.length(); i++) {
      DIGIT[CROCKFORD.charAt(i)] = i;
    }
  }

  private CompactKeys() {}

  /** A jti as 128 bits. */
  record JtiKey(long hi, long lo) {}

  /** @param jti a canonical jti ({@link Jti} checked it) */
  static JtiKey jti(String jti) {
    long hi = 0;
    long lo = 0;
    for (int i = Jti.PREFIX.length(); i < jti.length(); i++) {
      int d = DIGIT[jti.charAt(i)];
      hi = (hi << 5) | (lo >>> 59);
      lo = (lo << 5) | d;
    }
    return new JtiKey(hi, lo);
  }

  static String jti(JtiKey key) {
    char[] out = new char[26];
    long hi = key.hi();
    long lo = key.lo();
    for (int i = 25; i >= 0; i--) {
      out[i] = CROCKFORD.charAt((int) (lo & 31));
      lo = (lo >>> 5) | (hi << 59);
      hi >>>= 5;
    }
    return Jti.PREFIX + new String(out);
  }

  /** @param peer a canonical peer id ({@link PeerId} checked it) */
  static Integer peer(String peer) {
    return (int) Long.parseLong(peer, PeerId.PREFIX.length(), peer.length(), 16);
  }

  static String peer(Integer key) {
    String hex = Integer.toHexString(key);
    return PeerId.PREFIX + "0".repeat(8 - hex.length()) + hex;
  }
}
