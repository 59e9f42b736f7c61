package dev.aura.spi;

/**
 * A Mothership's host id, the {@code iss} of every token it signs: {@code mship_} followed by 8 lowercase hex
 * digits, for example {@code mship_7fcd21a9}.
 *
 * @param value the canonical form
 */
public record MothershipId(String value) {
  /** The prefix every Mothership id carries. */
  public static final String PREFIX = "mship_";

  /** @throws IllegalArgumentException if {@code value} is not canonical */
  public MothershipId {
    Ids.requireLowerHex(value, PREFIX, 8, "mothership id");
  }

  /** Parses the canonical form; the same as the constructor. */
  public static MothershipId parse(String value) {
    return new MothershipId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
