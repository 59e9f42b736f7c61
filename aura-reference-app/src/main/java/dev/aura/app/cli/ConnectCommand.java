package dev.aura.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.ControlConnection;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.protocol.Wire;
import dev.aura.revocation.PeerRevocationCache;
import dev.aura.revocation.RevocationSyncException;
import dev.aura.revocation.UpdateOutcome;
import dev.aura.tls.PinHandover;
import dev.aura.tls.PinSet;
import dev.aura.tls.TlsPinningException;
import dev.aura.token.PublicKeyRing;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aura mothership connect}: keeps this peer's control connection open. */
@Command(name = "connect", mixinStandardHelpOptions = true,
    description = {"Keeps this peer connected to its Mothership (a control connection authenticated by the"
        + " refresh credential) until Ctrl-C: heartbeats, automatic refresh-credential rotation, signed"
        + " revocation updates (verified and kept here) and certificate handovers (pins follow a"
        + " 'tls rotate'). Reconnects after a drop or a kick; stops with \"peer revoked\" when revoked."})
final class ConnectCommand extends BaseCommand {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  @Option(names = "--verbose", description = "Also print every heartbeat.")
  boolean verbose;

  ConnectCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    PeerClient peer = PeerClient.open(env, Duration.ofSeconds(15));
    AtomicReference<PublicKeyRing> keys = new AtomicReference<>();
    peer.state.mothershipKeys().ifPresent(jwks -> keys.set(PublicKeyRing.fromJwkSet(jwks)));
    PeerRevocationCache cache = PeerRevocationCache.builder().keys(keys::get).clock(env.clock())
        .maxStaleness(Duration.ofHours(1)).build();
    Duration backoff = Duration.ofSeconds(1);
    while (true) {
      ControlConnection connection;
      try {
        connection = open(peer);
      } catch (AuraException e) {
        explainRefusal(peer, e);
        if (!sleep(backoff, "cannot connect: " + e.what() + e.why().map(w -> ": " + w).orElse(""))) {
          return 0;
        }
        backoff = next(backoff);
        continue;
      }
      backoff = Duration.ofSeconds(1);
      try (connection) {
        Reason reason = session(peer, connection, keys, cache);
        if (reason.stop) {
          out().println("disconnected");
          return 0;
        }
        if (!sleep(backoff, reason.text)) {
          return 0;
        }
      }
    }
  }

  private record Reason(boolean stop, String text) {}

  private ControlConnection open(PeerClient peer) throws AuraException {
    try {
      return ControlConnection.open(peer.client(), peer.credential());
    } catch (AuraException e) {
      if (peer.followHandover(e)) {
        out().println("pinned: " + peer.state.pins().describe(env.clock().instant())
            + " (followed the Mothership's signed certificate handover)");
        return ControlConnection.open(peer.client(), peer.credential());
      }
      throw e;
    }
  }

  /** A refused connection: ask the Mothership why over HTTPS, so "peer revoked" shows as such. */
  private void explainRefusal(PeerClient peer, AuraException e) throws AuraException {
    if (e.what().equals("control connection refused")) {
      peer.get(Wire.PING); // throws "peer revoked", "token expired", ... with the Mothership's detail
    }
    if (e.what().startsWith("protocol version mismatch") || PeerClient.isPinMismatch(e)
        || e.what().startsWith("tls:")) {
      throw e; // waiting will not fix these
    }
  }

  private Reason session(PeerClient peer, ControlConnection connection, AtomicReference<PublicKeyRing> keys,
      PeerRevocationCache cache) throws Exception {
    Duration silence = peer.membership.heartbeat().multipliedBy(3);
    while (true) {
      ControlConnection.Event event;
      try {
        event = connection.next(silence);
      } catch (InterruptedException e) {
        return new Reason(true, "interrupted");
      }
      if (event == null) {
        return new Reason(false, "no heartbeat for " + Format.span(silence));
      }
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
          refreshKeys(peer, keys);
          out().println("connected: " + peer.membership.mothershipId() + " at " + peer.membership.url() + " as "
              + m.path("peer_id").asText() + " (heartbeat " + m.path("heartbeat_seconds").asLong() + "s)");
          rotateIfAsked(peer, m);
          ack(connection, cache);
        }
        case "heartbeat" -> {
          if (verbose) {
            out().println("heartbeat: " + m.path("server_time").asText() + " (revocation version "
                + m.path("revocation_version").asLong() + ")");
          }
          rotateIfAsked(peer, m);
          ack(connection, cache);
        }
        case "revocations" -> {
          applyRevocations(peer, keys, cache, m.path("document").asText());
          ack(connection, cache);
        }
        case "pin_handover" -> followHandover(peer, m.path("handover").asText());
        default -> { }
      }
      out().flush();
    }
  }

  private void applyRevocations(PeerClient peer, AtomicReference<PublicKeyRing> keys, PeerRevocationCache cache,
      String document) throws AuraException {
    UpdateOutcome outcome;
    try {
      outcome = cache.apply(document);
    } catch (RevocationSyncException e) {
      if (e.reason() != RevocationSyncException.Reason.INVALID) {
        err().println("warning: revocation update not applied: " + e.getMessage());
        return;
      }
      refreshKeys(peer, keys); // signed by a key this peer has not seen yet (rotate-key)
      try {
        outcome = cache.apply(document);
      } catch (RevocationSyncException again) {
        err().println("warning: revocation update refused: " + again.getMessage());
        return;
      }
    }
    if (outcome.status() == UpdateOutcome.Status.APPLIED) {
      out().println("revocations: version " + outcome.to() + " (" + cache.size() + " in force)");
    }
  }

  private void followHandover(PeerClient peer, String compact) throws AuraException {
    PinSet pins = peer.state.pins();
    try {
      PinSet next = pins.apply(PinHandover.verify(compact, pins, env.clock()));
      peer.state.savePins(next);
      out().println("pin_handover: now pinning " + next.describe(env.clock().instant()));
    } catch (TlsPinningException e) {
      err().println("warning: certificate handover refused: " + e.getMessage());
    }
  }

  private void rotateIfAsked(PeerClient peer, ObjectNode m) throws AuraException {
    if (m.path("rotate").asBoolean(false)) {
      peer.rotateCredential();
      out().println("credential: rotated");
    }
  }

  private void refreshKeys(PeerClient peer, AtomicReference<PublicKeyRing> keys) throws AuraException {
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

  private boolean sleep(Duration backoff, String why) {
    out().println(why + "; reconnecting in " + Format.span(backoff));
    out().flush();
    try {
      Thread.sleep(backoff.toMillis());
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private static Duration next(Duration backoff) {
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
  }
}
