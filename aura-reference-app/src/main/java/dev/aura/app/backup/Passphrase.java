package dev.aura.app.backup;

import dev.aura.app.config.OwnerOnlyFiles;
import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The passphrase of a backup: from a file that only its owner can read (its first line), or typed at a
 * prompt without echo. Never logged, never part of a message; the caller clears it with {@link #clear}.
 */
public final class Passphrase {
  /** The shortest passphrase accepted. */
  public static final int MIN_LENGTH = 8;
  private static final int MAX_FILE_BYTES = 4096;

  private Passphrase() {}

  /**
   * @throws BackupException {@code cannot read the passphrase} when the file is missing, readable by others
   *     (it must be 0600 or 0400), empty or shorter than {@link #MIN_LENGTH}
   */
  public static char[] fromFile(Path file) throws BackupException {
    if (OwnerOnlyFiles.isOpenToOthers(file)) {
      throw new BackupException(BackupException.Reason.PASSPHRASE, file + " is readable by others ("
          + OwnerOnlyFiles.permissions(file).orElse("?") + "); chmod 600 " + file);
    }
    byte[] bytes = null;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new BackupException(BackupException.Reason.PASSPHRASE, file + " is larger than "
            + MAX_FILE_BYTES + " bytes: not a passphrase file");
      }
      bytes = Files.readAllBytes(file);
      int end = 0;
      while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
        end++;
      }
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, end));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      Arrays.fill(chars.array(), '\0');
      return checked(out, file.toString());
    } catch (NoSuchFileException e) {
      throw new BackupException(BackupException.Reason.PASSPHRASE, "no file " + file);
    } catch (CharacterCodingException e) {
      throw new BackupException(BackupException.Reason.PASSPHRASE, file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new BackupException(BackupException.Reason.PASSPHRASE, file + ": " + e.getMessage());
    } finally {
      if (bytes != null) {
        Arrays.fill(bytes, (byte) 0);
      }
    }
  }

  /**
   * Asks on the terminal, without echo; {@code confirm} asks twice (for a new backup).
   *
   * @throws BackupException when there is no terminal (then use --passphrase-file), or the two differ
   */
  public static char[] prompt(boolean confirm) throws BackupException {
    Console console = System.console();
    if (console == null) {
      throw new BackupException(BackupException.Reason.PASSPHRASE,
          "no terminal to ask on; give --passphrase-file FILE (a file of mode 0600)");
    }
    char[] first = console.readPassword("backup passphrase: ");
    if (first == null) {
      throw new BackupException(BackupException.Reason.PASSPHRASE, "no passphrase typed");
    }
    if (confirm) {
      char[] again = console.readPassword("again: ");
      boolean same = again != null && java.security.MessageDigest.isEqual(
          new String(first).getBytes(StandardCharsets.UTF_8), new String(again).getBytes(StandardCharsets.UTF_8));
      clear(again);
      if (!same) {
        clear(first);
        throw new BackupException(BackupException.Reason.PASSPHRASE, "the two passphrases differ");
      }
    }
    return checked(first, "the passphrase typed");
  }

  private static char[] checked(char[] passphrase, String source) throws BackupException {
    if (passphrase.length < MIN_LENGTH) {
      clear(passphrase);
      throw new BackupException(BackupException.Reason.PASSPHRASE, source + " holds fewer than " + MIN_LENGTH
          + " characters");
    }
    return passphrase;
  }

  /** Overwrites a passphrase. */
  public static void clear(char[] passphrase) {
    if (passphrase != null) {
      Arrays.fill(passphrase, '\0');
    }
  }
}
