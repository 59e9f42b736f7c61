package dev.aura.oidc;

/**
 * The identity provider could not be used: its discovery document or key set is unreachable or invalid.
 * An internal failure, not a rejection of the peer's assertion: a join that meets it is refused as
 * "identity provider unreachable" and nothing is consumed. The message names the URL and the cause, never a
 * token.
 */
public final class IdpException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message what failed, with the URL */
  public IdpException(String message) {
    super(message, null, false, false);
  }
}
