package dev.aura.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.direct.DirectPlane;
import dev.aura.app.direct.DirectEvents;
import dev.aura.app.direct.RevocationCopy;
import dev.aura.app.peer.ControlConnection;
import dev.aura.app.peer.PeerState;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.ContentHash;
import dev.aura.sync.Replica;
import dev.aura.sync.SyncStoreException;
import dev.aura.token.PublicKeyRing;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code aura sync}'s direct connections: a {@link DirectPlane} wired to the peer's state and control loop. */
final class DirectSession implements AutoCloseable {
  /** Where content fetched over a direct link in ranges waits to be applied, in {@code $AURA_HOME}. */
  static final String PARTIAL_DIRECTORY = "direct-partial";
  private final DirectPlane plane;
  private final DirectEvents events;
  private final Supplier<Replica> replica;

  private DirectSession(DirectPlane plane, DirectEvents events, Supplier<Replica> replica) {
    this.plane = plane;
    this.events = events;
    this.replica = replica;
  }

  static DirectSession start(CliEnvironment env, PeerClient peer, WorkspaceName workspace, RevocationCopy copy,
      DirectOptions options, PrintWriter out, PrintWriter err, Supplier<Replica> replica, boolean verbose)
      throws Exception {
    PeerState state = peer.state;
    Supplier<PublicKeyRing> keys = () -> {
      try {
        return state.mothershipKeys().map(PublicKeyRing::fromJwkSet).orElse(null);
      } catch (AuraException | RuntimeException e) {
        return null;
      }
    };
    DirectPlane plane = DirectPlane.open(new DirectPlane.Settings(state.home(), workspace,
        peer.membership.peerId(), peer.membership.mothershipId(), keys, copy.cache(), env.clock(),
        options.retry(), out, replica, verbose));
    try {
      plane.listen(options.listen());
    } catch (BindException e) {
      plane.close();
      throw new AuraException("cannot listen for direct connections on " + options.listen().getAddress()
          .getHostAddress() + ":" + options.listen().getPort(), e.getMessage(), AuraException.USAGE);
    }
    PeerState.Membership m = peer.membership;
    state.saveMembership(new PeerState.Membership(m.url(), m.mothershipId(), m.peerId(), m.subject(), m.role(),
        m.joinedAt(), plane.announced(), m.heartbeat()));
    return new DirectSession(plane, new DirectEvents(plane, workspace, peer.membership.peerId(),
        state.home().resolve(PARTIAL_DIRECTORY), out, err), replica);
  }

  void connected(ControlConnection c) {
    events.onArrival(c::wake); // applied at once, not at the next tick: the direct path is the fast one
    plane.connected(message -> {
      c.send(message);
      return true;
    });
  }

  boolean handle(ObjectNode message) throws IOException, SyncStoreException {
    events.drain(replica.get()); // what came directly before this message is applied before it
    return plane.handle(message);
  }

  /** A sync tick with the Mothership up: dial what is due, apply what peers sent directly. */
  void tick() throws SyncStoreException {
    plane.tick();
    events.drain(replica.get());
  }

  /** A scan recorded the directory: send the new events to the directly connected peers at once. */
  void scanned() throws SyncStoreException {
    events.send(replica.get());
  }

  /** The Mothership is unreachable: keep dialing from the saved hints, exchange unacknowledged events directly. */
  void offline() throws SyncStoreException {
    events.onArrival(() -> {});
    plane.disconnected();
    plane.tick();
    events.send(replica.get());
    events.drain(replica.get());
  }

  void rotated() {
    plane.refreshed();
  }

  Optional<byte[]> fetch(ContentHash hash) {
    return plane.fetch(hash);
  }

  DirectPlane plane() {
    return plane;
  }

  @Override
  public void close() {
    events.close();
    plane.close();
  }
}
