package dev.aura.token;

/**
 * The {@code typ} header of every JWS Aura signs. Each kind of token has its own type, and a token of one type
 * is never accepted as another (RFC 8725 section 3.11, explicit typing).
 */
public enum TokenType {
  /** A join token. */
  JOIN("aura-join+jwt"),
  /** A peer's refresh credential. */
  REFRESH("aura-refresh+jwt"),
  /** A signed revocation snapshot or delta. */
  REVOCATION("aura-revocation+jwt"),
  /** A TLS pin handover announcement. */
  PIN_HANDOVER("aura-pin-handover+jwt");

  private final String typ;

  TokenType(String typ) {
    this.typ = typ;
  }

  /** @return the {@code typ} header value */
  public String typ() {
    return typ;
  }

  @Override
  public String toString() {
    return typ;
  }
}
