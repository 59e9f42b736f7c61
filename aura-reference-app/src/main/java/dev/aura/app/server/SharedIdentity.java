package dev.aura.app.server;

import dev.aura.app.AuraException;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.spi.MothershipId;
import dev.aura.spi.SecretBytes;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.JdbcStores;
import dev.aura.store.jdbc.MothershipIdentity;
import dev.aura.store.jdbc.StoredPreviousCertificate;
import dev.aura.tls.CertificateRotation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity of Motherships sharing one PostgreSQL store: the first instance stores its id and
 * self-signed certificate (key sealed with the store's key file), every later one adopts them and writes
 * them into its data directory ({@code mothership.id}, {@code tls.crt}, {@code tls.key} 0600), where the
 * rest of the server reads them as for a single instance. SQLite stores keep the data directory's own.
 * A {@code tls rotate} on any instance stores the new certificate with the one rotated away from and its
 * signed handover ({@link #storeRotated}); every other instance writes them into its data directory
 * ({@link #adoptRotated}) and serves them live, so all honour one grace. An operator-provided certificate is
 * never stored: only the id is shared then.
 */
final class SharedIdentity {
  private static final Logger LOG = LoggerFactory.getLogger(SharedIdentity.class);
  private static final int MAX_PEM = 64 * 1024;

  private SharedIdentity() {}

  /** @return whether instances on this store share one identity */
  static boolean shared(JdbcStores stores) {
    return "PostgreSQL".equals(stores.databaseKind());
  }

  /**
   * Creates or adopts the identity and leaves it in the data directory.
   *
   * @return the Mothership id
   */
  static MothershipId establish(DataDir dir, MothershipConfig.Tls tls, JdbcStores stores, SecureRandom random,
      Clock clock) throws AuraException {
    try {
      if (!shared(stores)) {
        return dir.loadOrCreateId(random);
      }
      Optional<MothershipIdentity> stored = stores.identity();
      MothershipIdentity identity;
      if (stored.isPresent() && (tls.operatorProvided() || stored.get().certificatePem() != null)) {
        identity = stored.get();
      } else {
        identity = stores.adoptIdentity(local(dir, tls, random, clock, stored));
      }
      if (!tls.operatorProvided()) {
        writePrevious(dir, stores, clock); // an instance started during a grace honours it too
      }
      materialise(dir, tls, identity);
      return identity.mothershipId();
    } catch (JdbcStoreException e) {
      throw new AuraException("cannot adopt the shared Mothership identity from " + stores.location(),
          e.getMessage());
    } catch (IOException e) {
      throw new AuraException("cannot prepare the data directory " + dir.root(), e.getMessage());
    }
  }

  /**
   * Records a rotated certificate as the shared one, with the one rotated away from and its signed handover,
   * so that every instance serves it (told through the change feed), honours the same grace and hands the
   * same handover to old-pinned peers, and instances starting later do too. Of two rotations at once on two
   * instances the first to commit wins; the other is refused (its files are put back by the caller) and
   * follows the winner's certificate when the change feed announces it.
   */
  static void storeRotated(DataDir dir, MothershipId id, JdbcStores stores, CertificateRotation rotation,
      Clock clock) throws AuraException {
    if (!shared(stores)) {
      return;
    }
    long n = rotation.handover().sequence();
    Path previousDir = dir.previousCertificates();
    try {
      byte[] key = Files.readAllBytes(previousDir.resolve(n + ".key"));
      StoredPreviousCertificate previous;
      try {
        previous = new StoredPreviousCertificate(n, OwnerOnlyFiles.readSmall(previousDir.resolve(n + ".crt"), MAX_PEM)
            + "\n", SecretBytes.copyOf(key), rotation.handover().compact(), rotation.handover().retireAt());
      } finally {
        Arrays.fill(key, (byte) 0);
      }
      if (!stores.replaceCertificate(read(dir, id), previous, clock.instant())) {
        throw new AuraException("another Mothership instance rotated the certificate at the same time",
            "this instance serves that one now; run `aura mothership tls rotate` again for another rotation");
      }
    } catch (JdbcStoreException | IOException e) {
      throw new AuraException("cannot store the rotated certificate in " + stores.location(), e.getMessage());
    }
  }

  /**
   * Writes the shared certificate into the data directory when another instance rotated it, with the
   * certificates still in their grace and their handovers ({@code tls-previous/}), for
   * {@link TlsCertificates#reload()}.
   *
   * @return whether the stored certificate differed from the one in the data directory (and was written)
   */
  static boolean adoptRotated(DataDir dir, MothershipConfig.Tls tls, JdbcStores stores, Clock clock)
      throws AuraException {
    if (!shared(stores) || tls.operatorProvided()) {
      return false;
    }
    try {
      Optional<MothershipIdentity> stored = stores.identity();
      if (stored.isEmpty() || stored.get().certificatePem() == null || Files.exists(dir.certificate())
          && MothershipIdentity.sameCertificatePem(OwnerOnlyFiles.readSmall(dir.certificate(), MAX_PEM), stored.get().certificatePem())) {
        return false;
      }
      writePrevious(dir, stores, clock);
      materialise(dir, tls, stored.get());
      return true;
    } catch (JdbcStoreException e) {
      throw new AuraException("cannot read the shared certificate from " + stores.location(), e.getMessage());
    } catch (IOException e) {
      throw new AuraException("cannot write the shared certificate into " + dir.root(), e.getMessage());
    }
  }

  /** Writes the stored certificates in grace into {@code tls-previous/}, as {@link TlsCertificates#rotate()} does. */
  private static void writePrevious(DataDir dir, JdbcStores stores, Clock clock) throws JdbcStoreException,
      IOException {
    List<StoredPreviousCertificate> previous = stores.previousCertificates(clock.instant());
    if (previous.isEmpty()) {
      return;
    }
    Path previousDir = dir.previousCertificates();
    OwnerOnlyFiles.createDirectories(previousDir);
    long sequence = 0;
    for (StoredPreviousCertificate p : previous) {
      long n = p.handoverSequence();
      byte[] key = p.privateKeyPem().revealCopy();
      try {
        OwnerOnlyFiles.writeSecret(previousDir.resolve(n + ".key"), key);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
      OwnerOnlyFiles.writePublic(previousDir.resolve(n + ".crt"), p.certificatePem());
      OwnerOnlyFiles.writePublic(previousDir.resolve(n + ".handover"), p.handover() + "\n");
      sequence = Math.max(sequence, n);
    }
    OwnerOnlyFiles.writePublic(previousDir.resolve("sequence"), sequence + "\n");
  }

  private static MothershipIdentity local(DataDir dir, MothershipConfig.Tls tls, SecureRandom random,
      Clock clock, Optional<MothershipIdentity> stored) throws IOException, AuraException {
    MothershipId id = stored.isPresent() ? stored.get().mothershipId() : dir.loadOrCreateId(random);
    if (tls.operatorProvided()) {
      return MothershipIdentity.idOnly(id);
    }
    if (!Files.exists(dir.certificate()) && !Files.exists(dir.privateKey())) {
      TlsCertificates.loadOrGenerate(dir, tls, clock); // generates and writes a self-signed one
    }
    return read(dir, id);
  }

  private static MothershipIdentity read(DataDir dir, MothershipId id) throws IOException {
    byte[] key = Files.readAllBytes(dir.privateKey());
    try {
      return MothershipIdentity.withCertificate(id, OwnerOnlyFiles.readSmall(dir.certificate(), MAX_PEM) + "\n",
          SecretBytes.copyOf(key));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static void materialise(DataDir dir, MothershipConfig.Tls tls, MothershipIdentity identity)
      throws IOException {
    Optional<MothershipId> local = dir.readId();
    if (!local.equals(Optional.of(identity.mothershipId()))) {
      local.ifPresent(old -> LOG.warn("this data directory's Mothership id {} is replaced by the shared id {}",
          old, identity.mothershipId()));
      OwnerOnlyFiles.writePublic(dir.idFile(), identity.mothershipId().value() + "\n");
    }
    if (tls.operatorProvided() || identity.certificatePem() == null) {
      return;
    }
    if (Files.exists(dir.certificate())
        && MothershipIdentity.sameCertificatePem(OwnerOnlyFiles.readSmall(dir.certificate(), MAX_PEM), identity.certificatePem())) {
      return;
    }
    byte[] key = identity.privateKeyPem().revealCopy();
    try {
      OwnerOnlyFiles.writeSecret(dir.privateKey(), key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    OwnerOnlyFiles.writePublic(dir.certificate(), identity.certificatePem());
    LOG.info("adopted the shared certificate of Mothership {}", identity.mothershipId());
  }
}
