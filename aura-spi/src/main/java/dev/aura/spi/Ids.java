package dev.aura.spi;

/** Shared checks for the prefixed identifier types. */
final class Ids {
  private Ids() {}

  static String requireLowerHex(String value, String prefix, int hexDigits, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    boolean ok = value.length() == prefix.length() + hexDigits && value.startsWith(prefix);
    for (int i = prefix.length(); ok && i < value.length(); i++) {
      char c = value.charAt(i);
      ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + printable(value) + "' (expected " + prefix + " followed by "
              + hexDigits + " lowercase hex digits)");
    }
    return value;
  }

  /** Shortens and sanitises untrusted input before it is echoed in a message. */
  static String printable(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && out.length() < 40; i++) {
      char c = value.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (value.length() > 40) {
      out.append("...");
    }
    return out.toString();
  }
}
