package dev.aura.spi;

/**
 * The name of a workspace on a Mothership (one per repository): 1 to 64 characters of lowercase ASCII
 * letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or a digit. For example
 * {@code default} or {@code widget}.
 *
 * @param value the canonical form
 */
public record WorkspaceName(String value) {
  /** The workspace a peer syncs when none is named. */
  public static final WorkspaceName DEFAULT = new WorkspaceName("default");

  /** @throws IllegalArgumentException if {@code value} is not a workspace name, without echoing it raw */
  public WorkspaceName {
    if (value == null) {
      throw new IllegalArgumentException("workspace name is missing");
    }
    boolean ok = !value.isEmpty() && value.length() <= 64;
    for (int i = 0; ok && i < value.length(); i++) {
      char c = value.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      ok = alnum || (i > 0 && (c == '.' || c == '_' || c == '-'));
    }
    if (!ok) {
      throw new IllegalArgumentException("invalid workspace name '" + Ids.printable(value)
          + "' (expected 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit)");
    }
  }

  /** Parses the canonical form; the same as the constructor. */
  public static WorkspaceName parse(String value) {
    return new WorkspaceName(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
