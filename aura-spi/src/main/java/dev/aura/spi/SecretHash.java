package dev.aura.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SHA-256 of a secret (a join token, a refresh credential): what a store keeps instead of the secret, so
 * that a leaked database cannot be replayed. Compared in constant time.
 */
public final class SecretHash {
  /** Number of bytes in the hash. */
  public static final int LENGTH = 32;
  private final byte[] sha256;

  private SecretHash(byte[] sha256) {
    this.sha256 = sha256;
  }

  /** Hashes a secret given as text (UTF-8). */
  public static SecretHash of(String secret) {
    return ofBytes(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** Hashes a secret given as bytes. */
  public static SecretHash ofBytes(byte[] secret) {
    try {
      return new SecretHash(MessageDigest.getInstance("SHA-256").digest(secret));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Wraps a stored hash; exactly 32 bytes, copied. */
  public static SecretHash fromStored(byte[] sha256) {
    if (sha256 == null || sha256.length != LENGTH) {
      throw new IllegalArgumentException("a secret hash has " + LENGTH + " bytes, got "
          + (sha256 == null ? "none" : sha256.length));
    }
    return new SecretHash(sha256.clone());
  }

  /** Wraps a stored hash in lowercase hex (64 digits). */
  public static SecretHash fromHex(String hex) {
    try {
      return fromStored(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("a secret hash is 64 hex digits", e);
    }
  }

  /** @return a copy of the 32 hash bytes, for storage */
  public byte[] toByteArray() {
    return sha256.clone();
  }

  /** @return lowercase hex, for storage */
  public String toHex() {
    return HexFormat.of().formatHex(sha256);
  }

  /** Constant-time comparison. */
  @Override
  public boolean equals(Object other) {
    return other instanceof SecretHash that && MessageDigest.isEqual(sha256, that.sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }

  /** A hash of a secret is not itself secret, but it is not for display either. */
  @Override
  public String toString() {
    return "SecretHash[sha256:" + toHex().substring(0, 8) + "...]";
  }
}
