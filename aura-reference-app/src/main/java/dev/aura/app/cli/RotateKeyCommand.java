package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code aura mothership rotate-key}. */
@Command(name = "rotate-key", mixinStandardHelpOptions = true,
    description = {"Rotates the JWT signing key. The previous public key keeps verifying for the grace"
        + " ([jwt] key_rotation_grace, default 24h) so peers mid-handshake can complete; after it, unjoined"
        + " tokens signed with the old key are refused as \"invalid signature\" and peers re-handshake.",
        "Use it if the private key may have been compromised, and yearly."})
final class RotateKeyCommand extends BaseCommand {
  @Mixin
  HostOptions host;

  @Mixin
  JsonOption json;

  RotateKeyCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    JsonNode r = admin(host, "rotate-key", null, null);
    if (printedAsJson(json, r)) {
      return 0;
    }
    Instant now = env.clock().instant();
    out().println("kid: " + r.path("kid").asText() + " (" + r.path("algorithm").asText() + ", primary)");
    out().println("previous: " + r.path("previous_kid").asText() + " (verifies until "
        + Format.utcRelative(now, Instant.parse(r.path("previous_retires_at").asText())) + ")");
    out().println("tokens signed by the previous key are refused as \"invalid signature\" once its grace ends;"
        + " re-issue any that are still unused");
    return 0;
  }
}
