package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.Cli;
import dev.aura.app.testing.Https;
import dev.aura.app.testing.MothershipFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protocol negotiation between CLI and Mothership, and what the Mothership's clock does to health. */
class ProtocolAndClockTest {
  @TempDir
  Path temp;

  @Test
  void peerOnV1_againstMothershipOnV2_saysProtocolVersionMismatch() {
    try (MothershipFixture m = MothershipFixture.builder(temp).protocolVersion(2).start()) {
      String token = m.issue("--for", "alice@acme.com");
      Cli.Result r = m.peer("alice", 1).join(token);
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("error: protocol version mismatch (peer: v1, mothership: v2)\n"
          + "caused by: update the older of the two; on a peer: aura self-update\n");
    }
  }

  @Test
  void healthz_withCertificateExpiringWithinSevenDays_isDegraded() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      Https https = new Https(m.url(), m.host("mothership", "tls", "info").field("fingerprint"));
      m.clock().advance(Duration.ofDays(360));
      HttpResponse<String> r = https.get("/healthz");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("{\"status\":\"degraded\",\"reason\":\"tls_cert_expiring_soon\"}\n");
      assertThat(https.get("/metrics").body()).containsPattern("(?m)^aura_tls_cert_not_after_seconds 43\\d{4}\\.0$");
    }
  }

  @Test
  void ping_reportsClockOffsetFromTheMothership() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      String token = m.issue("--for", "alice@acme.com");
      MothershipFixture.Peer alice = m.peer("alice", java.time.Clock.systemUTC());
      assertThat(alice.join(token).exit()).isZero();
      // 75s ahead of real time now (not of when the fixture was built: starting it takes a variable second).
      m.clock().set(java.time.Instant.now().plusSeconds(75));
      Cli.Result ping = alice.run("mothership", "ping");
      assertThat(ping.exit()).as(ping.toString()).isZero();
      // The Mothership's manual clock stands still while the peer's real one runs on: the offset is 75s less
      // the real seconds since the fixture started (a few on a loaded machine), and still more than 60s.
      assertThat(ping.field("clock_offset")).matches("\\+(6[1-9]|7[0-5])\\.\\ds ± \\d+\\.\\ds \\(off by at least"
          + " (6[0-9]|7[0-5])\\.\\ds, more than 60s: .*check NTP\\)");
    }
  }
}
