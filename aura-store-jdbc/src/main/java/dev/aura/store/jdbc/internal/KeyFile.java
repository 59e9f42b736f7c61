package dev.aura.store.jdbc.internal;

import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.JdbcStoreException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 32-byte AES-256 key that seals private signing keys (and the shared TLS key) at rest, read from (or created in) an owner-only
 * file. A database dump alone therefore does not reveal a signing key.
 *
 * <p>Sealed form: {@code 0x01 || 12-byte random nonce || AES-256-GCM ciphertext and 16-byte tag}, with the
 * kid as associated data, so a sealed key cannot be moved to another kid's row. The file's id (an HMAC of a
 * fixed label under the key, not the key) is recorded in the database, so a wrong or replaced key file is
 * named at open instead of failing later.
 */
final class KeyFile {
  static final int LENGTH = 32;
  private static final byte FORMAT = 1;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] TLS_KEY_DATA = "aura mothership tls key v1".getBytes(StandardCharsets.UTF_8);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final Path path;
  private final SecretKeySpec key;
  private final String id;

  private KeyFile(Path path, byte[] keyBytes) {
    this.path = path;
    this.key = new SecretKeySpec(keyBytes, "AES");
    this.id = computeId(keyBytes);
  }

  /** Reads an existing key file: exactly 32 bytes, and owner-only where the file system has POSIX modes. */
  static KeyFile load(Path path) throws JdbcStoreException {
    try {
      PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS);
      if (view != null) {
        Set<PosixFilePermission> mode = view.readAttributes().permissions();
        if (!OWNER_ONLY.containsAll(mode)) {
          throw new JdbcStoreException(Reason.KEY_FILE, path + " is accessible by group or others (mode "
              + PosixFilePermissions.toString(mode) + "); expected owner-only (rw-------): run chmod 600 "
              + path);
        }
      }
      byte[] bytes = Files.readAllBytes(path);
      try {
        if (bytes.length != LENGTH) {
          throw new JdbcStoreException(Reason.KEY_FILE, path + " holds " + bytes.length
              + " bytes, expected " + LENGTH + " (an AES-256 key)");
        }
        return new KeyFile(path, bytes);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    } catch (IOException e) {
      throw new JdbcStoreException(Reason.KEY_FILE, path + " cannot be read: " + e, e);
    }
  }

  /**
   * Creates a new key file with 32 random bytes, owner-only from the moment it exists; missing parent
   * directories are created owner-only too. The bytes are written to a temporary file that is then linked
   * to {@code path}, so no other process ever sees a partly written key file; if another process created
   * {@code path} first, that file is loaded instead.
   */
  static KeyFile create(Path path) throws JdbcStoreException {
    byte[] bytes = new byte[LENGTH];
    RANDOM.nextBytes(bytes);
    Path temporary = path.resolveSibling("." + path.getFileName() + "." + Long.toHexString(RANDOM.nextLong())
        + ".tmp");
    try {
      OwnerOnlyFiles.createParentDirectories(path);
      try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), OwnerOnlyFiles.fileAttribute(temporary))) {
        channel.write(ByteBuffer.wrap(bytes));
        channel.force(true);
      }
      try {
        Files.createLink(path, temporary);
      } catch (FileAlreadyExistsException e) {
        return load(path);
      } catch (UnsupportedOperationException e) {
        Files.move(temporary, path);
      }
      syncDirectory(path.toAbsolutePath().getParent());
      return new KeyFile(path, bytes);
    } catch (FileAlreadyExistsException e) {
      return load(path);
    } catch (IOException e) {
      throw new JdbcStoreException(Reason.KEY_FILE, path + " cannot be created: " + e, e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException e) {
        // a leftover is owner-only, like the key file itself
      }
    }
  }

  /** Makes the new directory entry durable where the platform allows it (Linux does). */
  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not supported here; the file's own content was forced
    }
  }

  Path path() {
    return path;
  }

  /** @return a public identifier of this key (not the key), 16 hex digits */
  String id() {
    return id;
  }

  byte[] seal(String kid, byte[] plaintext) {
    return seal(associatedData(kid), plaintext);
  }

  byte[] open(String kid, byte[] sealed) throws JdbcStoreException {
    return open(associatedData(kid), "the stored private key of kid " + kid, sealed,
        "the row was modified or copied from another kid");
  }

  /** Seals the shared TLS private key; its own associated data, so no signing-key row can be moved there. */
  byte[] sealTlsKey(byte[] plaintext) {
    return seal(TLS_KEY_DATA, plaintext);
  }

  byte[] openTlsKey(byte[] sealed) throws JdbcStoreException {
    return open(TLS_KEY_DATA, "the stored TLS private key of the Mothership", sealed, "the row was modified");
  }

  private byte[] seal(byte[] associatedData, byte[] plaintext) {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(1 + NONCE + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available", e);
    }
  }

  private byte[] open(byte[] associatedData, String what, byte[] sealed, String otherwise)
      throws JdbcStoreException {
    if (sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != FORMAT) {
      throw new JdbcStoreException(Reason.KEY_FILE, what
          + " is not in the sealed format this version writes (format byte "
          + (sealed.length == 0 ? "missing" : Integer.toString(sealed[0])) + ", expected " + FORMAT + ")");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new JdbcStoreException(Reason.KEY_FILE, what + " does not decrypt with " + path + " (key file id "
          + id + "): the key file was replaced, or " + otherwise);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available", e);
    }
  }

  private static byte[] associatedData(String kid) {
    return ("aura signing key v1|" + kid).getBytes(StandardCharsets.UTF_8);
  }

  private static String computeId(byte[] keyBytes) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keyBytes, "HmacSHA256"));
      byte[] tag = mac.doFinal("aura signing-key file id v1".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(tag, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "KeyFile[" + path + ", id " + id + "]";
  }
}
