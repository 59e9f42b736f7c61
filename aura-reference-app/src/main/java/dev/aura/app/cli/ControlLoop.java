package dev.aura.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.direct.RevocationCopy;
import dev.aura.app.peer.AuditCopy;
import dev.aura.app.peer.ControlConnection;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.protocol.Wire;
import dev.aura.revocation.PeerRevocationCache;
import dev.aura.revocation.RevocationSyncException;
import dev.aura.revocation.UpdateOutcome;
import dev.aura.spi.TransportException;
import dev.aura.tls.PinHandover;
import dev.aura.tls.PinSet;
import dev.aura.tls.TlsPinningException;
import dev.aura.token.PublicKeyRing;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A joined peer's long-running control connection, shared by {@code aura mothership connect} and
 * {@code aura sync}: heartbeats, automatic refresh-credential rotation, signed revocation updates (verified
 * and kept), certificate handovers (pins follow a {@code tls rotate}), reconnection with backoff after a drop
 * or a kick, and "peer revoked" as the end. A {@link Hook} adds what runs on top (the sync plane).
 */
final class ControlLoop {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /**
   * Thrown by a hook when the session cannot go on but a new one may (the Mothership stopped answering a
   * request, content could not be fetched): the loop reconnects with backoff, as after a dropped connection.
   */
  static final class Reconnect extends Exception {
    private static final long serialVersionUID = 1L;

    Reconnect(String why) {
      super(why, null, false, false);
    }
  }

  /** What runs on top of the control connection. */
  interface Hook {
    /** Called after every {@code hello}: the connection is ready. */
    void connected(ControlConnection connection) throws Exception;

    /** @return whether the message was the hook's */
    boolean handle(ObjectNode message) throws Exception;

    /** Called at least every {@link #tick()} while connected, and between messages. */
    void idle() throws Exception;

    /** @return how often {@link #idle()} runs */
    Duration tick();

    /** @return whether the loop should end (a one-shot run that finished) */
    boolean done() throws Exception;

    /** @return whether to keep trying while the Mothership cannot be reached (false: fail at once) */
    boolean retries();

    /** Called while the Mothership cannot be reached, so local work continues. */
    void offline() throws Exception;

    /** @return how old the saved revocation copy may get before direct connections are refused */
    default Duration revocationMaxAge() {
      return Duration.ofMinutes(dev.aura.app.direct.RevocationCopy.DEFAULT_MAX_AGE_MINUTES);
    }

    /** Called once at start with the peer's verified, saved copy of the revocation list. */
    default void revocationCopy(dev.aura.app.direct.RevocationCopy copy) throws Exception {}

    /** Called after the refresh credential was rotated (a refresh). */
    default void rotated() throws Exception {}
  }

  private final CliEnvironment env;
  private final PrintWriter out;
  private final PrintWriter err;
  private final PeerClient peer;
  private final Hook hook;
  private final boolean verbose;
  private AuditCopy auditCopy;

  ControlLoop(CliEnvironment env, PrintWriter out, PrintWriter err, PeerClient peer, Hook hook, boolean verbose) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.peer = peer;
    this.hook = hook;
    this.verbose = verbose;
  }

  /** Runs until interrupted (exit 0), revoked ("peer revoked") or, with a one-shot hook, done. */
  int run() throws Exception {
    try {
      return loop();
    } finally {
      if (auditCopy != null) {
        auditCopy.close();
      }
    }
  }

  private int loop() throws Exception {
    AtomicReference<PublicKeyRing> keys = new AtomicReference<>();
    peer.state.mothershipKeys().ifPresent(jwks -> keys.set(PublicKeyRing.fromJwkSet(jwks)));
    peer.onNotice(notice -> {
      out.println(notice);
      out.flush();
    });
    peer.instancesProblem().ifPresent(problem -> err.println("warning: " + problem
        + "; only " + peer.membership.url() + " is tried"));
    RevocationCopy copy = RevocationCopy.open(peer.state.home(), keys::get, env.clock(), hook.revocationMaxAge());
    copy.loadProblem().ifPresent(problem -> err.println("warning: " + problem));
    PeerRevocationCache cache = copy.cache();
    hook.revocationCopy(copy);
    Duration backoff = Duration.ofSeconds(1);
    while (true) {
      ControlConnection connection;
      try {
        connection = open();
      } catch (AuraException e) {
        explainRefusal(e);
        if (!hook.retries()) {
          throw e;
        }
        if (!waitOffline(backoff, "cannot connect: " + e.getMessage())) {
          return 0;
        }
        backoff = next(backoff);
        continue;
      }
      backoff = Duration.ofSeconds(1);
      try (connection) {
        Reason reason = session(connection, keys, copy);
        if (reason.stop) {
          if (!reason.text.isEmpty()) {
            out.println(reason.text);
          }
          return 0;
        }
        if (!hook.retries()) {
          throw new AuraException("connection to the Mothership lost", reason.text);
        }
        if (!waitOffline(backoff, reason.text)) {
          return 0;
        }
      }
    }
  }

  private record Reason(boolean stop, String text) {}

  /** Opens the control connection to the current instance, failing over along the known ones. */
  private ControlConnection open() throws AuraException {
    boolean followedBefore = peer.followedHandover();
    ControlConnection connection = peer.call(c -> ControlConnection.open(c, peer.credential()));
    if (!followedBefore && peer.followedHandover()) {
      out.println("pinned: " + peer.state.pins().describe(env.clock().instant())
          + " (followed the Mothership's signed certificate handover)");
    }
    return connection;
  }

  /** A refused connection: ask the Mothership why over HTTPS, so "peer revoked" shows as such. */
  private void explainRefusal(AuraException e) throws AuraException {
    if (e.what().equals("control connection refused")) {
      peer.get(Wire.PING); // throws "peer revoked", "token expired", ... with the Mothership's detail
    }
    if (e.what().startsWith("protocol version mismatch") || PeerClient.isPinMismatch(e)
        || e.what().startsWith("tls:")) {
      throw e; // waiting will not fix these
    }
  }

  private Reason session(ControlConnection connection, AtomicReference<PublicKeyRing> keys, RevocationCopy copy)
      throws Exception {
    PeerRevocationCache cache = copy.cache();
    long silenceNanos = peer.membership.heartbeat().multipliedBy(3).toNanos();
    long lastHeard = System.nanoTime();
    long lastTick = System.nanoTime();
    long tickNanos = hook.tick().toNanos();
    while (true) {
      if (hook.done()) {
        return new Reason(true, "");
      }
      ControlConnection.Event event;
      try {
        event = connection.next(hook.tick());
      } catch (InterruptedException e) {
        return new Reason(true, "disconnected");
      }
      if (Thread.currentThread().isInterrupted()) {
        return new Reason(true, "disconnected");
      }
      long now = System.nanoTime();
      if (event == null || now - lastTick >= tickNanos) {
        lastTick = now;
        try {
          hook.idle();
        } catch (Reconnect r) {
          return new Reason(false, r.getMessage());
        }
      }
      if (event == null) {
        if (now - lastHeard > silenceNanos) {
          return new Reason(false, "no heartbeat for " + Format.span(Duration.ofNanos(silenceNanos)));
        }
        continue;
      }
      lastHeard = now;
      if (event instanceof ControlConnection.Closed closed) {
        if (closed.code() == 4003) {
          peer.get(Wire.PING); // the Mothership says why: "peer revoked"
          throw new AuraException("peer revoked", closed.reason());
        }
        return new Reason(false, "disconnected: " + (closed.reason().isEmpty() ? "code " + closed.code()
            : closed.reason()));
      }
      if (event instanceof ControlConnection.Failed failed) {
        return new Reason(false, "connection lost: " + failed.cause().getMessage());
      }
      ObjectNode m = ((ControlConnection.Message) event).body();
      switch (m.path("type").asText()) {
        case "hello" -> {
          refreshKeys(keys);
          out.println("connected: " + peer.membership.mothershipId() + " at " + peer.client().base() + " as "
              + m.path("peer_id").asText() + " (heartbeat " + m.path("heartbeat_seconds").asLong() + "s)");
          rotateIfAsked(m);
          renewRevocations(keys, copy);
          ack(connection, cache);
          followAudit(connection);
          hook.connected(connection);
        }
        case "audit" -> copyAudit(m, keys);
        case "audit_refused" -> { }
        case "heartbeat" -> {
          if (verbose) {
            out.println("heartbeat: " + m.path("server_time").asText() + " (revocation version "
                + m.path("revocation_version").asLong() + ")");
          }
          if (m.path("store_unreachable").asBoolean(false) && peer.canFailOver()) {
            return new Reason(false, peer.moveOn("it says store unreachable"));
          }
          learnInstances(m);
          rotateIfAsked(m);
          renewRevocations(keys, copy);
          ack(connection, cache);
        }
        case "revocations" -> {
          applyRevocations(keys, copy, m.path("document").asText());
          ack(connection, cache);
        }
        case "pin_handover" -> followHandover(m.path("handover").asText());
        default -> {
          try {
            hook.handle(m);
          } catch (Reconnect r) {
            return new Reason(false, r.getMessage());
          }
        }
      }
      out.flush();
    }
  }

  /** An admin peer keeps a verified copy of the audit log: follow it from the last entry held. */
  private void followAudit(ControlConnection connection) throws AuraException {
    if (peer.membership.role() != dev.aura.spi.Role.ADMIN) {
      return;
    }
    if (auditCopy == null) {
      auditCopy = AuditCopy.open(peer.state.auditCopyFile(), peer.membership.mothershipId());
    }
    ObjectNode follow = Wire.object();
    follow.put("type", "audit_follow");
    follow.put("after", auditCopy.lastSeq());
    connection.send(follow);
  }

  private void copyAudit(ObjectNode m, AtomicReference<PublicKeyRing> keys) throws AuraException {
    if (auditCopy == null) {
      return;
    }
    String head = m.path("head").isTextual() ? m.path("head").asText() : null;
    AuditCopy.Update update;
    try {
      update = auditCopy.apply(m.path("entries"), head, keys.get(), env.clock().instant());
    } catch (AuraException e) {
      if (e.what().equals("audit head refused")) {
        refreshKeys(keys); // signed by a key this peer has not fetched yet
        try {
          update = auditCopy.apply(m.path("entries"), head, keys.get(), env.clock().instant());
        } catch (AuraException again) {
          err.println("warning: " + again.getMessage());
          return;
        }
      } else {
        err.println("warning: " + e.getMessage());
        return;
      }
    }
    update.truncation().ifPresent(t -> err.println("warning: " + t));
    if (update.added() > 0) {
      out.println("audit: copied " + update.added() + " entries (up to " + auditCopy.lastSeq() + ")");
    }
  }

  /** Keeps the saved copy fresh over HTTPS (a signed delta, empty when nothing changed). */
  private void renewRevocations(AtomicReference<PublicKeyRing> keys, RevocationCopy copy) throws AuraException {
    try {
      copy.renewIfDue(since -> {
        try {
          return peer.get(Wire.REVOCATIONS + "?since=" + since).body().path("document").asText();
        } catch (AuraException e) {
          throw new TransportException(e.what());
        }
      });
    } catch (RevocationSyncException e) {
      if (e.reason() == RevocationSyncException.Reason.INVALID) {
        refreshKeys(keys);
      }
      err.println("warning: revocation list not renewed: " + e.getMessage());
    } catch (java.io.IOException e) {
      err.println("warning: revocation list not renewed: " + e.getMessage());
    }
  }

  private void applyRevocations(AtomicReference<PublicKeyRing> keys, RevocationCopy copy, String document)
      throws AuraException, java.io.IOException {
    PeerRevocationCache cache = copy.cache();
    UpdateOutcome outcome;
    try {
      outcome = copy.apply(document);
    } catch (RevocationSyncException e) {
      if (e.reason() != RevocationSyncException.Reason.INVALID) {
        err.println("warning: revocation update not applied: " + e.getMessage());
        return;
      }
      refreshKeys(keys); // signed by a key this peer has not seen yet (rotate-key)
      try {
        outcome = copy.apply(document);
      } catch (RevocationSyncException again) {
        err.println("warning: revocation update refused: " + again.getMessage());
        return;
      }
    }
    if (outcome.status() == UpdateOutcome.Status.APPLIED) {
      out.println("revocations: version " + outcome.to() + " (" + cache.size() + " in force)");
    }
  }

  private void followHandover(String compact) throws AuraException {
    PinSet pins = peer.state.pins();
    try {
      PinSet next = pins.apply(PinHandover.verify(compact, pins, env.clock()));
      peer.state.savePins(next);
      out.println("pin_handover: now pinning " + next.describe(env.clock().instant()));
    } catch (TlsPinningException e) {
      err.println("warning: certificate handover refused: " + e.getMessage());
    }
  }

  private void rotateIfAsked(ObjectNode m) throws Exception {
    if (m.path("rotate").asBoolean(false)) {
      try {
        peer.rotateCredential();
      } catch (AuraException e) {
        if (!e.what().equals(dev.aura.app.peer.InstanceList.MALFORMED)) {
          throw e;
        }
        keptPreviousList(e);
      }
      out.println("credential: rotated");
      hook.rotated();
    }
  }

  /** A heartbeat lists the instances with a fresh heartbeat: one started since the last refresh is kept. */
  private void learnInstances(ObjectNode heartbeat) {
    try {
      if (peer.learnInstances(heartbeat, "in a heartbeat of " + peer.client().hostPort())) {
        out.println(peer.instancesLine());
      }
    } catch (AuraException e) {
      keptPreviousList(e);
    }
  }

  /** A malformed instance list in an answer or a heartbeat: the peer keeps the list it had. */
  private void keptPreviousList(AuraException malformed) {
    err.println(PeerClient.keptPreviousList(malformed));
  }

  private void refreshKeys(AtomicReference<PublicKeyRing> keys) throws AuraException {
    MothershipClient.Reply reply = peer.get(Wire.KEYS);
    String jwks = Wire.write(reply.body());
    keys.set(PublicKeyRing.fromJwkSet(jwks));
    peer.state.saveMothershipKeys(jwks);
  }

  private static void ack(ControlConnection connection, PeerRevocationCache cache) {
    ObjectNode ack = Wire.object();
    ack.put("type", "ack");
    ack.put("revocation_version", cache.version());
    connection.send(ack);
  }

  /** Waits out a backoff, letting the hook work offline meanwhile; false when interrupted. */
  private boolean waitOffline(Duration backoff, String why) {
    out.println(why + "; reconnecting in " + Format.span(backoff));
    out.flush();
    long deadline = System.nanoTime() + backoff.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        hook.offline();
        Thread.sleep(Math.max(1, Math.min(hook.tick().toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
      }
      return !Thread.currentThread().isInterrupted();
    } catch (InterruptedException e) {
      return false;
    } catch (Exception e) {
      err.println("warning: " + e.getMessage());
      return true;
    }
  }

  private static Duration next(Duration backoff) {
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
  }

  /** The hook of plain {@code connect}: nothing on top. */
  static Hook none() {
    return new Hook() {
      @Override
      public void connected(ControlConnection connection) {}

      @Override
      public boolean handle(ObjectNode message) {
        return false;
      }

      @Override
      public void idle() {}

      @Override
      public Duration tick() {
        return Duration.ofSeconds(1);
      }

      @Override
      public boolean done() {
        return false;
      }

      @Override
      public boolean retries() {
        return true;
      }

      @Override
      public void offline() {}
    };
  }
}
