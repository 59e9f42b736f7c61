package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.protocol.Wire;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.Https;
import dev.aura.app.testing.MothershipFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP surface of a real Mothership: health, metrics, and how bad requests are answered. */
class ServerEndpointsTest {
  @TempDir
  static Path temp;

  static MothershipFixture m;
  static Https https;

  @BeforeAll
  static void start() {
    m = MothershipFixture.builder(temp).config("[limits]\nfailed_handshakes_per_minute = 1000\n").start();
    https = new Https(m.url(), m.host("mothership", "tls", "info").field("fingerprint"));
  }

  @AfterAll
  static void stop() {
    m.close();
  }

  @Test
  void healthz_withFreshCertificate_isOk() {
    HttpResponse<String> r = https.get("/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}\n");
  }

  @Test
  void metrics_showCertificateLifetimeJoinsRejectionsConnectedPeersAndRevocationVersion() {
    String token = m.issue("--for", "metrics@acme.com");
    assertThat(m.peer("metrics").join(token).exit()).isZero();
    assertThat(m.peer("metrics-again").join(token).exit()).isEqualTo(1);
    HttpResponse<String> r = https.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    assertThat(r.body())
        .contains("# TYPE aura_tls_cert_not_after_seconds gauge\n")
        // the Prometheus client writes every value as a Java double: 31535999 as 3.1535999E7, 1 as 1.0
        .containsPattern("(?m)^aura_tls_cert_not_after_seconds 3\\.1\\d{0,6}E7$")
        .containsPattern("(?m)^aura_joins_total [1-9]\\d*\\.0$")
        .containsPattern("(?m)^aura_join_rejections_total\\{reason=\"already_used\"} [1-9]\\d*\\.0$")
        .containsPattern("(?m)^aura_connected_peers \\d+\\.0$")
        .containsPattern("(?m)^aura_revocation_version \\d+\\.0$")
        .containsPattern("(?m)^aura_tokens_issued_total [1-9]\\d*\\.0$");
  }

  @Test
  void unknownRoute_isJson404() {
    HttpResponse<String> r = https.send(https.request("/v1/nothing-here")
        .header(Wire.PROTOCOL_HEADER, "1").GET().build());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("\"error\":\"no such route\"").contains("GET /v1/nothing-here");
    assertThat(https.get("/index.html").statusCode()).isEqualTo(404);
  }

  @Test
  void malformedJson_isJson400NamingWhere() {
    HttpResponse<String> r = https.send(https.request(Wire.JOIN).header(Wire.PROTOCOL_HEADER, "1")
        .POST(HttpRequest.BodyPublishers.ofString("{\"token\": ")).build());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"error\":\"malformed JSON\"").contains("line 1");
  }

  @Test
  void oversizedBody_isRefusedWith413WithoutReadingIt() {
    // Only the headers are sent: the server must answer from the declared length, without waiting for the
    // body. (Sending the body too makes the test racy: the server closes after the 413 with the body unread,
    // which may reset the connection before the client has read the answer.)
    String answer = https.raw("POST " + Wire.JOIN + " HTTP/1.1\r\nHost: " + m.url().getAuthority() + "\r\n"
        + Wire.PROTOCOL_HEADER + ": 1\r\nContent-Type: application/json\r\nContent-Length: "
        + (Wire.MAX_BODY_BYTES + 10) + "\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 413 ").contains("request body too large")
        .contains((Wire.MAX_BODY_BYTES + 10) + " bytes, at most " + Wire.MAX_BODY_BYTES);
  }

  @Test
  void requestWithoutProtocolHeader_isRefusedSayingWhichToSend() {
    HttpResponse<String> r = https.get(Wire.TIME);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("protocol version missing").contains("Aura-Protocol: 1");
  }

  @Test
  void requestWithOtherProtocolVersion_isRefusedWithMismatch() {
    HttpResponse<String> r = https.send(https.request(Wire.TIME).header(Wire.PROTOCOL_HEADER, "7").GET().build());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("protocol version mismatch (peer: v7, mothership: v1)");
    assertThat(r.headers().firstValue(Wire.PROTOCOL_HEADER)).hasValue("1");
  }

  @Test
  void adminApi_withWrongAdminCredential_isRefused() {
    HttpResponse<String> r = https.send(https.request(Wire.ADMIN + "status").header(Wire.PROTOCOL_HEADER, "1")
        .header("Authorization", "Bearer aura_admin_" + "x".repeat(43)).GET().build());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("invalid admin credential");
    HttpResponse<String> none = https.send(https.request(Wire.ADMIN + "peers").header(Wire.PROTOCOL_HEADER, "1")
        .GET().build());
    assertThat(none.statusCode()).isEqualTo(401);
  }

  @Test
  void status_showsListeningFingerprintKeyRingStoreAndRevocationVersion() {
    Cli.Result s = m.host("mothership", "status");
    assertThat(s.exit()).as(s.toString()).isZero();
    assertThat(s.field("listening")).isEqualTo("127.0.0.1:" + m.url().getPort());
    assertThat(s.field("fingerprint")).isEqualTo(m.host("mothership", "tls", "info").field("fingerprint"));
    assertThat(s.field("certificate_expires")).endsWith("(in 365d)");
    assertThat(s.field("key_ring")).contains("(EdDSA, primary)");
    assertThat(s.field("store")).startsWith("SQLite sqlite:").endsWith("mothership.db");
    assertThat(s.field("revocation_version")).matches("\\d+");
    assertThat(s.field("lagging_peers")).isEqualTo("none");
    assertThat(s.field("health")).isEqualTo("ok");
  }
}
