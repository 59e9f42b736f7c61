package dev.aura.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.store.jdbc.JdbcStoreException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreUrlTest {
  @Test
  void sqliteForms_bothNameTheAbsoluteFile() throws Exception {
    StoreUrl plain = StoreUrl.parse("sqlite:/var/lib/aura/../aura/aura.db");
    StoreUrl jdbc = StoreUrl.parse("jdbc:sqlite:/var/lib/aura/aura.db");

    assertThat(plain.dialect()).isEqualTo(Dialect.SQLITE);
    assertThat(plain.sqliteFile()).isEqualTo(Path.of("/var/lib/aura/aura.db"));
    assertThat(plain.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/aura/aura.db");
    assertThat(jdbc.sqliteFile()).isEqualTo(plain.sqliteFile());
    assertThat(plain).hasToString("sqlite:/var/lib/aura/aura.db");
  }

  @Test
  void sqliteRelativePath_isResolvedAgainstTheWorkingDirectory() throws Exception {
    assertThat(StoreUrl.parse("sqlite:data/aura.db").sqliteFile())
        .isEqualTo(Path.of("data/aura.db").toAbsolutePath().normalize());
  }

  @Test
  void postgresqlUrl_withUserInfo_movesCredentialsOutOfTheUrl() throws Exception {
    StoreUrl url = StoreUrl.parse("postgresql://aura:s%40cret@db.internal:5433/aura?currentSchema=ms&sslmode=require");

    assertThat(url.dialect()).isEqualTo(Dialect.POSTGRESQL);
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/aura?currentSchema=ms&sslmode=require");
    assertThat(url.secretProperties()).containsEntry("user", "aura").containsEntry("password", "s@cret");
    assertThat(url).hasToString("postgresql://db.internal:5433/aura?currentSchema=ms&sslmode=require");
  }

  @Test
  void jdbcPostgresqlUrl_withPasswordParameter_keepsOtherParametersAndHidesThePassword() throws Exception {
    StoreUrl url = StoreUrl.parse("jdbc:postgresql://127.0.0.1/test?user=postgres&password=hunter2");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1/test?user=postgres");
    assertThat(url.secretProperties()).containsEntry("password", "hunter2");
    assertThat(url.toString()).doesNotContain("hunter2");
  }

  @Test
  void postgresScheme_isAcceptedAsAnAlias() throws Exception {
    assertThat(StoreUrl.parse("postgres://localhost/aura").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/aura");
  }

  @Test
  void unsupportedUrls_areRefusedWithoutEchoingSecrets() {
    for (String bad : new String[] {"", "mysql://root:hunter2@db/aura", "sqlite:", "sqlite::memory:",
        "sqlite:file:aura.db?mode=memory", "jdbc:sqlite:/x.db?journal_mode=off", "postgresql://[bad/aura"}) {
      assertThatThrownBy(() -> StoreUrl.parse(bad)).as(bad)
          .isInstanceOfSatisfying(JdbcStoreException.class,
              e -> assertThat(e.reason()).isEqualTo(JdbcStoreException.Reason.UNSUPPORTED_URL))
          .hasMessageStartingWith("unsupported store URL: ")
          .hasMessageNotContaining("hunter2");
    }
  }
}
