package dev.aura.sync;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a file's content, as 64 lowercase hex digits: what events carry and what blobs are stored
 * and fetched by.
 *
 * @param hex the canonical form
 */
public record ContentHash(String hex) {
  /** @throws IllegalArgumentException if {@code hex} is not 64 lowercase hex digits */
  public ContentHash {
    boolean ok = hex != null && hex.length() == 64;
    for (int i = 0; ok && i < 64; i++) {
      char c = hex.charAt(i);
      ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
    if (!ok) {
      throw new IllegalArgumentException("invalid content hash (expected 64 lowercase hex digits of SHA-256)");
    }
  }

  /** Parses the canonical form; the same as the constructor. */
  public static ContentHash parse(String hex) {
    return new ContentHash(hex);
  }

  /** @return the hash of {@code content} */
  public static ContentHash of(byte[] content) {
    return new ContentHash(HexFormat.of().formatHex(sha256().digest(content)));
  }

  /** @return the hash of everything {@code in} yields (not closed) */
  public static ContentHash of(InputStream in) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
    }
    return new ContentHash(HexFormat.of().formatHex(digest.digest()));
  }

  /** @return a fresh SHA-256 digest */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** @return the first 12 hex digits, for messages */
  public String abbreviated() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return hex;
  }
}
