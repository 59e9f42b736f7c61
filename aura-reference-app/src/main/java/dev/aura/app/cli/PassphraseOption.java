package dev.aura.app.cli;

import dev.aura.app.AuraException;
import dev.aura.app.backup.BackupException;
import dev.aura.app.backup.Passphrase;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --passphrase-file F}, for {@code backup} and {@code restore}; without it, a prompt without echo. */
final class PassphraseOption {
  @Option(names = "--passphrase-file", paramLabel = "F",
      description = "Read the passphrase from the first line of F (mode 0600); default: ask without echo.")
  Path file;

  /** Reads the passphrase from the file, or asks for it ({@code confirm}: twice). */
  char[] read(boolean confirm) throws AuraException {
    try {
      return file != null ? Passphrase.fromFile(file) : Passphrase.prompt(confirm);
    } catch (BackupException e) {
      throw BackupCommand.failure(e);
    }
  }
}
