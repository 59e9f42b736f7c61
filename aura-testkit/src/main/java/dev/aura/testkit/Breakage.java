package dev.aura.testkit;

import dev.aura.token.RejectionReason;

/**
 * Named ways a join token can be broken, each with the reason a validator must give for it. Used with
 * {@link JoinTokenKit#token(Breakage)}.
 */
public enum Breakage {
  /** {@code exp} an hour ago, well beyond the skew. */
  EXPIRED(RejectionReason.EXPIRED),
  /** {@code iat} ten minutes in the future. */
  ISSUED_IN_THE_FUTURE(RejectionReason.NOT_YET_VALID),
  /** Audience other than {@code aura-peer}. */
  WRONG_AUDIENCE(RejectionReason.WRONG_AUDIENCE),
  /** Issuer other than the kit's Mothership, signed with the kit's key. */
  WRONG_ISSUER(RejectionReason.WRONG_ISSUER),
  /** Pins a certificate the kit's Mothership does not present. */
  WRONG_FINGERPRINT(RejectionReason.TLS_FINGERPRINT_MISMATCH),
  /** Lifetime of 30 days, above the default {@code jwt.max_expiry}. */
  LIFETIME_TOO_LONG(RejectionReason.LIFETIME_TOO_LONG),
  /** No {@code exp} claim. */
  MISSING_EXP(RejectionReason.MALFORMED),
  /** A claim given twice. */
  DUPLICATE_CLAIM(RejectionReason.MALFORMED),
  /** A payload byte changed after signing. */
  TAMPERED_PAYLOAD(RejectionReason.INVALID_SIGNATURE),
  /** A signature byte changed. */
  TAMPERED_SIGNATURE(RejectionReason.INVALID_SIGNATURE),
  /** A valid signature with one byte appended. */
  SIGNATURE_ONE_BYTE_LONG(RejectionReason.INVALID_SIGNATURE),
  /** {@code alg: none} with the signature stripped. */
  ALG_NONE(RejectionReason.MALFORMED),
  /** {@code alg: HS256}, keyed with the public key. */
  ALG_HS256(RejectionReason.INVALID_SIGNATURE),
  /** Signed by another Mothership's key. */
  SIGNED_BY_ANOTHER_MOTHERSHIP(RejectionReason.INVALID_SIGNATURE),
  /** A refresh credential's type. */
  WRONG_TYPE(RejectionReason.WRONG_TYPE),
  /** Padded base64. */
  PADDED_BASE64(RejectionReason.MALFORMED),
  /** Four segments. */
  EXTRA_SEGMENT(RejectionReason.MALFORMED),
  /** Larger than the 8 KiB cap. */
  OVERSIZED(RejectionReason.MALFORMED),
  /** A {@code jku} header pointing at a key URL. */
  JKU_HEADER(RejectionReason.MALFORMED);

  private final RejectionReason expected;

  Breakage(RejectionReason expected) {
    this.expected = expected;
  }

  /** @return the reason a validator must refuse this breakage with */
  public RejectionReason expectedReason() {
    return expected;
  }
}
