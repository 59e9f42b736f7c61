package dev.aura.oidc;

/**
 * Why an identity provider assertion (an OpenID Connect ID token) was refused. Each reason has a stable
 * {@link #code()} for audit lines and the API, and a {@link #text()} that every rejection message starts with.
 */
public enum AssertionRejection {
  /** The join needed an assertion and none was sent. */
  REQUIRED("idp_assertion_required", "identity provider assertion required"),
  /** Not a signed JWT, or its claims are not an ID token's (OIDC Core 1.0 section 2). */
  MALFORMED("idp_assertion_malformed", "identity provider assertion malformed"),
  /** Its {@code alg} is not one the IdP offers for ID tokens, or not an asymmetric one. */
  ALGORITHM_NOT_OFFERED("idp_algorithm_not_offered", "identity provider assertion algorithm not accepted"),
  /** No published key matches, or the signature does not verify. */
  INVALID_SIGNATURE("idp_invalid_signature", "identity provider assertion has an invalid signature"),
  /** {@code iss} is not the configured issuer. */
  WRONG_ISSUER("idp_wrong_issuer", "identity provider assertion from another issuer"),
  /** {@code aud} does not contain the client id. */
  WRONG_AUDIENCE("idp_wrong_audience", "identity provider assertion for another client"),
  /** {@code azp} names another client, or is missing with several audiences. */
  WRONG_AUTHORIZED_PARTY("idp_wrong_azp", "identity provider assertion authorized another client"),
  /** {@code exp} has passed, beyond the allowed clock skew. */
  EXPIRED("idp_assertion_expired", "identity provider assertion expired"),
  /** {@code iat} is in the future, beyond the allowed clock skew. */
  NOT_YET_VALID("idp_assertion_not_yet_valid", "identity provider assertion not yet valid (iat is in the future)"),
  /** {@code auth_time} is older than {@code max_age}, or missing. */
  NOT_FRESH("idp_assertion_not_fresh", "identity provider assertion is not fresh"),
  /** The subject claim is missing or not a string. */
  NO_SUBJECT("idp_no_subject", "identity provider assertion has no subject claim"),
  /** The subject claim is an e-mail address the IdP says is not verified. */
  UNVERIFIED_EMAIL("idp_unverified_email", "identity provider assertion has an unverified email"),
  /** The subject claim differs from the join token's {@code sub}. */
  SUBJECT_MISMATCH("idp_subject_mismatch", "identity provider assertion is for another subject"),
  /** The peer's last assertion is older than {@code reassert_every}. */
  REASSERTION_REQUIRED("idp_reassertion_required", "identity provider reassertion required");

  private final String code;
  private final String text;

  AssertionRejection(String code, String text) {
    this.code = code;
    this.text = text;
  }

  /** @return a stable machine code, for example {@code idp_assertion_expired} */
  public String code() {
    return code;
  }

  /** @return the wording every message of this reason starts with */
  public String text() {
    return text;
  }
}
