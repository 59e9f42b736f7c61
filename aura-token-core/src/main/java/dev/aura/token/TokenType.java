package dev.aura.token;

/**
 * The {@code typ} header of every JWS Aura signs. Each kind of token has its own type, and a token of one type
 * is never accepted as another (RFC 8725 section 3.11, explicit typing).
 */
public enum TokenType {
  /** A join token: at most 8 KiB. */
  JOIN("aura-join+jwt", 8 * 1024, false),
  /** A peer's refresh credential: at most 8 KiB. */
  REFRESH("aura-refresh+jwt", 8 * 1024, false),
  /** A signed revocation snapshot or delta: at most 1 MiB, so a page carries thousands of changes. */
  REVOCATION("aura-revocation+jwt", 1024 * 1024, false),
  /**
   * A TLS pin handover announcement: at most 8 KiB. Signed ES256 by the old TLS certificate's key, which
   * travels in {@code x5c}, never by the key ring: see {@link TypedJws#signWithCertificate}.
   */
  PIN_HANDOVER("aura-pin-handover+jwt", 8 * 1024, true),
  /** The head of the audit log's hash chain as the Mothership signed it, for peers keeping a copy: 8 KiB. */
  AUDIT_HEAD("aura-audit-head+jwt", 8 * 1024, false),
  /**
   * A peer's identity, signed by the Mothership at join and at every refresh and shown to other peers on
   * direct connections ({@link PeerIdentityVerifier}): at most 8 KiB.
   */
  PEER_IDENTITY("aura-peer-identity+jwt", 8 * 1024, false),
  /**
   * A release manifest: the Mothership's signature over a release archive it serves (version, protocol,
   * SHA-256 and size), which {@code aura self-update} verifies before installing: 8 KiB.
   */
  RELEASE_MANIFEST("aura-release+jwt", 8 * 1024, false);

  private final String typ;
  private final int maxLength;
  private final boolean certificateSigned;

  TokenType(String typ, int maxLength, boolean certificateSigned) {
    this.typ = typ;
    this.maxLength = maxLength;
    this.certificateSigned = certificateSigned;
  }

  /**
   * @return whether the signer travels in the token as an {@code x5c} certificate (header alg, typ, x5c)
   *     instead of being named by {@code kid} (header alg, typ, kid); a type is only ever one of the two
   */
  boolean certificateSigned() {
    return certificateSigned;
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
