package dev.aura.oidc;

import java.net.URI;
import java.time.Instant;

/**
 * An ID token that passed every check of an {@link IdTokenVerifier}. Only the verifier creates one. It holds
 * what the audit line records (issuer, subject) and the times, never the token.
 */
public final class VerifiedAssertion {
  private final URI issuer;
  private final String subject;
  private final Instant authenticatedAt;
  private final Instant expiresAt;

  VerifiedAssertion(URI issuer, String subject, Instant authenticatedAt, Instant expiresAt) {
    this.issuer = issuer;
    this.subject = subject;
    this.authenticatedAt = authenticatedAt;
    this.expiresAt = expiresAt;
  }

  /** @return the IdP's issuer */
  public URI issuer() {
    return issuer;
  }

  /** @return the value of the configured subject claim (equal to the join token's {@code sub}) */
  public String subject() {
    return subject;
  }

  /** @return {@code auth_time}: when the person authenticated at the IdP */
  public Instant authenticatedAt() {
    return authenticatedAt;
  }

  /** @return {@code exp} */
  public Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public String toString() {
    return "VerifiedAssertion[issuer=" + issuer + ", subject=" + subject + ", authenticatedAt=" + authenticatedAt
        + "]";
  }
}
