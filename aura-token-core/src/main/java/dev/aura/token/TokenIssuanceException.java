package dev.aura.token;

/**
 * A token could not be issued because of the operator's input against the Mothership's configuration (an
 * expiry above {@code jwt.max_expiry}, a bulk file with a bad line). The message says what to change.
 */
public final class TokenIssuanceException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong and what is allowed */
  public TokenIssuanceException(String message) {
    super(message);
  }
}
