package dev.aura.store.jdbc.database;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a module's database schema is, for {@link SqlDatabase#open}: its Flyway history table (the marker that
 * a database is ours), its migration files, what else may live beside it, and how messages name it.
 *
 * <pre>{@code
 * static final SchemaDefinition EVENT_LOG = SchemaDefinition.builder()
 *     .historyTable("aura_sync_schema_history")
 *     .migrations(LogOpener.class, "aura-sync-migrations/", List.of("V1__event_log.sql"))
 *     .describedAs("an Aura event log", "event log schema", "event log file")
 *     .sharesPostgresSchema("sync_")
 *     .build();
 * }</pre>
 *
 * <p>The migrations are an explicit list of {@code V<n>__<description>.sql} files, versions 1, 2, ... in order,
 * read as resources of the given class (so they are found in a shaded jar and in a named module, and Flyway
 * scans nothing). The last file's version is {@link #latestVersion()}. {@code ${binary}} in a file is
 * {@code BLOB} or {@code BYTEA}.
 *
 * <p>By default a database is ours only if it is empty or holds the history table: any other table makes it
 * foreign. {@link Builder#sharesPostgresSchema} loosens that for PostgreSQL.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 */
public final class SchemaDefinition {
  private static final Pattern FILE = Pattern.compile("V([1-9][0-9]*)__[A-Za-z0-9_]+\\.sql");

  private final String historyTable;
  private final Class<?> resourceAnchor;
  private final String location;
  private final List<String> files;
  private final int latestVersion;
  private final String owner;
  private final String schemaNoun;
  private final String fileNoun;
  private final String sharedSchemaTablePrefix;
  private final String sharedFileWarning;

  private SchemaDefinition(Builder b, int latestVersion) {
    this.historyTable = b.historyTable;
    this.resourceAnchor = b.resourceAnchor;
    this.location = b.location;
    this.files = List.copyOf(b.files);
    this.latestVersion = latestVersion;
    this.owner = b.owner;
    this.schemaNoun = b.schemaNoun;
    this.fileNoun = b.fileNoun;
    this.sharedSchemaTablePrefix = b.sharedSchemaTablePrefix;
    this.sharedFileWarning = b.sharedFileWarning;
  }

  /** @return a builder with nothing set */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the Flyway history table, for example {@code aura_schema_history} */
  public String historyTable() {
    return historyTable;
  }

  /** @return the schema version the migrations bring a database to */
  public int latestVersion() {
    return latestVersion;
  }

  Class<?> resourceAnchor() {
    return resourceAnchor;
  }

  String location() {
    return location;
  }

  List<String> files() {
    return files;
  }

  String owner() {
    return owner;
  }

  String schemaNoun() {
    return schemaNoun;
  }

  String fileNoun() {
    return fileNoun;
  }

  /** @return the prefix of the tables that are ours in a shared PostgreSQL schema, or null */
  String sharedSchemaTablePrefix() {
    return sharedSchemaTablePrefix;
  }

  /** @return what an SQLite file holds, for the warning about a file others can read; or null for none */
  String sharedFileWarning() {
    return sharedFileWarning;
  }

  /** Builds a {@link SchemaDefinition}; every setting may be given once. */
  public static final class Builder {
    private String historyTable;
    private Class<?> resourceAnchor;
    private String location;
    private List<String> files;
    private String owner;
    private String schemaNoun;
    private String fileNoun;
    private String sharedSchemaTablePrefix;
    private String sharedFileWarning;
    private final java.util.Set<Integer> reserved = new java.util.HashSet<>();

    private Builder() {}

    /** The Flyway history table: lowercase letters, digits and '_'. Required. */
    public Builder historyTable(String table) {
      requireUnset(historyTable, "historyTable");
      if (!Objects.requireNonNull(table, "table").matches("[a-z][a-z0-9_]*")) {
        throw new IllegalArgumentException("history table must be lowercase letters, digits and '_', got " + table);
      }
      this.historyTable = table;
      return this;
    }

    /**
     * The migration files, in version order, read with {@code anchor.getResourceAsStream("/" + location + file)}.
     * Required.
     *
     * @param location a resource folder ending in '/', for example {@code "aura-migrations/"}
     */
    public Builder migrations(Class<?> anchor, String location, List<String> files) {
      requireUnset(this.files, "migrations");
      Objects.requireNonNull(anchor, "anchor");
      if (!Objects.requireNonNull(location, "location").endsWith("/") || location.startsWith("/")) {
        throw new IllegalArgumentException("location must be a relative folder ending in '/', got " + location);
      }
      if (Objects.requireNonNull(files, "files").isEmpty()) {
        throw new IllegalArgumentException("at least one migration file is needed");
      }
      this.resourceAnchor = anchor;
      this.location = location;
      this.files = new ArrayList<>(files);
      return this;
    }

    /**
     * How messages name the database. Required.
     *
     * @param owner what a database that is not foreign is, for example {@code "an Aura store"}
     * @param schemaNoun before "version", for example {@code "schema"} or {@code "event log schema"}
     * @param fileNoun an SQLite file that cannot be created, for example {@code "database file"}
     */
    public Builder describedAs(String owner, String schemaNoun, String fileNoun) {
      requireUnset(this.owner, "describedAs");
      this.owner = requireText(owner, "owner");
      this.schemaNoun = requireText(schemaNoun, "schemaNoun");
      this.fileNoun = requireText(fileNoun, "fileNoun");
      return this;
    }

    /**
     * Loosening: on PostgreSQL the schema may hold other tables (another module's). Only tables whose name
     * starts with {@code tablePrefix}, without the history table, make it foreign; beside other tables
     * Flyway baselines the history at version 0. On SQLite every table still counts (one file per schema).
     */
    public Builder sharesPostgresSchema(String tablePrefix) {
      requireUnset(sharedSchemaTablePrefix, "sharesPostgresSchema");
      this.sharedSchemaTablePrefix = requireText(tablePrefix, "tablePrefix").toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * Logs a warning when an existing SQLite file is accessible by group or others (the file is not chmodded:
     * it is not ours to change).
     *
     * @param contents what the file holds, for the warning, for example {@code "token hashes"}
     */
    public Builder warnIfFileShared(String contents) {
      requireUnset(sharedFileWarning, "warnIfFileShared");
      this.sharedFileWarning = requireText(contents, "contents");
      return this;
    }

    /**
     * Declares versions that another line of development has claimed: the files may skip them. Flyway applies
     * a reserved version that ships later only with out-of-order migration, so reserve only what has not
     * shipped on any database yet.
     */
    public Builder reserved(int... versions) {
      for (int v : versions) {
        reserved.add(v);
      }
      return this;
    }

    private static java.util.Set<Integer> range(int fromInclusive, int toExclusive) {
      java.util.Set<Integer> set = new java.util.HashSet<>();
      for (int v = fromInclusive; v < toExclusive; v++) {
        set.add(v);
      }
      return set;
    }

    /**
     * @return the definition
     * @throws IllegalStateException if a required setting is missing or the file names are not
     *     {@code V1__...sql, V2__...sql, ...}, skipping only {@link #reserved} versions
     */
    public SchemaDefinition build() {
      if (historyTable == null || files == null || owner == null) {
        throw new IllegalStateException("historyTable, migrations and describedAs are required");
      }
      int previous = 0;
      for (String file : files) {
        Matcher m = FILE.matcher(file);
        int version = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        if (version <= previous || version > previous + 1 && !reserved.containsAll(range(previous + 1, version))) {
          throw new IllegalStateException("migration " + previous + " must be followed by V" + (previous + 1)
              + "__<description>.sql (or a later version after reserved ones), got " + file);
        }
        previous = version;
      }
      return new SchemaDefinition(this, previous);
    }

    private static void requireUnset(Object value, String name) {
      if (value != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    private static String requireText(String value, String name) {
      if (Objects.requireNonNull(value, name).isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}
