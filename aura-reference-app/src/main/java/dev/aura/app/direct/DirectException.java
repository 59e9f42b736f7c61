package dev.aura.app.direct;

/**
 * A direct connection attempt that failed, with the short reason {@code aura doctor} and the attempt log
 * show: {@code refused}, {@code timed out}, {@code identity refused: <reason>}, {@code tls: ...}.
 */
public final class DirectException extends Exception {
  private static final long serialVersionUID = 1L;

  DirectException(String reason) {
    super(reason, null, false, false);
  }
}
