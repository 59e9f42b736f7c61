package dev.aura.token.internal;

import java.util.Base64;

/** Canonical, unpadded base64url (RFC 7515 section 2): the only encoding a token segment may use. */
public final class Base64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final byte[] VALUES = new byte[128];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
  }

  private Base64Url() {}

  /** Encodes without padding. */
  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /**
   * Decodes {@code text[from, to)} strictly: only the url-safe alphabet, no padding or whitespace, a length
   * that is not 1 mod 4, and zero trailing bits (so every byte string has exactly one encoding).
   *
   * @return the bytes, or null if the segment is not canonical base64url
   */
  public static byte[] decodeStrict(String text, int from, int to) {
    int length = to - from;
    if (length % 4 == 1) {
      return null;
    }
    byte[] out = new byte[length * 3 / 4];
    int acc = 0;
    int bits = 0;
    int o = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      int v = c < 128 ? VALUES[c] : -1;
      if (v < 0) {
        return null;
      }
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (byte) (acc >>> bits);
        acc &= (1 << bits) - 1;
      }
    }
    if (acc != 0) {
      return null; // non-canonical trailing bits
    }
    return out;
  }

  /** @return whether {@code c} belongs to the base64url alphabet */
  public static boolean isAlphabet(char c) {
    return c < 128 && VALUES[c] >= 0;
  }
}
