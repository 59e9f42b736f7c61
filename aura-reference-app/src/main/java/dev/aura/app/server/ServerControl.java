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

  /** @return events a peer pushed in the last minute */
  long eventsPerMinute(PeerId peer);

  /** @return pushes received whose events are not yet persisted and acknowledged */
  int syncPushesInFlight();

  /** @return per workspace name, the lowest sequence relayed to every subscriber */
  java.util.Map<String, Long> syncRelayCursors();

  /** @return open subscriptions per workspace name */
  java.util.Map<String, Integer> syncSubscribers();

  /** Stops the server soon, after the current response is sent. */
  void shutdownSoon();
}
