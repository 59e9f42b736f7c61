package dev.aura.testkit;

import dev.aura.token.RejectionReason;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.ValidationResult;
import dev.aura.token.VerifiedJoinToken;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ entry point for Aura's results.
 *
 * <pre>{@code
 * import static dev.aura.testkit.AuraAssertions.assertThat;
 *
 * assertThat(validator.tryAdmit(token)).isRejectedWith(RejectionReason.EXPIRED);
 * assertThat(validator.tryAdmit(other)).isAccepted().hasSubject("alice@example.com");
 * }</pre>
 */
public final class AuraAssertions {
  private AuraAssertions() {}

  /** Starts an assertion on a validation result. */
  public static ValidationResultAssert assertThat(ValidationResult actual) {
    return new ValidationResultAssert(actual);
  }

  /** Assertions on a {@link ValidationResult}. */
  public static final class ValidationResultAssert extends AbstractAssert<ValidationResultAssert, ValidationResult> {
    ValidationResultAssert(ValidationResult actual) {
      super(actual, ValidationResultAssert.class);
    }

    /** Verifies the token was accepted; then checks on the verified token may follow. */
    public ValidationResultAssert isAccepted() {
      isNotNull();
      if (!actual.isAccepted()) {
        failWithMessage("Expected the token to be accepted but it was rejected: %s",
            actual.rejection().map(TokenRejectedException::getMessage).orElse("?"));
      }
      return this;
    }

    /** Verifies the token was rejected with exactly this reason. */
    public ValidationResultAssert isRejectedWith(RejectionReason reason) {
      isNotNull();
      if (actual.isAccepted()) {
        failWithMessage("Expected a rejection with <%s> but the token was accepted: %s", reason.code(),
            actual.token().map(VerifiedJoinToken::toString).orElse("?"));
      } else if (actual.reason().orElseThrow() != reason) {
        failWithMessage("Expected a rejection with <%s> but it was <%s>: %s", reason.code(),
            actual.reason().orElseThrow().code(), actual.rejection().orElseThrow().getMessage());
      }
      return this;
    }

    /** Verifies the rejection message contains {@code text}. */
    public ValidationResultAssert hasMessageContaining(String text) {
      isNotNull();
      String message = actual.rejection().map(TokenRejectedException::getMessage).orElse("");
      if (!message.contains(text)) {
        failWithMessage("Expected the rejection message to contain <%s> but it was <%s>", text, message);
      }
      return this;
    }

    /** Verifies an accepted token's subject. */
    public ValidationResultAssert hasSubject(String subject) {
      isAccepted();
      String found = actual.token().orElseThrow().subject();
      if (!found.equals(subject)) {
        failWithMessage("Expected subject <%s> but was <%s>", subject, found);
      }
      return this;
    }
  }
}
