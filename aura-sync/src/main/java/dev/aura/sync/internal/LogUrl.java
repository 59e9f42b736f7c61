package dev.aura.sync.internal;

import dev.aura.sync.EventLogException;
import dev.aura.sync.EventLogException.Reason;
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
 * A parsed event log URL (the forms {@code JdbcStores.open} accepts): the dialect, the JDBC URL without
 * secrets, the secret connection properties moved out of it, and a redacted form for messages.
 *
 * <p>Accepted: {@code sqlite:PATH}, {@code jdbc:sqlite:PATH},
 * {@code postgresql://[user[:password]@]host[:port]/db[?params]} (also {@code postgres://}) and
 * {@code jdbc:postgresql://...}.
 */
public final class LogUrl {
  private static final Set<String> SECRET_PARAMETERS = Set.of("password", "sslpassword");

  private final LogDialect dialect;
  private final String jdbcUrl;
  private final Properties secrets;
  private final Path sqliteFile;
  private final String display;

  private LogUrl(LogDialect dialect, String jdbcUrl, Properties secrets, Path sqliteFile, String display) {
    this.dialect = dialect;
    this.jdbcUrl = jdbcUrl;
    this.secrets = secrets;
    this.sqliteFile = sqliteFile;
    this.display = display;
  }

  /** Parses an event log URL. */
  public static LogUrl parse(String url) throws EventLogException {
    if (url == null || url.isBlank()) {
      throw unsupported("(empty)");
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("sqlite:")) {
      return sqlite(url, url.substring("sqlite:".length()));
    }
    if (lower.startsWith("jdbc:sqlite:")) {
      return sqlite(url, url.substring("jdbc:sqlite:".length()));
    }
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      return postgres(url, url.substring(url.indexOf("://") + 3));
    }
    if (lower.startsWith("jdbc:postgresql://")) {
      return postgres(url, url.substring("jdbc:postgresql://".length()));
    }
    throw unsupported(redactAll(url));
  }

  private static LogUrl sqlite(String url, String pathText) throws EventLogException {
    if (pathText.isEmpty() || pathText.startsWith(":") || pathText.startsWith("file:") || pathText.contains("?")) {
      throw new EventLogException(Reason.UNSUPPORTED_URL, "'" + redactAll(url)
          + "' does not name a database file (expected sqlite:PATH with a plain file path; in-memory and"
          + " URI file names are not supported)");
    }
    Path file;
    try {
      file = Path.of(pathText).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new EventLogException(Reason.UNSUPPORTED_URL, "'" + redactAll(url) + "' is not a valid path");
    }
    return new LogUrl(LogDialect.SQLITE, "jdbc:sqlite:" + file, new Properties(), file, "sqlite:" + file);
  }

  private static LogUrl postgres(String url, String rest) throws EventLogException {
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
      throw new EventLogException(Reason.UNSUPPORTED_URL, "'" + redactAll(url)
          + "' is not a PostgreSQL URL (expected postgresql://host[:port]/database[?parameters])");
    }
    StringBuilder query = new StringBuilder();
    kept.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&").append(k).append('=').append(v));
    return new LogUrl(LogDialect.POSTGRESQL, "jdbc:postgresql://" + base + query, secrets, null,
        "postgresql://" + base + query);
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static EventLogException unsupported(String shown) {
    return new EventLogException(Reason.UNSUPPORTED_URL, "'" + shown
        + "' (expected sqlite:PATH, postgresql://host[:port]/database, jdbc:sqlite:PATH or"
        + " jdbc:postgresql://...)");
  }

  /** Hides anything after a '?' or before an '@' of a URL we do not understand, in case it holds a password. */
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
  public LogDialect dialect() {
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

  /** @return the SQLite database file, or null for PostgreSQL */
  public Path sqliteFile() {
    return sqliteFile;
  }

  /** @return the location for messages and logs: never a password */
  @Override
  public String toString() {
    return display;
  }
}
