package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationTarget;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aura mothership peer revoke|unrevoke|kick}. */
@Command(name = "peer", mixinStandardHelpOptions = true, description = "Revoke, un-revoke or disconnect peers.",
    subcommands = {PeerCommand.Revoke.class, PeerCommand.Unrevoke.class, PeerCommand.Kick.class,
        PeerCommand.Workspaces.class})
final class PeerCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code peer revoke SUBJECT|PEER_ID}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"Revokes every token and peer of a subject (alice@acme.com), or one peer (peer_0a1b2c3d)."
          + " Their control connections are closed at once; they cannot rejoin with a token issued before now.",
          "Tokens issued to the subject from the next second on work again."})
  static final class Revoke extends BaseCommand {
    @Parameters(paramLabel = "SUBJECT|PEER_ID", description = "A subject, or a peer id peer_...")
    String argument;

    @Mixin
    HostOptions host;

    @Mixin
    JsonOption json;

    Revoke(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() throws Exception {
      RevocationTarget target = argument(RevocationTarget::fromArgument, argument);
      JsonNode r = admin(host, "peers/revoke", "target", target.value());
      if (printedAsJson(json, r)) {
        return 0;
      }
      List<String> peers = new ArrayList<>();
      r.path("peers").forEach(p -> peers.add(p.asText()));
      out().println("revoked " + r.path("target").asText() + " (revocation version " + r.path("version").asLong()
          + ")");
      out().println("peers cut off: " + (peers.isEmpty() ? "none" : String.join(", ", peers)));
      return 0;
    }
  }

  /** {@code peer unrevoke SUBJECT|PEER_ID}. */
  @Command(name = "unrevoke", mixinStandardHelpOptions = true,
      description = "Lifts a revocation; the peer reconnects on its next retry.")
  static final class Unrevoke extends BaseCommand {
    @Parameters(paramLabel = "SUBJECT|PEER_ID", description = "A subject, or a peer id peer_...")
    String argument;

    @Mixin
    HostOptions host;

    @Mixin
    JsonOption json;

    Unrevoke(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() throws Exception {
      RevocationTarget target = argument(RevocationTarget::fromArgument, argument);
      JsonNode r = admin(host, "peers/unrevoke", "target", target.value());
      if (printedAsJson(json, r)) {
        return 0;
      } else if (r.path("lifted").asBoolean()) {
        out().println("unrevoked " + r.path("target").asText() + " (revocation version " + r.path("version").asLong()
            + ")");
      } else {
        out().println(r.path("target").asText() + " was not revoked: nothing to do");
      }
      return 0;
    }
  }

  /** {@code peer workspaces PEER_ID (--only NAME... | --all)}. */
  @Command(name = "workspaces", mixinStandardHelpOptions = true,
      description = {"Limits a peer to named workspaces (--only widget --only gadget), or lifts the limit"
          + " (--all). Its control connections are closed so that it reconnects under the new limit; it never"
          + " receives events of a workspace it may not use.",
          "Example: aura mothership peer workspaces peer_0a1b2c3d --only widget"})
  static final class Workspaces extends BaseCommand {
    @Parameters(paramLabel = "PEER_ID", description = "The peer id, peer_...")
    String peer;

    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
      @picocli.CommandLine.Option(names = "--only", paramLabel = "NAME", required = true,
          description = "A workspace the peer may use (repeatable).")
      List<String> only;

      @picocli.CommandLine.Option(names = "--all", required = true, description = "Every workspace.")
      boolean all;
    }

    @Mixin
    HostOptions host;

    @Mixin
    JsonOption json;

    Workspaces(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() throws Exception {
      argument(PeerId::parse, peer);
      com.fasterxml.jackson.databind.node.ObjectNode request = dev.aura.app.protocol.Wire.object();
      request.put("peer", peer);
      com.fasterxml.jackson.databind.node.ArrayNode names = request.putArray("workspaces");
      if (choice.only != null) {
        for (String name : choice.only) {
          names.add(argument(dev.aura.spi.WorkspaceName::parse, name).value());
        }
      }
      JsonNode r = AdminTarget.resolve(env, host).post(dev.aura.app.protocol.Wire.ADMIN + "peers/workspaces",
          request).body();
      if (!printedAsJson(json, r)) {
        List<String> now = new ArrayList<>();
        r.path("workspaces").forEach(w -> now.add(w.asText()));
        out().println(r.path("peer").asText() + " may use " + (now.isEmpty() ? "every workspace"
            : String.join(", ", now)) + " (" + r.path("connections_closed").asInt() + " connection(s) closed to"
            + " apply it)");
      }
      return 0;
    }
  }

  /** {@code peer kick PEER_ID}. */
  @Command(name = "kick", mixinStandardHelpOptions = true,
      description = "Closes a connected peer's control connection at once. Without a revocation the peer may"
          + " reconnect; revoke it first to keep it out.")
  static final class Kick extends BaseCommand {
    @Parameters(paramLabel = "PEER_ID", description = "The peer id, peer_...")
    String peer;

    @Mixin
    HostOptions host;

    @Mixin
    JsonOption json;

    Kick(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() throws Exception {
      argument(PeerId::parse, peer);
      JsonNode r = admin(host, "peers/kick", "peer", peer);
      if (!printedAsJson(json, r)) {
        out().println("kicked " + r.path("peer").asText() + " (" + r.path("connections_closed").asInt()
            + " connection" + (r.path("connections_closed").asInt() == 1 ? "" : "s") + " closed)");
      }
      return 0;
    }
  }
}
