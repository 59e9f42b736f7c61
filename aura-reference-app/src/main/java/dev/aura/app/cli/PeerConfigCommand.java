package dev.aura.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.peer.PeerState;
import dev.aura.app.protocol.Wire;
import dev.aura.tls.Pin;
import dev.aura.tls.PinSet;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aura mothership peer-config [--show-pinned] [--show-announced]}. */
@Command(name = "peer-config", mixinStandardHelpOptions = true,
    description = {"Shows this peer's configuration in $AURA_HOME: the Mothership it joined, the certificate"
        + " fingerprints it pins, and the addresses it announced. Without a flag, shows everything."})
final class PeerConfigCommand extends BaseCommand {
  @Option(names = "--show-pinned", description = "The pinned Mothership certificate fingerprints.")
  boolean pinned;

  @Option(names = "--show-announced", description = "The addresses announced for direct connections.")
  boolean announced;

  @Mixin
  JsonOption json;

  PeerConfigCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    PeerState state = new PeerState(env.home());
    PeerState.Membership m = state.requireMembership();
    PinSet pins = state.pins();
    boolean all = !pinned && !announced;
    Instant now = env.clock().instant();
    if (json.json) {
      ObjectNode o = Wire.object();
      if (all) {
        o.put("url", m.url().toString());
        o.put("mothership_id", m.mothershipId().value());
        o.put("peer_id", m.peerId().value());
        o.put("subject", m.subject());
        o.put("role", m.role().wireName());
      }
      if (all || pinned) {
        ArrayNode list = o.putArray("pinned");
        for (Pin pin : pins.pins()) {
          ObjectNode p = list.addObject();
          p.put("fingerprint", pin.fingerprint().toString());
          p.put("active", pin.isActiveAt(now));
          pin.retireAt().ifPresent(t -> p.put("retire_at", t.toString()));
        }
      }
      if (all || announced) {
        ArrayNode list = o.putArray("announced");
        m.announced().forEach(list::add);
      }
      json.print(out(), o);
      return 0;
    }
    if (all) {
      out().println("mothership: " + m.url() + " (" + m.mothershipId() + ")");
      out().println("peer_id: " + m.peerId());
      out().println("subject: " + m.subject());
      out().println("role: " + m.role());
    }
    if (all || pinned) {
      for (Pin pin : pins.pins()) {
        out().println("pinned: " + pin.fingerprint() + pin.retireAt().map(t -> (pin.isActiveAt(now)
            ? " (accepted until " : " (retired at ") + Format.utc(t) + ")").orElse(""));
      }
    }
    if (all || announced) {
      if (m.announced().isEmpty()) {
        out().println("announced: none");
      }
      for (String address : m.announced()) {
        out().println("announced: " + address);
      }
    }
    return 0;
  }
}
