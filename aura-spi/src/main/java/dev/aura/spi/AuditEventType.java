package dev.aura.spi;

/** The kinds of event the audit log records, with the names {@code aura mothership audit} prints. */
public enum AuditEventType {
  /** A join token was issued. */
  TOKEN_ISSUED("token_issued"),
  /** A join token was consumed by a join. */
  TOKEN_USED("token_used"),
  /** A join or refresh was refused. */
  HANDSHAKE_FAIL("handshake_fail"),
  /** A token, subject or peer was revoked. */
  TOKEN_REVOKED("token_revoked"),
  /** A revocation was lifted. */
  TOKEN_UNREVOKED("token_unrevoked"),
  /** A connected peer was disconnected by an operator. */
  PEER_KICKED("peer_kicked"),
  /** A peer's refresh credential was rotated. */
  CREDENTIAL_ROTATED("credential_rotated"),
  /** The signing key was rotated. */
  KEY_ROTATION("key_rotation"),
  /** The TLS certificate was rotated. */
  TLS_ROTATION("tls_rotation"),
  /** A peer's push to a workspace was refused (a read-only role, a workspace it may not use). */
  PUSH_REFUSED("push_refused"),
  /** An operator changed the workspaces a peer may use. */
  PEER_WORKSPACES("peer_workspaces"),
  /** A joined peer presented a fresh identity provider assertion ({@code [oidc] reassert_every}). */
  IDP_REASSERTED("idp_reasserted");

  private final String wireName;

  AuditEventType(String wireName) {
    this.wireName = wireName;
  }

  /** @return the printed name, for example {@code token_issued} */
  public String wireName() {
    return wireName;
  }

  /**
   * @param value a printed name such as {@code key_rotation}
   * @throws IllegalArgumentException listing the known names
   */
  public static AuditEventType parse(String value) {
    StringBuilder known = new StringBuilder();
    for (AuditEventType type : values()) {
      if (type.wireName.equals(value)) {
        return type;
      }
      known.append(known.length() == 0 ? "" : ", ").append(type.wireName);
    }
    throw new IllegalArgumentException("unknown audit event type '" + value + "' (expected one of " + known + ")");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
