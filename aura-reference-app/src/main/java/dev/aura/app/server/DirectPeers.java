package dev.aura.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.token.IssuedPeerIdentity;
import dev.aura.token.PeerIdentityIssuer;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mothership's half of direct peer-to-peer connections, over the peers' control connections.
 *
 * <p>Peer to Mothership:
 * <ul>
 *   <li>{@code identity_request} ({@code certificate}: the base64 DER of the peer's own certificate, at most
 *       {@value #MAX_CERTIFICATE_BYTES} bytes, strictly parsed): answered with {@code peer_identity}
 *       ({@code identity}: an {@code aura-peer-identity+jwt} bound to that certificate, {@code expires_at}) or
 *       {@code peer_identity_refused} ({@code message}). A peer sends it after every {@code hello} (so right
 *       after its join), after every credential rotation and when its identity is past half its life;
 *   <li>{@code direct_announce} ({@code workspace}, {@code port}, {@code addresses}: up to three IP literals):
 *       where the peer listens. The Mothership adds the address it sees the peer connect from, keeps at
 *       most {@value #MAX_HINTS} hints, and sends every announced peer of that workspace a fresh
 *       {@code direct_peers} ({@code workspace}, {@code peers}: {@code peer_id}, {@code hints} as
 *       {@code host:port}) without itself;
 *   <li>{@code direct_report} ({@code attempts}: up to three of {@code peer_id}, {@code hint}, {@code ok},
 *       {@code error}): the peer's latest hint attempts, shown as {@code direct_connects} by
 *       {@code aura mothership peers --detail}.
 * </ul>
 * Announcements and reports live in memory only: a peer announces again on every connection.
 */
final class DirectPeers {
  /** The largest certificate accepted, DER. */
  static final int MAX_CERTIFICATE_BYTES = 8 * 1024;
  /** The most hints announced per peer. */
  static final int MAX_HINTS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(DirectPeers.class);

  private record Announcement(ControlSessions.Connection connection, WorkspaceName workspace, List<String> hints) {}

  private final PeerIdentityIssuer issuer;
  private final Map<ControlSessions.Connection, Announcement> announced = new ConcurrentHashMap<>();
  private final Map<PeerId, Deque<Boolean>> attempts = new ConcurrentHashMap<>();

  DirectPeers(MothershipService mothership) {
    this.issuer = PeerIdentityIssuer.builder().mothershipId(mothership.id()).keyRing(mothership.keys())
        .clock(mothership.clock()).refreshPeriod(mothership.config().peers().refreshRotation()).build();
  }

  /** Handles a direct-connection message; false when the type is not one. */
  boolean received(ControlSessions.Connection c, ObjectNode message) {
    switch (message.path("type").asText()) {
      case "identity_request" -> issue(c, message);
      case "direct_announce" -> announce(c, message);
      case "direct_report" -> report(c, message);
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The connection is gone: its hints are withdrawn from the other peers. */
  void closed(ControlSessions.Connection c) {
    Announcement gone = announced.remove(c);
    if (gone != null) {
      broadcast(gone.workspace());
    }
  }

  /** @return successes/attempts of the peer's last three reported hint attempts, such as {@code 2/3} */
  Optional<String> directConnects(PeerId peer) {
    Deque<Boolean> last = attempts.get(peer);
    if (last == null) {
      return Optional.empty();
    }
    synchronized (last) {
      if (last.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(last.stream().filter(b -> b).count() + "/" + last.size());
    }
  }

  private void issue(ControlSessions.Connection c, ObjectNode message) {
    Optional<X509Certificate> certificate = certificate(message.path("certificate"));
    if (certificate.isEmpty()) {
      ObjectNode refused = Wire.object();
      refused.put("type", "peer_identity_refused");
      refused.put("message", "invalid request: 'certificate' must be the base64 DER of one X.509 certificate"
          + " of at most " + MAX_CERTIFICATE_BYTES + " bytes");
      c.send(refused);
      return;
    }
    Fingerprint key;
    try {
      key = Fingerprint.ofCertificate(certificate.get().getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate encodes", e);
    }
    IssuedPeerIdentity identity = issuer.issue(c.grant.peer(), c.grant.subject(), c.grant.role(),
        c.grant.joinedAt(), c.grant.workspaces(), key);
    ObjectNode reply = Wire.object();
    reply.put("type", "peer_identity");
    reply.put("identity", identity.compact());
    reply.put("expires_at", identity.expiresAt().toString());
    c.send(reply);
    LOG.info("signed a peer identity for {} bound to {} (until {})", c.grant.peer(), key, identity.expiresAt());
  }

  /** Strict: canonical base64 of exactly one DER certificate that re-encodes to the same bytes. */
  static Optional<X509Certificate> certificate(JsonNode value) {
    if (!value.isTextual() || value.asText().length() > MAX_CERTIFICATE_BYTES * 4 / 3 + 4) {
      return Optional.empty();
    }
    try {
      byte[] der = Base64.getDecoder().decode(value.asText());
      if (der.length == 0 || !Base64.getEncoder().encodeToString(der).equals(value.asText())) {
        return Optional.empty();
      }
      X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      return Arrays.equals(parsed.getEncoded(), der) ? Optional.of(parsed) : Optional.empty();
    } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
      return Optional.empty();
    }
  }

  private void announce(ControlSessions.Connection c, ObjectNode message) {
    WorkspaceName workspace;
    try {
      workspace = WorkspaceName.parse(message.path("workspace").asText());
    } catch (IllegalArgumentException e) {
      return;
    }
    int port = message.path("port").asInt(-1);
    if (port < 1 || port > 65535 || !c.grant.covers(workspace)) {
      return;
    }
    List<String> hints = new ArrayList<>();
    for (JsonNode a : message.path("addresses")) {
      Optional<String> literal = ipLiteral(a.asText());
      if (literal.isPresent() && hints.size() < MAX_HINTS - 1) {
        add(hints, literal.get(), port);
      }
    }
    seen(c.session.getRemoteSocketAddress()).ifPresent(a -> add(hints, a, port));
    announced.put(c, new Announcement(c, workspace, List.copyOf(hints.subList(0, Math.min(MAX_HINTS,
        hints.size())))));
    broadcast(workspace);
  }

  private static void add(List<String> hints, String address, int port) {
    String hint = (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    if (!hints.contains(hint)) {
      hints.add(hint);
    }
  }

  private static Optional<String> seen(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet && inet.getAddress() != null
        ? Optional.of(inet.getAddress().getHostAddress()) : Optional.empty();
  }

  /** @return the address if it is an IPv4 or IPv6 literal (never a name: nothing is resolved) */
  static Optional<String> ipLiteral(String text) {
    if (text.isEmpty() || text.length() > 45 || !text.matches("[0-9.]+|[0-9A-Fa-f:.]+")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text).getHostAddress());
    } catch (java.net.UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * Tells every announced peer of the workspace the others. Synchronized: two announcements at once must not
   * reach a peer in the wrong order (an older, shorter list arriving last would hide a peer from it).
   */
  private synchronized void broadcast(WorkspaceName workspace) {
    List<Announcement> group = announced.values().stream().filter(a -> a.workspace().equals(workspace))
        .filter(a -> a.connection().session.isOpen()).toList();
    for (Announcement to : group) {
      ObjectNode m = Wire.object();
      m.put("type", "direct_peers");
      m.put("workspace", workspace.value());
      ArrayNode peers = m.putArray("peers");
      for (Announcement other : group) {
        if (other.connection().grant.peer().equals(to.connection().grant.peer())) {
          continue;
        }
        ObjectNode p = peers.addObject();
        p.put("peer_id", other.connection().grant.peer().value());
        other.hints().forEach(p.putArray("hints")::add);
      }
      to.connection().send(m);
    }
  }

  private void report(ControlSessions.Connection c, ObjectNode message) {
    JsonNode list = message.path("attempts");
    if (!list.isArray() || list.size() > MAX_HINTS) {
      return;
    }
    Deque<Boolean> last = attempts.computeIfAbsent(c.grant.peer(), p -> new ArrayDeque<>());
    synchronized (last) {
      last.clear();
      list.forEach(a -> last.add(a.path("ok").asBoolean(false)));
    }
  }
}
