package dev.aura.spi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The SHA-256 fingerprint of a DER-encoded X.509 certificate, as pinned by peers and carried in the
 * {@code tls_fingerprint} claim.
 *
 * <p>The canonical form is 32 lowercase hex byte pairs separated by colons — what
 * {@code openssl x509 -noout -fingerprint -sha256} prints after {@code SHA256 Fingerprint=}, lowercased:
 *
 * <pre>{@code
 * Fingerprint pin = Fingerprint.parse("ab:cd:...:ef");          // or openssl's upper-case output
 * Fingerprint seen = Fingerprint.ofCertificate(cert.getEncoded());
 * boolean trusted = pin.equals(seen);
 * }</pre>
 */
public final class Fingerprint {
  /** Number of bytes in a SHA-256 fingerprint. */
  public static final int LENGTH = 32;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final byte[] sha256;

  private Fingerprint(byte[] sha256) {
    this.sha256 = sha256;
  }

  /**
   * Fingerprints a certificate.
   *
   * @param derCertificate the certificate's DER encoding ({@code X509Certificate.getEncoded()})
   * @return its SHA-256 fingerprint
   */
  public static Fingerprint ofCertificate(byte[] derCertificate) {
    if (derCertificate == null || derCertificate.length == 0) {
      throw new IllegalArgumentException("certificate is empty");
    }
    try {
      return new Fingerprint(MessageDigest.getInstance("SHA-256").digest(derCertificate));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * Wraps a digest that was already computed.
   *
   * @param sha256 exactly 32 bytes; copied
   */
  public static Fingerprint ofDigest(byte[] sha256) {
    if (sha256 == null || sha256.length != LENGTH) {
      throw new IllegalArgumentException("a SHA-256 fingerprint has " + LENGTH + " bytes, got "
          + (sha256 == null ? "none" : sha256.length));
    }
    return new Fingerprint(sha256.clone());
  }

  /**
   * Parses the canonical form or openssl's upper-case output (an optional {@code SHA256 Fingerprint=} prefix
   * is accepted too); hex digits are read case-insensitively. Nothing else: no spaces, no missing colons, no
   * other lengths.
   *
   * @throws IllegalArgumentException saying what was wrong with the input
   */
  public static Fingerprint parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("fingerprint is empty");
    }
    String value = text;
    String opensslPrefix = "sha256 fingerprint=";
    if (value.regionMatches(true, 0, opensslPrefix, 0, opensslPrefix.length())) {
      value = value.substring(opensslPrefix.length());
    }
    int expectedLength = LENGTH * 3 - 1;
    if (value.length() != expectedLength) {
      int pairs = (value.length() + 1) / 3;
      throw new IllegalArgumentException("fingerprint has " + value.length() + " characters ("
          + pairs + " byte pairs), expected " + expectedLength
          + " (32 hex byte pairs separated by colons, as openssl x509 -fingerprint -sha256 prints)");
    }
    byte[] bytes = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      int at = i * 3;
      int hi = Character.digit(value.charAt(at), 16);
      int lo = Character.digit(value.charAt(at + 1), 16);
      if (hi < 0 || lo < 0 || !isAsciiHex(value.charAt(at)) || !isAsciiHex(value.charAt(at + 1))) {
        throw new IllegalArgumentException("fingerprint has a non-hex character in byte pair " + (i + 1)
            + " at position " + (at + 1));
      }
      if (i < LENGTH - 1 && value.charAt(at + 2) != ':') {
        throw new IllegalArgumentException("fingerprint expects ':' at position " + (at + 3)
            + ", found '" + Ids.printable(String.valueOf(value.charAt(at + 2))) + "'");
      }
      bytes[i] = (byte) ((hi << 4) | lo);
    }
    return new Fingerprint(bytes);
  }

  private static boolean isAsciiHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** @return a copy of the 32 digest bytes */
  public byte[] toByteArray() {
    return sha256.clone();
  }

  /** @return the canonical form, lowercase colon-separated hex */
  @Override
  public String toString() {
    char[] out = new char[LENGTH * 3 - 1];
    for (int i = 0; i < LENGTH; i++) {
      int b = sha256[i] & 0xff;
      out[i * 3] = HEX[b >>> 4];
      out[i * 3 + 1] = HEX[b & 0x0f];
      if (i < LENGTH - 1) {
        out[i * 3 + 2] = ':';
      }
    }
    return new String(out);
  }

  /** @return openssl's form: upper-case hex with colons */
  public String toOpensslString() {
    return toString().toUpperCase(Locale.ROOT);
  }

  /** @return the first {@code pairs} byte pairs followed by an ellipsis, for narrow columns */
  public String abbreviated(int pairs) {
    int n = Math.max(1, Math.min(pairs, LENGTH));
    return toString().substring(0, n * 3 - 1) + (n < LENGTH ? ":..." : "");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Fingerprint that && MessageDigest.isEqual(sha256, that.sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }
}
