package dev.aura.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Secret key material that crosses an API boundary: copied in, copied out only through the explicit and
 * greppable {@link #revealCopy()}, compared in constant time, and never printed.
 *
 * <p><b>Warning:</b> whatever {@link #revealCopy()} returns is the raw secret; do not log it and clear it
 * when done.
 */
public final class SecretBytes {
  private final byte[] bytes;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** @param secret copied; the caller may clear its array afterwards */
  public static SecretBytes copyOf(byte[] secret) {
    if (secret == null) {
      throw new NullPointerException("secret");
    }
    return new SecretBytes(secret.clone());
  }

  /** @param secret encoded as UTF-8 and copied */
  public static SecretBytes ofUtf8(String secret) {
    return new SecretBytes(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** @return a copy of the secret; the explicit, greppable export */
  public byte[] revealCopy() {
    return bytes.clone();
  }

  /** @return the number of bytes */
  public int length() {
    return bytes.length;
  }

  /** Constant-time comparison. */
  @Override
  public boolean equals(Object other) {
    return other instanceof SecretBytes that && MessageDigest.isEqual(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length;
  }

  /** @return a redacted placeholder, never the secret */
  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes, redacted]";
  }
}
