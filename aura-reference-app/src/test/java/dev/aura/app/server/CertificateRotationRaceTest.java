package dev.aura.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.AuraException;
import dev.aura.app.config.ConfigLoader;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.testing.PostgresSchema;
import dev.aura.spi.Fingerprint;
import dev.aura.store.jdbc.MothershipIdentity;
import dev.aura.store.jdbc.StoredPreviousCertificate;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
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
 * Two Motherships on one PostgreSQL schema (one JVM, so that they really meet in the database) rotate their
 * certificate at the same instant, round after round. Of two rotations at once one wins; the other is refused
 * with the product's wording and puts its files back; afterwards both serve the stored certificate, and every
 * certificate a rotation reported as done is the stored one or a stored previous one with its handover, so no
 * peer that pinned it is stranded. Skipped without {@code AURA_TEST_POSTGRES_URL}.
 */
class CertificateRotationRaceTest {
  private static final int ROUNDS = 6;
  private static final String REFUSED = "another Mothership instance rotated the certificate at the same time";

  @TempDir
  Path temp;

  @Test
  void twoRotationsAtOnceOnTwoInstances_oneWins_theOtherIsRefused_andNoRotatedCertificateIsLost()
      throws Exception {
    try (PostgresSchema schema = PostgresSchema.create("aura_rotate_race_")) {
      MothershipConfig config = ConfigLoader.parse(temp.resolve("config.toml"), "[store]\nurl = \"" + schema.url()
          + "\"\nkey_file = \"" + temp.resolve("store-key.secret") + "\"\n");
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<MothershipService> instances = new ArrayList<>();
      try {
        for (String name : List.of("a", "b")) {
          instances.add(MothershipService.open(new DataDir(temp.resolve(name)), config, Clock.systemUTC()));
        }
        Set<Fingerprint> rotatedTo = new HashSet<>();
        int refusals = 0;
        for (int round = 0; round < ROUNDS; round++) {
          CyclicBarrier together = new CyclicBarrier(instances.size());
          List<Future<Fingerprint>> rotations = new ArrayList<>();
          for (MothershipService instance : instances) {
            rotations.add(pool.submit(() -> {
              together.await();
              return instance.rotateCertificate(Principal.localAdmin()).identity().fingerprint();
            }));
          }
          int done = 0;
          for (Future<Fingerprint> rotation : rotations) {
            try {
              rotatedTo.add(rotation.get());
              done++;
            } catch (java.util.concurrent.ExecutionException e) {
              assertThat(e.getCause()).isInstanceOf(AuraException.class).hasMessageStartingWith(REFUSED)
                  .hasMessageContaining("run `aura mothership tls rotate` again");
              refusals++;
            }
          }
          assertThat(done).as("rotations done in round %d", round).isPositive();
          // as the change feed's CERTIFICATE notice makes the server do
          instances.forEach(MothershipService::followCertificate);

          MothershipIdentity stored = instances.get(0).stores().identity().orElseThrow();
          Fingerprint current = fingerprint(stored.certificatePem());
          for (MothershipService instance : instances) {
            assertThat(instance.certificates().current().fingerprint()).as("served in round %d", round)
                .isEqualTo(current);
            assertThat(fingerprint(Files.readString(new DataDir(temp.resolve(instance == instances.get(0) ? "a"
                : "b")).certificate()))).as("certificate file in round %d", round).isEqualTo(current);
          }
          Set<Fingerprint> handedOver = new HashSet<>();
          handedOver.add(current);
          for (StoredPreviousCertificate previous : instances.get(0).stores().previousCertificates(
              java.time.Instant.now())) {
            handedOver.add(fingerprint(previous.certificatePem()));
          }
          assertThat(handedOver).as("stored certificates after round %d", round).containsAll(rotatedTo);
        }
        System.out.printf("CertificateRotationRaceTest: %d rotations done, %d refused in %d rounds%n",
            rotatedTo.size(), refusals, ROUNDS);
      } finally {
        instances.forEach(MothershipService::close);
        pool.shutdownNow();
      }
    }
  }

  private static Fingerprint fingerprint(String pem) throws Exception {
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    return Fingerprint.ofCertificate(certificate.getEncoded());
  }
}
