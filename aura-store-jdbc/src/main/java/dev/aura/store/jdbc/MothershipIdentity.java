package dev.aura.store.jdbc;

import dev.aura.spi.MothershipId;
import dev.aura.spi.SecretBytes;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity that every Mothership on one database shares: its id and, for a self-signed certificate, the
 * served certificate with its private key. Stored by {@link JdbcStores#adoptIdentity}, the key sealed with
 * the store's key file.
 *
 * <pre>{@code
 * MothershipIdentity mine = MothershipIdentity.withCertificate(id, certificatePem, SecretBytes.copyOf(keyPem));
 * MothershipIdentity shared = stores.adoptIdentity(mine); // mine if first, else the one already stored
 * }</pre>
 *
 * <p><b>Warning:</b> {@link #privateKeyPem()} is the raw TLS private key; never log it.
 *
 * @param mothershipId the Mothership id
 * @param certificatePem the served certificate chain (PEM), or null when the operator provides the
 *     certificate to each instance
 * @param privateKeyPem its private key (PEM), null exactly when {@code certificatePem} is
 */
public record MothershipIdentity(MothershipId mothershipId, String certificatePem, SecretBytes privateKeyPem) {
  /** Checks that the certificate and its key come together. */
  public MothershipIdentity {
    Objects.requireNonNull(mothershipId, "mothershipId");
    if ((certificatePem == null) != (privateKeyPem == null)) {
      throw new IllegalArgumentException("a certificate and its private key come together");
    }
    if (certificatePem != null && certificatePem.isBlank()) {
      throw new IllegalArgumentException("certificatePem is blank");
    }
  }

  /** @return an identity with an id only (the certificate is the operator's, per instance) */
  public static MothershipIdentity idOnly(MothershipId mothershipId) {
    return new MothershipIdentity(mothershipId, null, null);
  }

  /** @return an identity with a shared self-signed certificate */
  public static MothershipIdentity withCertificate(MothershipId mothershipId, String certificatePem,
      SecretBytes privateKeyPem) {
    return new MothershipIdentity(mothershipId, Objects.requireNonNull(certificatePem, "certificatePem"),
        Objects.requireNonNull(privateKeyPem, "privateKeyPem"));
  }

  /** @return the certificate (PEM), if the identity holds one */
  public Optional<String> certificate() {
    return Optional.ofNullable(certificatePem);
  }

  /**
   * Whether two PEM texts hold the same certificate as far as instances sharing one are concerned: equal once
   * every whitespace character is removed (instances and tools differ in line breaks and a final newline). The
   * one rule for "is this the shared certificate": the store's compare-and-swap and an instance's check of its
   * own files both use it.
   *
   * @return false if either is null
   */
  public static boolean sameCertificatePem(String a, String b) {
    return a != null && b != null && a.replaceAll("\\s", "").equals(b.replaceAll("\\s", ""));
  }

  /** @return a redacted form: the id and whether a certificate is held, never the key */
  @Override
  public String toString() {
    return "MothershipIdentity[" + mothershipId + (certificatePem == null ? "" : ", with certificate") + "]";
  }
}
