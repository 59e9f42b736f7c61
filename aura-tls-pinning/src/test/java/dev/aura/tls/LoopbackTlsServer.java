package dev.aura.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on 127.0.0.1 and an ephemeral port that completes handshakes and answers "ok" until closed.
 * One daemon thread; every socket has a 5 s timeout; close() joins the thread.
 */
final class LoopbackTlsServer implements AutoCloseable {
  static final int TIMEOUT_MILLIS = 5_000;

  private final SSLServerSocket serverSocket;
  private final Thread acceptor;
  private final List<Exception> failures = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger completedHandshakes =
      new java.util.concurrent.atomic.AtomicInteger();

  private LoopbackTlsServer(SSLServerSocket serverSocket) {
    this.serverSocket = serverSocket;
    this.acceptor = new Thread(this::serve, "loopback-tls-server");
    this.acceptor.setDaemon(true);
  }

  static LoopbackTlsServer start(SSLContext context) throws IOException {
    SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    LoopbackTlsServer server = new LoopbackTlsServer(socket);
    server.acceptor.start();
    return server;
  }

  static LoopbackTlsServer serving(TlsIdentity identity) throws IOException {
    return start(TlsContexts.server(identity));
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** How many handshakes the server side completed. */
  int completedHandshakes() {
    return completedHandshakes.get();
  }

  /** Handshake failures seen by the server side (a client refusing the server shows up here too). */
  List<Exception> failures() {
    return failures;
  }

  private void serve() {
    while (!serverSocket.isClosed()) {
      Socket accepted;
      try {
        accepted = serverSocket.accept();
      } catch (IOException e) {
        if (!serverSocket.isClosed()) {
          failures.add(e);
        }
        continue;
      }
      // A failure on an accepted connection is recorded even if close() has begun meanwhile.
      try (Socket connection = accepted) {
        connection.setSoTimeout(TIMEOUT_MILLIS);
        SSLSocket tls = (SSLSocket) connection;
        tls.startHandshake();
        completedHandshakes.incrementAndGet();
        OutputStream out = tls.getOutputStream();
        out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        failures.add(e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    try {
      acceptor.join(TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (acceptor.isAlive()) {
      throw new IllegalStateException("loopback TLS server thread did not stop");
    }
  }
}
