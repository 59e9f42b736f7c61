package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.DataDir;
import dev.aura.app.protocol.Wire;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code aura mothership status}. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Shows the running Mothership: listening address, certificate fingerprint and expiry, key"
        + " ring, store, connected peers, revocation version and peers lagging behind it.",
        "Exits with 3 when no Mothership is running."})
final class StatusCommand extends BaseCommand {
  @Mixin
  HostOptions host;

  @Mixin
  JsonOption json;

  StatusCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    DataDir dir = host.dataDir(env);
    Optional<AdminTarget> target = AdminTarget.local(env, host);
    if (target.isEmpty()) {
      if (json.json) {
        ObjectNode o = Wire.object();
        o.put("running", false);
        o.put("data_dir", dir.root().toString());
        json.print(out(), o);
      } else {
        out().println("mothership: not running (no " + dir.urlFile().getFileName() + " in " + dir.root() + ")");
      }
      return AuraException.NOT_RUNNING;
    }
    JsonNode s = target.get().get(Wire.ADMIN + "status").body();
    if (json.json) {
      ObjectNode o = (ObjectNode) s.deepCopy();
      o.put("running", true);
      json.print(out(), o);
      return 0;
    }
    Instant now = env.clock().instant();
    out().println("mothership: running (pid " + s.path("pid").asLong() + ")");
    out().println("mothership_id: " + s.path("mothership_id").asText());
    out().println("listening: " + s.path("listening").asText());
    JsonNode tls = s.path("tls");
    out().println("fingerprint: " + tls.path("fingerprint").asText());
    out().println("certificate_expires: " + Format.utcRelative(now, Instant.parse(tls.path("not_after").asText())));
    for (JsonNode p : tls.path("previous")) {
      out().println("previous_certificate: " + p.path("fingerprint").asText() + " (accepted until "
          + Format.utc(Instant.parse(p.path("accepted_until").asText())) + ")");
    }
    List<String> keys = new ArrayList<>();
    for (JsonNode k : s.path("key_ring")) {
      String text = k.path("kid").asText() + " (" + k.path("algorithm").asText() + ", " + k.path("status").asText();
      if (k.hasNonNull("retire_at")) {
        Instant retire = Instant.parse(k.get("retire_at").asText());
        text += retire.isAfter(now) ? ", verifies until " + Format.utc(retire) : ", grace ended";
      }
      keys.add(text + ")");
    }
    out().println("key_ring: " + String.join("; ", keys));
    out().println("store: " + s.path("store").path("kind").asText() + " " + s.path("store").path("location").asText());
    out().println("connected_peers: " + s.path("connected_peers").asLong());
    out().println("registered_peers: " + (s.path("registered_peers").isNumber() ? s.path("registered_peers").asLong()
        : "unknown (cannot reach the database)"));
    out().println("revocation_version: " + s.path("revocation_version").asLong());
    List<String> lagging = new ArrayList<>();
    for (JsonNode l : s.path("lagging_peers")) {
      lagging.add(l.path("peer_id").asText() + " at version " + l.path("acknowledged_version").asLong() + " ("
          + l.path("behind_by").asLong() + " behind)");
    }
    out().println("lagging_peers: " + (lagging.isEmpty() ? "none" : String.join(", ", lagging)));
    JsonNode sync = s.path("sync");
    out().println("sync_store: " + sync.path("store").asText());
    out().println("sync_workers: " + sync.path("workers").asLong());
    out().println("sync_backlog: " + sync.path("backlog").asLong() + " events (received, not yet persisted;"
        + " last commit " + sync.path("last_commit_ms").asLong() + " ms)");
    List<String> heads = new ArrayList<>();
    for (JsonNode w : sync.path("workspaces")) {
      heads.add(w.path("name").asText() + " at " + w.path("head").asLong() + " (" + w.path("subscribers").asLong()
          + " syncing" + (w.path("relay_behind").asLong() > 0 ? ", relay " + w.path("relay_behind").asLong()
          + " behind" : "") + ")");
    }
    out().println("workspaces: " + (heads.isEmpty() ? "none yet" : String.join(", ", heads)));
    printGroup(s.path("group"), now);
    out().println("health: " + s.path("health").asText());
    return 0;
  }

  /** One {@code instance:} line per instance of the group sharing this store (a single one on SQLite). */
  private void printGroup(JsonNode group, Instant now) {
    if (group.isMissingNode()) {
      return;
    }
    if (group.hasNonNull("store_problem")) {
      out().println("instances_error: cannot reach the database (" + group.get("store_problem").asText()
          + "); showing the last list read");
    }
    for (JsonNode i : group.path("instances")) {
      String health = i.path("health").asText();
      if (health.equals("stale heartbeat")) {
        health += " (last " + Format.span(java.time.Duration.ofMillis(i.path("heartbeat_age_ms").asLong())) + " ago)";
      }
      out().println("instance: " + i.path("url").asText() + " " + health + " (" + i.path("instance_id").asText()
          + ", connected_peers " + i.path("connected_peers").asLong() + ", version " + i.path("version").asText()
          + (i.path("self").asBoolean() ? ", this instance" : "") + ")");
    }
  }
}
