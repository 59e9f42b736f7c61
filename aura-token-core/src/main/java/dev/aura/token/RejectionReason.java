package dev.aura.token;

/**
 * Why a token was refused. Each reason has a stable {@link #code()} for logs, metrics and audit lines, and a
 * {@link #text()} that is the product's wording, which every rejection message starts with.
 */
public enum RejectionReason {
  /** Not a well-formed token of ours: size, segments, encoding, header, JSON or claim shapes. */
  MALFORMED("malformed", "malformed token"),
  /** Unknown or rotated-out key, algorithm not bound to the key, or a signature that does not verify. */
  INVALID_SIGNATURE("invalid_signature", "invalid signature"),
  /** A token of another type (a refresh credential presented as a join token, say). */
  WRONG_TYPE("wrong_type", "wrong token type"),
  /** The audience is not {@code aura-peer}. */
  WRONG_AUDIENCE("wrong_audience", "wrong audience"),
  /** Issued by another Mothership. */
  WRONG_ISSUER("wrong_issuer", "wrong issuer"),
  /** {@code exp} has passed, beyond the allowed clock skew. */
  EXPIRED("expired", "token expired"),
  /** {@code iat} or {@code nbf} is in the future, beyond the allowed clock skew. */
  NOT_YET_VALID("not_yet_valid", "token not yet valid (iat is in the future)"),
  /** The token's lifetime is longer than {@code jwt.max_expiry}. */
  LIFETIME_TOO_LONG("lifetime_too_long", "token lifetime exceeds jwt.max_expiry"),
  /** The token pins a TLS certificate this Mothership does not present. */
  TLS_FINGERPRINT_MISMATCH("tls_fingerprint_mismatch", "tls fingerprint mismatch"),
  /** The token's role is not allowed by the caller's policy. */
  ROLE_NOT_PERMITTED("role_not_permitted", "role not permitted"),
  /** The token, its subject or the peer was revoked. */
  REVOKED("revoked", "revoked"),
  /** Every use of the token was consumed. */
  ALREADY_USED("already_used", "token already used"),
  /** The Mothership has no record of the token (issued elsewhere, or its ledger was reset). */
  UNKNOWN_TOKEN("unknown_token", "unknown token"),
  /** A refresh credential that was rotated out or never issued. */
  CREDENTIAL_SUPERSEDED("credential_superseded", "refresh credential superseded"),
  /**
   * A peer identity bound ({@code cnf}) to another key than the one the TLS connection was made with: a
   * stolen or replayed identity, or a peer that changed its key since the Mothership signed it.
   */
  KEY_MISMATCH("key_mismatch", "peer identity is for another key"),
  /** A peer identity whose workspaces and the verifying peer's own have none in common. */
  NO_SHARED_WORKSPACE("no_shared_workspace", "no shared workspace");

  private final String code;
  private final String text;

  RejectionReason(String code, String text) {
    this.code = code;
    this.text = text;
  }

  /** @return a stable machine code, for example {@code already_used} */
  public String code() {
    return code;
  }

  /** @return the product's wording, for example {@code token already used} */
  public String text() {
    return text;
  }
}
