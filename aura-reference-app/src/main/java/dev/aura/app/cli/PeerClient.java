package dev.aura.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.HandoverFollower;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.peer.PeerState;
import dev.aura.app.protocol.Wire;
import dev.aura.tls.PinSet;
import java.time.Duration;
import java.util.Optional;

/**
 * A joined peer's connection to its Mothership: the pinned client and the refresh credential. When the
 * Mothership presents a certificate the peer does not pin, it looks for a signed handover from a pinned one
 * ({@link HandoverFollower}) and, if there is one, pins the new certificate and retries once.
 */
final class PeerClient {
  final PeerState state;
  final PeerState.Membership membership;
  private final CliEnvironment env;
  private final Duration timeout;
  private MothershipClient client;
  private boolean followedHandover;

  private PeerClient(CliEnvironment env, PeerState state, PeerState.Membership membership, Duration timeout)
      throws AuraException {
    this.env = env;
    this.state = state;
    this.membership = membership;
    this.timeout = timeout;
    this.client = new MothershipClient(membership.url(), state.pins(), env.clock(), env.protocolVersion(), timeout);
  }

  static PeerClient open(CliEnvironment env, Duration timeout) throws AuraException {
    PeerState state = new PeerState(env.home());
    return new PeerClient(env, state, state.requireMembership(), timeout);
  }

  MothershipClient client() {
    return client;
  }

  String credential() throws AuraException {
    return state.credential();
  }

  /** @return whether a call pinned a rotated certificate through a signed handover */
  boolean followedHandover() {
    return followedHandover;
  }

  MothershipClient.Reply get(String path) throws AuraException {
    try {
      return client.get(path, credential());
    } catch (AuraException e) {
      if (followHandover(e)) {
        return client.get(path, credential());
      }
      throw e;
    }
  }

  MothershipClient.Reply post(String path, ObjectNode body) throws AuraException {
    try {
      return client.post(path, body, credential());
    } catch (AuraException e) {
      if (followHandover(e)) {
        return client.post(path, body, credential());
      }
      throw e;
    }
  }

  /** Rotates the refresh credential and stores the new one. */
  void rotateCredential() throws AuraException {
    MothershipClient.Reply reply = post(Wire.REFRESH, Wire.object());
    state.saveCredential(reply.body().path("refresh_credential").asText());
  }

  /** Pins follow a signed handover, if the failure was a pin mismatch and one is served. */
  boolean followHandover(AuraException failure) throws AuraException {
    if (!isPinMismatch(failure)) {
      return false;
    }
    Optional<PinSet> next = HandoverFollower.follow(client.base(), state.pins(), env.clock(), env.protocolVersion(),
        timeout);
    if (next.isEmpty()) {
      return false;
    }
    state.savePins(next.get());
    client = new MothershipClient(membership.url(), next.get(), env.clock(), env.protocolVersion(), timeout);
    followedHandover = true;
    return true;
  }

  static boolean isPinMismatch(AuraException e) {
    return e.what().equals("tls handshake failed") && e.why().orElse("").startsWith("tls fingerprint mismatch");
  }
}
