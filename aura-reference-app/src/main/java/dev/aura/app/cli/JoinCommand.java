package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.AnnouncedAddresses;
import dev.aura.app.peer.ClockOffset;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.peer.PeerState;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.MothershipId;
import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.tls.PinSet;
import dev.aura.token.TokenDecoder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aura mothership join --url URL --token TOKEN}. */
@Command(name = "join", mixinStandardHelpOptions = true,
    description = {"Joins a Mothership with a join token. The token's tls_fingerprint pins the Mothership's"
        + " certificate for this first connection and every one after; the peer id, the pinned fingerprint"
        + " and a refresh credential (0600) are kept in $AURA_HOME. A Mothership that requires a fresh sign-in"
        + " at its identity provider ([oidc]) has you approve a device code in a browser first.",
        "",
        "  aura mothership join --url https://mothership.acme.internal:7777 --token eyJ...",
        "",
        "Several instances of one Mothership (one PostgreSQL store): give --url once per instance; they are tried in"
            + " order until one answers, and all are kept, with the instance list the Mothership sends, to fail over"
            + " to later."})
final class JoinCommand extends BaseCommand {
  @Option(names = "--url", required = true, paramLabel = "URL",
      description = "The Mothership, https://host:port (repeatable: instances of one Mothership, tried in order).")
  List<String> urls;

  @Option(names = "--token", required = true, paramLabel = "TOKEN",
      description = "The join token, or - to read it from standard input.")
  String token;

  @Option(names = "--announce", paramLabel = "ADDR",
      description = "An address to announce for direct connections (repeatable; default: this host's"
          + " non-loopback addresses).")
  List<String> announce;

  @Option(names = "--id-token-file", paramLabel = "FILE",
      description = "An ID token from the Mothership's identity provider, for scripts; without it a Mothership"
          + " that requires one ([oidc]) has you sign in with the device flow.")
  Path idTokenFile;

  @Option(names = "--idp-ca-file", paramLabel = "PEM",
      description = "Certificates to trust for the identity provider's HTTPS instead of the JDK's trust store.")
  Path idpCaFile;

  @Mixin
  JsonOption json;

  JoinCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    List<URI> given = new ArrayList<>();
    for (String url : urls) {
      try {
        URI checked = MothershipClient.checkUrl(URI.create(url));
        if (!given.contains(checked)) {
          given.add(checked);
        }
      } catch (IllegalArgumentException e) {
        throw new AuraException("--url: " + e.getMessage(), null, AuraException.USAGE);
      }
    }
    String value = token;
    if ("-".equals(token)) {
      if (env.stdin() == null) {
        throw new AuraException("no standard input to read the token from", null, AuraException.USAGE);
      }
      String line = env.stdin().readLine();
      value = line == null ? "" : line.strip();
    }
    Fingerprint pinned = pinnedFingerprint(value);
    PinSet pins = PinSet.of(pinned);
    boolean followed = false;
    List<String> addresses = announce != null ? announce : AnnouncedAddresses.discover();
    ObjectNode request = Wire.object();
    request.put("token", value);
    ArrayNode list = request.putArray("addresses");
    addresses.forEach(list::add);

    PeerState state = new PeerState(env.home());
    Optional<PeerState.Membership> previous = state.joined() ? safeMembership(state) : Optional.empty();
    MothershipClient.Reply reply = null;
    IdpSignIn signIn = new IdpSignIn(idTokenFile, idpCaFile, json.json ? err() : out());
    URI base = null;
    MothershipClient client = null;
    AuraException failure = null;
    for (int i = 0; reply == null && i < given.size(); i++) {
      base = given.get(i);
      client = new MothershipClient(base, pins, env.clock(), env.protocolVersion(), Duration.ofSeconds(15));
      try {
        reply = signIn.post(client, Wire.JOIN, request, null);
        failure = null;
      } catch (AuraException e) {
        failure = e;
        if (!PeerClient.unreachable(e) || i == given.size() - 1) {
          break;
        }
        err().println("failover: " + base + " unreachable (" + e.getMessage() + "); trying " + given.get(i + 1));
      }
    }
    try {
      if (failure != null) {
        // The certificate the token pins may have been rotated: follow a handover signed by it, if served.
        java.util.Optional<PinSet> next = PeerClient.isPinMismatch(failure) ? dev.aura.app.peer.HandoverFollower
            .follow(base, pins, env.clock(), env.protocolVersion(), Duration.ofSeconds(15)) : java.util.Optional.empty();
        if (next.isEmpty()) {
          throw failure;
        }
        pins = next.get();
        followed = true;
        client = new MothershipClient(base, pins, env.clock(), env.protocolVersion(), Duration.ofSeconds(15));
        reply = signIn.post(client, Wire.JOIN, request, null);
      }
    } catch (AuraException e) {
      String why = e.why().orElse("");
      String prefix = "tls fingerprint mismatch: ";
      if (e.what().equals("tls handshake failed") && why.startsWith(prefix)) {
        throw new AuraException("tls fingerprint mismatch", "the token pins " + pinned + " but "
            + why.substring(prefix.length()).replaceFirst("; pinned: .*$", "")
            + ": the Mothership's certificate changed, or something intercepts TLS. Compare with 'aura"
            + " mothership tls info' on the Mothership; if the change is legitimate, ask for a new token");
      }
      throw e;
    }
    JsonNode r = reply.body();
    List<URI> instances = List.of();
    try {
      instances = dev.aura.app.peer.InstanceList.announcedIn(r, "in the join answer of " + client.hostPort());
    } catch (AuraException e) {
      err().println("warning: " + e.getMessage() + " (only the --url given are kept)");
    }
    List<String> announced = new ArrayList<>();
    r.path("announced").forEach(a -> announced.add(a.asText()));
    PeerState.Membership membership = new PeerState.Membership(base,
        MothershipId.parse(r.path("mothership_id").asText()), PeerId.parse(r.path("peer_id").asText()),
        r.path("subject").asText(), Role.parse(r.path("role").asText()), env.clock().instant(), announced,
        Duration.ofSeconds(r.path("heartbeat_seconds").asLong(30)));
    state.saveJoin(membership, pins, r.path("refresh_credential").asText());
    dev.aura.app.peer.InstanceList saved = new dev.aura.app.peer.InstanceList(given, instances);
    state.saveInstances(saved);
    dev.aura.app.direct.OwnIdentity.ensureKeys(state.home(), env.clock()); // direct connections' key pair
    try {
      state.saveMothershipKeys(Wire.write(client.get(Wire.KEYS, null).body()));
    } catch (AuraException e) {
      err().println("warning: could not fetch the Mothership's public keys: " + e.getMessage());
    }
    ClockOffset offset = reply.clockOffset().orElse(new ClockOffset(Duration.ZERO, Duration.ZERO));
    if (json.json) {
      ObjectNode o = Wire.object();
      o.put("mothership_id", membership.mothershipId().value());
      o.put("url", base.toString());
      o.put("peer_id", membership.peerId().value());
      o.put("subject", membership.subject());
      o.put("role", membership.role().wireName());
      o.put("pinned", pinned.toString());
      o.set("announced", r.path("announced"));
      ArrayNode known = o.putArray("instances");
      saved.order().forEach(u -> known.add(u.toString()));
      o.put("clock_offset_ms", offset.estimate().toMillis());
      o.put("clock_offset_seconds", offset.estimateSeconds());
      o.put("clock_offset_uncertainty_seconds", offset.uncertaintySeconds());
      previous.ifPresent(p -> o.put("replaced", p.peerId().value()));
      json.print(out(), o);
      return 0;
    }
    out().println("joined: " + membership.mothershipId() + " at " + base);
    out().println("peer_id: " + membership.peerId());
    out().println("subject: " + membership.subject());
    out().println("role: " + membership.role());
    out().println("pinned: " + (followed ? pins.describe(env.clock().instant())
        + " (the token's certificate was rotated; followed the signed handover)" : pinned.toString()));
    out().println("announced: " + (announced.isEmpty() ? "none" : String.join(", ", announced)));
    out().println("instances: " + String.join(", ", saved.order().stream().map(URI::toString).toList()));
    out().println("clock_offset: " + Format.offset(offset));
    previous.ifPresent(p -> out().println("replaced: " + p.peerId() + " (" + p.mothershipId() + ")"));
    return 0;
  }

  private static Optional<PeerState.Membership> safeMembership(PeerState state) {
    try {
      return state.membership();
    } catch (AuraException e) {
      return Optional.empty();
    }
  }

  private static Fingerprint pinnedFingerprint(String token) throws AuraException {
    TokenDecoder.Decoded decoded = TokenDecoder.decode(token);
    Object claim = decoded.claims().map(c -> c.get("tls_fingerprint")).orElse(null);
    if (!(claim instanceof String text)) {
      throw new AuraException("malformed token", decoded.problems().isEmpty()
          ? "it has no tls_fingerprint claim (is it a join token?)" : String.join("; ", decoded.problems()));
    }
    try {
      return Fingerprint.parse(text);
    } catch (IllegalArgumentException e) {
      throw new AuraException("malformed token", "claim 'tls_fingerprint': " + e.getMessage());
    }
  }
}
