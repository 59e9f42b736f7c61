package dev.aura.spi;

/**
 * A registered peer's identifier: {@code peer_} followed by 8 lowercase hex digits, for example
 * {@code peer_0a1b2c3d}.
 *
 * @param value the canonical form
 */
public record PeerId(String value) {
  /** The prefix every peer id carries. */
  public static final String PREFIX = "peer_";

  /** @throws IllegalArgumentException if {@code value} is not canonical */
  public PeerId {
    Ids.requireLowerHex(value, PREFIX, 8, "peer id");
  }

  /** Parses the canonical form; the same as the constructor. */
  public static PeerId parse(String value) {
    return new PeerId(value);
  }

  /** @return whether {@code value} looks like a peer id (as opposed to a subject) */
  public static boolean looksLike(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  @Override
  public String toString() {
    return value;
  }
}
