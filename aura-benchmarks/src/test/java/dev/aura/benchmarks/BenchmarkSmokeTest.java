package dev.aura.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark once, in this JVM, so that {@code mvn verify} proves each one sets up (including its
 * sanity checks) and executes. It measures nothing: one single-shot invocation per benchmark (per thread for
 * the 8-thread ones), with the revocation lists at 1,000 entries instead of 1,000,000 and 64 lookup keys
 * instead of 65,536.
 *
 * <p>The PostgreSQL ledger benchmarks run only when {@value LedgerConsume#POSTGRES_ENV} names a server;
 * otherwise they are left out, with a message.
 */
class BenchmarkSmokeTest {
  private static final Class<?>[] BENCHMARKS = {
      Ed25519Verify.class, Es256Verify.class, Ed25519Sign.class, Es256Sign.class, RevocationLookup.class,
      LedgerConsume.class, dev.aura.benchmarks.load.KeyRingValidation.class};
  private static final String POSTGRES_BENCHMARKS = "dev.aura.benchmarks.LedgerConsume.postgres";

  @Test
  void everyBenchmark_runOnceInProcess_completesWithOneSample() throws Exception {
    OptionsBuilder options = new OptionsBuilder();
    options.include("^" + Pattern.quote(BenchmarkSmokeTest.class.getPackageName() + ".") + ".*")
        .forks(0)
        .mode(Mode.SingleShotTime)
        .warmupIterations(0)
        .measurementIterations(1)
        .param("entries", "1000")
        .param("keys", "64")
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT);
    Set<String> expected = declaredBenchmarks();
    String postgres = System.getenv(LedgerConsume.POSTGRES_ENV);
    if (postgres == null || postgres.isBlank()) {
      System.out.println("BenchmarkSmokeTest: " + LedgerConsume.POSTGRES_ENV + " is not set, so the PostgreSQL"
          + " ledger benchmarks (LedgerConsume.postgres*) are left out; set it (for example"
          + " jdbc:postgresql://127.0.0.1:5432/test?user=postgres) to run them too");
      options.exclude("^" + Pattern.quote(POSTGRES_BENCHMARKS));
      expected.removeIf(name -> name.startsWith(POSTGRES_BENCHMARKS));
    }

    Collection<RunResult> results = new Runner(options.build()).run();

    Set<String> ran = new TreeSet<>();
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      ran.add(name);
      assertThat(result.getPrimaryResult().getSampleCount()).as(name).isEqualTo(1); // JMH sums the threads
      assertThat(result.getParams().getThreads()).as(name).isEqualTo(name.endsWith("8Threads") ? 8 : 1);
    }
    assertThat(ran).containsExactlyElementsOf(expected);
  }

  @Test
  void declaredBenchmarks_coverBothAlgorithmsEveryPeerLibraryRevocationAndTheLedgers() {
    assertThat(declaredBenchmarks()).contains(
        "dev.aura.benchmarks.Ed25519Verify.rawBcVerify",
        "dev.aura.benchmarks.Ed25519Verify.auraVerify",
        "dev.aura.benchmarks.Ed25519Verify.nimbusVerify",
        "dev.aura.benchmarks.Ed25519Verify.jjwtVerify",
        "dev.aura.benchmarks.Ed25519Verify.jose4jVerify",
        "dev.aura.benchmarks.Es256Verify.rawBcVerify",
        "dev.aura.benchmarks.Es256Verify.auraVerifyRevocation1k",
        "dev.aura.benchmarks.Es256Verify.auth0Verify",
        "dev.aura.benchmarks.Ed25519Sign.auraIssue",
        "dev.aura.benchmarks.Es256Sign.auth0Sign",
        "dev.aura.benchmarks.Ed25519Verify.auraVerifyRevocationList",
        "dev.aura.benchmarks.Es256Verify.auraVerifyRevocationList",
        "dev.aura.benchmarks.RevocationLookup.findJtiHit",
        "dev.aura.benchmarks.RevocationLookup.findSubjectMiss",
        "dev.aura.benchmarks.RevocationLookup.findPeerHit",
        "dev.aura.benchmarks.RevocationLookup.revocationOfMiss",
        "dev.aura.benchmarks.RevocationLookup.revocationOfPeerMiss",
        "dev.aura.benchmarks.LedgerConsume.inMemory",
        "dev.aura.benchmarks.LedgerConsume.sqlite8Threads",
        "dev.aura.benchmarks.LedgerConsume.postgres8Threads",
        "dev.aura.benchmarks.load.KeyRingValidation.newestKey",
        "dev.aura.benchmarks.load.KeyRingValidation.oldestKey");
  }

  private static Set<String> declaredBenchmarks() {
    Set<String> names = new TreeSet<>();
    for (Class<?> type : BENCHMARKS) {
      for (Method method : type.getMethods()) {
        if (method.isAnnotationPresent(Benchmark.class)) {
          names.add(type.getName() + "." + method.getName());
        }
      }
    }
    return names;
  }
}
