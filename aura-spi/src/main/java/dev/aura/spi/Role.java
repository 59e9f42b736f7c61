package dev.aura.spi;

import java.util.Locale;

/**
 * The role a join token grants, as written in the {@code role} claim: {@code member}, {@code admin} or
 * {@code read-only}.
 */
public enum Role {
  /** Can sync and push. The default. */
  MEMBER("member"),
  /** Can sync, push and administer the Mothership. */
  ADMIN("admin"),
  /** Can sync but not push. */
  READ_ONLY("read-only");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  /** @return the claim value, for example {@code read-only} */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a claim or flag value.
   *
   * @param value {@code member}, {@code admin} or {@code read-only}, exactly
   * @return the role
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static Role parse(String value) {
    for (Role role : values()) {
      if (role.wireName.equals(value)) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "unknown role '" + value + "' (expected member, admin or read-only)");
  }

  /** Like {@link #parse} but case-insensitive, for human input. */
  public static Role parseLenient(String value) {
    return parse(value == null ? null : value.trim().toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
