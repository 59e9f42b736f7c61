package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.testkit.JoinTokenKit;
import dev.aura.token.IssuedPeerIdentity;
import dev.aura.token.PeerIdentityVerifier;
import dev.aura.token.RejectionReason;
import dev.aura.token.TokenRejectedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two peers on a real loopback socket: mutual TLS on their own keys, then the identity bound to the key. */
class PeerTlsTest {
  private static final int TIMEOUT_MILLIS = 5_000;

  @TempDir Path home;
  private final JoinTokenKit kit = JoinTokenKit.create();

  /** What the accepting side saw: the other's fingerprint and the identity line it sent, or the failure. */
  private record Accepted(Fingerprint theirs, String identityLine, String protocol) {}

  /** Accepts one connection on {@code server}, handshakes, reads one line and answers "ok". */
  private static CompletableFuture<Accepted> acceptOne(SSLServerSocket server) {
    return CompletableFuture.supplyAsync(() -> {
      try (SSLSocket socket = (SSLSocket) server.accept()) {
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.startHandshake();
        Fingerprint theirs = PeerTls.presentedFingerprint(socket.getSession());
        String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
        socket.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new Accepted(theirs, line, socket.getSession().getProtocol());
      } catch (IOException | TlsPinningException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  private static SSLServerSocket listen(SSLContext context) throws IOException {
    SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.setSoTimeout(TIMEOUT_MILLIS);
    return server;
  }

  private static SSLSocket connect(SSLContext context, int port) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(TIMEOUT_MILLIS);
    return socket;
  }

  private static String exchange(SSLSocket socket, String line) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
  }

  @Test
  void handshake_onPeerKeys_isTls13_andEachSideSeesTheOthersCertificate() throws Exception {
    TlsIdentity alice = PeerKeys.loadOrGenerate(home.resolve("alice"), kit.clock());
    TlsIdentity bob = PeerKeys.loadOrGenerate(home.resolve("bob"), kit.clock());
    try (SSLServerSocket server = listen(PeerTls.context(alice))) {
      CompletableFuture<Accepted> accepted = acceptOne(server);
      try (SSLSocket client = connect(PeerTls.context(bob), server.getLocalPort())) {
        client.startHandshake();
        assertThat(PeerTls.presentedFingerprint(client.getSession())).isEqualTo(alice.fingerprint());
        assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(exchange(client, "hello")).isEqualTo("ok");
      }
      Accepted seen = accepted.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      assertThat(seen.theirs()).isEqualTo(bob.fingerprint());
      assertThat(seen.protocol()).isEqualTo("TLSv1.3");
      assertThat(seen.identityLine()).isEqualTo("hello");
    }
  }

  @Test
  void clientWithoutCertificate_isRefusedByTheAcceptingPeer() throws Exception {
    TlsIdentity alice = PeerKeys.loadOrGenerate(home.resolve("alice"), kit.clock());
    SSLContext anonymous = SSLContext.getInstance("TLSv1.3");
    anonymous.init(null, new TrustManager[] {new PinnedHandshakeTest.TrustAllForTest()}, new SecureRandom());
    try (SSLServerSocket server = listen(PeerTls.context(alice))) {
      CompletableFuture<Accepted> accepted = acceptOne(server);
      Throwable clientSide;
      try (SSLSocket client = connect(anonymous, server.getLocalPort())) {
        clientSide = catchThrowable(() -> {
          client.startHandshake();
          exchange(client, "hello");
        });
      }
      Throwable serverSide = catchThrowable(() -> accepted.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
      assertThat(serverSide).isNotNull().rootCause().isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
          .hasMessageContaining("certificate");
      assertThat(clientSide).as("the client never gets an answer").isInstanceOf(IOException.class);
    }
  }

  @Test
  void identityBoundToAnotherKey_isRefused_theOwnersIsAccepted() throws Exception {
    TlsIdentity alice = PeerKeys.loadOrGenerate(home.resolve("alice"), kit.clock());
    TlsIdentity bob = PeerKeys.loadOrGenerate(home.resolve("bob"), kit.clock());
    TlsIdentity mallory = PeerKeys.loadOrGenerate(home.resolve("mallory"), kit.clock());
    IssuedPeerIdentity bobsIdentity = kit.peerIdentity(PeerId.parse("peer_1b2c3d4e"), "bob@acme.com", Role.MEMBER,
        Set.of(), bob.fingerprint());
    PeerIdentityVerifier aliceVerifies = kit.peerIdentityVerifierBuilder().ownWorkspaces(Set::of)
        .withoutRevocationCheck().build();

    for (TlsIdentity connecting : new TlsIdentity[] {bob, mallory}) {
      try (SSLServerSocket server = listen(PeerTls.context(alice))) {
        CompletableFuture<Accepted> accepted = acceptOne(server);
        try (SSLSocket client = connect(PeerTls.context(connecting), server.getLocalPort())) {
          exchange(client, bobsIdentity.compact());
        }
        Accepted seen = accepted.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(seen.theirs()).isEqualTo(connecting.fingerprint());
        if (connecting == bob) {
          assertThat(aliceVerifies.verify(seen.identityLine(), seen.theirs()).peer().value())
              .isEqualTo("peer_1b2c3d4e");
        } else {
          TokenRejectedException e = (TokenRejectedException) catchThrowable(
              () -> aliceVerifies.verify(seen.identityLine(), seen.theirs()));
          assertThat(e.reason()).isEqualTo(RejectionReason.KEY_MISMATCH);
          assertThat(e.getMessage()).startsWith("peer identity is for another key: the identity of peer_1b2c3d4e"
              + " (bob@acme.com) is bound to certificate " + bob.fingerprint() + ", the connection was made with "
              + mallory.fingerprint());
        }
      }
    }
  }

  @Test
  void presentedFingerprint_onAnUnauthenticatedSession_isNoCertificate() throws Exception {
    javax.net.ssl.SSLSession none = SSLContext.getDefault().createSSLEngine().getSession();
    TlsPinningException e = (TlsPinningException) catchThrowable(() -> PeerTls.presentedFingerprint(none));
    assertThat(e.reason()).isEqualTo(TlsPinningException.Reason.NO_CERTIFICATE);
    assertThat(e.getMessage()).startsWith("tls: peer presented no certificate: the other peer presented no"
        + " certificate");
  }
}
