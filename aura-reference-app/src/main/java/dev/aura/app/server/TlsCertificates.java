package dev.aura.app.server;

import dev.aura.app.AuraException;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.tls.CertificateRing;
import dev.aura.tls.CertificateRotation;
import dev.aura.tls.PemFiles;
import dev.aura.tls.PinHandover;
import dev.aura.tls.PinSet;
import dev.aura.tls.PreviousCertificate;
import dev.aura.tls.SelfSignedCertificateGenerator;
import dev.aura.tls.TlsIdentity;
import dev.aura.tls.TlsPinningException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mothership's TLS certificates on disk: the served one ({@code tls.crt}, {@code tls.key}) and those
 * rotated away from that are still in their grace ({@code tls-previous/<seq>.crt|.key|.handover}), loaded
 * into a {@link CertificateRing}. A self-signed certificate is generated on first start; an
 * operator-provided one ({@code [tls] cert_file}) is read as is and never rotated here.
 *
 * <p>Thread-safe: the ring is swapped atomically on rotation.
 */
public final class TlsCertificates {
  private static final Logger LOG = LoggerFactory.getLogger(TlsCertificates.class);

  private final DataDir dir;
  private final MothershipConfig.Tls config;
  private final Clock clock;
  private final boolean operatorProvided;
  private volatile CertificateRing ring;

  private TlsCertificates(DataDir dir, MothershipConfig.Tls config, Clock clock, CertificateRing ring) {
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    this.operatorProvided = config.operatorProvided();
    this.ring = ring;
  }

  /**
   * Loads the certificates, generating a self-signed one when the data directory has none.
   *
   * @throws AuraException when a file is unreadable or the key does not match the certificate
   */
  public static TlsCertificates loadOrGenerate(DataDir dir, MothershipConfig.Tls config, Clock clock)
      throws AuraException {
    try {
      if (config.operatorProvided()) {
        TlsIdentity identity = PemFiles.readIdentity(config.certFile(), config.keyFile(), clock);
        return new TlsCertificates(dir, config, clock, CertificateRing.builder(identity)
            .grace(config.rotationGrace()).build());
      }
      TlsIdentity current;
      if (Files.exists(dir.certificate()) || Files.exists(dir.privateKey())) {
        current = read(dir.certificate(), dir.privateKey());
      } else {
        current = generator(config, clock).generate();
        PemFiles.write(current, dir.certificate(), dir.privateKey());
        LOG.info("generated a self-signed certificate {}", current.fingerprint());
      }
      return new TlsCertificates(dir, config, clock, restore(dir, config, clock, current));
    } catch (TlsPinningException e) {
      throw new AuraException("cannot load the Mothership's TLS certificate", e.getMessage());
    } catch (IOException e) {
      throw new AuraException("cannot write the Mothership's TLS certificate", e.getMessage());
    }
  }

  /**
   * Reads the served certificate of a data directory without starting anything, for {@code tls info}.
   *
   * @return empty when no certificate was generated yet
   */
  public static Optional<CertificateRing> readOnly(DataDir dir, MothershipConfig.Tls config, Clock clock)
      throws AuraException {
    try {
      if (config.operatorProvided()) {
        return Optional.of(CertificateRing.of(read(config.certFile(), config.keyFile())));
      }
      if (!Files.exists(dir.certificate())) {
        return Optional.empty();
      }
      return Optional.of(restore(dir, config, clock, read(dir.certificate(), dir.privateKey())));
    } catch (TlsPinningException e) {
      throw new AuraException("cannot read the Mothership's TLS certificate", e.getMessage());
    } catch (IOException e) {
      throw new AuraException("cannot read the Mothership's TLS certificate", e.getMessage());
    }
  }

  private static TlsIdentity read(Path certificate, Path key) throws TlsPinningException {
    // Deliberately no validity check: an expired self-signed certificate must still load so that
    // `aura mothership tls rotate` can replace it; peers refuse it with "tls: certificate has expired".
    return TlsIdentity.of(PemFiles.readCertificateChain(certificate), PemFiles.readPrivateKey(key));
  }

  private static SelfSignedCertificateGenerator generator(MothershipConfig.Tls config, Clock clock) {
    SelfSignedCertificateGenerator.Builder builder = SelfSignedCertificateGenerator.builder(clock);
    List<String> names = new ArrayList<>(config.hostnames());
    localHostName().ifPresent(names::add);
    for (String name : names) {
      try {
        builder.hostName(name.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        LOG.warn("host name {} left out of the certificate: {}", name, e.getMessage());
      }
    }
    for (String ip : config.ipAddresses()) {
      builder.ipAddress(ip);
    }
    return builder.build();
  }

  private static Optional<String> localHostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name == null || name.isBlank() || name.contains(":") ? Optional.empty() : Optional.of(name);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static CertificateRing restore(DataDir dir, MothershipConfig.Tls config, Clock clock,
      TlsIdentity current) throws IOException, TlsPinningException {
    CertificateRing.Builder builder = CertificateRing.builder(current).grace(config.rotationGrace());
    Path previousDir = dir.previousCertificates();
    long sequence = 0;
    if (Files.isDirectory(previousDir)) {
      Path sequenceFile = previousDir.resolve("sequence");
      if (Files.exists(sequenceFile)) {
        try {
          sequence = Long.parseLong(OwnerOnlyFiles.readSmall(sequenceFile, 32));
        } catch (NumberFormatException e) {
          throw new IOException(sequenceFile + " does not hold a number");
        }
      }
      List<Long> numbers = new ArrayList<>();
      try (Stream<Path> files = Files.list(previousDir)) {
        files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,18}\\.handover"))
            .forEach(n -> numbers.add(Long.parseLong(n.substring(0, n.indexOf('.')))));
      }
      numbers.sort(null);
      for (long n : numbers) {
        TlsIdentity old = read(previousDir.resolve(n + ".crt"), previousDir.resolve(n + ".key"));
        String compact = OwnerOnlyFiles.readSmall(previousDir.resolve(n + ".handover"), PinHandover.MAX_LENGTH);
        PinHandover handover = PinHandover.verify(compact, PinSet.of(old.fingerprint()), clock);
        if (!handover.retireAt().isAfter(clock.instant())) {
          continue; // grace ended: no longer part of the ring
        }
        builder.previous(old, handover);
        sequence = Math.max(sequence, handover.sequence());
      }
    }
    return builder.handoverSequence(sequence).build();
  }

  /**
   * Reads the served certificate and those in grace from the data directory again, after another instance
   * sharing the store rotated and {@link SharedIdentity} wrote them there.
   *
   * @return the new ring, with the latest handover (the one from the certificate served until now)
   * @throws AuraException when the files are unreadable, or hold no handover to the served certificate
   */
  public synchronized CertificateRotation reload() throws AuraException {
    try {
      CertificateRing next = restore(dir, config, clock, read(dir.certificate(), dir.privateKey()));
      PinHandover latest = next.handovers(clock.instant()).stream()
          .max(java.util.Comparator.comparingLong(PinHandover::sequence))
          .orElseThrow(() -> new AuraException("cannot load the rotated certificate",
              "no handover to it is in its grace in " + dir.previousCertificates()));
      ring = next;
      return new CertificateRotation(next, latest);
    } catch (TlsPinningException | IOException e) {
      throw new AuraException("cannot load the rotated certificate", e.getMessage());
    }
  }

  /** @return the ring: the served certificate and those still in grace */
  public CertificateRing ring() {
    return ring;
  }

  /** @return the served identity */
  public TlsIdentity current() {
    return ring.current();
  }

  /** @return whether the operator provides the certificate (no rotation here) */
  public boolean operatorProvided() {
    return operatorProvided;
  }

  /** @return where the served certificate is read from */
  public Path certificateFile() {
    return operatorProvided ? config.certFile() : dir.certificate();
  }

  /** What a rotation must also store before it counts (the shared identity of instances on one store). */
  @FunctionalInterface
  interface Persist {
    /**
     * Called once the rotation's files are written and before it is served.
     *
     * @throws AuraException to undo the rotation: the files go back to the certificate served before
     */
    void store(CertificateRotation rotation) throws AuraException;
  }

  /**
   * Generates a new self-signed certificate and makes it the served one; the old one stays acceptable for
   * the grace, with a signed handover for peers. Persisted before it is returned.
   *
   * @throws AuraException for an operator-provided certificate, or when the files cannot be written
   */
  public CertificateRotation rotate() throws AuraException {
    return rotate(rotation -> { });
  }

  /**
   * As {@link #rotate()}, with {@code persist} called after the files are written and before the ring
   * changes; when it fails the files are put back as they were and the old certificate stays served.
   */
  synchronized CertificateRotation rotate(Persist persist) throws AuraException {
    if (operatorProvided) {
      throw new AuraException("cannot rotate an operator-provided certificate",
          "replace " + config.certFile() + " and " + config.keyFile() + " and restart the Mothership");
    }
    CertificateRing before = ring;
    CertificateRotation rotation = before.rotate(generator(config, clock).generate(), clock);
    PinHandover handover = rotation.handover();
    Path previousDir = dir.previousCertificates();
    long n = handover.sequence();
    try {
      OwnerOnlyFiles.createDirectories(previousDir);
      PemFiles.write(before.current(), previousDir.resolve(n + ".crt"), previousDir.resolve(n + ".key"));
      OwnerOnlyFiles.writePublic(previousDir.resolve(n + ".handover"), handover.compact() + "\n");
      OwnerOnlyFiles.writePublic(previousDir.resolve("sequence"), n + "\n");
      PemFiles.write(rotation.identity(), dir.certificate(), dir.privateKey());
      for (PreviousCertificate old : before.previous()) {
        if (!old.inGraceAt(clock.instant())) {
          long seq = old.handover().sequence();
          for (String ext : List.of(".crt", ".key", ".handover")) {
            Files.deleteIfExists(previousDir.resolve(seq + ext));
          }
        }
      }
    } catch (IOException e) {
      throw new AuraException("cannot store the rotated certificate", e.getMessage());
    }
    try {
      persist.store(rotation);
    } catch (AuraException | RuntimeException e) {
      undo(before, n);
      throw e;
    }
    ring = rotation.ring();
    return rotation;
  }

  private void undo(CertificateRing before, long n) {
    Path previousDir = dir.previousCertificates();
    try {
      PemFiles.write(before.current(), dir.certificate(), dir.privateKey());
      OwnerOnlyFiles.writePublic(previousDir.resolve("sequence"), before.handoverSequence() + "\n");
      for (String ext : List.of(".handover", ".crt", ".key")) {
        Files.deleteIfExists(previousDir.resolve(n + ext));
      }
    } catch (IOException e) {
      LOG.error("could not put back the certificate {} after a failed rotation: {}; its files are in {}",
          before.current().fingerprint(), e.getMessage(), previousDir);
    }
  }
}
