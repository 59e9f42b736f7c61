package dev.aura.benchmarks;

import java.util.concurrent.Callable;

/** Setup-time checks that a benchmark measures a path that succeeds, and a verifier that can fail. */
final class Sanity {
  private Sanity() {}

  /** Runs {@code check}; it must neither throw nor return {@code false} or {@code null}. */
  static <T> T mustAccept(String what, Callable<T> check) {
    T result;
    try {
      result = check.call();
    } catch (Exception e) {
      throw new IllegalStateException(what + " refused the token it is benchmarked on: " + e, e);
    }
    if (result == null || Boolean.FALSE.equals(result)) {
      throw new IllegalStateException(what + " refused the token it is benchmarked on (returned " + result + ")");
    }
    return result;
  }

  /** Runs {@code check} on a tampered token; it must throw or return {@code false}. */
  static void mustRefuse(String what, Callable<?> check) {
    Object result;
    try {
      result = check.call();
    } catch (Exception e) {
      return;
    }
    if (!Boolean.FALSE.equals(result)) {
      throw new IllegalStateException(what + " accepted a token with a tampered signature");
    }
  }

  /** Fails unless both byte arrays are equal. */
  static void mustEqual(String what, byte[] expected, byte[] actual) {
    if (!java.util.Arrays.equals(expected, actual)) {
      throw new IllegalStateException(what + " differs from the signature in Aura's token");
    }
  }
}
