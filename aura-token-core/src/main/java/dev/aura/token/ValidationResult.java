package dev.aura.token;

import java.util.Optional;

/**
 * The outcome of a validation as a value, for code (and tests) that prefer not to catch: either a
 * {@link VerifiedJoinToken} or the {@link TokenRejectedException} that refused it.
 */
public final class ValidationResult {
  private final VerifiedJoinToken token;
  private final TokenRejectedException rejection;

  private ValidationResult(VerifiedJoinToken token, TokenRejectedException rejection) {
    this.token = token;
    this.rejection = rejection;
  }

  static ValidationResult accepted(VerifiedJoinToken token) {
    return new ValidationResult(token, null);
  }

  static ValidationResult rejected(TokenRejectedException rejection) {
    return new ValidationResult(null, rejection);
  }

  /** @return whether the token was accepted */
  public boolean isAccepted() {
    return token != null;
  }

  /** @return the verified token, if accepted */
  public Optional<VerifiedJoinToken> token() {
    return Optional.ofNullable(token);
  }

  /** @return the rejection, if rejected */
  public Optional<TokenRejectedException> rejection() {
    return Optional.ofNullable(rejection);
  }

  /** @return the reason, if rejected */
  public Optional<RejectionReason> reason() {
    return rejection == null ? Optional.empty() : Optional.of(rejection.reason());
  }

  @Override
  public String toString() {
    return token != null ? "accepted " + token : "rejected: " + rejection.getMessage();
  }
}
