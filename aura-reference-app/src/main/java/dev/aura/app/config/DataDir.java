package dev.aura.app.config;

import dev.aura.spi.MothershipId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Mothership's data directory ({@code $AURA_HOME/mothership} or {@code --data-dir}) and every file in it.
 *
 * <pre>
 * config.toml          optional; defaults apply
 * mothership.db        SQLite store (plus signing-key.secret beside it)
 * mothership.id        mship_ + 8 hex, generated once
 * tls.crt, tls.key     the served certificate and its key (0600)
 * tls-previous/        certificates rotated away from, with their signed handovers
 * admin.credential     the local admin credential (0600)
 * mothership.pid       pid of the running Mothership (removed on exit)
 * mothership.url       where the CLI reaches the running Mothership (removed on exit)
 * mothership.listen    the address it is bound to (removed on exit)
 * mothership.log       output of a --detach'ed Mothership
 * .backup-XXXXXXXX/    a snapshot being taken by aura mothership backup (0700; removed after, and a killed
 *                      one's by the next backup)
 * </pre>
 *
 * @param root the directory
 */
public record DataDir(Path root) {
  /** Normalises the path. */
  public DataDir {
    root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  /** @return {@code config.toml} */
  public Path configFile() {
    return root.resolve("config.toml");
  }

  /** @return the default SQLite database */
  public Path database() {
    return root.resolve("mothership.db");
  }

  /** @return the sync event log's SQLite file, beside the store's */
  public Path eventDatabase() {
    return root.resolve("events.db");
  }

  /** @return the default store URL, {@code sqlite:<dir>/mothership.db} */
  public String defaultStoreUrl() {
    return "sqlite:" + database();
  }

  /** @return the served certificate (PEM) */
  public Path certificate() {
    return root.resolve("tls.crt");
  }

  /** @return the served certificate's private key (PEM, 0600) */
  public Path privateKey() {
    return root.resolve("tls.key");
  }

  /** @return the directory of rotated-away certificates */
  public Path previousCertificates() {
    return root.resolve("tls-previous");
  }

  /** @return the Mothership id file */
  public Path idFile() {
    return root.resolve("mothership.id");
  }

  /** @return the local admin credential (0600) */
  public Path adminCredential() {
    return root.resolve("admin.credential");
  }

  /** @return the pid file */
  public Path pidFile() {
    return root.resolve("mothership.pid");
  }

  /** @return the file naming the URL the local CLI uses */
  public Path urlFile() {
    return root.resolve("mothership.url");
  }

  /** @return the file naming the address the running Mothership is bound to, such as {@code 0.0.0.0:7777} */
  public Path listenFile() {
    return root.resolve("mothership.listen");
  }

  /** @return the log of a detached Mothership */
  public Path logFile() {
    return root.resolve("mothership.log");
  }

  /** @return whether a Mothership ever ran here (its id exists) */
  public boolean isInitialised() {
    return Files.exists(idFile());
  }

  /** Creates the directory (0700) if missing. */
  public void create() throws IOException {
    OwnerOnlyFiles.createDirectories(root);
  }

  /** Reads the Mothership id, generating and storing one ({@code mship_} + 8 hex) on first use. */
  public MothershipId loadOrCreateId(SecureRandom random) throws IOException {
    Optional<MothershipId> existing = readId();
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    MothershipId id = MothershipId.parse(MothershipId.PREFIX + HexFormat.of().formatHex(bytes));
    OwnerOnlyFiles.writePublic(idFile(), id.value() + "\n");
    return id;
  }

  /** @return the Mothership id, if one was generated */
  public Optional<MothershipId> readId() throws IOException {
    try {
      String text = OwnerOnlyFiles.readSmall(idFile(), 64);
      try {
        return Optional.of(MothershipId.parse(text));
      } catch (IllegalArgumentException e) {
        throw new IOException(idFile() + ": " + e.getMessage());
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Reads the admin credential, generating one (owner-only) on first use. */
  public AdminCredential loadOrCreateAdminCredential(SecureRandom random) throws IOException {
    Optional<AdminCredential> existing = readAdminCredential();
    if (existing.isPresent()) {
      return existing.get();
    }
    AdminCredential created = AdminCredential.generate(random);
    OwnerOnlyFiles.writeSecret(adminCredential(), created.reveal() + "\n");
    return created;
  }

  /** @return the admin credential, if the Mothership created one */
  public Optional<AdminCredential> readAdminCredential() throws IOException {
    try {
      return Optional.of(AdminCredential.of(OwnerOnlyFiles.readSmall(adminCredential(), 256)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Records a running Mothership: its pid, where it is bound, and the URL the local CLI uses. */
  public void writeRuntime(long pid, String listening, URI localUrl) throws IOException {
    OwnerOnlyFiles.writePublic(pidFile(), pid + "\n");
    OwnerOnlyFiles.writePublic(listenFile(), listening + "\n");
    OwnerOnlyFiles.writePublic(urlFile(), localUrl + "\n");
  }

  /** Removes the runtime files (on exit, or a stale record). */
  public void clearRuntime() throws IOException {
    Files.deleteIfExists(urlFile());
    Files.deleteIfExists(listenFile());
    Files.deleteIfExists(pidFile());
  }

  /** @return the address the running Mothership is bound to, if recorded */
  public Optional<String> readListening() throws IOException {
    try {
      return Optional.of(OwnerOnlyFiles.readSmall(listenFile(), 300));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** @return the recorded pid, if any */
  public OptionalLong readPid() throws IOException {
    try {
      String text = OwnerOnlyFiles.readSmall(pidFile(), 64);
      try {
        return OptionalLong.of(Long.parseLong(text));
      } catch (NumberFormatException e) {
        throw new IOException(pidFile() + " does not hold a pid");
      }
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  /** @return the recorded local URL, if a Mothership is (or was) running */
  public Optional<URI> readUrl() throws IOException {
    try {
      return Optional.of(URI.create(OwnerOnlyFiles.readSmall(urlFile(), 1024)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      throw new IOException(urlFile() + " does not hold a URL");
    }
  }
}
