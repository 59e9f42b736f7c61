package dev.aura.sync.internal;

import dev.aura.sync.EventLogException;
import dev.aura.sync.EventLogException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The event log's versioned schema, applied on open with Flyway from an explicit list of files served by a
 * {@link ResourceProvider} (no class path scanning: the application is shaded into one jar), with its own
 * history table {@value #HISTORY_TABLE}.
 *
 * <p>Before Flyway writes anything, a direct connection checks that the database is empty or ours and not
 * newer than this build. On PostgreSQL the log shares a schema with the security store, whose tables have
 * other names: only {@code sync_} tables without the history table make a schema foreign, and Flyway
 * baselines at version 0 beside the other tables (it refuses a non-empty schema otherwise). On SQLite the
 * log has a file of its own: any table without the history table makes it foreign.
 */
final class LogMigrations {
  /** The schema version this build writes; the highest {@code V<n>__} file below. */
  static final int LATEST_VERSION = 1;
  static final String HISTORY_TABLE = "aura_sync_schema_history";
  static final String TABLE_PREFIX = "sync_";
  private static final String LOCATION = "aura-sync-migrations/";
  private static final List<String> FILES = List.of("V1__event_log.sql");

  private LogMigrations() {}

  /** What inspection found. */
  record Inspection(String schema, long version, boolean otherTables) {}

  /**
   * Checks, before anything is written, that the database is empty or ours and not from a newer version.
   *
   * @return the schema to migrate (null for SQLite), its version (0 when the log was never created there),
   *     and whether the schema holds tables that are not the log's
   */
  static Inspection inspect(LogUrl url) throws EventLogException {
    try (Connection connection = LogDatabase.inspect(url)) {
      String schema = url.dialect().currentSchema(connection);
      if (url.dialect() == LogDialect.POSTGRESQL && schema == null) {
        throw new EventLogException(Reason.MIGRATION_FAILED, url + " has no current schema (the search_path"
            + " names no existing schema); create the schema first or set currentSchema in the URL");
      }
      String where = url + (schema == null ? "" : " schema " + schema);
      List<String> tables = tables(connection, schema);
      if (!tables.contains(HISTORY_TABLE)) {
        List<String> claimed = url.dialect() == LogDialect.SQLITE ? tables
            : tables.stream().filter(t -> t.toLowerCase(Locale.ROOT).startsWith(TABLE_PREFIX)).toList();
        if (!claimed.isEmpty()) {
          throw new EventLogException(Reason.FOREIGN_DATABASE, where + " has " + claimed.size() + " table(s) ("
              + shortList(claimed) + ") but no " + HISTORY_TABLE
              + " table; expected an empty database or an Aura event log. Nothing was changed");
        }
        return new Inspection(schema, 0, !tables.isEmpty());
      }
      long version = appliedVersion(connection, where, schema);
      if (version > LATEST_VERSION) {
        throw new EventLogException(Reason.NEWER_SCHEMA, where + " is at event log schema version " + version
            + ", this version of Aura knows up to " + LATEST_VERSION
            + "; upgrade Aura, or open a backup made with this version. Nothing was changed");
      }
      return new Inspection(schema, version, true);
    } catch (SQLException e) {
      throw classify(url, e);
    }
  }

  /** Brings the schema to {@link #LATEST_VERSION}; validates the checksums of what was applied before. */
  static void migrate(LogDatabase database, Inspection inspection) throws EventLogException {
    FluentConfiguration config = Flyway.configure(LogMigrations.class.getClassLoader())
        .dataSource(database.dataSource())
        .table(HISTORY_TABLE)
        .resourceProvider(new Resources())
        .javaMigrationClassProvider(LogMigrations::noJavaMigrations)
        .failOnMissingLocations(false)
        .placeholders(Map.of("binary", database.dialect().binaryType()))
        .ignoreMigrationPatterns(new String[0])
        .validateMigrationNaming(true)
        .cleanDisabled(true)
        .createSchemas(false)
        // Beside the security store's tables (PostgreSQL): start the log's own history at version 0.
        .baselineOnMigrate(inspection.version() == 0 && inspection.otherTables())
        .baselineVersion("0")
        .baselineDescription("beside other Aura tables");
    if (inspection.schema() != null) {
      config.defaultSchema(inspection.schema()).schemas(inspection.schema());
    }
    try {
      config.load().migrate();
    } catch (FlywayException e) {
      throw new EventLogException(Reason.MIGRATION_FAILED, database.url() + " (at event log schema version "
          + inspection.version() + ", this version of Aura writes " + LATEST_VERSION + "): "
          + flywaySummary(e), e);
    }
  }

  /** Flyway's first lines, without its links and its advice to run Flyway commands. */
  private static String flywaySummary(FlywayException e) {
    List<String> kept = new ArrayList<>();
    for (String line : String.valueOf(e.getMessage()).split("\\R")) {
      String trimmed = line.trim();
      if (!trimmed.isEmpty() && !trimmed.contains("http") && !trimmed.toLowerCase(Locale.ROOT).contains("repair")
          && kept.size() < 4) {
        kept.add(trimmed);
      }
    }
    return String.join("; ", kept);
  }

  private static Collection<Class<? extends JavaMigration>> noJavaMigrations() {
    return List.of();
  }

  private static List<String> tables(Connection connection, String schema) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    String pattern = schema == null ? null : escape(schema, meta.getSearchStringEscape());
    List<String> names = new ArrayList<>();
    try (ResultSet rs = meta.getTables(null, pattern, "%", new String[] {"TABLE", "VIEW"})) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME");
        if (name.toLowerCase(Locale.ROOT).startsWith("sqlite_")
            || (schema != null && !schema.equals(rs.getString("TABLE_SCHEM")))) {
          continue;
        }
        names.add(name);
      }
    }
    return names;
  }

  private static String escape(String schema, String escape) {
    if (escape == null || escape.isEmpty()) {
      return schema;
    }
    return schema.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
  }

  private static long appliedVersion(Connection connection, String where, String schema)
      throws SQLException, EventLogException {
    String table = schema == null ? HISTORY_TABLE : quote(schema) + "." + HISTORY_TABLE;
    long highest = 0;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, success FROM " + table + " WHERE version IS NOT NULL")) {
      while (rs.next()) {
        String version = rs.getString(1);
        if (!rs.getBoolean(2)) {
          continue;
        }
        try {
          highest = Math.max(highest, Long.parseLong(version.trim()));
        } catch (NumberFormatException e) {
          throw new EventLogException(Reason.NEWER_SCHEMA, where + " records an event log schema version this"
              + " version of Aura does not know (it knows 1 to " + LATEST_VERSION + "); upgrade Aura."
              + " Nothing was changed");
        }
      }
    }
    return highest;
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static String shortList(List<String> names) {
    List<String> shown = names.subList(0, Math.min(5, names.size()));
    return String.join(", ", shown) + (names.size() > shown.size() ? ", ..." : "");
  }

  /** Maps a failure to open or read a database before use. */
  static EventLogException classify(LogUrl url, SQLException e) {
    if (url.dialect() == LogDialect.SQLITE && LogDatabase.isSqliteCorruption(e)) {
      return new EventLogException(Reason.CORRUPT, url.sqliteFile() + " (" + LogDatabase.summary(e)
          + "): it is corrupted or some other kind of file. Nothing was changed: restore it from a backup or"
          + " point to another file", e);
    }
    String state = e.getSQLState();
    if (state != null && (state.startsWith("08") || state.equals("28000") || state.equals("28P01")
        || state.equals("3D000"))) {
      return new EventLogException(Reason.UNREACHABLE, "cannot connect to " + url + ": "
          + LogDatabase.summary(e), e);
    }
    return new EventLogException(Reason.IO, "inspecting " + url + " failed: " + LogDatabase.summary(e), e);
  }

  /** Serves the migration files from this module's resources; nothing is scanned. */
  private static final class Resources implements ResourceProvider {
    private final List<LoadableResource> all = new ArrayList<>();

    Resources() {
      for (String file : FILES) {
        all.add(new Resource(file, load(file)));
      }
    }

    private static String load(String file) {
      try (InputStream in = LogMigrations.class.getResourceAsStream("/" + LOCATION + file)) {
        if (in == null) {
          throw new IllegalStateException("migration " + LOCATION + file + " is missing from the jar");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public LoadableResource getResource(String name) {
      for (LoadableResource resource : all) {
        if (resource.getFilename().equals(name) || resource.getRelativePath().equals(name)) {
          return resource;
        }
      }
      return null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
      List<LoadableResource> matching = new ArrayList<>();
      for (LoadableResource resource : all) {
        String name = resource.getFilename();
        if (!name.startsWith(prefix)) {
          continue;
        }
        for (String suffix : suffixes) {
          if (name.endsWith(suffix)) {
            matching.add(resource);
            break;
          }
        }
      }
      return matching;
    }
  }

  private static final class Resource extends LoadableResource {
    private final String name;
    private final String text;

    Resource(String name, String text) {
      this.name = name;
      this.text = text;
    }

    @Override
    public Reader read() {
      return new StringReader(text);
    }

    @Override
    public String getAbsolutePath() {
      return LOCATION + name;
    }

    @Override
    public String getAbsolutePathOnDisk() {
      return LOCATION + name;
    }

    @Override
    public String getFilename() {
      return name;
    }

    @Override
    public String getRelativePath() {
      return name;
    }
  }
}
