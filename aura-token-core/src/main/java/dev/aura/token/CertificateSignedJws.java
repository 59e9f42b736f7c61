package dev.aura.token;

import dev.aura.token.internal.Es256Key;
import dev.aura.token.internal.ParsedJws;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A JWS whose signer travels in its own header as an {@code x5c} certificate (RFC 7515 section 4.1.6), such
 * as a {@link TokenType#PIN_HANDOVER}: it passed {@link TypedJws#parseCertificateSigned}'s strict pre-parse,
 * its {@code alg} is ES256 and its {@code typ} the expected one, but its signature is not checked yet and its
 * claims are not parsed. The caller decides whether it trusts {@link #certificate()} (for a pin handover: is
 * its fingerprint pinned), then calls {@link #verify} with the key it trusts.
 *
 * <pre>{@code
 * CertificateSignedJws jws = TypedJws.parseCertificateSigned(compact, TokenType.PIN_HANDOVER);
 * X509Certificate signer = jws.certificate();
 * if (!pins.accepts(fingerprintOf(signer), now)) { ... refuse ... }
 * VerifiedJws handover = jws.verify(signer.getPublicKey(), "certificate " + fingerprintOf(signer));
 * }</pre>
 *
 * <p><b>Warning:</b> anyone can put any certificate in {@code x5c} and sign with its key. A signature that
 * verifies with the token's own certificate proves nothing until you have decided, from something you hold
 * (a pin, a trust anchor), that the certificate is one you trust. Immutable and thread-safe.
 */
public final class CertificateSignedJws {
  private final ParsedJws jws;
  private final TokenType type;
  private final X509Certificate certificate;

  CertificateSignedJws(ParsedJws jws, TokenType type, X509Certificate certificate) {
    this.jws = jws;
    this.type = type;
    this.certificate = certificate;
  }

  /** @return the type, the one {@link TypedJws#parseCertificateSigned} expected */
  public TokenType type() {
    return type;
  }

  /** @return the {@code x5c} certificate as the token brought it: not authenticated, judge it yourself */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Checks the signature with one explicit key, then parses the claims: the ES256 signature has exactly 64
   * bytes ({@code R || S}, never DER) and verifies under {@code trustedKey}, else
   * {@link RejectionReason#INVALID_SIGNATURE}; the payload is duplicate-key-strict JSON in strict UTF-8,
   * else {@link RejectionReason#MALFORMED}.
   *
   * @param trustedKey the key you trust to have signed, normally {@code certificate().getPublicKey()} once
   *     you trust the certificate; a key that is not EC P-256 verifies nothing
   * @param keyName names the key in messages and becomes {@link VerifiedJws#kid()}, for example
   *     {@code "certificate ab:cd:... (subject CN=...)"}; never a secret
   * @return the verified JWS
   * @throws TokenRejectedException with the first failed check's reason
   */
  public VerifiedJws verify(PublicKey trustedKey, String keyName) throws TokenRejectedException {
    Objects.requireNonNull(trustedKey, "trustedKey");
    Objects.requireNonNull(keyName, "keyName");
    Es256Key key;
    try {
      key = Es256Key.fromJca(trustedKey, null);
    } catch (IllegalArgumentException e) {
      throw new TokenRejectedException(RejectionReason.INVALID_SIGNATURE, "the key of " + keyName + " is "
          + trustedKey.getAlgorithm() + ", " + TypedJws.CERTIFICATE_ALGORITHM + " needs EC P-256");
    }
    TypedJws.checkSignature(jws, key, TypedJws.CERTIFICATE_ALGORITHM, "with the key of " + keyName);
    return new VerifiedJws(keyName, TypedJws.CERTIFICATE_ALGORITHM, type, TypedJws.claims(jws));
  }
}
