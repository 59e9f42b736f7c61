package dev.aura.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FormatTest {
  private static final Instant NOW = Instant.parse("2026-04-21T10:00:00Z");

  @Test
  void expiry_isPrintedAsTheDocumentShowsIt() {
    assertThat(Format.utcRelative(NOW.plusMillis(300), NOW.plus(Duration.ofHours(24))))
        .isEqualTo("2026-04-22 10:00:00 UTC (in 24h)");
  }

  @Test
  void span_picksTheNaturalUnit() {
    assertThat(Format.span(Duration.ofSeconds(12))).isEqualTo("12s");
    assertThat(Format.span(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Format.span(Duration.ofSeconds(3599))).isEqualTo("1h");
    assertThat(Format.span(Duration.ofHours(72))).isEqualTo("3d");
    assertThat(Format.span(Duration.ofDays(5).minusMillis(700))).isEqualTo("5d");
  }

  @Test
  void lastSeen_isAgo() {
    assertThat(Format.ago(NOW, NOW.minusSeconds(12))).isEqualTo("12s ago");
    assertThat(Format.ago(NOW, NOW.plusSeconds(3))).isEqualTo("0s ago");
  }

  @Test
  void offset_isSigned() {
    assertThat(Format.offset(Duration.ofMillis(200))).isEqualTo("+0.2s");
    assertThat(Format.offset(Duration.ofSeconds(-75))).isEqualTo("-75.0s");
  }

  @Test
  void table_alignsColumnsLikeTheDocument() {
    StringWriter out = new StringWriter();
    var rows = Format.rows("peer_id", "subject", "role", "last_seen");
    rows.add(new String[] {"peer_0a1b2c3d", "alice@acme.com", "admin", "12s ago"});
    rows.add(new String[] {"peer_2c3d4e5f", "carol@contractor.com", "read-only", "31s ago"});
    Format.table(new PrintWriter(out, true), rows);
    assertThat(out.toString()).isEqualTo("""
        peer_id        subject               role       last_seen
        peer_0a1b2c3d  alice@acme.com        admin      12s ago
        peer_2c3d4e5f  carol@contractor.com  read-only  31s ago
        """);
  }
}
