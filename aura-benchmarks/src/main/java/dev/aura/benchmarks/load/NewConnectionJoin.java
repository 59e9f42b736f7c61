package dev.aura.benchmarks.load;

import dev.aura.app.protocol.Wire;
import dev.aura.tls.PinSet;
import dev.aura.tls.TlsContexts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A join over a connection of its own: a new pinned TLS socket, one {@code POST /v1/join} with
 * {@code Connection: close}, the whole answer read, the socket closed. What a peer that joins once and goes
 * away costs the server, handshake included.
 */
final class NewConnectionJoin {
  private final SSLSocketFactory sockets;
  private final URI url;

  NewConnectionJoin(LoadServer server) {
    this.sockets = TlsContexts.pinnedClient(PinSet.of(server.fingerprint()), Clock.systemUTC()).getSocketFactory();
    this.url = server.url();
  }

  /** Joins with {@code token}; throws unless the answer is a 200 naming a peer. */
  void join(String token) throws IOException {
    byte[] body = ("{\"token\":\"" + token + "\",\"addresses\":[]}").getBytes(StandardCharsets.UTF_8);
    try (SSLSocket socket = (SSLSocket) sockets.createSocket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(30_000);
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.write(("POST " + Wire.JOIN + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
          + "\r\nContent-Type: application/json\r\nAura-Protocol: " + Wire.PROTOCOL_VERSION
          + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      request.write(body);
      // One write, one TLS record: two small writes would wait on Nagle and the delayed ACK (40 ms).
      OutputStream out = socket.getOutputStream();
      request.writeTo(out);
      out.flush();
      String answer = readAll(socket.getInputStream());
      if (!answer.startsWith("HTTP/1.1 200") || !answer.contains("\"peer_id\"")) {
        int end = answer.indexOf('\r');
        throw new IOException("join refused: " + (end > 0 ? answer.substring(0, end) : "no answer"));
      }
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
