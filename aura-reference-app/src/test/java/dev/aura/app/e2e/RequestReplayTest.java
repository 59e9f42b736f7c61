package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.peer.PeerState;
import dev.aura.app.protocol.Wire;
import dev.aura.app.testing.MothershipFixture;
import dev.aura.spi.Fingerprint;
import dev.aura.tls.PinSet;
import dev.aura.tls.TlsContexts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request-field fuzz corpus ({@code RequestFieldsFuzzTestInputs/requestFields/}) replayed against a real
 * Mothership over HTTPS on loopback, as raw HTTP/1.1 so that headers, lengths and request lines go out exactly
 * as written: each input in the header, query, path or body it stands for, with a real peer's and the admin's
 * credential where a route needs one, plus malformed framing Jetty itself refuses. Every answer must be a
 * 2xx, or a 4xx in the product's JSON error shape ({@code error}, {@code code}); never a 5xx, never Jetty's
 * HTML page.
 */
class RequestReplayTest {
  private static final Path CORPUS = Path.of("src/test/resources/dev/aura/app/server/RequestFieldsFuzzTestInputs"
      + "/requestFields");
  private static final String[] METHODS = {"GET", "PUT", "POST", "DELETE"};

  @TempDir
  static Path temp;

  static MothershipFixture m;
  static PinSet pins;
  static SSLSocketFactory tls;
  static String peerCredential;
  static String adminCredential;

  @BeforeAll
  static void start() throws Exception {
    m = MothershipFixture.builder(temp).config("[limits]\nfailed_handshakes_per_minute = 100000\n[sync]\n"
        + "max_file_size = \"64KiB\"\n").start();
    pins = PinSet.of(Fingerprint.parse(m.host("mothership", "tls", "info").field("fingerprint")));
    tls = TlsContexts.pinnedClient(pins, Clock.systemUTC()).getSocketFactory();
    MothershipFixture.Peer alice = m.peer("alice");
    assertThat(alice.join(m.issue("--for", "alice@acme.com")).exit()).isZero();
    peerCredential = new PeerState(new dev.aura.app.config.AuraHome(alice.home())).credential();
    adminCredential = m.dataDir().readAdminCredential().orElseThrow().reveal();
  }

  @AfterAll
  static void stop() {
    m.close();
  }

  @Test
  void everyCorpusInput_inTheFieldItStandsFor_isAnsweredWithATypedJsonStatus_neverA5xx() throws Exception {
    List<Path> inputs;
    try (Stream<Path> files = Files.list(CORPUS)) {
      inputs = files.sorted().toList();
    }
    assertThat(inputs).hasSizeGreaterThan(15);
    int sent = 0;
    for (Path file : inputs) {
      byte[] data = Files.readAllBytes(file);
      if (data.length < 2) {
        continue;
      }
      byte[] rest = Arrays.copyOfRange(data, 2, data.length);
      String text = new String(rest, StandardCharsets.UTF_8);
      for (byte[] request : requests(Math.floorMod(data[0], 5), data[1], text, rest)) {
        assertTyped(file.getFileName() + ": " + firstLine(request), send(request));
        sent++;
      }
    }
    assertThat(sent).isGreaterThan(inputs.size());
  }

  @Test
  void framingJettyRefuses_isAnsweredInTheProductsJsonShape() throws Exception {
    List<String> heads = List.of(
        "GET /v1/time HTTP/1.1\r\nHost: x\r\nAura-Protocol: 1\r\nContent-Length: abc\r\n",
        "POST /v1/join HTTP/1.1\r\nHost: x\r\nAura-Protocol: 1\r\nContent-Length: -1\r\n",
        "POST /v1/join HTTP/1.1\r\nHost: x\r\nAura-Protocol: 1\r\nContent-Length: 99999999999999999999\r\n",
        "POST /v1/join HTTP/1.1\r\nHost: x\r\nAura-Protocol: 1\r\nContent-Length: 2\r\nContent-Length: 3\r\n",
        "GET /v1/sync/a%2Fb/blobs/missing HTTP/1.1\r\nHost: x\r\nAura-Protocol: 1\r\n",
        "GET /v1/../etc/passwd HTTP/1.1\r\nHost: x\r\nAura-Protocol: 1\r\n",
        "GET /v1/time HTTP/1.1\r\nHost: x\r\nAura-Protocol: 1\r\nX-Big: " + "a".repeat(9 * 1024) + "\r\n",
        "G\u0001T /v1/time HTTP/1.1\r\nHost: x\r\n");
    for (String head : heads) {
      Response r = send((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      assertTyped(head.lines().findFirst().orElseThrow(), r);
      assertThat(r.status()).as(head.substring(0, Math.min(60, head.length()))).isBetween(400, 499);
    }
  }

  @Test
  void aBodyPastTheCap_isRefusedAs413_declaredOrChunked() throws Exception {
    byte[] body = ("{\"token\":\"" + "x".repeat(Wire.MAX_BODY_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
    Response declared = send(request("POST", Wire.JOIN, List.of("Aura-Protocol: 1"), body, false));
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.json().path("error").asText()).isEqualTo("request body too large");
    assertThat(declared.json().path("detail").asText()).isEqualTo(body.length + " bytes, at most "
        + Wire.MAX_BODY_BYTES);
    Response chunked = send(request("POST", Wire.JOIN, List.of("Aura-Protocol: 1"), body, true));
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(chunked.json().path("detail").asText()).isEqualTo("at most " + Wire.MAX_BODY_BYTES + " bytes");
  }

  @Test
  void aBlobUploadPastMaxFileSize_isRefusedAs413_declaredOrStreamed() throws Exception {
    byte[] content = new byte[64 * 1024 + 1];
    String route = Wire.SYNC + "widget/blobs/" + dev.aura.sync.ContentHash.of(content).hex();
    List<String> headers = List.of("Aura-Protocol: 1", "Authorization: Bearer " + peerCredential);
    Response declared = send(request("PUT", route, headers, content, false));
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.json().path("error").asText()).isEqualTo("file too large");
    assertThat(declared.json().path("detail").asText()).isEqualTo("65537 bytes, larger than [sync] max_file_size"
        + " (65536 bytes): not synced");
    Response streamed = send(request("PUT", route, headers, content, true));
    assertThat(streamed.status()).isEqualTo(413);
    assertThat(streamed.json().path("code").asText()).isEqualTo("too_large");
  }

  @Test
  void aControlMessagePastTheCap_closesTheConnectionWith1009_andOneAtTheCapIsRead() throws Exception {
    dev.aura.app.peer.MothershipClient client = new dev.aura.app.peer.MothershipClient(m.url(), pins,
        Clock.systemUTC(), Wire.PROTOCOL_VERSION, java.time.Duration.ofSeconds(10));
    try (dev.aura.app.peer.ControlConnection c = dev.aura.app.peer.ControlConnection.open(client, peerCredential)) {
      assertThat(next(c)).isInstanceOfSatisfying(dev.aura.app.peer.ControlConnection.Message.class,
          hello -> assertThat(hello.type()).isEqualTo("hello"));
      ObjectNode atTheCap = Wire.object().put("type", "subscribe").put("workspace", "widget").put("after", 0);
      int room = Wire.MAX_CONTROL_MESSAGE_BYTES - Wire.write(atTheCap).length() - "\"pad\":\"\",".length();
      atTheCap.put("pad", "x".repeat(room));
      assertThat(Wire.write(atTheCap)).hasSize(Wire.MAX_CONTROL_MESSAGE_BYTES);
      c.send(atTheCap);
      assertThat(next(c)).as("a message of exactly the cap is read").isInstanceOfSatisfying(
          dev.aura.app.peer.ControlConnection.Message.class, r -> assertThat(r.type()).isEqualTo("subscribed"));
      atTheCap.put("pad", "x".repeat(room + 1));
      c.send(atTheCap);
      dev.aura.app.peer.ControlConnection.Event event;
      do {
        event = next(c);
      } while (event instanceof dev.aura.app.peer.ControlConnection.Message);
      assertThat(event).isInstanceOfSatisfying(dev.aura.app.peer.ControlConnection.Closed.class,
          closed -> assertThat(closed.code()).isEqualTo(1009));
    }
  }

  @Test
  void controlMessagesSentFromEightThreadsAtOnce_allReachTheMothership() throws Exception {
    dev.aura.app.peer.MothershipClient client = new dev.aura.app.peer.MothershipClient(m.url(), pins,
        Clock.systemUTC(), Wire.PROTOCOL_VERSION, java.time.Duration.ofSeconds(10));
    int threads = 8;
    int each = 25;
    try (dev.aura.app.peer.ControlConnection c = dev.aura.app.peer.ControlConnection.open(client, peerCredential)) {
      assertThat(next(c)).isInstanceOfSatisfying(dev.aura.app.peer.ControlConnection.Message.class,
          hello -> assertThat(hello.type()).isEqualTo("hello"));
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread sender = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < each; i++) {
            c.send(Wire.object().put("type", "subscribe").put("workspace", "widget").put("after", 0));
          }
        });
        sender.start();
        senders.add(sender);
      }
      start.countDown();
      for (Thread sender : senders) {
        sender.join(10_000);
      }
      int subscribed = 0;
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
      while (subscribed < threads * each && System.nanoTime() < deadline) {
        dev.aura.app.peer.ControlConnection.Event e = c.next(java.time.Duration.ofSeconds(5));
        if (e instanceof dev.aura.app.peer.ControlConnection.Message reply && reply.type().equals("subscribed")) {
          subscribed++;
        } else if (e != null && !(e instanceof dev.aura.app.peer.ControlConnection.Message)) {
          throw new AssertionError("the connection ended after " + subscribed + " replies: " + e);
        }
      }
      assertThat(subscribed).as("one 'subscribed' per 'subscribe' sent").isEqualTo(threads * each);
    }
  }

  private static dev.aura.app.peer.ControlConnection.Event next(dev.aura.app.peer.ControlConnection c)
      throws InterruptedException {
    dev.aura.app.peer.ControlConnection.Event e = c.next(java.time.Duration.ofSeconds(10));
    assertThat(e).as("an event within 10 s").isNotNull();
    return e;
  }

  /** The raw requests one corpus input stands for. */
  private static List<byte[]> requests(int field, byte second, String text, byte[] rest) {
    String value = text.replace('\r', ' ').replace('\n', ' ');
    String peer = "Authorization: Bearer " + peerCredential;
    List<byte[]> out = new ArrayList<>();
    switch (field) {
      case 0 -> {
        out.add(request("GET", Wire.PING, List.of("Aura-Protocol: 1", "Authorization: " + value), null, false));
        out.add(upgrade(List.of("Aura-Protocol: 1", "Authorization: " + value)));
      }
      case 1 -> {
        out.add(request("GET", Wire.TIME, List.of("Aura-Protocol: " + value), null, false));
        out.add(upgrade(List.of("Aura-Protocol: " + value, peer)));
      }
      case 2 -> {
        String query = text.replaceAll("[^\\x21-\\x7e]", "%20");
        out.add(request("GET", Wire.REVOCATIONS + "?" + query, List.of("Aura-Protocol: 1", peer), null, false));
        out.add(request("GET", Wire.ADMIN + "audit?" + query, List.of("Aura-Protocol: 1",
            "Authorization: Bearer " + adminCredential), null, false));
      }
      case 3 -> {
        String method = METHODS[Math.floorMod(second, METHODS.length)];
        byte[] body = method.equals("GET") ? null : "{\"hashes\":[]}".getBytes(StandardCharsets.UTF_8);
        out.add(request(method, Wire.SYNC + percentEncoded(rest), List.of("Aura-Protocol: 1", peer), body, false));
      }
      default -> {
        out.add(request("POST", Wire.JOIN, List.of("Aura-Protocol: 1"), rest, second < 0));
        out.add(request("POST", Wire.SYNC + "widget/blobs/missing", List.of("Aura-Protocol: 1", peer), rest,
            second < 0));
      }
    }
    return out;
  }

  private static String percentEncoded(byte[] path) {
    StringBuilder out = new StringBuilder();
    for (byte b : path) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  private static byte[] upgrade(List<String> headers) {
    List<String> all = new ArrayList<>(headers);
    all.addAll(List.of("Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));
    return request("GET", Wire.CONTROL, all, null, false);
  }

  private static byte[] request(String method, String target, List<String> headers, byte[] body, boolean chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    headers.forEach(h -> head.append(h).append("\r\n"));
    if (headers.stream().noneMatch(h -> h.startsWith("Connection:"))) {
      head.append("Connection: close\r\n");
    }
    if (body != null) {
      head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
      head.append("Content-Type: application/json\r\n");
    }
    out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
    if (body != null && chunked) {
      out.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(body);
      out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /** A response: status, headers, body (de-chunked). */
  record Response(int status, String head, String body) {
    ObjectNode json() {
      return Wire.parseObject(body);
    }
  }

  private static Response send(byte[] request) throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.createSocket("127.0.0.1", m.url().getPort())) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      // The server may answer and close before the whole request is written (a body it refuses early), as
      // any HTTP server may; a client then reads the answer, so the request is written beside the reading.
      OutputStream out = socket.getOutputStream();
      java.util.concurrent.CompletableFuture<Void> written = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          out.write(request);
          out.flush();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      while (!complete(all.toString(StandardCharsets.ISO_8859_1))) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        all.write(b);
      }
      String text = all.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      assertThat(split).as("a response to " + firstLine(request) + (written.isCompletedExceptionally()
          ? " (writing it failed first)" : "")).isPositive();
      String head = text.substring(0, split);
      String body = text.substring(split + 4);
      if (chunked(head)) {
        body = dechunk(body);
      }
      return new Response(Integer.parseInt(head.substring(9, 12)), head, body);
    }
  }

  /** @return whether {@code text} holds a whole response (the connection may stay open after it) */
  private static boolean complete(String text) {
    int split = text.indexOf("\r\n\r\n");
    if (split < 0) {
      return false;
    }
    String head = text.substring(0, split);
    if (head.startsWith("HTTP/1.1 101")) {
      return true;
    }
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
    if (length.find()) {
      return text.length() - split - 4 >= Integer.parseInt(length.group(1));
    }
    return chunked(head) && text.endsWith("\r\n0\r\n\r\n");
  }

  private static boolean chunked(String head) {
    return head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = body.indexOf("\r\n", at);
      int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(body, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  private static void assertTyped(String what, Response r) {
    if (r.status() == 101) {
      return; // a control connection was opened
    }
    assertThat(r.status()).as(what + " -> " + r.head() + "\n" + r.body()).isBetween(200, 499);
    assertThat(r.head().toLowerCase(java.util.Locale.ROOT)).as(what).contains("content-type: application/json");
    ObjectNode body = r.json();
    if (r.status() >= 400) {
      assertThat(body.path("error").isTextual() && body.path("code").isTextual()).as(what + " -> " + body).isTrue();
      assertThat(body.path("code").asText()).as(what).isNotEqualTo("internal");
    }
  }

  private static String firstLine(byte[] request) {
    String s = new String(request, 0, Math.min(request.length, 120), StandardCharsets.ISO_8859_1);
    return s.lines().findFirst().orElse("");
  }
}
