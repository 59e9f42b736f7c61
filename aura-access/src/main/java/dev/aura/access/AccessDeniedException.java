package dev.aura.access;

/** A denied action, with the reason and the product's wording. */
public final class AccessDeniedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient AccessDecision.Denial denial;

  AccessDeniedException(AccessDecision.Denial denial, String message) {
    super(message, null, false, false);
    this.denial = denial;
  }

  /** @return why */
  public AccessDecision.Denial denial() {
    return denial;
  }
}
