package dev.aura.app.cli;

import dev.aura.app.AuraException;
import dev.aura.app.backup.BackupException;
import dev.aura.app.backup.BackupFiles;
import dev.aura.app.backup.BackupManifest;
import dev.aura.app.backup.Passphrase;
import dev.aura.app.config.DataDir;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code aura mothership restore FILE --data-dir DIR [--passphrase-file F]}. */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restores a backup into an empty (or new) data directory: the same Mothership id, signing"
        + " keys and certificate, so joined peers reconnect without re-pinning; tokens used before the backup"
        + " stay used; the audit chain is verified against the manifest's head.",
        "Refuses a non-empty directory, a running Mothership, a wrong passphrase and a damaged archive, and then"
            + " writes nothing."})
final class RestoreCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "FILE", description = "The archive written by aura mothership backup.")
  Path archive;

  @Mixin
  PassphraseOption passphrase;

  @Mixin
  HostOptions host;

  RestoreCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    DataDir dir = host.dataDir(env);
    char[] secret = passphrase.read(false);
    BackupManifest manifest;
    try {
      manifest = BackupFiles.restore(archive, dir, secret);
    } catch (BackupException e) {
      throw BackupCommand.failure(e);
    } catch (IOException e) {
      throw new AuraException("restore failed; nothing was written to " + dir.root(), e.getMessage());
    } finally {
      Passphrase.clear(secret);
    }
    out().println("restored: " + manifest.mothershipId() + " into " + dir.root());
    out().println("taken_at: " + manifest.createdAt() + " (aura " + manifest.auraVersion() + ")");
    out().println("files: " + manifest.files().size() + " verified (SHA-256, OpenPGP integrity)");
    if (manifest.databaseIncluded()) {
      out().println("audit: intact, " + manifest.auditSequence() + " entries (head matches the backup)");
    } else {
      out().println("database: not in the archive; restore the dump first (pg_restore --clean --dbname URL"
          + " aura-postgresql.dump), then point [store] url at it");
    }
    out().println("start with: aura mothership start --data-dir " + dir.root());
    return 0;
  }
}
