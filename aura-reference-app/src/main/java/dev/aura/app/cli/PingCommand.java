package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.ClockOffset;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.peer.PeerState;
import dev.aura.app.protocol.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aura mothership ping}. */
@Command(name = "ping", mixinStandardHelpOptions = true,
    description = {"From a joined peer: checks that the Mothership is reachable, that it presents the pinned"
        + " certificate, the round-trip time and clock offset, and that this peer's credential is still"
        + " accepted (a revoked peer sees \"peer revoked\"). On the Mothership host it pings the local one."})
final class PingCommand extends BaseCommand {
  private static final Duration MAX_OFFSET = Duration.ofSeconds(60);

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "Connect and request timeout (default 5).")
  int timeoutSeconds;

  @Mixin
  HostOptions host;

  @Mixin
  JsonOption json;

  PingCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
    PeerState state = new PeerState(env.home());
    AdminTarget target = null;
    PeerClient peer = null;
    MothershipClient client;
    if (!host.explicitDataDir() && state.joined()) {
      peer = PeerClient.open(env, timeout);
      client = peer.client();
    } else {
      target = AdminTarget.local(env, host).orElseThrow(() -> new AuraException(
          "nothing to ping", "this AURA_HOME has not joined a Mothership and none runs from "
              + host.dataDir(env).root()));
      client = target.client;
    }
    if (!json.json) {
      out().println("ping " + client.hostPort());
      out().flush();
    }
    long connectNanos;
    if (peer != null) { // an unreachable instance: the next one the peer knows (failover: ... on stdout)
      if (!json.json) {
        peer.onNotice(out()::println);
      }
      connectNanos = peer.call(c -> tcpConnect(c, timeout));
      client = peer.client();
    } else {
      connectNanos = tcpConnect(client, timeout);
    }
    MothershipClient.Reply first;
    MothershipClient.Reply reply;
    if (peer != null) {
      first = peer.get(Wire.PING); // includes the TLS handshake (and follows a signed pin handover)
      reply = peer.get(Wire.PING); // on the same connection: the round trip
      client = peer.client(); // the instance that answered, after a failover from one without its database
    } else {
      first = target.get(Wire.PING);
      reply = target.get(Wire.PING);
    }
    JsonNode r = reply.body();
    ClockOffset offset = reply.clockOffset().orElse(new ClockOffset(Duration.ZERO, Duration.ZERO));
    boolean rotated = false;
    if (peer != null && r.path("rotate").asBoolean(false)) {
      peer.rotateCredential();
      rotated = true;
    }
    boolean learned = false;
    if (peer != null) { // an instance started since the last refresh: kept for the next failover
      try {
        learned = peer.learnInstances(r, "in the ping answer of " + client.hostPort());
      } catch (AuraException e) {
        err().println(PeerClient.keptPreviousList(e));
      }
    }
    String credential = r.hasNonNull("peer_id")
        ? "accepted (" + r.get("peer_id").asText() + ", " + r.path("role").asText() + ")"
        : "accepted (local admin)";
    if (json.json) {
      ObjectNode o = Wire.object();
      o.put("target", client.hostPort());
      o.put("mothership_id", r.path("mothership_id").asText());
      o.put("tcp_connect_ms", connectNanos / 1_000_000.0);
      o.put("round_trip_ms", reply.roundTrip().toNanos() / 1_000_000.0);
      o.put("clock_offset_ms", offset.estimate().toMillis());
      o.put("clock_offset_seconds", offset.estimateSeconds());
      o.put("clock_offset_uncertainty_seconds", offset.uncertaintySeconds());
      o.put("clock_offset_ok", !offset.surelyBeyond(MAX_OFFSET));
      o.put("credential", "accepted");
      if (r.hasNonNull("peer_id")) {
        o.put("peer_id", r.get("peer_id").asText());
      }
      o.put("credential_rotated", rotated);
      json.print(out(), o);
      return 0;
    }
    out().println("tcp_connect: ok (" + millis(connectNanos) + ")");
    out().println("tls: ok (certificate pinned; handshake and first request " + millis(first.roundTrip().toNanos())
        + ")");
    out().println("round_trip: " + millis(reply.roundTrip().toNanos()));
    out().println("clock_offset: " + Format.offset(offset) + (offset.surelyBeyond(MAX_OFFSET)
        ? " (off by at least " + offset.atLeastText() + ", more than 60s: tokens"
            + " will be refused as expired or not yet valid; check NTP)" : ""));
    out().println("mothership: " + r.path("mothership_id").asText());
    out().println("credential: " + credential + (rotated ? ", rotated" : ""));
    if (learned) {
      out().println(peer.instancesLine());
    }
    if (peer != null && peer.followedHandover()) {
      out().println("pinned: " + peer.state.pins().describe(env.clock().instant())
          + " (followed the Mothership's signed certificate handover)");
    }
    return 0;
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1_000_000.0);
  }

  private static long tcpConnect(MothershipClient client, Duration timeout) throws AuraException {
    long started = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(client.base().getHost().replace("[", "").replace("]", ""),
          client.base().getPort()), (int) timeout.toMillis());
      return System.nanoTime() - started;
    } catch (SocketTimeoutException e) {
      throw new AuraException("cannot reach " + client.hostPort(), "tcp connect: timeout");
    } catch (IOException e) {
      throw client.transportFailure(e);
    }
  }

}
