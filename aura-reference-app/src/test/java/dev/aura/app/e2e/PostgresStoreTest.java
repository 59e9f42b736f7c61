package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Mothership on PostgreSQL ({@code [store] url}), when {@code AURA_TEST_POSTGRES_URL} names a server
 * (as {@code .ci/run} sets it); skipped, and reported as skipped, otherwise.
 */
class PostgresStoreTest {
  @TempDir
  Path temp;

  @Test
  void mothershipOnPostgres_issuesJoinsAndRevokes() throws Exception {
    String url = System.getenv("AURA_TEST_POSTGRES_URL");
    assumeTrue(url != null && !url.isBlank(), "AURA_TEST_POSTGRES_URL is not set: no PostgreSQL to test against");
    String schema = "aura_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection db = DriverManager.getConnection(url); Statement s = db.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String storeUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    try (MothershipFixture m = MothershipFixture.builder(temp)
        .config("[store]\nurl = \"" + storeUrl + "\"\nkey_file = \"" + temp.resolve("signing-key.secret") + "\"\n")
        .start()) {
      assertThat(m.host("mothership", "status").field("store")).startsWith("PostgreSQL ");
      MothershipFixture.Peer alice = m.peer("alice");
      Cli.Result joined = alice.join(m.issue("--for", "alice@acme.com"));
      assertThat(joined.exit()).as(joined.toString()).isZero();
      m.host("mothership", "peer", "revoke", "alice@acme.com");
      assertThat(alice.run("mothership", "ping").err()).startsWith("error: peer revoked\n");
      assertThat(m.host("mothership", "audit", "--verify").exit()).isZero();
    } finally {
      try (Connection db = DriverManager.getConnection(url); Statement s = db.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}
