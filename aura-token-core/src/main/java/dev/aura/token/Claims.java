package dev.aura.token;

import dev.aura.token.internal.StrictJson;
import java.time.Instant;
import java.util.Collections;
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
      kind = found instanceof Map ? "an object" : "an array";
    }
    return new TokenRejectedException(RejectionReason.MALFORMED,
        "claim '" + StrictJson.printable(name) + "' must be " + expected + ", found " + kind);
  }
}
