package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.ConfigLoader;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.AuditEventType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.peer.AuditCopy;
import dev.aura.app.peer.PeerState;
import java.nio.file.Path;
import java.util.Optional;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aura mothership audit [--since D] [--filter TYPE] [--verify]}. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Prints the audit log: token issuance, use, revocation, failed handshakes, rotations.",
        "",
        "  aura mothership audit --since 24h",
        "  aura mothership audit --filter key_rotation --since 7d",
        "  aura mothership audit --verify        (checks the hash chain: exit 1 if an entry was altered)"})
final class AuditCommand extends BaseCommand {
  @Option(names = "--since", paramLabel = "DURATION|DATE",
      description = "Only entries from this long ago (24h, 7d, 30d) or this date (2026-04-21); default: all.")
  String since;

  @Option(names = "--filter", paramLabel = "TYPE", split = ",",
      description = "Only these event types: token_issued, token_used, handshake_fail, token_revoked,"
          + " token_unrevoked, peer_kicked, credential_rotated, key_rotation, tls_rotation.")
  List<String> filter;

  @Option(names = "--verify", description = "Verify the log's hash chain instead of printing it.")
  boolean verify;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "10000", description = "At most N entries.")
  int limit;

  @Option(names = "--restore-from-copy", description = "On an admin peer: give the Mothership back the entries"
      + " this peer's verified copy holds beyond the Mothership's chain (after a restore from an older backup),"
      + " up to the last head the Mothership signed.")
  boolean restoreFromCopy;

  @Mixin
  HostOptions host;

  @Mixin
  JsonOption json;

  AuditCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    AdminTarget target;
    if (restoreFromCopy) {
      return restoreFromCopy();
    }
    if (verify) {
      target = AdminTarget.resolve(env, host);
      JsonNode r = target.get(Wire.ADMIN + "audit/verify").body();
      if (json.json) {
        json.print(out(), r);
        return r.path("intact").asBoolean() ? 0 : AuraException.FAILURE;
      }
      if (!r.path("intact").asBoolean()) {
        throw new AuraException("audit log verification failed at entry " + r.path("first_bad_sequence").asLong(),
            r.path("problem").asText());
      }
      out().println("audit log intact: " + r.path("entries_checked").asLong() + " entries verified");
      return 0;
    }
    StringBuilder query = new StringBuilder(Wire.ADMIN + "audit?limit=" + Math.max(1, limit));
    if (since != null) {
      query.append("&since=").append(sinceInstant());
    }
    if (filter != null && !filter.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (String f : filter) {
        try {
          names.add(AuditEventType.parse(f.trim()).wireName());
        } catch (IllegalArgumentException e) {
          throw new AuraException("--filter: " + e.getMessage(), null, AuraException.USAGE);
        }
      }
      query.append("&filter=").append(URLEncoder.encode(String.join(",", names), StandardCharsets.UTF_8));
    }
    JsonNode r = AdminTarget.resolve(env, host).get(query.toString()).body();
    if (json.json) {
      json.print(out(), r);
      return 0;
    }
    for (JsonNode e : r.path("entries")) {
      out().println(Format.timestamp(Instant.parse(e.path("at").asText())) + " " + e.path("line").asText());
    }
    return 0;
  }

  private int restoreFromCopy() throws Exception {
    PeerState state = new PeerState(env.home());
    PeerState.Membership membership = state.requireMembership();
    Path file = state.auditCopyFile();
    if (!java.nio.file.Files.exists(file)) {
      throw new AuraException("this peer keeps no copy of the audit log", "no " + file + ": admin peers keep one"
          + " while 'aura sync' or 'aura mothership connect' runs");
    }
    AdminTarget target = AdminTarget.resolve(env, host);
    long theirs = target.get(Wire.ADMIN + "audit/verify").body().path("entries_checked").asLong();
    try (AuditCopy copy = AuditCopy.open(file, membership.mothershipId())) {
      Optional<AuditCopy.TakeBack> back = copy.after(theirs);
      if (back.isEmpty()) {
        out().println("nothing to give back: the Mothership holds " + theirs + " entries, this copy's signed head"
            + " is at " + copy.status().signedSeq());
        return 0;
      }
      ObjectNode request = Wire.object();
      request.set("entries", back.get().entries());
      request.put("head", back.get().signedHead());
      JsonNode r = target.post(Wire.ADMIN + "audit/take-back", request).body();
      if (printedAsJson(json, r)) {
        return 0;
      }
      out().println("gave back " + r.path("taken_back").asLong() + " audit entries (" + (theirs + 1) + " to "
          + back.get().headSeq() + "); the Mothership's audit log is " + r.path("verification").asText());
      return 0;
    }
  }

  private Instant sinceInstant() throws AuraException {
    try {
      return env.clock().instant().minus(ConfigLoader.parseDuration(since, false));
    } catch (IllegalArgumentException notDuration) {
      try {
        return LocalDate.parse(since).atStartOfDay().toInstant(ZoneOffset.UTC);
      } catch (RuntimeException notDate) {
        try {
          return Instant.parse(since);
        } catch (RuntimeException notInstant) {
          throw new AuraException("--since '" + since + "' is neither a duration (24h, 7d) nor a date (2026-04-21)",
              null, AuraException.USAGE);
        }
      }
    }
  }
}
