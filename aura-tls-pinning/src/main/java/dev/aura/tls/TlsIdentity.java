package dev.aura.tls;

import dev.aura.spi.Fingerprint;
import dev.aura.tls.internal.Certificates;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A server's TLS identity: its certificate chain (leaf first) and the leaf's private key.
 *
 * <p>Obtain one from {@link SelfSignedCertificateGenerator#generate()} or, for an operator-provided
 * certificate, {@link PemFiles#readIdentity(java.nio.file.Path, java.nio.file.Path, java.time.Clock)}; serve
 * it with {@link TlsContexts#server(TlsIdentity)}:
 *
 * <pre>{@code
 * TlsIdentity identity = SelfSignedCertificateGenerator.builder(clock).hostName("mship.acme.internal")
 *     .build().generate();
 * System.out.println("fingerprint: " + identity.fingerprint());
 * }</pre>
 *
 * <p>Immutable. {@link #toString()} shows the subject and fingerprint, never the key.
 *
 * <p><b>Warning:</b> {@link #exportPrivateKey()} hands out the private key; it is named so it is easy to find
 * in review. Never log it or send it anywhere.
 */
public final class TlsIdentity {
  private final List<X509Certificate> chain;
  private final PrivateKey privateKey;
  private final Fingerprint fingerprint;

  private TlsIdentity(List<X509Certificate> chain, PrivateKey privateKey) {
    this.chain = chain;
    this.privateKey = privateKey;
    this.fingerprint = Certificates.fingerprint(chain.get(0));
  }

  /**
   * Combines a chain and its key after checking that the key belongs to the leaf and that the chain is in
   * order (leaf first, each certificate signed by the next). Validity dates are not checked here.
   *
   * @param chain leaf first; not empty
   * @param privateKey the leaf's private key
   * @return the identity
   * @throws TlsPinningException {@code KEY_MISMATCH} or {@code CHAIN_INVALID}
   */
  public static TlsIdentity of(List<X509Certificate> chain, PrivateKey privateKey) throws TlsPinningException {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(privateKey, "privateKey");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("certificate chain is empty");
    }
    List<X509Certificate> copy = List.copyOf(chain);
    Certificates.checkKeyMatches(copy.get(0), privateKey);
    Certificates.checkChainOrder(copy);
    return new TlsIdentity(copy, privateKey);
  }

  /** For generated identities, which are consistent by construction. */
  static TlsIdentity trusted(X509Certificate certificate, PrivateKey privateKey) {
    return new TlsIdentity(List.of(certificate), privateKey);
  }

  /** @return the leaf certificate, the one peers pin */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** @return the chain, leaf first; unmodifiable */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** @return the SHA-256 fingerprint of the leaf, the value of the {@code tls_fingerprint} claim */
  public Fingerprint fingerprint() {
    return fingerprint;
  }

  /** @return the leaf's subject in RFC 2253 form, such as {@code CN=aura-mothership} */
  public String subject() {
    return Certificates.subject(certificate());
  }

  /** @return the leaf's {@code notBefore} */
  public Instant notBefore() {
    return certificate().getNotBefore().toInstant();
  }

  /** @return the leaf's {@code notAfter} (inclusive, RFC 5280 section 4.1.2.5) */
  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  /**
   * Hands out the private key, to build a key manager or to write the key file.
   *
   * <p><b>Warning:</b> this is the secret of the server's identity. Keep it in memory or in an owner-only file
   * ({@link PemFiles#writePrivateKey}); never log it.
   *
   * @return the leaf's private key
   */
  public PrivateKey exportPrivateKey() {
    return privateKey;
  }

  /** @return subject, fingerprint and validity; never the key */
  @Override
  public String toString() {
    return "TlsIdentity{subject=" + subject() + ", fingerprint=" + fingerprint + ", notBefore=" + notBefore()
        + ", notAfter=" + notAfter() + ", chain=" + chain.size() + "}";
  }
}
