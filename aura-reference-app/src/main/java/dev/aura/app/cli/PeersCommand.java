package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aura.app.protocol.Wire;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aura mothership peers [--detail]}. */
@Command(name = "peers", mixinStandardHelpOptions = true,
    description = {"Lists the peers that joined: peer_id, subject, role and when each was last seen. Revoked"
        + " peers are left out; --detail lists every peer with its status (online, offline, revoked).",
        "Works on the Mothership host and from any joined peer."})
final class PeersCommand extends BaseCommand {
  @Option(names = "--detail", description = "Columns peer_id, subject, status, last_seen, direct_connects.")
  boolean detail;

  @Mixin
  HostOptions host;

  @Mixin
  JsonOption json;

  PeersCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    JsonNode r = AdminTarget.resolve(env, host).get(Wire.ADMIN + "peers").body();
    if (json.json) {
      json.print(out(), r);
      return 0;
    }
    Instant now = env.clock().instant();
    List<String[]> rows = detail
        ? Format.rows("peer_id", "subject", "status", "last_seen", "direct_connects", "events_per_min")
        : Format.rows("peer_id", "subject", "role", "last_seen");
    for (JsonNode p : r.path("peers")) {
      Instant seen = Instant.parse(p.path("last_seen").asText());
      if (detail) {
        rows.add(new String[] {p.path("peer_id").asText(), p.path("subject").asText(), p.path("status").asText(),
            Format.span(java.time.Duration.between(seen, now).abs()), p.path("direct_connects").asText("-"),
            Long.toString(p.path("events_per_min").asLong())});
      } else if (!"revoked".equals(p.path("status").asText())) {
        rows.add(new String[] {p.path("peer_id").asText(), p.path("subject").asText(), p.path("role").asText(),
            Format.ago(now, seen)});
      }
    }
    Format.table(out(), rows);
    return 0;
  }
}
