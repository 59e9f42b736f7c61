package dev.aura.token;

/**
 * The {@code typ} header of every JWS Aura signs. Each kind of token has its own type, and a token of one type
 * is never accepted as another (RFC 8725 section 3.11, explicit typing).
 */
public enum TokenType {
  /** A join token: at most 8 KiB. */
  JOIN("aura-join+jwt", 8 * 1024),
  /** A peer's refresh credential: at most 8 KiB. */
  REFRESH("aura-refresh+jwt", 8 * 1024),
  /** A signed revocation snapshot or delta: at most 1 MiB, so a page carries thousands of changes. */
  REVOCATION("aura-revocation+jwt", 1024 * 1024),
  /** A TLS pin handover announcement: at most 8 KiB. */
  PIN_HANDOVER("aura-pin-handover+jwt", 8 * 1024),
  /** The head of the audit log's hash chain as the Mothership signed it, for peers keeping a copy: 8 KiB. */
  AUDIT_HEAD("aura-audit-head+jwt", 8 * 1024);

  private final String typ;
  private final int maxLength;

  TokenType(String typ, int maxLength) {
    this.typ = typ;
    this.maxLength = maxLength;
  }

  /**
   * @return the longest compact JWS of this type that is read at all, in characters; anything longer is
   *     refused as malformed before it is decoded
   */
  public int maxLength() {
    return maxLength;
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
