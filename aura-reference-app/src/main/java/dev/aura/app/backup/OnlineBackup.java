package dev.aura.app.backup;

import dev.aura.app.config.DataDir;
import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.app.config.ScratchFiles;
import dev.aura.app.server.MothershipService;
import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditLog;
import dev.aura.spi.AuditVerification;
import dev.aura.spi.StoreException;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.JdbcStores;
import dev.aura.sync.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A consistent snapshot of a running Mothership, written as the plaintext tar of a backup
 * ({@code manifest.json}, then {@code data/...}). SQLite databases are copied with {@code VACUUM INTO}, which
 * reads one transaction's snapshot while joins and syncs go on writing; each database is consistent in itself
 * ({@code mothership.db} is taken first, {@code events.db} after it, so the event log may hold events of a
 * peer whose join came after the store's snapshot, never the other way round). The audit chain of the
 * snapshot is verified before anything is sent. For PostgreSQL the database is left to {@code pg_dump} and
 * the rest is exported.
 *
 * <pre>{@code
 * BackupManifest manifest = OnlineBackup.write(mothership, "0.1.0", 1, response);
 * }</pre>
 */
public final class OnlineBackup {
  private static final int PAGE = 1000;

  private OnlineBackup() {}

  /**
   * Takes the snapshot in a private directory inside the data directory (removed afterwards) and writes it.
   *
   * @return the manifest written first
   * @throws BackupException when the snapshot cannot be taken or its audit chain does not verify; nothing was
   *     written to {@code out} then
   */
  public static BackupManifest write(MothershipService mothership, String auraVersion, int protocol,
      OutputStream out) throws BackupException, IOException {
    synchronized (OnlineBackup.class) { // one snapshot at a time; what is left over is a killed one's
      return writeOne(mothership, auraVersion, protocol, out);
    }
  }

  private static BackupManifest writeOne(MothershipService mothership, String auraVersion, int protocol,
      OutputStream out) throws BackupException, IOException {
    DataDir dir = mothership.dataDir();
    ScratchFiles.deleteLeftovers(dir.root(), n -> n.startsWith(".backup-"));
    Path staging = Files.createTempDirectory(dir.root(), ".backup-",
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(OwnerOnlyFiles.DIRECTORY));
    try {
      Map<String, Path> files = new LinkedHashMap<>();
      List<String> included = new ArrayList<>();
      List<String> notIncluded = new ArrayList<>();
      boolean sqlite = mothership.stores().databaseKind().equals("SQLite");
      Optional<String> pgDump = Optional.empty();
      AuditEntry head;
      if (sqlite) {
        Path db = staging.resolve(dir.database().getFileName());
        vacuumInto(sqliteFile(mothership), db);
        Path events = staging.resolve(dir.eventDatabase().getFileName());
        vacuumInto(dir.eventDatabase(), events);
        files.put(dir.database().getFileName().toString(), db);
        files.put(dir.eventDatabase().getFileName().toString(), events);
        included.add("the store (" + dir.database().getFileName() + ": peers, token ledger, revocations, audit"
            + " log, sealed signing keys), an online SQLite snapshot (VACUUM INTO)");
        included.add("the sync event log with its content blobs (" + dir.eventDatabase().getFileName()
            + "), an online SQLite snapshot taken after the store's");
      } else {
        pgDump = Optional.of(pgDumpCommand(mothership.stores().location()));
        notIncluded.add("the PostgreSQL database (store, event log and blobs): back it up with " + pgDump.get());
      }
      Optional<Path> keyFile = mothership.stores().keyFile();
      if (keyFile.isPresent()) {
        // Beside the staged mothership.db under its default name, so the snapshot opens with it below.
        addIfExists(files, JdbcStores.DEFAULT_KEY_FILE_NAME, keyFile.get(), staging);
        included.add("the key file sealing the signing keys (" + JdbcStores.DEFAULT_KEY_FILE_NAME + ")");
      }
      if (sqlite) {
        try (JdbcStores snapshot = JdbcStores.open("sqlite:" + files.get(dir.database().getFileName().toString()))) {
          head = verifiedHead(snapshot.auditLog());
        } catch (JdbcStoreException e) {
          throw new BackupException(BackupException.Reason.IO, "cannot open the snapshot: " + e.getMessage());
        }
        deleteSidecars(staging);
      } else {
        head = verifiedHead(mothership.stores().auditLog());
      }
      addIfExists(files, "tls.crt", mothership.certificates().certificateFile(), staging);
      addIfExists(files, "tls.key", mothership.config().tls().operatorProvided()
          ? mothership.config().tls().keyFile() : dir.privateKey(), staging);
      included.add("the TLS certificate and its private key (tls.crt, tls.key)");
      if (Files.isDirectory(dir.previousCertificates())) {
        try (Stream<Path> previous = Files.list(dir.previousCertificates()).sorted()) {
          for (Path p : (Iterable<Path>) previous::iterator) {
            if (Files.isRegularFile(p)) {
              addIfExists(files, dir.previousCertificates().getFileName() + "/" + p.getFileName(), p, staging);
            }
          }
        }
        included.add("certificates in rotation grace with their signed handovers (tls-previous/)");
      }
      addIfExists(files, "config.toml", dir.configFile(), staging);
      if (files.containsKey("config.toml")) {
        included.add("the configuration (config.toml)");
      }
      addIfExists(files, "mothership.id", dir.idFile(), staging);
      addIfExists(files, "admin.credential", dir.adminCredential(), staging);
      included.add("the Mothership id and the local admin credential (mothership.id, admin.credential)");
      notIncluded.add("runtime files (mothership.pid, .url, .listen) and mothership.log");
      if (mothership.config().tls().operatorProvided() || mothership.config().store().keyFile() != null) {
        notIncluded.add("where operator-provided files live: they are restored into the data directory;"
            + " point config.toml at them there, or move them back");
      }
      List<BackupManifest.FileEntry> entries = new ArrayList<>();
      for (Map.Entry<String, Path> f : files.entrySet()) {
        entries.add(new BackupManifest.FileEntry(f.getKey(), Files.size(f.getValue()), sha256(f.getValue())));
      }
      BackupManifest manifest = new BackupManifest(mothership.id().value(), mothership.clock().instant(),
          auraVersion, protocol, mothership.stores().databaseKind(), pgDump,
          head == null ? 0 : head.sequence(), head == null ? AuditChain.GENESIS : head.hash(), entries, included,
          notIncluded);
      TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
      putEntry(tar, BackupManifest.ENTRY, json.length, new java.io.ByteArrayInputStream(json));
      for (Map.Entry<String, Path> f : files.entrySet()) {
        try (InputStream in = Files.newInputStream(f.getValue())) {
          putEntry(tar, BackupManifest.DATA + f.getKey(), Files.size(f.getValue()), in);
        }
      }
      tar.finish();
      tar.flush();
      return manifest;
    } catch (StoreException e) {
      throw new BackupException(BackupException.Reason.IO, "cannot read the audit log: " + e.getMessage());
    } finally {
      ScratchFiles.deleteTree(staging);
    }
  }

  private static void putEntry(TarArchiveOutputStream tar, String name, long size, InputStream content)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setMode(0600);
    tar.putArchiveEntry(entry);
    content.transferTo(tar);
    tar.closeArchiveEntry();
  }

  private static Path sqliteFile(MothershipService mothership) {
    String url = mothership.config().store().urlIfAny().orElse(mothership.dataDir().defaultStoreUrl());
    return Path.of(url.substring("sqlite:".length()));
  }

  private static void addIfExists(Map<String, Path> files, String name, Path source, Path staging)
      throws IOException {
    if (source != null && Files.isRegularFile(source)) {
      Path target = staging.resolve(name.replace('/', '_'));
      Files.copy(source, target);
      Files.setPosixFilePermissions(target, OwnerOnlyFiles.SECRET);
      files.put(name, target);
    }
  }

  /** Copies a live SQLite database with {@code VACUUM INTO}: one read transaction, writers go on. */
  static void vacuumInto(Path database, Path target) throws BackupException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
      s.execute("VACUUM INTO '" + target.toString().replace("'", "''") + "'");
      try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
        if (!rs.next() || !"ok".equals(rs.getString(1))) {
          throw new BackupException(BackupException.Reason.IO, database.getFileName() + " fails SQLite's"
              + " quick_check: " + (rs.getRow() == 0 ? "no answer" : rs.getString(1)));
        }
      }
      Files.setPosixFilePermissions(target, OwnerOnlyFiles.SECRET);
    } catch (SQLException | IOException e) {
      throw new BackupException(BackupException.Reason.IO, "cannot snapshot " + database.getFileName() + ": "
          + e.getMessage());
    }
  }

  /**
   * Verifies an audit chain and returns its last entry.
   *
   * @return the head, or null for an empty chain
   * @throws BackupException when the chain does not verify
   */
  static AuditEntry verifiedHead(AuditLog log) throws StoreException, BackupException {
    AuditVerification verification = AuditChain.verify(log);
    if (!verification.isIntact()) {
      throw new BackupException(BackupException.Reason.IO, "the audit log does not verify: "
          + verification.problemIfAny().orElse("") + "; run aura mothership audit --verify");
    }
    AuditEntry last = null;
    long from = 1;
    while (true) {
      List<AuditEntry> page = log.readChain(from, PAGE);
      if (page.isEmpty()) {
        return last;
      }
      last = page.get(page.size() - 1);
      from = last.sequence() + 1;
    }
  }

  /** Deletes the {@code -wal} and {@code -shm} files SQLite leaves beside a database it closed. */
  static void deleteSidecars(Path staging) throws IOException {
    try (Stream<Path> files = Files.list(staging)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith("-wal") || name.endsWith("-shm")) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** @return lowercase hex SHA-256 of a file */
  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return ContentHash.of(in).hex();
    }
  }

  /**
   * The {@code pg_dump} command for a store URL: the URL as libpq reads it, without a password (pg_dump asks,
   * or reads {@code ~/.pgpass}), with the schema when the URL names one.
   */
  static String pgDumpCommand(String storeLocation) {
    String url = storeLocation.startsWith("jdbc:") ? storeLocation.substring(5) : storeLocation;
    URI uri = URI.create(url.replaceFirst("^postgres://", "postgresql://"));
    String schema = null;
    List<String> kept = new ArrayList<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
        String value = pair.contains("=") ? pair.substring(pair.indexOf('=') + 1) : "";
        if (key.equals("currentSchema")) {
          schema = value;
        } else if (List.of("user", "sslmode", "application_name", "connect_timeout").contains(key)) {
          kept.add(pair);
        }
      }
    }
    String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo().replaceFirst(":.*", "") + "@";
    String libpq = "postgresql://" + userInfo + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
        + uri.getRawPath() + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    return "pg_dump --format=custom --file=aura-postgresql.dump" + (schema == null ? "" : " --schema=" + schema)
        + " '" + libpq + "'";
  }
}
