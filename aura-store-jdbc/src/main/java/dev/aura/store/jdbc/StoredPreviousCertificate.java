package dev.aura.store.jdbc;

import dev.aura.spi.SecretBytes;
import java.time.Instant;
import java.util.Objects;

/**
 * A certificate a shared Mothership rotated away from, still in its grace: stored once by
 * {@link JdbcStores#replaceCertificate(MothershipIdentity, StoredPreviousCertificate, Instant)} so that every
 * instance accepts it until the same instant and serves the same signed pin handover.
 *
 * <p><b>Warning:</b> {@link #privateKeyPem()} is the raw TLS private key; never log it.
 *
 * @param handoverSequence the handover's sequence (one per rotation)
 * @param certificatePem the old certificate chain (PEM)
 * @param privateKeyPem its private key (PEM)
 * @param handover the signed pin handover (compact form), old to new
 * @param retireAt when its grace ends
 */
public record StoredPreviousCertificate(long handoverSequence, String certificatePem, SecretBytes privateKeyPem,
    String handover, Instant retireAt) {
  /** Checks nulls. */
  public StoredPreviousCertificate {
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(handover, "handover");
    Objects.requireNonNull(retireAt, "retireAt");
  }

  /** @return a redacted form, never the key */
  @Override
  public String toString() {
    return "StoredPreviousCertificate[" + handoverSequence + ", until " + retireAt + "]";
  }
}
