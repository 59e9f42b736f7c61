package dev.aura.oidc;

import java.util.Objects;

/**
 * An identity provider assertion was refused. The message starts with the reason's wording (or, for a subject
 * mismatch, reads "identity provider assertion is for bob@acme.com, the token is for alice@acme.com") and shows
 * what was found next to what was expected; it never contains the assertion itself.
 */
public final class AssertionRejectedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final AssertionRejection reason;
  private final String detail;

  /**
   * @param reason why
   * @param detail found and expected values, appended after the reason's text; may be null
   */
  public AssertionRejectedException(AssertionRejection reason, String detail) {
    this(reason, detail == null ? reason.text() : reason.text() + ": " + detail, detail);
  }

  private AssertionRejectedException(AssertionRejection reason, String message, String detail) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = detail;
  }

  /** The subject mismatch, in the product's words. */
  static AssertionRejectedException subjectMismatch(String asserted, String expected) {
    String detail = "the assertion is for " + asserted + ", the token is for " + expected;
    return new AssertionRejectedException(AssertionRejection.SUBJECT_MISMATCH,
        "identity provider assertion is for " + asserted + ", the token is for " + expected, detail);
  }

  /** @return why the assertion was refused */
  public AssertionRejection reason() {
    return reason;
  }

  /** @return what was found next to what was expected, or null */
  public String detail() {
    return detail;
  }
}
