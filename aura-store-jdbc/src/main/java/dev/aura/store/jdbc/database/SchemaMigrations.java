package dev.aura.store.jdbc.database;

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
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Inspection before anything is written, then Flyway.
 *
 * <p>Why Flyway: it is maintained, runs on Java 17, supports SQLite through the xerial driver in its core and
 * PostgreSQL through {@code flyway-database-postgresql}, checksums every applied migration and takes a
 * PostgreSQL advisory lock so that processes starting together migrate once. Two things it does not do the
 * way we need, done here first over a direct connection that writes nothing: it ignores versions newer than
 * it knows by default ({@code ignoreMigrationPatterns "*:future"}; the patterns are cleared and the version
 * checked here for a clear message), and its refusal of a foreign database is worded for Flyway users. The
 * migrations are served by a {@link ResourceProvider} from the definition's list, so Flyway scans no class
 * path and cannot pick up another library's {@code db/migration}.
 */
final class SchemaMigrations {
  private SchemaMigrations() {}

  /** What inspection found: the schema to migrate (null for SQLite), its version, other tables beside it. */
  record Inspection(String schema, long version, boolean otherTables) {}

  static <X extends Exception> Inspection inspect(DatabaseUrl url, SchemaDefinition definition,
      PoolSettings settings, FailureFactory<X> failures) throws X {
    try (Connection connection = SqlDatabase.inspectionConnection(url, settings)) {
      String schema = url.dialect().currentSchema(connection);
      if (url.dialect() == DatabaseDialect.POSTGRESQL && schema == null) {
        throw failures.create(DatabaseFailure.MIGRATION_FAILED, url + " has no current schema (the search_path"
            + " names no existing schema); create the schema first or set currentSchema in the URL", null);
      }
      String where = url + (schema == null ? "" : " schema " + schema);
      String history = definition.historyTable();
      List<String> tables = tables(connection, schema);
      if (!tables.contains(history)) {
        String prefix = definition.sharedSchemaTablePrefix();
        List<String> claimed = prefix == null || url.dialect() == DatabaseDialect.SQLITE ? tables
            : tables.stream().filter(t -> t.toLowerCase(Locale.ROOT).startsWith(prefix)).toList();
        if (!claimed.isEmpty()) {
          throw failures.create(DatabaseFailure.FOREIGN_DATABASE, where + " has " + claimed.size() + " table(s) ("
              + shortList(claimed) + ") but no " + history + " table; expected an empty database or "
              + definition.owner() + ". Nothing was changed", null);
        }
        return new Inspection(schema, 0, !tables.isEmpty());
      }
      long version = appliedVersion(connection, where, schema, definition, failures);
      if (version > definition.latestVersion()) {
        throw failures.create(DatabaseFailure.NEW_SCHEMA, where + " is at " + definition.schemaNoun() + " version "
            + version + ", this version of Aura knows up to " + definition.latestVersion()
            + "; upgrade Aura, or open a backup made with this version. Nothing was changed", null);
      }
      return new Inspection(schema, version, true);
    } catch (SQLException e) {
      throw classify(url, e, failures);
    }
  }

  /** Brings the schema to the latest version; validates the checksums of what was applied before. */
  static <X extends Exception> void migrate(DataSource dataSource, DatabaseUrl url, SchemaDefinition definition,
      Inspection inspection, FailureFactory<X> failures) throws X {
    FluentConfiguration config = Flyway.configure(SchemaMigrations.class.getClassLoader())
        .dataSource(dataSource)
        .table(definition.historyTable())
        .resourceProvider(new Resources(definition))
        .javaMigrationClassProvider(SchemaMigrations::noJavaMigrations)
        .failOnMissingLocations(false)
        .placeholders(Map.of("binary", url.dialect().binaryType()))
        .ignoreMigrationPatterns(new String[0])
        .validateMigrationNaming(true)
        .cleanDisabled(true)
        .createSchemas(false)
        // Only possible with sharesPostgresSchema: beside other tables, start our history at version 0.
        .baselineOnMigrate(inspection.version() == 0 && inspection.otherTables());
    if (definition.sharedSchemaTablePrefix() != null) {
      config.baselineVersion("0").baselineDescription("beside other Aura tables");
    }
    if (inspection.schema() != null) {
      config.defaultSchema(inspection.schema()).schemas(inspection.schema());
    }
    try {
      config.load().migrate();
    } catch (FlywayException e) {
      throw failures.create(DatabaseFailure.MIGRATION_FAILED, url + " (at " + definition.schemaNoun() + " version "
          + inspection.version() + ", this version of Aura writes " + definition.latestVersion() + "): "
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

  private static <X extends Exception> long appliedVersion(Connection connection, String where, String schema,
      SchemaDefinition definition, FailureFactory<X> failures) throws SQLException, X {
    String history = definition.historyTable();
    String table = schema == null ? history : SqlDatabase.quote(schema) + "." + history;
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
          String noun = definition.schemaNoun();
          String article = "aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0 ? "an " : "a ";
          throw failures.create(DatabaseFailure.NEW_SCHEMA, where + " records " + article + noun + " version this"
              + " version of Aura does not know (it knows 1 to " + definition.latestVersion() + "); upgrade Aura."
              + " Nothing was changed", null);
        }
      }
    }
    return highest;
  }

  private static String shortList(List<String> names) {
    List<String> shown = names.subList(0, Math.min(5, names.size()));
    return String.join(", ", shown) + (names.size() > shown.size() ? ", ..." : "");
  }

  /** Maps a failure to open or read a database before use. */
  private static <X extends Exception> X classify(DatabaseUrl url, SQLException e, FailureFactory<X> failures) {
    if (url.dialect() == DatabaseDialect.SQLITE && SqlDatabase.isSqliteCorruption(e)) {
      return failures.create(DatabaseFailure.NOT_A_DATABASE, url.sqliteFile() + " (" + SqlDatabase.summary(e)
          + "): it is corrupted or some other kind of file. Nothing was changed: restore it from a backup or"
          + " point to another file", e);
    }
    String state = e.getSQLState();
    if (state != null && (state.startsWith("08") || state.equals("28000") || state.equals("28P01")
        || state.equals("3D000"))) {
      return failures.create(DatabaseFailure.UNREACHABLE, "cannot connect to " + url + ": "
          + SqlDatabase.summary(e), e);
    }
    return failures.create(DatabaseFailure.OPERATION_FAILED, "inspecting " + url + " failed: "
        + SqlDatabase.summary(e), e);
  }

  /** Serves the definition's migration files; nothing is scanned. */
  private static final class Resources implements ResourceProvider {
    private final List<LoadableResource> all = new ArrayList<>();

    Resources(SchemaDefinition definition) {
      for (String file : definition.files()) {
        all.add(new Resource(definition.location(), file, load(definition, file)));
      }
    }

    private static String load(SchemaDefinition definition, String file) {
      String path = definition.location() + file;
      try (InputStream in = definition.resourceAnchor().getResourceAsStream("/" + path)) {
        if (in == null) {
          throw new IllegalStateException("migration " + path + " is missing from the jar");
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
    private final String location;
    private final String name;
    private final String text;

    Resource(String location, String name, String text) {
      this.location = location;
      this.name = name;
      this.text = text;
    }

    @Override
    public Reader read() {
      return new StringReader(text);
    }

    @Override
    public String getAbsolutePath() {
      return location + name;
    }

    @Override
    public String getAbsolutePathOnDisk() {
      return location + name;
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
