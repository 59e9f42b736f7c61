package dev.aura.tls.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader and writer for the flat JSON objects of a pin handover: string, integer and
 * array-of-string members only; no escapes, no floats, no nesting, no duplicate keys, ASCII only.
 */
public final class FlatJson {
  private final String text;
  private int at;

  private FlatJson(String text) {
    this.text = text;
  }

  /**
   * @return members in order; values are {@link String}, {@link Long} or {@code List<String>}
   * @throws IllegalArgumentException saying what is wrong and where
   */
  public static Map<String, Object> parse(String text) {
    FlatJson parser = new FlatJson(text);
    Map<String, Object> members = parser.object();
    parser.whitespace();
    if (parser.at != text.length()) {
      throw parser.error("unexpected content after the object");
    }
    return Collections.unmodifiableMap(members);
  }

  /** @return the members as compact JSON; values must be String, Long/Integer or List of String */
  public static String write(Map<String, ?> members) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, ?> member : members.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      string(out, member.getKey());
      out.append(':');
      Object value = member.getValue();
      if (value instanceof String) {
        string(out, (String) value);
      } else if (value instanceof Long || value instanceof Integer) {
        out.append(value);
      } else if (value instanceof List) {
        out.append('[');
        List<?> items = (List<?>) value;
        for (int i = 0; i < items.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          string(out, (String) items.get(i));
        }
        out.append(']');
      } else {
        throw new IllegalArgumentException("unsupported JSON value type " + value.getClass().getName());
      }
    }
    return out.append('}').toString();
  }

  private static void string(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        throw new IllegalArgumentException("value needs escaping, which this writer does not do");
      }
    }
    out.append('"').append(value).append('"');
  }

  private Map<String, Object> object() {
    whitespace();
    expect('{');
    Map<String, Object> members = new LinkedHashMap<>();
    whitespace();
    if (peek() == '}') {
      at++;
      return members;
    }
    while (true) {
      whitespace();
      int keyAt = at;
      String key = string();
      whitespace();
      expect(':');
      whitespace();
      Object value = value();
      if (members.put(key, value) != null) {
        at = keyAt;
        throw error("duplicate member \"" + key + "\"");
      }
      whitespace();
      char c = next();
      if (c == '}') {
        return members;
      }
      if (c != ',') {
        at--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private Object value() {
    char c = peek();
    if (c == '"') {
      return string();
    }
    if (c == '[') {
      at++;
      List<String> items = new ArrayList<>();
      whitespace();
      if (peek() == ']') {
        at++;
        return List.copyOf(items);
      }
      while (true) {
        whitespace();
        items.add(string());
        whitespace();
        char d = next();
        if (d == ']') {
          return List.copyOf(items);
        }
        if (d != ',') {
          at--;
          throw error("expected ',' or ']' in an array of strings");
        }
      }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return integer();
    }
    throw error("expected a string, an integer or an array of strings");
  }

  private String string() {
    expect('"');
    int start = at;
    while (true) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at);
      if (c == '"') {
        String value = text.substring(start, at);
        at++;
        return value;
      }
      if (c == '\\') {
        throw error("escape sequences are not accepted");
      }
      if (c < 0x20 || c > 0x7e) {
        throw error("only printable ASCII is accepted in strings");
      }
      at++;
    }
  }

  private Long integer() {
    int start = at;
    if (peek() == '-') {
      at++;
    }
    int digits = at;
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
    }
    if (at == digits || (text.charAt(digits) == '0' && at - digits > 1)) {
      at = start;
      throw error("malformed integer");
    }
    if (at < text.length() && (text.charAt(at) == '.' || text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
      throw error("only integers are accepted");
    }
    try {
      return Long.parseLong(text.substring(start, at));
    } catch (NumberFormatException e) {
      at = start;
      throw error("integer out of range");
    }
  }

  private void whitespace() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private char peek() {
    if (at >= text.length()) {
      throw error("unexpected end of input");
    }
    return text.charAt(at);
  }

  private char next() {
    char c = peek();
    at++;
    return c;
  }

  private void expect(char expected) {
    if (peek() != expected) {
      throw error("expected '" + expected + "'");
    }
    at++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at offset " + at);
  }
}
