package dev.aura.access;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link AccessPolicy#decide}: allowed, or denied with a reason and a message that starts with
 * the product's wording.
 */
public final class AccessDecision {
  /** Why access is denied. Each has a stable code and the product's wording. */
  public enum Denial {
    /** The peer, its subject or its token was revoked. */
    REVOKED("peer_revoked", "peer revoked"),
    /** The role does not allow the action (read-only pushing). */
    ROLE_NOT_PERMITTED("role_not_permitted", "role not permitted"),
    /** The peer is limited to other workspaces. */
    WORKSPACE_NOT_PERMITTED("workspace_not_permitted", "workspace not permitted"),
    /** The identity's lifetime has ended. */
    EXPIRED("expired", "token expired");

    private final String code;
    private final String text;

    Denial(String code, String text) {
      this.code = code;
      this.text = text;
    }

    /** @return the stable code, for example {@code role_not_permitted} */
    public String code() {
      return code;
    }

    /** @return the product's wording, for example {@code role not permitted} */
    public String text() {
      return text;
    }
  }

  private static final AccessDecision ALLOWED = new AccessDecision(null, null);

  private final Denial denial;
  private final String message;

  private AccessDecision(Denial denial, String message) {
    this.denial = denial;
    this.message = message;
  }

  static AccessDecision allowed() {
    return ALLOWED;
  }

  static AccessDecision denied(Denial denial, String detail) {
    return new AccessDecision(Objects.requireNonNull(denial), denial.text() + ": " + detail);
  }

  /** @return whether the action is allowed */
  public boolean isAllowed() {
    return denial == null;
  }

  /** @return why it is denied, or empty when allowed */
  public Optional<Denial> denial() {
    return Optional.ofNullable(denial);
  }

  /** @return the message ({@code role not permitted: ...}), or empty when allowed */
  public Optional<String> message() {
    return Optional.ofNullable(message);
  }

  /** @throws AccessDeniedException when denied */
  public void orThrow() throws AccessDeniedException {
    if (denial != null) {
      throw new AccessDeniedException(denial, message);
    }
  }

  @Override
  public String toString() {
    return denial == null ? "allowed" : message;
  }
}
