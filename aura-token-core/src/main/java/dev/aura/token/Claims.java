package dev.aura.token;

import dev.aura.token.internal.StrictJson;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The claims of a verified JWS, with typed getters that refuse a missing claim or one of the wrong JSON type
 * as {@link RejectionReason#MALFORMED}.
 */
public final class Claims {
  private final Map<String, Object> values;

  Claims(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** @return every claim as parsed: String, Long, BigInteger, Double, Boolean, null, List or Map */
  public Map<String, Object> asMap() {
    return values;
  }

  /** @return whether the claim is present */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** @return the string claim */
  public String string(String name) throws TokenRejectedException {
    Object v = require(name);
    if (!(v instanceof String s)) {
      throw wrongType(name, "a string", v);
    }
    return s;
  }

  /** @return the string claim if present */
  public Optional<String> optionalString(String name) throws TokenRejectedException {
    return has(name) ? Optional.of(string(name)) : Optional.empty();
  }

  /** @return the integer claim (a JSON integer that fits in a long; not a float, string or boolean) */
  public long integer(String name) throws TokenRejectedException {
    Object v = require(name);
    if (!(v instanceof Long l)) {
      throw wrongType(name, "an integer", v);
    }
    return l;
  }

  /** @return the integer claim if present */
  public Optional<Long> optionalInteger(String name) throws TokenRejectedException {
    return has(name) ? Optional.of(integer(name)) : Optional.empty();
  }

  /** @return the NumericDate claim (RFC 7519 section 2: integer seconds since the epoch) */
  public Instant numericDate(String name) throws TokenRejectedException {
    long seconds = integer(name);
    if (seconds < 0 || seconds > 253_402_300_799L) {
      throw new TokenRejectedException(RejectionReason.MALFORMED,
          "claim '" + name + "' is out of range for a NumericDate");
    }
    return Instant.ofEpochSecond(seconds);
  }

  /** @return the NumericDate claim if present */
  public Optional<Instant> optionalNumericDate(String name) throws TokenRejectedException {
    return has(name) ? Optional.of(numericDate(name)) : Optional.empty();
  }

  /** @return the boolean claim */
  public boolean bool(String name) throws TokenRejectedException {
    Object v = require(name);
    if (!(v instanceof Boolean b)) {
      throw wrongType(name, "a boolean", v);
    }
    return b;
  }

  /**
   * A string claim that names a subject (RFC 7519 section 4.1.2 leaves its content to the application): not
   * empty, not only whitespace, and without control characters (C0, DEL, C1, line separators, bidi
   * controls), because audit lines and peer tables print it. The issuer refuses such subjects; this refuses
   * them again in case a token was signed by an older or compromised issuer.
   */
  String subject(String name) throws TokenRejectedException {
    String value = string(name);
    if (value.isEmpty()) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "claim '" + name + "' is empty");
    }
    boolean blank = true;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (JoinTokenRequest.isControl(c)) {
        throw new TokenRejectedException(RejectionReason.MALFORMED, "claim '" + name + "' contains a control"
            + " character (U+" + String.format("%04X", (int) c) + ") at position " + (i + 1));
      }
      blank &= Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
    if (blank) {
      throw new TokenRejectedException(RejectionReason.MALFORMED,
          "claim '" + name + "' is blank (only whitespace)");
    }
    return value;
  }

  /** @return the array claim if present (its elements unchecked) */
  Optional<List<?>> optionalArray(String name) throws TokenRejectedException {
    if (!has(name)) {
      return Optional.empty();
    }
    Object v = require(name);
    if (!(v instanceof List<?> list)) {
      throw wrongType(name, "an array", v);
    }
    return Optional.of(list);
  }

  private Object require(String name) throws TokenRejectedException {
    if (!values.containsKey(name)) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "claim '" + name + "' is missing");
    }
    Object v = values.get(name);
    if (v == null) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "claim '" + name + "' is null");
    }
    return v;
  }

  private static TokenRejectedException wrongType(String name, String expected, Object found) {
    return new TokenRejectedException(RejectionReason.MALFORMED,
        "claim '" + StrictJson.printable(name) + "' must be " + expected + ", found " + kindOf(found));
  }

  /** @return how a parsed JSON value is described in a message: "a string", "an array"... */
  static String kindOf(Object found) {
    String kind;
    if (found instanceof String) {
      kind = "a string";
    } else if (found instanceof Boolean) {
      kind = "a boolean";
    } else if (found instanceof Long) {
      kind = "an integer";
    } else if (found instanceof java.math.BigInteger) {
      kind = "an integer too large";
    } else if (found instanceof Number) {
      kind = "a number with a fraction";
    } else {
      kind = found == null ? "null" : found instanceof Map ? "an object" : "an array";
    }
    return kind;
  }
}
