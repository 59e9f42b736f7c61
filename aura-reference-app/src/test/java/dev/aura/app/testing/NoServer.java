package dev.aura.app.testing;

import dev.aura.app.server.ServerControl;
import dev.aura.spi.PeerId;
import java.util.Map;
import java.util.Set;

/** The parts of a running server that routes served in a test without one do not need: nothing connected. */
public final class NoServer implements ServerControl {
  @Override
  public String listening() {
    return "127.0.0.1";
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public Set<PeerId> connectedPeers() {
    return Set.of();
  }

  @Override
  public int kick(PeerId peer, String reason) {
    return 0;
  }

  @Override
  public long eventsPerMinute(PeerId peer) {
    return 0;
  }

  @Override
  public int syncPushesInFlight() {
    return 0;
  }

  @Override
  public Map<String, Long> syncRelayCursors() {
    return Map.of();
  }

  @Override
  public Map<String, Integer> syncSubscribers() {
    return Map.of();
  }

  @Override
  public void shutdownSoon() {
    // not served here
  }
}
