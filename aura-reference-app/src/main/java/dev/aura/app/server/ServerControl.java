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

  /** Stops the server soon, after the current response is sent. */
  void shutdownSoon();
}
