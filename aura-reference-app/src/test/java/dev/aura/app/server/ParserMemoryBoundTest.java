package dev.aura.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.app.AuraException;
import dev.aura.app.config.ConfigLoader;
import dev.aura.app.protocol.Wire;
import dev.aura.app.testing.Allocations;
import dev.aura.sync.EventCodec;
import dev.aura.tls.PemFiles;
import dev.aura.tls.SelfSignedCertificateGenerator;
import dev.aura.tls.TlsPinningException;
import dev.aura.token.PublicKeyRing;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory bound of docs/security.md ("Fuzzing", "Memory"): for each fuzzed parser that reads untrusted
 * bytes, the bytes the parsing thread allocates ({@code com.sun.management.ThreadMXBean}, not a time) for the
 * largest input its cap accepts stay below {@code factor × cap + 1 MiB}, and an input past the cap is refused
 * before it is decoded: below {@value #REFUSAL_BOUND} bytes allocated (for a body read without a declared
 * length, below what the cap lets in: {@code 3 × cap}). Each parser is run once before it is measured, so
 * that class loading is not counted.
 */
class ParserMemoryBoundTest {
  private static final long MIB = 1024 * 1024;
  /** A JSON tree (Jackson): measured up to 36 x its text, for a body of small empty objects. */
  static final int JSON_FACTOR = 48;
  /** A JWS (decoded parts and the signature check): measured up to 3.8 x. */
  static final int JWS_FACTOR = 8;
  /** A PEM file of certificates (X.509 decoding of each): measured 30 x. */
  static final int PEM_FACTOR = 48;
  /** The TOML config: measured 2.1 x. */
  static final int CONFIG_FACTOR = 8;
  /** A query string (Jetty's decoding, then each value): measured 20 x of 8 KiB. */
  static final int QUERY_FACTOR = 32;
  /** What parsing up to {@link Wire#MAX_REQUEST_TOKENS} small tokens may allocate before the refusal. */
  private static final long REQUEST_TOKENS_BOUND = 8 * MIB;
  /** What refusing an oversize input may allocate: the message, the exception, a little parsing state. */
  private static final long REFUSAL_BOUND = 64 * 1024;

  @TempDir Path temp;

  private interface Parse extends Allocations.Run {}

  private static long allocated(Parse parse) throws Exception {
    return Allocations.allocated(parse);
  }

  private static void assertBound(String what, long cap, int factor, Parse largest) throws Exception {
    long used = allocated(largest);
    System.out.printf("memory: %s: cap %d bytes, largest accepted input allocated %d bytes (%.1f x cap)%n", what,
        cap, used, (double) used / cap);
    assertThat(used).as(what + ": bytes allocated for the largest input").isLessThan(factor * cap + MIB);
  }

  private static void assertRefusedEarly(String what, long size, long bound, Parse oversize) throws Exception {
    long used = allocated(oversize);
    System.out.printf("memory: %s: oversize input of %d bytes refused after allocating %d bytes%n", what, size,
        used);
    assertThat(used).as(what + ": bytes allocated refusing " + size + " bytes").isLessThan(bound);
  }

  @Test
  void requestBody_64KiB_andOversizeDeclaredOrChunked() throws Exception {
    int cap = Wire.MAX_BODY_BYTES;
    for (String shape : new String[] {"numbers", "objects", "string"}) {
      byte[] body = json(shape, cap);
      assertBound("request body (" + shape + ")", cap, JSON_FACTOR, () -> RequestFields.jsonBody(
          new ByteArrayInputStream(body), body.length, cap));
    }
    byte[] oversize = new byte[16 * cap];
    Arrays.fill(oversize, (byte) ' ');
    assertRefusedEarly("request body, declared length", oversize.length, REFUSAL_BOUND, () ->
        assertThatThrownBy(() -> RequestFields.jsonBody(new ByteArrayInputStream(oversize), oversize.length, cap))
            .hasMessageStartingWith("request body too large"));
    assertRefusedEarly("request body, chunked", oversize.length, 3L * cap, () ->
        assertThatThrownBy(() -> RequestFields.jsonBody(new ByteArrayInputStream(oversize), -1, cap))
            .hasMessageStartingWith("request body too large"));
  }

  @Test
  void controlMessage_1MiB() throws Exception {
    int cap = Wire.MAX_CONTROL_MESSAGE_BYTES;
    for (String shape : new String[] {"numbers", "objects"}) { // 1 MiB of small tokens: refused at the token limit
      String text = new String(json(shape, cap), StandardCharsets.UTF_8);
      assertRefusedEarly("control message (" + shape + ")", cap, REQUEST_TOKENS_BOUND, () ->
          assertThatThrownBy(() -> Wire.parseRequest(text)).isInstanceOf(IllegalArgumentException.class)
              .hasMessage("malformed JSON"));
    }
    String string = new String(json("string", cap), StandardCharsets.UTF_8);
    assertBound("control message (string)", cap, JSON_FACTOR, () -> Wire.parseRequest(string));
    String push = pushOf(Wire.MAX_PUSH_EVENTS, cap);
    assertBound("control message (push of " + Wire.MAX_PUSH_EVENTS + " events)", cap, JSON_FACTOR, () -> {
      for (var e : Wire.parseRequest(push).path("events")) {
        EventCodec.readSubmitted(e);
      }
    });
    long tokens = 0;
    try (com.fasterxml.jackson.core.JsonParser p = Wire.json().getFactory().createParser(push)) {
      while (p.nextToken() != null) {
        tokens++;
      }
    }
    System.out.printf("memory: a push of %d events is %d JSON tokens (limit %d)%n", Wire.MAX_PUSH_EVENTS, tokens,
        Wire.MAX_REQUEST_TOKENS);
    assertThat(tokens).as("tokens of the largest push").isLessThan(Wire.MAX_REQUEST_TOKENS / 4);
  }

  @Test
  void joinToken_8KiB_andRevocationDocument_1MiB() throws Exception {
    PublicKeyRing keys = ring();
    for (TokenType type : new TokenType[] {TokenType.JOIN, TokenType.REVOCATION}) {
      int cap = type.maxLength();
      String largest = jws(type, cap);
      assertThat(largest).hasSize(cap);
      assertBound(type.typ() + " (largest)", cap, JWS_FACTOR, () -> verifyRefused(largest, type, keys));
      String oversize = largest + "A".repeat(3 * cap);
      assertRefusedEarly(type.typ() + " (oversize)", oversize.length(), REFUSAL_BOUND,
          () -> verifyRefused(oversize, type, keys));
    }
  }

  @Test
  void pemFile_1MiB_andConfigFile_256KiB() throws Exception {
    String pem;
    Path one = temp.resolve("one.crt");
    PemFiles.writeCertificateChain(one, SelfSignedCertificateGenerator.builder(Clock.systemUTC()).build().generate()
        .chain());
    pem = Files.readString(one);
    int pemCap = 1024 * 1024;
    Path largest = temp.resolve("largest.crt");
    Files.writeString(largest, pem.repeat(pemCap / pem.length()));
    assertBound("PEM certificate file", pemCap, PEM_FACTOR, () -> PemFiles.readCertificateChain(largest));
    Path oversizePem = temp.resolve("oversize.crt");
    Files.writeString(oversizePem, pem.repeat(4 * pemCap / pem.length() + 1));
    assertRefusedEarly("PEM certificate file", Files.size(oversizePem), REFUSAL_BOUND, () ->
        assertThatThrownBy(() -> PemFiles.readCertificateChain(oversizePem)).isInstanceOf(TlsPinningException.class));

    int configCap = 256 * 1024;
    String config = "[server]\nport = 7777\n[sync]\nmax_file_size = \"64MiB\"\n";
    Path toml = temp.resolve("config.toml");
    Files.writeString(toml, config + ("# " + "x".repeat(60) + "\n").repeat((configCap - config.length()) / 63));
    assertThat(Files.size(toml)).isLessThanOrEqualTo(configCap);
    assertBound("config.toml", configCap, CONFIG_FACTOR, () -> ConfigLoader.load(toml, true));
    Path oversizeToml = temp.resolve("oversize.toml");
    Files.writeString(oversizeToml, Files.readString(toml).repeat(4));
    assertRefusedEarly("config.toml", Files.size(oversizeToml), REFUSAL_BOUND, () ->
        assertThatThrownBy(() -> ConfigLoader.load(oversizeToml, true)).isInstanceOf(AuraException.class)
            .hasMessageContaining("larger than 256 KiB"));
  }

  @Test
  void queryString_8KiB() throws Exception {
    int cap = 8 * 1024; // Jetty refuses a request whose headers (the request line with them) pass 8 KiB
    String query = "filter=" + "token_issued,".repeat((cap - 7) / 13);
    assertBound("query string", cap, QUERY_FACTOR, () -> {
      var fields = RequestFields.query(query);
      RequestFields.auditTypes(fields.getValue("filter"));
    });
  }

  private static void verifyRefused(String compact, TokenType type, PublicKeyRing keys) {
    assertThatThrownBy(() -> TypedJws.verify(compact, type, keys, TypedJws.DEFAULT_ALGORITHMS, Instant.now()))
        .isInstanceOf(TokenRejectedException.class);
  }

  /** A JSON object of about {@code size} bytes: many small numbers, many small objects, or one long string. */
  private static byte[] json(String shape, int size) {
    StringBuilder out = new StringBuilder("{\"a\":");
    switch (shape) {
      case "numbers" -> {
        out.append('[');
        while (out.length() < size - 4) {
          out.append("1,");
        }
        out.append("1]");
      }
      case "objects" -> {
        out.append('[');
        while (out.length() < size - 12) {
          out.append("{\"b\":{}},");
        }
        out.append("{}]");
      }
      default -> out.append('"').append("x".repeat(size - 10)).append('"');
    }
    return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A push of {@code events} symlink puts whose targets fill about {@code size} bytes. */
  private static String pushOf(int events, int size) {
    int target = Math.min(4096, size / events - 300);
    StringBuilder out = new StringBuilder("{\"type\":\"push\",\"workspace\":\"widget\",\"events\":[");
    for (int i = 1; i <= events; i++) {
      out.append(i > 1 ? "," : "").append("{\"id\":\"peer_0a1b2c3d.").append(i).append("\",\"change\":{\"op\":\"put\","
          + "\"path\":\"d/f").append(i).append("\",\"kind\":\"symlink\",\"hash\":null,\"size\":0,\"executable\":false,"
          + "\"target\":\"").append("t".repeat(target)).append("\",\"based_on\":0,\"authored_at\":"
          + "\"2026-12-01T09:45:12Z\"}}");
    }
    return out.append("]}").toString();
  }

  /** A JWS of exactly {@code length} characters: a valid header naming a known key, a padded payload. */
  private static String jws(TokenType type, int length) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString(("{\"alg\":\"EdDSA\",\"typ\":\"" + type.typ() + "\",\"kid\":\"k1\"}")
        .getBytes(StandardCharsets.UTF_8));
    String signature = "A".repeat(86);
    int payloadChars = length - header.length() - signature.length() - 2;
    String payload = b64.encodeToString(("{\"pad\":\"" + "x".repeat(payloadChars * 3 / 4) + "\"}")
        .getBytes(StandardCharsets.UTF_8));
    payload = payload.length() > payloadChars ? payload.substring(0, payloadChars)
        : payload + "A".repeat(payloadChars - payload.length());
    return header + "." + payload + "." + signature;
  }

  private static PublicKeyRing ring() throws Exception {
    byte[] encoded = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
    String x = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(encoded,
        encoded.length - 32, encoded.length));
    return PublicKeyRing.fromJwkSet("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x
        + "\",\"kid\":\"k1\",\"alg\":\"EdDSA\",\"use\":\"sig\"}]}");
  }
}
