package dev.aura.tls;

import dev.aura.tls.TlsPinningException.Reason;
import dev.aura.tls.internal.SecureFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer's own key pair and self-signed certificate, kept in a directory of its {@code $AURA_HOME}: the
 * private key in {@value #KEY_FILE} (owner-only, 0600; never sent anywhere), the certificate in
 * {@value #CERTIFICATE_FILE}. The certificate's fingerprint is what the Mothership binds the peer's identity
 * to, and what the peer presents on direct connections ({@link PeerTls}).
 *
 * <pre>{@code
 * TlsIdentity me = PeerKeys.loadOrGenerate(auraHome.resolve("peer-tls"), Clock.systemUTC());
 * report(me.fingerprint());          // to the Mothership at join and refresh, which binds the identity to it
 * }</pre>
 *
 * <p>The key is ECDSA P-256, the certificate {@code CN=aura-peer}, valid
 * {@link SelfSignedCertificateGenerator#DEFAULT_VALIDITY 365 days}; files are written atomically (key first),
 * so a crash leaves either the old pair, the new pair, or a key without its certificate, which the next call
 * replaces with a new pair.
 *
 * <p><b>Warning:</b> a new pair has a new fingerprint: identities the Mothership signed for the old one are
 * refused on direct connections ({@code key_mismatch}) until the peer's next refresh reports the new one.
 */
public final class PeerKeys {
  /** The private key's file name in the directory. */
  public static final String KEY_FILE = "peer.key";
  /** The certificate's file name in the directory. */
  public static final String CERTIFICATE_FILE = "peer.crt";
  /** The subject common name of every peer certificate. */
  public static final String COMMON_NAME = "aura-peer";
  private static final Logger LOG = LoggerFactory.getLogger(PeerKeys.class);

  private PeerKeys() {}

  /**
   * Loads the peer's key pair, or generates and saves one when there is none (or only half of one), or when
   * the certificate has expired.
   *
   * @param directory where the two files live; created owner-only (0700) if missing
   * @param clock judges the certificate's validity and dates a new one
   * @return the peer's TLS identity
   * @throws TlsPinningException {@code KEY_FILE_EXPOSED} when the key file is readable by group or others
   *     (nothing is replaced: fix the permissions, or remove the files if the key may have leaked);
   *     {@code PEM_INVALID}, {@code KEY_MISMATCH} or {@code FILE_UNREADABLE} naming the file for a damaged
   *     pair (nothing is replaced either)
   * @throws IOException when a new pair cannot be written
   */
  public static TlsIdentity loadOrGenerate(Path directory, Clock clock) throws TlsPinningException, IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(clock, "clock");
    Path keyFile = directory.resolve(KEY_FILE);
    Path certificateFile = directory.resolve(CERTIFICATE_FILE);
    if (Files.exists(keyFile) && Files.exists(certificateFile)) {
      TlsIdentity existing = load(keyFile, certificateFile);
      if (!clock.instant().isAfter(existing.notAfter())) {
        return existing;
      }
      LOG.info("peer certificate {} expired at {}; generating a new key pair", existing.fingerprint(),
          existing.notAfter());
    }
    return generate(directory, clock);
  }

  /**
   * Generates a new key pair and certificate and saves them, replacing any there.
   *
   * @param directory where the two files live
   * @param clock dates the certificate
   * @return the new identity
   * @throws IOException when a file cannot be written
   */
  public static TlsIdentity generate(Path directory, Clock clock) throws IOException {
    TlsIdentity fresh = SelfSignedCertificateGenerator.builder(clock).commonName(COMMON_NAME).build().generate();
    PemFiles.write(fresh, directory.resolve(CERTIFICATE_FILE), directory.resolve(KEY_FILE));
    return fresh;
  }

  private static TlsIdentity load(Path keyFile, Path certificateFile) throws TlsPinningException {
    String permissions = SecureFiles.permissions(keyFile);
    if (permissions.length() != 9 || !permissions.endsWith("------")) {
      throw new TlsPinningException(Reason.KEY_FILE_EXPOSED, "peer key file " + keyFile + " has permissions "
          + (permissions.isEmpty() ? "that cannot be read" : permissions) + "; it must be owner-only (chmod 600)"
          + " and, if others may have read it, replaced (delete both files)");
    }
    List<X509Certificate> chain = PemFiles.readCertificateChain(certificateFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    try {
      return TlsIdentity.of(chain.subList(0, 1), key);
    } catch (TlsPinningException e) {
      throw new TlsPinningException(e.reason(), e.detail() + " (certificate file " + certificateFile
          + ", key file " + keyFile + ")", e);
    }
  }
}
