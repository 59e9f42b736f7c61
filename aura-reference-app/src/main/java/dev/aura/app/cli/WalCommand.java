package dev.aura.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.PeerState;
import dev.aura.app.protocol.Wire;
import dev.aura.sync.PeerSyncStore;
import dev.aura.sync.RefusedEvent;
import dev.aura.sync.SyncStoreException;
import dev.aura.sync.WalStatus;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code aura wal status [--json]}: what this peer's write-ahead log holds. */
@Command(name = "wal", mixinStandardHelpOptions = true,
    description = "This peer's write-ahead log of local changes ($AURA_HOME/sync.db).",
    subcommands = WalCommand.Status.class)
final class WalCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code aura wal status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Prints, for every directory this peer syncs: unacked events (recorded, not yet"
          + " acknowledged by the Mothership), their bytes, the age of the oldest, the last acknowledgement, and"
          + " the events the Mothership refused and why (kept, never dropped).",
          "Thousands of unacked events while online: see 'aura mothership status' (sync backlog)."})
  static final class Status extends BaseCommand {
    @Mixin
    JsonOption json;

    Status(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() throws Exception {
      PeerState state = new PeerState(env.home());
      List<WalStatus> statuses = List.of();
      if (Files.exists(state.syncDatabase())) {
        try (PeerSyncStore store = PeerSyncStore.open(state.syncDatabase())) {
          statuses = store.walStatus();
        } catch (SyncStoreException e) {
          throw new AuraException("cannot read the WAL " + state.syncDatabase(), e.getMessage());
        }
      }
      Instant now = env.clock().instant();
      if (json.json) {
        ObjectNode o = Wire.object();
        ArrayNode bindings = o.putArray("wal");
        long total = 0;
        for (WalStatus w : statuses) {
          ObjectNode b = bindings.addObject();
          b.put("directory", w.directory().toString());
          b.put("workspace", w.workspace().value());
          b.put("unacked_events", w.unacked());
          b.put("bytes", w.bytes());
          w.oldestUnacked().ifPresent(t -> b.put("oldest_unacked", t.toString()));
          w.lastAck().ifPresent(t -> b.put("last_ack", t.toString()));
          ArrayNode refused = b.putArray("refused");
          for (RefusedEvent r : w.refused()) {
            ObjectNode e = refused.addObject();
            e.put("id", r.id().toString());
            e.put("path", r.path().value());
            e.put("op", r.op().name().toLowerCase(java.util.Locale.ROOT));
            e.put("code", r.code());
            e.put("message", r.message());
            e.put("at", r.at().toString());
          }
          total += w.unacked();
        }
        o.put("unacked_events", total);
        json.print(out(), o);
        return 0;
      }
      out().println("WAL:");
      if (statuses.isEmpty()) {
        out().println("  unacked events: 0");
        out().println("  (no directory synced yet: run 'aura sync --dir DIR')");
        return 0;
      }
      for (WalStatus w : statuses) {
        if (statuses.size() > 1) {
          out().println("  " + w.directory() + " (workspace " + w.workspace() + "):");
        }
        String indent = statuses.size() > 1 ? "    " : "  ";
        if (statuses.size() == 1) {
          out().println(indent + "directory: " + w.directory() + " (workspace " + w.workspace() + ")");
        }
        out().println(indent + "unacked events: " + w.unacked());
        out().println(indent + "bytes: " + w.bytes());
        out().println(indent + "oldest unacked: " + w.oldestUnacked().map(t -> Format.ago(now, t)).orElse("-"));
        out().println(indent + "last ack: " + w.lastAck().map(t -> Format.ago(now, t)).orElse("never"));
        out().println(indent + "refused events: " + w.refused().size());
        for (RefusedEvent r : w.refused()) {
          out().println(indent + "  " + r.id() + " " + r.op().name().toLowerCase(java.util.Locale.ROOT) + " "
              + r.path() + ": " + r.message());
        }
      }
      return 0;
    }
  }
}
