package dev.aura.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.config.ConfigLoader;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.testing.PostgresSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Motherships opened at the same moment on an empty PostgreSQL schema (one JVM, so that they really meet in
 * the database) agree on one identity and one first signing key: the identity row and the first key commit
 * in one transaction, and the others wait for it. Skipped without {@code AURA_TEST_POSTGRES_URL}.
 */
class SharedIdentityRaceTest {
  private static final int ROUNDS = 4;
  private static final int INSTANCES = 4;

  @TempDir
  Path temp;

  @Test
  void instancesOpenedTogetherOnAnEmptySchema_shareOneIdOneCertificateAndOneSigningKey() throws Exception {
    PostgresSchema.create("aura_race_").close(); // skips without a PostgreSQL
    ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        PostgresSchema schema = PostgresSchema.create("aura_race_");
        String url = schema.url();
        Path roundDir = temp.resolve("round-" + round);
        MothershipConfig config = ConfigLoader.parse(roundDir.resolve("config.toml"),
            "[store]\nurl = \"" + url + "\"\nkey_file = \"" + roundDir.resolve("store-key.secret") + "\"\n");
        Files.createDirectories(roundDir);
        CyclicBarrier together = new CyclicBarrier(INSTANCES);
        List<Future<MothershipService>> opening = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
          DataDir dir = new DataDir(roundDir.resolve("instance-" + i));
          opening.add(pool.submit(() -> {
            together.await();
            return MothershipService.open(dir, config, Clock.systemUTC());
          }));
        }
        List<MothershipService> opened = new ArrayList<>();
        try {
          for (Future<MothershipService> f : opening) {
            opened.add(f.get());
          }
          Set<String> ids = new HashSet<>();
          Set<String> fingerprints = new HashSet<>();
          for (MothershipService m : opened) {
            ids.add(m.id().value());
            fingerprints.add(m.certificates().current().fingerprint().toString());
          }
          assertThat(ids).as("round %d", round).hasSize(1);
          assertThat(fingerprints).as("round %d", round).hasSize(1);
          try (Connection db = schema.connect(); Statement s = db.createStatement();
              ResultSet rs = s.executeQuery("SELECT count(*) FROM signing_keys")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("signing keys after round %d", round).isEqualTo(1);
          }
        } finally {
          opened.forEach(MothershipService::close);
          schema.close();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
