package dev.aura.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates the generator does not make: RSA, or issued by a test CA. */
final class TestCertificates {
  private TestCertificates() {}

  static TlsIdentity selfSigned(KeyPair pair, Instant notBefore) throws Exception {
    return TlsIdentity.of(java.util.List.of(issue("CN=rsa-mothership", pair.getPublic(), "CN=rsa-mothership",
        pair.getPrivate(), "SHA256withRSA", notBefore)), pair.getPrivate());
  }

  static X509Certificate issue(String subject, PublicKey subjectKey, String issuer, PrivateKey issuerKey,
      String algorithm, Instant notBefore) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(notBefore.getEpochSecond()), Date.from(notBefore),
        Date.from(notBefore.plus(Duration.ofDays(90))), new X500Name(subject), subjectKey)
        .build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
  }
}
