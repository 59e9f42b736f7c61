package dev.aura.app.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backup holds: {@code manifest.json}, the first entry of the archive's tar. Every file of the data
 * directory it carries is listed with its size and SHA-256; the audit chain head is the last entry of the
 * audit log inside the archived database (verified when the backup was taken).
 *
 * @param mothershipId the Mothership's id
 * @param createdAt when the snapshot was taken
 * @param auraVersion the version that took it
 * @param protocol the protocol version it spoke
 * @param storeKind {@code SQLite} or {@code PostgreSQL}
 * @param pgDump for PostgreSQL, the {@code pg_dump} command that backs up the database (not in the archive)
 * @param auditSequence the audit chain head's sequence (0 for an empty chain)
 * @param auditHash the head's hash ({@code AuditChain.GENESIS} for an empty chain)
 * @param files the files, in archive order, paths relative to the data directory
 * @param included what the archive holds, in words
 * @param notIncluded what it does not, in words
 */
public record BackupManifest(String mothershipId, Instant createdAt, String auraVersion, int protocol,
    String storeKind, Optional<String> pgDump, long auditSequence, String auditHash, List<FileEntry> files,
    List<String> included, List<String> notIncluded) {
  /** The format tag; a restore refuses any other. */
  public static final String FORMAT = "aura-backup/1";
  /** The manifest's name in the tar. */
  public static final String ENTRY = "manifest.json";
  /** The prefix of data directory files in the tar. */
  public static final String DATA = "data/";

  /** Copies the lists. */
  public BackupManifest {
    Objects.requireNonNull(mothershipId, "mothershipId");
    files = List.copyOf(files);
    included = List.copyOf(included);
    notIncluded = List.copyOf(notIncluded);
  }

  /**
   * One file.
   *
   * @param path relative to the data directory, {@code /}-separated
   * @param size bytes
   * @param sha256 lowercase hex
   */
  public record FileEntry(String path, long size, String sha256) {}

  /** @return whether the database is in the archive (SQLite) rather than dumped separately (PostgreSQL) */
  public boolean databaseIncluded() {
    return pgDump.isEmpty();
  }

  /** @return the manifest as JSON */
  public String toJson() {
    ObjectNode o = Wire.object();
    o.put("format", FORMAT);
    o.put("mothership_id", mothershipId);
    o.put("created_at", createdAt.toString());
    o.put("aura_version", auraVersion);
    o.put("protocol", protocol);
    ObjectNode store = o.putObject("store");
    store.put("kind", storeKind);
    store.put("database_included", databaseIncluded());
    pgDump.ifPresent(d -> store.put("pg_dump", d));
    ObjectNode audit = o.putObject("audit_chain_head");
    audit.put("sequence", auditSequence);
    audit.put("hash", auditHash);
    ArrayNode list = o.putArray("files");
    for (FileEntry f : files) {
      ObjectNode e = list.addObject();
      e.put("path", f.path());
      e.put("size", f.size());
      e.put("sha256", f.sha256());
    }
    included.forEach(o.putArray("included")::add);
    notIncluded.forEach(o.putArray("not_included")::add);
    return Wire.pretty(o) + "\n";
  }

  /**
   * @throws BackupException {@code backup archive damaged} for anything but a manifest of this format
   */
  public static BackupManifest parse(String json) throws BackupException {
    try {
      ObjectNode o = Wire.parseObject(json);
      if (!FORMAT.equals(o.path("format").asText())) {
        throw BackupCrypto.damaged("not an Aura backup of format " + FORMAT + " (format '"
            + o.path("format").asText("") + "')");
      }
      List<FileEntry> files = new ArrayList<>();
      for (JsonNode e : o.withArray("files")) {
        String sha = text(e, "sha256");
        if (!sha.matches("[0-9a-f]{64}") || !e.path("size").canConvertToLong() || e.path("size").asLong() < 0) {
          throw BackupCrypto.damaged("manifest entry " + e + " is malformed");
        }
        files.add(new FileEntry(text(e, "path"), e.path("size").asLong(), sha));
      }
      JsonNode store = o.path("store");
      JsonNode audit = o.path("audit_chain_head");
      return new BackupManifest(text(o, "mothership_id"), Instant.parse(text(o, "created_at")),
          text(o, "aura_version"), o.path("protocol").asInt(), text(store, "kind"),
          store.hasNonNull("pg_dump") ? Optional.of(store.get("pg_dump").asText()) : Optional.empty(),
          audit.path("sequence").asLong(), text(audit, "hash"), files, strings(o.path("included")),
          strings(o.path("not_included")));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw BackupCrypto.damaged("its manifest is malformed: " + e.getMessage());
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' missing");
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
