package dev.aura.store.jdbc.database;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A parsed database URL: the dialect, the JDBC URL handed to the driver (without secrets), the secret
 * connection properties moved out of it, and a redacted form for messages ({@link #toString()}).
 *
 * <p>Accepted: {@code sqlite:PATH}, {@code jdbc:sqlite:PATH},
 * {@code postgresql://[user[:password]@]host[:port]/db[?params]} (also {@code postgres://}) and
 * {@code jdbc:postgresql://...}. Passwords (user info, {@code password=}, {@code sslpassword=}) become
 * connection properties. In-memory SQLite, SQLite URI file names and SQLite URL parameters are refused: the
 * database sets its own pragmas.
 *
 * <pre>{@code
 * DatabaseUrl url = DatabaseUrl.parse("postgresql://aura:secret@db/aura", failures);
 * url.jdbcUrl();   // jdbc:postgresql://db/aura
 * url.toString();  // postgresql://db/aura
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DatabaseUrl {
  private static final Set<String> SECRET_PARAMETERS = Set.of("password", "sslpassword");

  private final DatabaseDialect dialect;
  private final String jdbcUrl;
  private final Properties secrets;
  private final Path sqliteFile;
  private final String display;

  private DatabaseUrl(DatabaseDialect dialect, String jdbcUrl, Properties secrets, Path sqliteFile,
      String display) {
    this.dialect = dialect;
    this.jdbcUrl = jdbcUrl;
    this.secrets = secrets;
    this.sqliteFile = sqliteFile;
    this.display = display;
  }

  /**
   * Parses a database URL.
   *
   * @throws X {@link DatabaseFailure#UNSUPPORTED_URL}, with the URL redacted
   */
  public static <X extends Exception> DatabaseUrl parse(String url, FailureFactory<X> failures) throws X {
    if (url == null || url.isBlank()) {
      throw unsupported("(empty)", failures);
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("sqlite:")) {
      return sqlite(url, url.substring("sqlite:".length()), failures);
    }
    if (lower.startsWith("jdbc:sqlite:")) {
      return sqlite(url, url.substring("jdbc:sqlite:".length()), failures);
    }
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      return postgres(url, url.substring(url.indexOf("://") + 3), failures);
    }
    if (lower.startsWith("jdbc:postgresql://")) {
      return postgres(url, url.substring("jdbc:postgresql://".length()), failures);
    }
    throw unsupported(redactAll(url), failures);
  }

  private static <X extends Exception> DatabaseUrl sqlite(String url, String pathText, FailureFactory<X> failures)
      throws X {
    if (pathText.isEmpty() || pathText.startsWith(":") || pathText.startsWith("file:") || pathText.contains("?")) {
      throw failures.create(DatabaseFailure.UNSUPPORTED_URL, "'" + redactAll(url)
          + "' does not name a database file (expected sqlite:PATH with a plain file path; in-memory and"
          + " URI file names are not supported)", null);
    }
    Path file;
    try {
      file = Path.of(pathText).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw failures.create(DatabaseFailure.UNSUPPORTED_URL, "'" + redactAll(url) + "' is not a valid path", e);
    }
    return new DatabaseUrl(DatabaseDialect.SQLITE, "jdbc:sqlite:" + file, new Properties(), file, "sqlite:" + file);
  }

  private static <X extends Exception> DatabaseUrl postgres(String url, String rest, FailureFactory<X> failures)
      throws X {
    Properties secrets = new Properties();
    int slash = rest.indexOf('/');
    int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      secrets.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) {
        secrets.setProperty("password", decode(userInfo.substring(colon + 1)));
      }
    }
    int question = rest.indexOf('?');
    String base = question < 0 ? rest : rest.substring(0, question);
    Map<String, String> kept = new LinkedHashMap<>();
    if (question >= 0) {
      for (String pair : rest.substring(question + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        if (SECRET_PARAMETERS.contains(key.toLowerCase(Locale.ROOT))) {
          secrets.setProperty(key, decode(value));
        } else {
          kept.put(key, value);
        }
      }
    }
    try {
      URI check = new URI("postgresql://" + base);
      if (check.getHost() == null && !base.startsWith("/")) {
        throw new URISyntaxException(base, "no host");
      }
    } catch (URISyntaxException e) {
      throw failures.create(DatabaseFailure.UNSUPPORTED_URL, "'" + redactAll(url)
          + "' is not a PostgreSQL URL (expected postgresql://host[:port]/database[?parameters])", null);
    }
    StringBuilder query = new StringBuilder();
    kept.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&").append(k).append('=').append(v));
    return new DatabaseUrl(DatabaseDialect.POSTGRESQL, "jdbc:postgresql://" + base + query, secrets, null,
        "postgresql://" + base + query);
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static <X extends Exception> X unsupported(String shown, FailureFactory<X> failures) {
    return failures.create(DatabaseFailure.UNSUPPORTED_URL, "'" + shown
        + "' (expected sqlite:PATH, postgresql://host[:port]/database, jdbc:sqlite:PATH or"
        + " jdbc:postgresql://...)", null);
  }

  /**
   * Hides anything after a '?' or before an '@' of a URL we do not understand, in case it holds a password;
   * control characters become '?' and the result is bounded.
   */
  private static String redactAll(String url) {
    String shown = url;
    int question = shown.indexOf('?');
    if (question >= 0) {
      shown = shown.substring(0, question) + "?...";
    }
    int at = shown.indexOf('@');
    int scheme = shown.indexOf("://");
    if (at >= 0 && scheme >= 0 && at > scheme) {
      shown = shown.substring(0, scheme + 3) + "...@" + shown.substring(at + 1);
    }
    StringBuilder printable = new StringBuilder();
    shown.codePoints().limit(200).forEach(c -> printable.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return printable + (shown.length() > 200 ? "..." : "");
  }

  /** @return the dialect */
  public DatabaseDialect dialect() {
    return dialect;
  }

  /** @return the JDBC URL for the driver, without passwords */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** @return a copy of the connection properties moved out of the URL (user, password) */
  public Properties secretProperties() {
    Properties copy = new Properties();
    copy.putAll(secrets);
    return copy;
  }

  /** @return the SQLite database file (absolute, normalized), or null for PostgreSQL */
  public Path sqliteFile() {
    return sqliteFile;
  }

  /** @return the location for messages and logs: never a password */
  @Override
  public String toString() {
    return display;
  }
}
