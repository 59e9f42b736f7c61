package dev.aura.app.server;

import dev.aura.spi.PeerId;
import java.util.Set;

/** What the API needs from the running server: where it listens, who is connected, and shutdown. */
public interface ServerControl {
  /** @return the listening address as bound, such as {@code 0.0.0.0:7777} */
  String listening();

  /** @return the server process's pid */
  long pid();

  /** @return the peers with an open control connection */
  Set<PeerId> connectedPeers();

  /**
   * Closes every control connection of a peer.
   *
   * @return how many connections were closed
   */
  int kick(PeerId peer, String reason);

  /**
   * Closes every control connection of a peer here and on every other instance sharing the store (through
   * its change feed). When none was open here, waits up to a second for an instance that closed some.
   *
   * @return the connections closed here, or else those another instance reported closing
   */
  default int kickEverywhere(PeerId peer, String reason) {
    return kick(peer, reason);
  }

  /** @return events a peer pushed in the last minute */
  long eventsPerMinute(PeerId peer);

  /** @return successes/attempts of the peer's last three direct-connection hints ({@code 2/3}), if reported */
  default java.util.Optional<String> directConnects(PeerId peer) {
    return java.util.Optional.empty();
  }

  /** @return pushes received whose events are not yet persisted and acknowledged */
  int syncPushesInFlight();

  /** @return per workspace name, the lowest sequence relayed to every subscriber */
  java.util.Map<String, Long> syncRelayCursors();

  /** @return open subscriptions per workspace name */
  java.util.Map<String, Integer> syncSubscribers();

  /** Stops the server soon, after the current response is sent. */
  void shutdownSoon();

  /** @return this instance's entry in the registry of the Mothership's instances, once it serves */
  default java.util.Optional<InstanceHeartbeat> instances() {
    return java.util.Optional.empty();
  }
}
