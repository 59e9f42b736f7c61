package dev.aura.tls.internal;

import dev.aura.spi.Fingerprint;
import dev.aura.tls.TlsPinningException;
import dev.aura.tls.TlsPinningException.Reason;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECParameterSpec;
import java.time.Instant;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/** Certificate facts and checks shared by the public classes. */
public final class Certificates {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private Certificates() {}

  /** @return SHA-256 over the DER encoding */
  public static Fingerprint fingerprint(X509Certificate certificate) {
    try {
      return Fingerprint.ofCertificate(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
    }
  }

  /** @return the subject in RFC 2253 form, such as {@code CN=aura-mothership} */
  public static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  /** @return "subject CN=..., fingerprint ab:..." for messages */
  public static String describe(X509Certificate certificate) {
    return "subject " + subject(certificate) + ", fingerprint " + fingerprint(certificate);
  }

  /**
   * Checks {@code notBefore <= now <= notAfter} (both ends inclusive, RFC 5280 section 4.1.2.5).
   *
   * @throws TlsPinningException {@code CERTIFICATE_EXPIRED} or {@code CERTIFICATE_NOT_YET_VALID}
   */
  public static void checkValidity(X509Certificate certificate, Instant now) throws TlsPinningException {
    Instant notAfter = certificate.getNotAfter().toInstant();
    Instant notBefore = certificate.getNotBefore().toInstant();
    if (now.isAfter(notAfter)) {
      throw new TlsPinningException(Reason.CERTIFICATE_EXPIRED, describe(certificate) + ", valid until "
          + notAfter + ", now " + now);
    }
    if (now.isBefore(notBefore)) {
      throw new TlsPinningException(Reason.CERTIFICATE_NOT_YET_VALID, describe(certificate) + ", valid from "
          + notBefore + ", now " + now + " (check this host's clock)");
    }
  }

  /**
   * Proves that {@code key} belongs to {@code certificate} by signing a random challenge with it and verifying
   * the signature with the certificate's public key.
   *
   * @throws TlsPinningException {@code KEY_MISMATCH}
   */
  public static void checkKeyMatches(X509Certificate certificate, PrivateKey key) throws TlsPinningException {
    PublicKey publicKey = certificate.getPublicKey();
    if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
      throw new TlsPinningException(Reason.KEY_MISMATCH, "the certificate's public key is "
          + publicKey.getAlgorithm() + ", the private key is " + key.getAlgorithm() + " (certificate "
          + describe(certificate) + ")");
    }
    String algorithm = signatureAlgorithm(key);
    if (algorithm == null) {
      throw new TlsPinningException(Reason.KEY_MISMATCH, "cannot check a " + key.getAlgorithm()
          + " key; use an EC, RSA or Ed25519 key");
    }
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new TlsPinningException(Reason.KEY_MISMATCH, "the private key does not belong to the certificate ("
          + describe(certificate) + ")");
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    switch (key.getAlgorithm()) {
      case "EC":
        return "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      case "Ed25519":
      case "Ed448":
      case "EdDSA":
        return key.getAlgorithm();
      default:
        return null;
    }
  }

  /**
   * Checks that a chain is leaf first and that each certificate is signed by the next one.
   *
   * @throws TlsPinningException {@code CHAIN_INVALID}
   */
  public static void checkChainOrder(List<X509Certificate> chain) throws TlsPinningException {
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509Certificate child = chain.get(i);
      X509Certificate issuer = chain.get(i + 1);
      boolean signed;
      try {
        child.verify(issuer.getPublicKey());
        signed = child.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
      } catch (GeneralSecurityException e) {
        signed = false;
      }
      if (!signed) {
        throw new TlsPinningException(Reason.CHAIN_INVALID, "certificate " + (i + 1) + " (" + subject(child)
            + ", issuer " + child.getIssuerX500Principal().getName(X500Principal.RFC2253)
            + ") is not signed by certificate " + (i + 2) + " (" + subject(issuer)
            + "); expected the leaf first, then each issuer");
      }
    }
  }

  /** @return true when the key is an EC key on NIST P-256 (secp256r1), as ES256 requires */
  public static boolean isP256(Key key) {
    if (!(key instanceof ECKey)) {
      return false;
    }
    ECParameterSpec params = ((ECKey) key).getParams();
    return params != null && params.getCurve().getField().getFieldSize() == 256
        && params.getOrder().equals(P256_ORDER);
  }
}
