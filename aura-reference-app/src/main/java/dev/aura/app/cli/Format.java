package dev.aura.app.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** How the CLI prints times, durations and tables, as the product documents show them. */
public final class Format {
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Format() {}

  /** @return {@code 2026-04-22 10:00:00 UTC} */
  public static String utc(Instant at) {
    return UTC.format(at) + " UTC";
  }

  /** @return {@code 2026-04-21 09:00:12}, the audit log's timestamp */
  public static String timestamp(Instant at) {
    return UTC.format(at);
  }

  /**
   * @return a duration as the documents write it, in its natural unit, rounded: {@code 45s}, {@code 5m},
   *     {@code 24h}, {@code 5d}
   */
  public static String span(Duration d) {
    long s = (Math.abs(d.toMillis()) + 500) / 1000;
    if (s < 60) {
      return s + "s";
    }
    long minutes = Math.round(s / 60.0);
    if (minutes < 60) {
      return minutes + "m";
    }
    long hours = Math.round(s / 3600.0);
    if (hours < 48) {
      return hours + "h";
    }
    return Math.round(s / 86400.0) + "d";
  }

  /** @return {@code in 24h}, or {@code 3h ago} for the past */
  public static String relative(Instant now, Instant at) {
    Duration d = Duration.between(now, at);
    return d.isNegative() ? span(d) + " ago" : "in " + span(d);
  }

  /** @return {@code 2026-04-22 10:00:00 UTC (in 24h)} */
  public static String utcRelative(Instant now, Instant at) {
    return utc(at) + " (" + relative(now, at) + ")";
  }

  /** @return {@code 12s ago}, never negative */
  public static String ago(Instant now, Instant then) {
    Duration d = Duration.between(then, now);
    return span(d.isNegative() ? Duration.ZERO : d) + " ago";
  }

  /** @return a signed offset such as {@code +0.2s} or {@code -75.0s} */
  public static String offset(Duration d) {
    return dev.aura.app.peer.ClockOffset.signed(d);
  }

  /** @return a measured clock offset with its bound, such as {@code +0.0s ± 0.4s} */
  public static String offset(dev.aura.app.peer.ClockOffset offset) {
    return offset.toString();
  }

  /** Prints rows as left-aligned columns separated by at least two spaces; the first row is the header. */
  public static void table(PrintWriter out, List<String[]> rows) {
    if (rows.isEmpty()) {
      return;
    }
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** @return a new row list with a header */
  public static List<String[]> rows(String... header) {
    List<String[]> rows = new ArrayList<>();
    rows.add(header);
    return rows;
  }
}
