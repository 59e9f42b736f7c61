package dev.aura.sync.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.function.Function;

/**
 * Strict reads of one sync.db row's columns: SQLite keeps whatever type was written, so each column is checked
 * against the type the schema means, and each value against its value type. Anything else is a
 * {@link CorruptRowException} naming the row and the column.
 */
final class RowReader {
  private static final int SHOWN = 40;

  private final ResultSet rs;
  private final String row;

  /** @param row the row, for messages: {@code the WAL row 3 of binding 1} */
  RowReader(ResultSet rs, String row) {
    this.rs = rs;
    this.row = row;
  }

  /** @return an INTEGER column's value */
  long integer(int column, String name) throws SQLException {
    return present(integerOrNull(column, name), name, "an integer");
  }

  /** @return an INTEGER column's value, or null */
  Long integerOrNull(int column, String name) throws SQLException {
    Object value = rs.getObject(column);
    if (value == null) {
      return null;
    }
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw corrupt(name, "holds " + describe(value) + ", expected an integer");
  }

  /** @return a TEXT column's value */
  String text(int column, String name) throws SQLException {
    return present(textOrNull(column, name), name, "text");
  }

  private <T> T present(T value, String name, String expected) {
    if (value == null) {
      throw corrupt(name, "is empty, expected " + expected);
    }
    return value;
  }

  /** @return a TEXT column's value, or null */
  String textOrNull(int column, String name) throws SQLException {
    Object value = rs.getObject(column);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw corrupt(name, "holds " + describe(value) + ", expected text");
  }

  /** @return a 0/1 INTEGER column as a boolean */
  boolean flag(int column, String name) throws SQLException {
    long value = integer(column, name);
    if (value != 0 && value != 1) {
      throw corrupt(name, "holds " + value + ", expected 0 or 1");
    }
    return value == 1;
  }

  /** @return a TEXT column parsed by {@code parser}, which throws {@link IllegalArgumentException} */
  <T> T parsed(int column, String name, Function<String, T> parser) throws SQLException {
    return parse(text(column, name), name, parser);
  }

  /** @return {@code value} parsed, or null for null */
  <T> T parseOrNull(String value, String name, Function<String, T> parser) {
    return value == null ? null : parse(value, name, parser);
  }

  /** @return an enum constant named by a TEXT column */
  <E extends Enum<E>> E constant(int column, String name, Class<E> type) throws SQLException {
    String value = text(column, name);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(value)) {
        return e;
      }
    }
    throw corrupt(name, "holds '" + shown(value) + "', expected one of "
        + java.util.Arrays.toString(type.getEnumConstants()));
  }

  /** @return what {@code decode} builds from columns already read; a refusal of the whole row is corrupt too */
  <T> T whole(String what, java.util.function.Supplier<T> decode) {
    try {
      return decode.get();
    } catch (IllegalArgumentException | NullPointerException | DateTimeException | ArithmeticException e) {
      throw new CorruptRowException(row + " is not a valid " + what + " (" + shown(String.valueOf(e.getMessage()),
          200) + ")");
    }
  }

  private <T> T parse(String value, String name, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      throw corrupt(name, "holds '" + shown(value) + "' (" + shown(String.valueOf(e.getMessage()), 200) + ")");
    }
  }

  CorruptRowException corrupt(String column, String problem) {
    return new CorruptRowException(row + ": column " + column + " " + problem);
  }

  private static String describe(Object value) {
    if (value instanceof byte[] bytes) {
      return "a blob of " + bytes.length + " bytes";
    }
    if (value instanceof String s) {
      return "the text '" + shown(s) + "'";
    }
    return "the " + (value instanceof Double ? "real number " : "value ") + value;
  }

  private static String shown(String s) {
    return shown(s, SHOWN);
  }

  /** @return at most {@code max} characters of {@code s}, unprintable ones as '?' */
  static String shown(String s, int max) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && out.length() < max; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return s.length() > max ? out + "..." : out.toString();
  }
}
