package dev.aura.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditVerification;
import dev.aura.spi.ConsumeOutcome;
import dev.aura.spi.Jti;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.RevocationEntry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL mid-stream ({@link Process#destroyForcibly()} on Linux) and checks
 * on reopen that every write it reported as done is there, no token was consumed twice, and the audit chain
 * verifies. Bounded: the child is killed once it has reported {@value #KILL_AFTER} consumed tokens, or
 * after a minute at most.
 */
class CrashSafetyTest {
  private static final int TOKENS = 400;
  private static final int KILL_AFTER = 60;
  private static final long BOUND_SECONDS = 60;

  @TempDir Path dir;

  @Test
  void sqlite_writesReportedBeforeSigkill_areAllPresentOnReopen() throws Exception {
    try (Backend backend = Backend.sqlite(dir)) {
      killMidStreamAndCheck(backend);
    }
  }

  @Test
  void postgres_writesReportedBeforeSigkill_areAllPresentOnReopen() throws Exception {
    try (Backend backend = Backend.postgres(dir)) {
      killMidStreamAndCheck(backend);
    }
  }

  private void killMidStreamAndCheck(Backend backend) throws Exception {
    Path keyFile = dir.resolve("crash.secret");
    JdbcStoreOptions options = JdbcStoreOptions.builder().keyFile(keyFile).build();
    try (JdbcStores stores = JdbcStores.open(backend.url(), options)) {
      for (int i = 0; i < TOKENS; i++) {
        stores.tokenLedger().record(Fixtures.token(Fixtures.jti(i), 1));
      }
    }

    List<String> lines = runAndKill(backend.url(), keyFile);

    List<Long> revocations = new ArrayList<>();
    List<String> revokedSubjects = new ArrayList<>();
    List<Long> audits = new ArrayList<>();
    List<Jti> consumed = new ArrayList<>();
    for (String line : lines) {
      String[] parts = line.split(" ");
      switch (parts[0]) {
        case "revocation" -> {
          revocations.add(Long.parseLong(parts[1]));
          revokedSubjects.add(parts[2]);
        }
        case "audit" -> audits.add(Long.parseLong(parts[1]));
        case "consumed" -> consumed.add(Jti.parse(parts[1]));
        case "ready" -> { }
        default -> throw new AssertionError("child reported: " + line);
      }
    }
    assertThat(consumed).as("the child was killed mid-stream").hasSizeGreaterThanOrEqualTo(KILL_AFTER)
        .hasSizeLessThan(TOKENS);

    try (JdbcStores reopened = JdbcStores.open(backend.url(), options)) {
      List<RevocationEntry> stored = reopened.revocationStore().since(0, 10_000);
      for (int i = 0; i < revocations.size(); i++) {
        RevocationEntry entry = stored.get((int) (revocations.get(i) - 1));
        assertThat(entry.version()).isEqualTo(revocations.get(i));
        assertThat(entry.change().target().value()).isEqualTo(revokedSubjects.get(i));
      }
      assertThat(stored).extracting(RevocationEntry::version)
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, stored.size()).boxed().toList());

      AuditVerification verification = AuditChain.verify(reopened.auditLog());
      assertThat(verification.isIntact()).as(verification.problem()).isTrue();
      List<AuditEntry> chain = reopened.auditLog().readChain(1, 10_000);
      assertThat(chain).extracting(AuditEntry::sequence).containsAll(audits);

      Set<Jti> consumedSet = new HashSet<>(consumed);
      int usedInStore = 0;
      for (int i = 0; i < TOKENS; i++) {
        Jti jti = Fixtures.jti(i);
        LedgerEntry entry = reopened.tokenLedger().find(jti).orElseThrow();
        assertThat(entry.usesConsumed()).isLessThanOrEqualTo(1);
        usedInStore += entry.usesConsumed();
        if (consumedSet.contains(jti)) {
          assertThat(entry.usesConsumed()).as("reported consumed: %s", jti).isEqualTo(1);
          assertThat(reopened.tokenLedger().consume(jti, Fixtures.tokenHash(jti), Fixtures.T0.plusSeconds(1)))
              .isEqualTo(ConsumeOutcome.ALREADY_USED);
        }
      }
      // At most the one consumption in flight at the kill is stored without having been reported.
      assertThat(usedInStore).isBetween(consumed.size(), consumed.size() + 1);
    }
  }

  /** Starts the child, reads its lines until it reported enough, kills it, then drains what it had printed. */
  private static List<String> runAndKill(String url, Path keyFile) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", CrashWriter.class.getName(), url, keyFile.toString(),
        Integer.toString(TOKENS))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          queue.add(line);
        }
      } catch (java.io.IOException e) {
        // the pipe closed with the process
      }
    });
    List<String> lines = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    int consumed = 0;
    try {
      while (consumed < KILL_AFTER && System.nanoTime() < deadline && (child.isAlive() || !queue.isEmpty())) {
        String line = queue.poll(100, TimeUnit.MILLISECONDS);
        if (line != null) {
          lines.add(line);
          consumed += line.startsWith("consumed ") ? 1 : 0;
        }
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
    reader.get(BOUND_SECONDS, TimeUnit.SECONDS);
    // Lines already in the pipe were printed after their write returned: they count too.
    queue.drainTo(lines);
    assertThat(child.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
    return lines;
  }
}
