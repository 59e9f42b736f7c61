package dev.aura.store.jdbc.internal;

import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.JdbcStoreException.Reason;
import dev.aura.store.jdbc.JdbcStoreOptions;
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
 * Versioned schema migrations, applied on open with Flyway.
 *
 * <p>Why Flyway: it is maintained, runs on Java 17 (13.x is compiled for 17), supports SQLite through the
 * xerial driver in its core and PostgreSQL through {@code flyway-database-postgresql}, checksums every
 * applied migration and takes a PostgreSQL advisory lock so that Motherships starting together migrate
 * once. Two things it does not do the way we need, done here first with a direct connection that writes
 * nothing: it ignores versions newer than it knows by default ({@code ignoreMigrationPatterns "*:future"};
 * we clear the patterns and check ourselves for a clear message), and its refusal of a foreign database is
 * worded for Flyway users. The migrations are served by a {@link ResourceProvider} from this module's own
 * resources, so Flyway scans no class path and cannot pick up another library's {@code db/migration}.
 *
 * <p>The marker that a database is ours is the history table {@value #HISTORY_TABLE}. A database with
 * tables but without it is refused and left untouched.
 */
final class Migrations {
  /** The schema version this build writes; the highest {@code V<n>__} file below. */
  static final int LATEST_VERSION = 2;
  static final String HISTORY_TABLE = "aura_schema_history";
  private static final String LOCATION = "aura-migrations/";
  private static final List<String> FILES = List.of("V1__initial_schema.sql", "V2__peer_workspaces.sql");

  private Migrations() {}

  /** What inspection found. */
  record Inspection(String schema, long version) {}

  /**
   * Checks, before anything is written, that the database is empty or ours and not from a newer version.
   *
   * @return the schema to migrate (null for SQLite) and its current version (0 for an empty database)
   */
  static Inspection inspect(StoreUrl url, JdbcStoreOptions options) throws JdbcStoreException {
    try (Connection connection = Database.inspect(url, options)) {
      String schema = url.dialect().currentSchema(connection);
      if (url.dialect() == Dialect.POSTGRESQL && schema == null) {
        throw new JdbcStoreException(Reason.MIGRATION_FAILED, url + " has no current schema (the search_path"
            + " names no existing schema); create the schema first or set currentSchema in the URL");
      }
      List<String> tables = tables(connection, schema);
      if (!tables.contains(HISTORY_TABLE)) {
        if (!tables.isEmpty()) {
          throw new JdbcStoreException(Reason.FOREIGN_DATABASE, url + (schema == null ? "" : " schema " + schema)
              + " has " + tables.size() + " table(s) (" + shortList(tables) + ") but no " + HISTORY_TABLE
              + " table; expected an empty database or an Aura store. Nothing was changed");
        }
        return new Inspection(schema, 0);
      }
      long version = appliedVersion(connection, url, schema);
      if (version > LATEST_VERSION) {
        throw new JdbcStoreException(Reason.NEWER_SCHEMA, url + " is at schema version " + version
            + ", this version of Aura knows up to " + LATEST_VERSION
            + "; upgrade Aura, or open a backup made with this version. Nothing was changed");
      }
      return new Inspection(schema, version);
    } catch (SQLException e) {
      throw classify(url, e);
    }
  }

  /** Brings the schema to {@link #LATEST_VERSION}; validates the checksums of what was applied before. */
  static void migrate(Database database, Inspection inspection) throws JdbcStoreException {
    FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(database.dataSource())
        .table(HISTORY_TABLE)
        .resourceProvider(new Resources())
        .javaMigrationClassProvider(Migrations::noJavaMigrations)
        .failOnMissingLocations(false)
        .placeholders(Map.of("binary", database.dialect().binaryType()))
        .ignoreMigrationPatterns(new String[0])
        .validateMigrationNaming(true)
        .cleanDisabled(true)
        .createSchemas(false)
        .baselineOnMigrate(false);
    if (inspection.schema() != null) {
      config.defaultSchema(inspection.schema()).schemas(inspection.schema());
    }
    try {
      config.load().migrate();
    } catch (FlywayException e) {
      throw new JdbcStoreException(Reason.MIGRATION_FAILED, database.url() + " (at schema version "
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
        String inSchema = rs.getString("TABLE_SCHEM");
        if (name.toLowerCase(Locale.ROOT).startsWith("sqlite_")
            || (schema != null && !schema.equals(inSchema))) {
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

  private static long appliedVersion(Connection connection, StoreUrl url, String schema)
      throws SQLException, JdbcStoreException {
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
          throw new JdbcStoreException(Reason.NEWER_SCHEMA, url + " records schema version '" + version
              + "', which this version of Aura does not know (it knows 1 to " + LATEST_VERSION
              + "); upgrade Aura. Nothing was changed");
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
  static JdbcStoreException classify(StoreUrl url, SQLException e) {
    String message = String.valueOf(e.getMessage());
    if (url.dialect() == Dialect.SQLITE
        && (e.getErrorCode() == 26 || e.getErrorCode() == 11 || message.contains("SQLITE_NOTADB")
            || message.contains("SQLITE_CORRUPT"))) {
      return new JdbcStoreException(Reason.NOT_A_DATABASE, url.sqliteFile() + " (" + Database.summary(e)
          + "): it is corrupted or some other kind of file. Nothing was changed: restore it from a backup or"
          + " point to another file", e);
    }
    String state = e.getSQLState();
    if (state != null && (state.startsWith("08") || state.equals("28000") || state.equals("28P01")
        || state.equals("3D000"))) {
      return new JdbcStoreException(Reason.UNREACHABLE, "cannot connect to " + url + ": "
          + Database.summary(e), e);
    }
    return new JdbcStoreException(Reason.OPERATION_FAILED, "inspecting " + url + " failed: "
        + Database.summary(e), e);
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
      try (InputStream in = Migrations.class.getResourceAsStream("/" + LOCATION + file)) {
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
