package dev.aura.app.doctor;

import java.util.Objects;

/**
 * The outcome of one check.
 *
 * @param diagnosis what was checked
 * @param status ok, found (the problem is present) or skipped (does not apply here)
 * @param detail what was observed
 */
public record Finding(Diagnosis diagnosis, Status status, String detail) {
  /** The outcome of a check. */
  public enum Status {
    /** Checked; fine. */
    OK,
    /** Checked; the problem is present. */
    FOUND,
    /** Does not apply here (for example a peer check on a host that never joined). */
    SKIPPED
  }

  /** Checks nulls. */
  public Finding {
    Objects.requireNonNull(diagnosis, "diagnosis");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  static Finding ok(Diagnosis d, String detail) {
    return new Finding(d, Status.OK, detail);
  }

  static Finding found(Diagnosis d, String detail) {
    return new Finding(d, Status.FOUND, detail);
  }

  static Finding skipped(Diagnosis d, String detail) {
    return new Finding(d, Status.SKIPPED, detail);
  }

  /** @return {@code ok}, {@code warning}, {@code error} or {@code skipped} */
  public String label() {
    return switch (status) {
      case OK -> "ok";
      case SKIPPED -> "skipped";
      case FOUND -> diagnosis.severity().toString();
    };
  }
}
