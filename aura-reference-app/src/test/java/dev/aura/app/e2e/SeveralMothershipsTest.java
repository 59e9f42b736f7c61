package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.cli.CliEnvironment;
import dev.aura.app.config.DataDir;
import dev.aura.app.testing.Background;
import dev.aura.app.testing.ChildProcess;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipGroup;
import dev.aura.app.testing.PostgresSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real Motherships (JVMs of their own, separate data directories, loopback ports) on one PostgreSQL
 * schema with one key file are one logical Mothership: one id, one certificate, one ledger. A third start
 * with another key file is refused and changes nothing; a peer revoked on one is disconnected from the other;
 * an instance started after a {@code tls rotate} serves the rotated certificate (skipped without {@code AURA_TEST_POSTGRES_URL}).
 * SQLite refuses a second Mothership on the same database file, from another data directory too.
 */
class SeveralMothershipsTest {
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir
  Path temp;

  @Test
  void twoMothershipsOnOnePostgres_shareIdAndCertificate_andATokenIsUsedOnceAcrossThem() throws Exception {
    try (PostgresSchema schema = PostgresSchema.create("aura_shared_");
        MothershipGroup group = new MothershipGroup(temp, schema, "")) {
      shareOneIdentity(schema, group);
    }
  }

  private void shareOneIdentity(PostgresSchema schema, MothershipGroup group) throws Exception {
    group.start("a");
    group.start("b");
    Cli.Result statusA = Cli.run(env("a"), "mothership", "status");
    Cli.Result statusB = Cli.run(env("b"), "mothership", "status");
    assertThat(statusA.exit()).as(statusA.toString()).isZero();
    assertThat(statusB.exit()).as(statusB.toString()).isZero();
    String id = statusA.field("mothership_id");
    String fingerprint = statusA.field("fingerprint");
    assertThat(id).startsWith("mship_");
    assertThat(statusB.field("mothership_id")).isEqualTo(id);
    assertThat(statusB.field("fingerprint")).isEqualTo(fingerprint);
    assertThat(statusB.field("key_ring")).isEqualTo(statusA.field("key_ring"));
    assertThat(Files.readString(dataDir("b").idFile()).strip()).isEqualTo(id);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir("b").privateKey())))
        .isEqualTo("rw-------");

    Cli.Result issued = Cli.run(env("a"), "mothership", "token", "issue", "--for", "alice@acme.com");
    assertThat(issued.exit()).as(issued.toString()).isZero();
    String token = issued.field("token");

    Cli.Result joinedThroughB = group.join("alice", "b", token);
    assertThat(joinedThroughB.exit()).as(joinedThroughB.toString()).isZero();
    Cli.Result reusedThroughA = group.join("mallory", "a", token);
    assertThat(reusedThroughA.exit()).isNotZero();
    assertThat(reusedThroughA.err()).startsWith("error: token already used");

    Path wrongKey = temp.resolve("wrong").resolve("store-key.secret");
    Files.createDirectories(wrongKey.getParent());
    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    Files.write(wrongKey, other);
    Files.setPosixFilePermissions(wrongKey, PosixFilePermissions.fromString("rw-------"));
    try (ChildProcess c = group.launch("c", wrongKey)) {
      Cli.Result refused = c.awaitExit(BOUND);
      assertThat(refused.exit()).as(refused.toString()).isNotZero();
      assertThat(refused.err()).as(refused.toString())
          .contains("error: store key file rejected: " + wrongKey)
          .contains(wrongKey + " has key file id ")
          .doesNotContain("Exception");
    }
    assertThat(dataDir("c").idFile()).doesNotExist();
    assertThat(dataDir("c").certificate()).doesNotExist();
    assertThat(dataDir("c").privateKey()).doesNotExist();
    try (Connection db = schema.connect(); Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT mothership_id FROM mothership_identity")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(id);
      assertThat(rs.next()).isFalse();
    }
    assertThat(Cli.run(env("b"), "mothership", "status").field("fingerprint")).isEqualTo(fingerprint);

    try (Background connect = new Background(env("alice"), "mothership", "connect")) {
      connect.awaitOutput("connected: ");
      group.awaitConnectedPeers("b", 1);
      Cli.Result revoked = Cli.run(env("a"), "mothership", "peer", "revoke", "alice@acme.com");
      assertThat(revoked.exit()).as(revoked.toString()).isZero();
      long revokedAt = System.nanoTime();
      Cli.Result ended = connect.awaitExit(BOUND);
      System.out.printf("SeveralMothershipsTest: revoked on A, peer on B disconnected %d ms after the command"
          + " returned%n", (System.nanoTime() - revokedAt) / 1_000_000);
      assertThat(ended.exit()).isEqualTo(1);
      assertThat(ended.err()).startsWith("error: peer revoked\ncaused by: ");
      group.awaitConnectedPeers("b", 0);
    }

    String rotated = Cli.run(env("a"), "mothership", "tls", "rotate").field("fingerprint");
    assertThat(rotated).isNotEqualTo(fingerprint);
    group.start("d");
    assertThat(Cli.run(env("d"), "mothership", "status").field("fingerprint")).isEqualTo(rotated);
    assertThat(Cli.run(env("a"), "mothership", "audit", "--verify").exit()).isZero();
  }

  @Test
  void twoMothershipsStartedTogetherOnAnEmptyPostgresSchema_agreeOnOneIdentityAndOneSigningKey() throws Exception {
    try (PostgresSchema schema = PostgresSchema.create("aura_shared_");
        MothershipGroup group = new MothershipGroup(temp, schema, "")) {
      startTogether(schema, group);
    }
  }

  private void startTogether(PostgresSchema schema, MothershipGroup group) throws Exception {
    try (ChildProcess a = group.launch("a"); ChildProcess b = group.launch("b")) {
      a.awaitOutput("stop with: ", BOUND);
      b.awaitOutput("stop with: ", BOUND);
      Cli.Result statusA = Cli.run(env("a"), "mothership", "status");
      Cli.Result statusB = Cli.run(env("b"), "mothership", "status");
      assertThat(statusB.field("mothership_id")).isEqualTo(statusA.field("mothership_id"));
      assertThat(statusB.field("fingerprint")).isEqualTo(statusA.field("fingerprint"));
      try (Connection db = schema.connect(); Statement s = db.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM signing_keys")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
      assertThat(statusB.field("key_ring")).isEqualTo(statusA.field("key_ring"));
    }
  }

  @Test
  void secondMothershipOnTheSameSqliteFile_fromAnotherDataDirectory_isRefusedUntilTheFirstStops() throws Exception {
    Path database = dataDir("a").database();
    MothershipGroup group = new MothershipGroup(temp, "sqlite:" + database,
        database.resolveSibling("signing-key.secret"), "");
    try (group; ChildProcess a = group.start("a")) {
      try (ChildProcess b = group.launch("b")) {
        Cli.Result refused = b.awaitExit(BOUND);
        assertThat(refused.exit()).as(refused.toString()).isNotZero();
        assertThat(refused.err()).as(refused.toString())
            .startsWith("error: another Mothership is already running on " + database + "\n")
            .contains("caused by: an SQLite store serves one Mothership; to run several instances, give them one"
                + " PostgreSQL store")
            .doesNotContain("Exception");
      }
      assertThat(dataDir("b").idFile()).doesNotExist();
      assertThat(Cli.run(env("a"), "mothership", "status").exit()).isZero();
      a.kill(); // kill -9: the operating system releases the lock, nothing to clean up
    }
    try (MothershipGroup again = new MothershipGroup(temp, "sqlite:" + database,
        database.resolveSibling("signing-key.secret"), "")) {
      again.start("b");
      assertThat(Cli.run(env("b"), "mothership", "status").field("store")).startsWith("SQLite ")
          .contains(database.toString());
    }
  }

  private DataDir dataDir(String name) {
    return new DataDir(temp.resolve(name).resolve("mothership"));
  }

  private CliEnvironment env(String name) {
    return CliEnvironment.builder().variable("AURA_HOME", temp.resolve(name).toString()).userHome(temp)
        .clock(Clock.systemUTC()).build();
  }

}
