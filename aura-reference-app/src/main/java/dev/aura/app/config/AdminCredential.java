package dev.aura.app.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local admin credential: 32 random bytes, base64url, kept owner-only in the data directory. The CLI on
 * the Mothership host presents it to the admin API; the server compares it in constant time.
 *
 * <p><b>Warning:</b> {@link #reveal()} is the secret; {@link #toString()} never shows it.
 */
public final class AdminCredential {
  private static final String PREFIX = "aura_admin_";
  private final String value;

  private AdminCredential(String value) {
    this.value = value;
  }

  static AdminCredential generate(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return new AdminCredential(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  static AdminCredential of(String text) {
    if (!text.startsWith(PREFIX) || text.length() < PREFIX.length() + 40) {
      throw new IllegalArgumentException("the admin credential file does not hold an admin credential");
    }
    return new AdminCredential(text);
  }

  /** @return whether {@code presented} looks like an admin credential (rather than a peer credential) */
  public static boolean looksLike(String presented) {
    return presented != null && presented.startsWith(PREFIX);
  }

  /** Constant-time comparison with a presented value. */
  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8));
  }

  /** @return the secret, to send in an {@code Authorization} header */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "AdminCredential[redacted]";
  }
}
