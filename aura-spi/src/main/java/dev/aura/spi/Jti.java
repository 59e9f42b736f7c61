package dev.aura.spi;

/**
 * A join token's unique id, the {@code jti} claim: {@code jt_} followed by a 26-character ULID in Crockford
 * base32 (upper case), for example {@code jt_01HYXT8K3PQ7V2M4N6R8S0T1W3}.
 *
 * @param value the canonical form
 */
public record Jti(String value) {
  /** The prefix every jti carries. */
  public static final String PREFIX = "jt_";
  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  /** @throws IllegalArgumentException if {@code value} is not canonical */
  public Jti {
    if (value == null) {
      throw new IllegalArgumentException("jti is missing");
    }
    boolean ok = value.length() == PREFIX.length() + 26 && value.startsWith(PREFIX)
        // a ULID's first character encodes only 3 bits (the 128-bit value's top bits)
        && value.charAt(PREFIX.length()) <= '7';
    for (int i = PREFIX.length(); ok && i < value.length(); i++) {
      ok = CROCKFORD.indexOf(value.charAt(i)) >= 0;
    }
    if (!ok) {
      throw new IllegalArgumentException("invalid jti '" + Ids.printable(value)
          + "' (expected jt_ followed by a 26-character ULID)");
    }
  }

  /** Parses the canonical form; the same as the constructor. */
  public static Jti parse(String value) {
    return new Jti(value);
  }

  /** @return whether {@code value} looks like a jti (as opposed to a subject or peer id) */
  public static boolean looksLike(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  @Override
  public String toString() {
    return value;
  }
}
