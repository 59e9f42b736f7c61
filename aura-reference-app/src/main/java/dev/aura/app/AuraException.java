package dev.aura.app;

import java.util.Objects;
import java.util.Optional;

/**
 * A failure reported to the operator as the product prints it: {@code error: <what>} and, when there is one,
 * {@code caused by: <why>}, with a stable non-zero exit code. Never carries a token, key or credential.
 * {@link #getMessage()} is both on one line: {@code <what>: <why>}, or {@code <what>}.
 *
 * <pre>{@code
 * throw new AuraException("failed to bind 0.0.0.0:7777", "address already in use");
 * }</pre>
 */
public class AuraException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Exit code for a runtime failure. */
  public static final int FAILURE = 1;
  /** Exit code for a usage error (picocli's default for bad arguments). */
  public static final int USAGE = 2;
  /** Exit code of {@code status} when no Mothership is running. */
  public static final int NOT_RUNNING = 3;

  private final String what;
  private final String why;
  private final int exitCode;

  /** @param what the {@code error:} line */
  public AuraException(String what) {
    this(what, null, FAILURE);
  }

  /**
   * @param what the {@code error:} line
   * @param why the {@code caused by:} line, or null
   */
  public AuraException(String what, String why) {
    this(what, why, FAILURE);
  }

  /**
   * @param what the {@code error:} line
   * @param why the {@code caused by:} line, or null
   * @param exitCode the process exit code, not 0
   */
  public AuraException(String what, String why, int exitCode) {
    super(why == null ? what : what + ": " + why, null, false, false);
    this.what = Objects.requireNonNull(what, "what");
    this.why = why;
    if (exitCode == 0) {
      throw new IllegalArgumentException("an error needs a non-zero exit code");
    }
    this.exitCode = exitCode;
  }

  /** @return the {@code error:} line's text */
  public String what() {
    return what;
  }

  /** @return the {@code caused by:} line's text, if any */
  public Optional<String> why() {
    return Optional.ofNullable(why);
  }

  /** @return the process exit code */
  public int exitCode() {
    return exitCode;
  }
}
