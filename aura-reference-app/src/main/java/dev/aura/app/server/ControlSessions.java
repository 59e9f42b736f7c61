package dev.aura.app.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.access.PeerGrant;
import dev.aura.app.protocol.Wire;
import dev.aura.revocation.Revocation;
import dev.aura.spi.PeerId;
import dev.aura.spi.TransportException;
import dev.aura.tls.CertificateRotation;
import dev.aura.token.AuthenticatedPeer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open control connections, one or more per peer: heartbeats every {@code [peers] heartbeat_interval},
 * revocation updates and pin handovers pushed as they happen, and immediate close when a peer is revoked
 * ({@value #REVOKED}, "peer revoked") or kicked ({@value #KICKED}).
 *
 * <p>Messages (JSON text frames), server to peer: {@code hello}, {@code heartbeat} ({@code rotate}, the
 * {@code instances} peers may fail over to, and {@code store_unreachable: true} while this instance cannot
 * reach its database), {@code revocations}
 * ({@code document}: a signed update), {@code pin_handover} ({@code handover}: a signed handover). Peer to
 * server: {@code ack} with the revocation version it applied.
 */
public final class ControlSessions implements AutoCloseable {
  /** Close code: the peer was revoked. */
  public static final int REVOKED = 4003;
  /** Close code: {@code [oidc] reassert_every} has passed; the peer must sign in again. */
  public static final int REASSERTION_REQUIRED = 4005;
  /** Close code: an operator kicked the peer. */
  public static final int KICKED = 4001;
  /** Close code: the Mothership is stopping. */
  public static final int GOING_AWAY = 1001;

  private static final Logger LOG = LoggerFactory.getLogger(ControlSessions.class);

  /** One connection. */
  static final class Connection {
    final Session session;
    final AuthenticatedPeer peer;
    final PeerGrant grant;
    final String credentialKid;
    volatile long acknowledged = -1;
    volatile boolean auditHeadSent;
    private final List<Runnable> onClose = new java.util.concurrent.CopyOnWriteArrayList<>();

    Connection(Session session, AuthenticatedPeer peer, PeerGrant grant, String credentialKid) {
      this.session = session;
      this.peer = peer;
      this.grant = grant;
      this.credentialKid = credentialKid;
    }

    /** Sends a message if the connection is open. */
    void send(ObjectNode message) {
      if (session.isOpen()) {
        session.sendText(Wire.write(message), Callback.NOOP);
      }
    }

    /** Runs {@code action} once the connection is gone. */
    void onClose(Runnable action) {
      onClose.add(action);
    }

    void fireClosed() {
      for (Runnable r : onClose) {
        r.run();
      }
      onClose.clear();
    }
  }

  /** A peer should rotate its credential at half its life, and once it is signed by a retired key. */
  private boolean shouldRotate(Connection c, Instant now) {
    return c.peer.shouldRotate(now) || !mothership.keys().primaryKid().equals(c.credentialKid);
  }

  private final MothershipService mothership;
  private final SyncHub sync;
  private final DirectPeers direct;
  private final AuditReplication audit;
  private final Map<PeerId, Set<Connection>> connections = new ConcurrentHashMap<>();
  private final ScheduledExecutorService heartbeats;
  private final ScheduledExecutorService auditPages;

  /** The instance list of heartbeats; none until {@link #announceInstances}. */
  private volatile java.util.function.Supplier<List<String>> instanceUrls = List::of;

  /**
   * Heartbeats carry {@code urls} as {@code "instances"} (as join and refresh answers do), so peers learn an
   * instance started after their last refresh at the next heartbeat.
   */
  void announceInstances(java.util.function.Supplier<List<String>> urls) {
    this.instanceUrls = urls;
  }

  /** Starts the heartbeat timer and listens for revocations and certificate rotations. */
  public ControlSessions(MothershipService mothership) {
    this.mothership = mothership;
    this.sync = new SyncHub(mothership);
    this.direct = new DirectPeers(mothership);
    this.audit = mothership.auditReplication();
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "aura-heartbeat");
      t.setDaemon(true);
      return t;
    });
    this.auditPages = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "aura-audit-pages");
      t.setDaemon(true);
      return t;
    });
    long period = mothership.config().peers().heartbeatInterval().toMillis();
    heartbeats.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    // audit pages read the store, which may wait for the pool's connect timeout: never on the heartbeat thread
    auditPages.scheduleWithFixedDelay(() -> {
      try {
        audit.tick();
      } catch (RuntimeException e) { // a thrown tick would end the schedule
        LOG.warn("sending audit pages failed: {}", e.toString());
      }
    }, period, period, TimeUnit.MILLISECONDS);
    mothership.addRevocationListener(this::onRevoked);
    mothership.addRotationListener(this::onRotated);
  }

  /** @return the peers with at least one open connection */
  public Set<PeerId> connected() {
    Set<PeerId> out = new HashSet<>();
    connections.forEach((peer, set) -> {
      if (!set.isEmpty()) {
        out.add(peer);
      }
    });
    return Set.copyOf(out);
  }

  void opened(Connection c) {
    connections.computeIfAbsent(c.peer.peer(), p -> ConcurrentHashMap.newKeySet()).add(c);
    ObjectNode hello = message("hello");
    hello.put("peer_id", c.peer.peer().value());
    hello.put("heartbeat_seconds", mothership.config().peers().heartbeatInterval().toSeconds());
    hello.put("handover_sequence", mothership.certificates().ring().handoverSequence());
    hello.put("rotate", shouldRotate(c, mothership.clock().instant()));
    send(c, hello);
  }

  void closed(Connection c) {
    c.fireClosed();
    direct.closed(c);
    Set<Connection> set = connections.get(c.peer.peer());
    if (set != null) {
      set.remove(c);
      connections.computeIfPresent(c.peer.peer(), (p, s) -> s.isEmpty() ? null : s);
    }
  }

  void received(Connection c, String text) {
    ObjectNode message;
    try {
      message = Wire.parseRequest(text);
    } catch (IllegalArgumentException e) {
      c.session.close(1003, "malformed message", Callback.NOOP);
      return;
    }
    if (sync.received(c, message) || audit.received(c, message) || direct.received(c, message)) {
      return;
    }
    if ("ack".equals(message.path("type").asText())) {
      long version = message.path("revocation_version").asLong(-1);
      if (version >= 0) {
        c.acknowledged = version;
        mothership.revocations().acknowledge(c.peer.peer(), Math.min(version,
            mothership.revocations().version()));
        if (version < mothership.revocations().version()) {
          pushRevocations(c);
        }
      }
      mothership.touch(c.peer.peer()); // in memory; written in the next last_seen batch
    }
  }

  private void heartbeat() {
    try {
      Instant now = mothership.clock().instant();
      // one probe a beat, not one a peer, and never waited for; told so that peers which know other instances
      // fail over to them
      boolean storeUnreachable = !connections.isEmpty() && !mothership.storeAnsweredLately();
      List<String> instances = instanceUrls.get();
      for (Set<Connection> set : connections.values()) {
        for (Connection c : set) {
          if (mothership.revocations().revocationOfPeer(c.peer.peer(), c.peer.subject(), c.peer.joinedAt())
              .isPresent()) {
            close(c, REVOKED, "peer revoked");
            continue;
          }
          if (mothership.reassertionDue(c.peer)) {
            close(c, REASSERTION_REQUIRED, "identity provider reassertion required");
            continue;
          }
          ObjectNode beat = message("heartbeat");
          beat.put("rotate", shouldRotate(c, now));
          if (storeUnreachable) {
            beat.put("store_unreachable", true);
          }
          if (!instances.isEmpty()) {
            instances.forEach(beat.putArray("instances")::add);
          }
          send(c, beat);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed: {}", e.toString());
    }
  }

  private void onRevoked(Revocation revocation) {
    List<Connection> others = new ArrayList<>();
    for (Set<Connection> set : connections.values()) {
      for (Connection c : set) {
        if (revocation.refusesPeer(c.peer.peer(), c.peer.subject(), c.peer.joinedAt())) {
          close(c, REVOKED, "peer revoked");
        } else {
          others.add(c);
        }
      }
    }
    heartbeats.execute(() -> pushRevocations(others));
  }

  private void onRotated(CertificateRotation rotation) {
    ObjectNode message = message("pin_handover");
    message.put("handover", rotation.handover().compact());
    for (Set<Connection> set : connections.values()) {
      for (Connection c : set) {
        send(c, message);
      }
    }
  }

  private void pushRevocations(Connection c) {
    pushRevocations(List.of(c));
  }

  /** Signs each needed delta once (peers at the same version get the same document) and sends it. */
  private void pushRevocations(Collection<Connection> targets) {
    Map<Long, String> documents = new HashMap<>();
    for (Connection c : targets) {
      long since = Math.max(0, Math.min(c.acknowledged, mothership.revocations().version()));
      try {
        String document = documents.get(since);
        if (document == null) {
          document = mothership.publisher().fetchSince(since);
          documents.put(since, document);
        }
        ObjectNode message = message("revocations");
        message.put("document", document);
        send(c, message);
      } catch (TransportException | RuntimeException e) {
        LOG.warn("could not push revocations to {}: {}", c.peer.peer(), e.getMessage());
      }
    }
  }

  /** Closes every connection of a peer; returns how many were closed. */
  public int kick(PeerId peer, int code, String reason) {
    Set<Connection> set = connections.getOrDefault(peer, Set.of());
    int n = 0;
    for (Connection c : set) {
      close(c, code, reason);
      n++;
    }
    return n;
  }

  private void close(Connection c, int code, String reason) {
    closed(c);
    if (c.session.isOpen()) {
      c.session.close(code, reason, Callback.NOOP);
    }
  }

  private ObjectNode message(String type) {
    ObjectNode m = Wire.object();
    m.put("type", type);
    m.put("server_time", mothership.clock().instant().toString());
    m.put("revocation_version", mothership.revocations().version());
    return m;
  }

  private void send(Connection c, ObjectNode message) {
    if (c.session.isOpen()) {
      c.session.sendText(Wire.write(message), Callback.NOOP);
    }
  }

  /** @return the idle timeout of a control connection: three heartbeats */
  public Duration idleTimeout() {
    return mothership.config().peers().heartbeatInterval().multipliedBy(3);
  }

  /** @return the audit log's replication to admin peers */
  AuditReplication audit() {
    return audit;
  }

  /** @return the sync plane's view of the connections */
  SyncHub sync() {
    return sync;
  }

  /** @return the direct-connection plane: identities, hints, attempt reports */
  DirectPeers direct() {
    return direct;
  }

  /** Closes every connection with "going away" and stops the heartbeat timer. */
  @Override
  public void close() {
    heartbeats.shutdownNow();
    auditPages.shutdownNow();
    sync.close();
    for (Set<Connection> set : connections.values()) {
      for (Connection c : set) {
        close(c, GOING_AWAY, "mothership stopping");
      }
    }
  }
}
