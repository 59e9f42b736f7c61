package dev.aura.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.database.DatabaseDialect;
import dev.aura.store.jdbc.database.DatabaseUrl;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreUrlTest {
  @Test
  void sqliteForms_bothNameTheAbsoluteFile() throws Exception {
    DatabaseUrl plain = DatabaseUrl.parse("sqlite:/var/lib/aura/../aura/aura.db", StoreSchema.FAILURES);
    DatabaseUrl jdbc = DatabaseUrl.parse("jdbc:sqlite:/var/lib/aura/aura.db", StoreSchema.FAILURES);

    assertThat(plain.dialect()).isEqualTo(DatabaseDialect.SQLITE);
    assertThat(plain.sqliteFile()).isEqualTo(Path.of("/var/lib/aura/aura.db"));
    assertThat(plain.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/aura/aura.db");
    assertThat(jdbc.sqliteFile()).isEqualTo(plain.sqliteFile());
    assertThat(plain).hasToString("sqlite:/var/lib/aura/aura.db");
  }

  @Test
  void sqliteRelativePath_isResolvedAgainstTheWorkingDirectory() throws Exception {
    assertThat(DatabaseUrl.parse("sqlite:data/aura.db", StoreSchema.FAILURES).sqliteFile())
        .isEqualTo(Path.of("data/aura.db").toAbsolutePath().normalize());
  }

  @Test
  void postgresqlUrl_withUserInfo_movesCredentialsOutOfTheUrl() throws Exception {
    DatabaseUrl url = DatabaseUrl.parse(
        "postgresql://aura:s%40cret@db.internal:5433/aura?currentSchema=ms&sslmode=require", StoreSchema.FAILURES);

    assertThat(url.dialect()).isEqualTo(DatabaseDialect.POSTGRESQL);
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/aura?currentSchema=ms&sslmode=require");
    assertThat(url.secretProperties()).containsEntry("user", "aura").containsEntry("password", "s@cret");
    assertThat(url).hasToString("postgresql://db.internal:5433/aura?currentSchema=ms&sslmode=require");
  }

  @Test
  void jdbcPostgresqlUrl_withPasswordParameter_keepsOtherParametersAndHidesThePassword() throws Exception {
    DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://127.0.0.1/test?user=postgres&password=hunter2",
        StoreSchema.FAILURES);

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1/test?user=postgres");
    assertThat(url.secretProperties()).containsEntry("password", "hunter2");
    assertThat(url.toString()).doesNotContain("hunter2");
  }

  @Test
  void postgresScheme_isAcceptedAsAnAlias() throws Exception {
    assertThat(DatabaseUrl.parse("postgres://localhost/aura", StoreSchema.FAILURES).jdbcUrl())
        .isEqualTo("jdbc:postgresql://localhost/aura");
  }

  @Test
  void unsupportedUrls_areRefusedWithoutEchoingSecrets() {
    for (String bad : new String[] {"", "mysql://root:hunter2@db/aura", "sqlite:", "sqlite::memory:",
        "sqlite:file:aura.db?mode=memory", "jdbc:sqlite:/x.db?journal_mode=off", "postgresql://[bad/aura"}) {
      assertThatThrownBy(() -> DatabaseUrl.parse(bad, StoreSchema.FAILURES)).as(bad)
          .isInstanceOfSatisfying(JdbcStoreException.class,
              e -> assertThat(e.reason()).isEqualTo(JdbcStoreException.Reason.UNSUPPORTED_URL))
          .hasMessageStartingWith("unsupported store URL: ")
          .hasMessageNotContaining("hunter2");
    }
  }
}
