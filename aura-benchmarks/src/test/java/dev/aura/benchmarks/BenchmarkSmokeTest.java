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
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark once, in this JVM, so that {@code mvn verify} proves each one sets up (including its
 * sanity checks) and executes. It measures nothing: one single-shot invocation per benchmark.
 */
class BenchmarkSmokeTest {
  private static final Class<?>[] BENCHMARKS = {
      Ed25519Verify.class, Es256Verify.class, Ed25519Sign.class, Es256Sign.class};

  @Test
  void everyBenchmark_runOnceInProcess_completesWithOneSample() throws Exception {
    Options options = new OptionsBuilder()
        .include("^" + Pattern.quote(BenchmarkSmokeTest.class.getPackageName() + ".") + ".*")
        .forks(0)
        .threads(1)
        .mode(Mode.SingleShotTime)
        .warmupIterations(0)
        .measurementIterations(1)
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT)
        .build();

    Collection<RunResult> results = new Runner(options).run();

    Set<String> ran = new TreeSet<>();
    for (RunResult result : results) {
      ran.add(result.getParams().getBenchmark());
      assertThat(result.getPrimaryResult().getSampleCount())
          .as(result.getParams().getBenchmark()).isEqualTo(1);
    }
    assertThat(ran).containsExactlyElementsOf(declaredBenchmarks());
  }

  @Test
  void declaredBenchmarks_coverBothAlgorithmsAndEveryPeerLibrary() {
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
        "dev.aura.benchmarks.Es256Sign.auth0Sign");
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
