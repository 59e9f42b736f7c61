package dev.aura.app.cli;

import dev.aura.app.AuraException;
import dev.aura.app.backup.BackupException;
import dev.aura.app.backup.BackupFiles;
import dev.aura.app.backup.BackupManifest;
import dev.aura.app.backup.Passphrase;
import dev.aura.app.protocol.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aura mothership backup --out FILE [--passphrase-file F]}. */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Backs up the running Mothership of this host into one encrypted file: a consistent online"
        + " snapshot (joins and syncs go on) of the store (SQLite), the sync event log and its blobs, the key"
        + " file sealing the signing keys, the TLS certificate and key, the config, the id and the admin"
        + " credential, with a manifest of SHA-256 checksums and the audit chain head.",
        "Encrypted with OpenPGP (AES-256, iterated and salted S2K, integrity protected): gpg --decrypt opens it."
            + " For PostgreSQL it prints the pg_dump command for the database and exports the rest."})
final class BackupCommand extends BaseCommand {
  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The archive to write (0600).")
  Path out;

  @Mixin
  PassphraseOption passphrase;

  @Mixin
  HostOptions host;

  BackupCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    AdminTarget target = AdminTarget.local(env, host, Duration.ofMinutes(10)).orElseThrow(() ->
        new AuraException("the Mothership is not running", "a backup is an online snapshot of a running"
            + " Mothership; start it with: aura mothership start --data-dir " + host.dataDir(env).root()));
    if (Files.exists(out)) {
      throw new AuraException("backup failed", out + " exists already; choose another --out");
    }
    char[] secret = passphrase.read(true);
    BackupManifest manifest;
    try (InputStream tar = target.client.getBytes(Wire.ADMIN + "backup", target.bearer)) {
      manifest = BackupFiles.save(tar, out, secret);
    } catch (BackupException e) {
      throw failure(e);
    } catch (IOException e) {
      throw new AuraException("backup failed", e.getMessage());
    } finally {
      Passphrase.clear(secret);
    }
    out().println("backup: " + out.toAbsolutePath() + " (" + Files.size(out) + " bytes, OpenPGP AES-256)");
    out().println("mothership: " + manifest.mothershipId());
    out().println("taken_at: " + manifest.createdAt());
    out().println("store: " + manifest.storeKind() + (manifest.databaseIncluded() ? " (online snapshot)"
        : " (not in the archive)"));
    out().println("audit_chain_head: " + manifest.auditSequence() + " " + manifest.auditHash());
    out().println("files: " + manifest.files().stream().map(BackupManifest.FileEntry::path)
        .collect(Collectors.joining(", ")));
    manifest.pgDump().ifPresent(cmd -> out().println("database: back it up now with: " + cmd));
    out().println("restore with: aura mothership restore " + out + " --data-dir DIR");
    return 0;
  }

  /** @return the operator's error for a refused backup or restore */
  static AuraException failure(BackupException e) {
    return new AuraException(e.reason().text(), e.detail());
  }
}
