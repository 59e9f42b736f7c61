package dev.aura.app.direct;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.PeerId;
import dev.aura.tls.PeerTls;
import dev.aura.tls.TlsPinningException;
import dev.aura.token.PeerIdentityVerifier;
import dev.aura.token.VerifiedPeerIdentity;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for and dials direct connections, over {@link PeerTls} mutual TLS 1.3 on the peers' own keys, and
 * authenticates them: after the TLS handshake each side sends {@code identity} ({@code identity}: its peer
 * identity), verifies the other's with {@link PeerIdentityVerifier} against the certificate that handshake
 * presented, and sends its verdict, {@code accepted} or {@code refused} ({@code code}: the
 * {@code RejectionReason} code, {@code message}: the product's wording). Only when both accepted is a
 * {@link DirectLink} handed out; a refusal is logged at WARN (never the identity itself) and the socket
 * closed.
 *
 * <p>Thread-safe. Each accepted socket is authenticated on its own thread, within {@link #HANDSHAKE}.
 */
public final class DirectNode implements AutoCloseable {
  /** How long a TLS handshake plus identity exchange may take. */
  static final Duration HANDSHAKE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(DirectNode.class);

  private final OwnIdentity own;
  private final PeerIdentityVerifier verifier;
  private final Consumer<DirectLink> accepted;
  private final SSLContext tls;
  private volatile SSLServerSocket server;

  /**
   * @param own this peer's key and identity
   * @param verifier checks other peers' identities (ring, issuer, skew, key, workspace, revocation copy)
   * @param accepted gets every authenticated incoming link
   */
  public DirectNode(OwnIdentity own, PeerIdentityVerifier verifier, Consumer<DirectLink> accepted) {
    this.own = own;
    this.verifier = verifier;
    this.accepted = accepted;
    this.tls = PeerTls.context(own.tls());
  }

  /**
   * Starts listening.
   *
   * @param address where; port 0 picks an ephemeral port
   * @return the bound address
   */
  public InetSocketAddress listen(InetSocketAddress address) throws IOException {
    SSLServerSocket s = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
    s.setReuseAddress(true);
    s.bind(address, 50);
    server = s;
    Thread t = new Thread(() -> acceptLoop(s), "aura-direct-listener");
    t.setDaemon(true);
    t.start();
    return new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
  }

  /** @return whether the node listens */
  public boolean listening() {
    SSLServerSocket s = server;
    return s != null && !s.isClosed();
  }

  private void acceptLoop(SSLServerSocket s) {
    while (!s.isClosed()) {
      SSLSocket socket;
      try {
        socket = (SSLSocket) s.accept();
      } catch (IOException e) {
        return;
      }
      Thread t = new Thread(() -> {
        String from = String.valueOf(socket.getRemoteSocketAddress());
        try {
          accepted.accept(authenticate(socket, null, from, false));
        } catch (DirectException e) {
          LOG.debug("direct connection from {} ended: {}", from, e.getMessage());
        }
      }, "aura-direct-handshake");
      t.setDaemon(true);
      t.start();
    }
  }

  /**
   * Dials one hint and authenticates the peer there.
   *
   * @param expected the peer the hint is for: an identity of anyone else is refused
   * @throws DirectException {@code refused}, {@code timed out}, {@code identity refused: ...}, ...
   */
  public DirectLink dial(PeerId expected, Hint hint, Duration timeout) throws DirectException {
    SSLSocket socket;
    try {
      socket = (SSLSocket) tls.getSocketFactory().createSocket();
      socket.connect(hint.address(), (int) timeout.toMillis());
    } catch (ConnectException e) {
      throw new DirectException("refused");
    } catch (SocketTimeoutException e) {
      throw new DirectException("timed out");
    } catch (IOException e) {
      throw new DirectException("unreachable: " + e.getMessage());
    }
    return authenticate(socket, expected, hint.toString(), true);
  }

  private DirectLink authenticate(SSLSocket socket, PeerId expected, String where, boolean dialed)
      throws DirectException {
    try {
      socket.setSoTimeout((int) HANDSHAKE.toMillis());
      socket.startHandshake();
      Fingerprint theirs = PeerTls.presentedFingerprint(socket.getSession());
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
      String mine = own.compact().orElseThrow(() -> new DirectException("no peer identity yet (this peer has"
          + " not reached its Mothership since it joined)"));
      ObjectNode hello = Wire.object();
      hello.put("type", "identity");
      hello.put("identity", mine);
      Frames.write(out, hello);
      ObjectNode first = Frames.read(in);
      if ("refused".equals(first.path("type").asText())) {
        throw new DirectException("identity refused: " + first.path("message").asText());
      }
      if (!"identity".equals(first.path("type").asText()) || !first.path("identity").isTextual()) {
        throw refuse(out, where, "malformed", "the first message must be the peer identity");
      }
      PeerIdentityVerifier.Result result = verifier.tryVerify(first.path("identity").asText(), theirs);
      if (!result.accepted()) {
        throw refuse(out, where, result.rejection().reason().code(), result.rejection().getMessage());
      }
      VerifiedPeerIdentity them = result.identity();
      if (expected != null && !them.peer().equals(expected)) {
        throw refuse(out, where, "wrong_peer", "peer identity is for another peer: expected " + expected
            + ", the peer at " + where + " is " + them.peer());
      }
      ObjectNode ok = Wire.object();
      ok.put("type", "accepted");
      Frames.write(out, ok);
      ObjectNode verdict = Frames.read(in);
      if (!"accepted".equals(verdict.path("type").asText())) {
        throw new DirectException("identity refused: " + verdict.path("message").asText("closed"));
      }
      socket.setSoTimeout(0);
      return new DirectLink(socket, in, out, them, where, dialed);
    } catch (DirectException e) {
      closeQuietly(socket);
      throw e;
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      throw new DirectException("timed out");
    } catch (SSLException | TlsPinningException e) {
      closeQuietly(socket);
      throw new DirectException("tls: " + e.getMessage());
    } catch (IOException e) {
      closeQuietly(socket);
      throw new DirectException("connection lost: " + e.getMessage());
    }
  }

  private static DirectException refuse(DataOutputStream out, String where, String code, String message) {
    LOG.warn("refused a direct connection with {}: {} ({})", where, message, code);
    ObjectNode refused = Wire.object();
    refused.put("type", "refused");
    refused.put("code", code);
    refused.put("message", message);
    try {
      Frames.write(out, refused);
    } catch (IOException e) {
      // closing anyway
    }
    return new DirectException("identity refused: " + message);
  }

  private static void closeQuietly(SSLSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    SSLServerSocket s = server;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
