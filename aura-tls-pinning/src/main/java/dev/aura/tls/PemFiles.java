package dev.aura.tls;

import dev.aura.tls.internal.Certificates;
import dev.aura.tls.internal.PemCodec;
import dev.aura.tls.internal.SecureFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes certificates and private keys as PEM files.
 *
 * <pre>{@code
 * PemFiles.write(identity, dir.resolve("tls.crt"), dir.resolve("tls.key"));   // key file created 0600
 * TlsIdentity operatorProvided =
 *     PemFiles.readIdentity(Path.of("/etc/aura/fullchain.pem"), Path.of("/etc/aura/privkey.pem"), clock);
 * }</pre>
 *
 * <p>Writes are atomic: the content goes to a temporary file in the same directory, created with its final
 * permissions (owner-only {@code rw-------} for keys, {@code rw-r--r--} for certificates, narrowed by the
 * umask), and is then renamed over the target. Missing directories are created {@code rwx------}. A file
 * system without POSIX permissions is refused rather than written loosely.
 *
 * <p>Reads accept what operators have: a certificate file with the leaf first followed by its issuers (as
 * Let's Encrypt's {@code fullchain.pem}), and an unencrypted PKCS#8, SEC 1 or PKCS#1 key. Every problem is a
 * {@link TlsPinningException} that names the file: {@code FILE_UNREADABLE}, {@code PEM_INVALID},
 * {@code KEY_MISMATCH}, {@code CHAIN_INVALID}, {@code CERTIFICATE_EXPIRED}.
 */
public final class PemFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PemFiles.class);

  private PemFiles() {}

  /**
   * Writes the identity's chain and its private key.
   *
   * @param identity the chain and key to write
   * @param certificateFile receives the chain, leaf first
   * @param keyFile receives the private key, created owner-only (0600)
   * @throws IOException when a file cannot be written
   */
  public static void write(TlsIdentity identity, Path certificateFile, Path keyFile) throws IOException {
    Objects.requireNonNull(identity, "identity");
    writePrivateKey(keyFile, identity.exportPrivateKey());
    writeCertificateChain(certificateFile, identity.chain());
  }

  /**
   * Writes certificates as consecutive {@code CERTIFICATE} blocks, atomically.
   *
   * @param file the target file
   * @param chain leaf first; not empty
   * @throws IOException when the file cannot be written
   */
  public static void writeCertificateChain(Path file, List<X509Certificate> chain) throws IOException {
    Objects.requireNonNull(file, "file");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("certificate chain is empty");
    }
    SecureFiles.writeAtomically(file, PemCodec.encodeCertificates(chain), SecureFiles.PUBLIC_READ);
  }

  /**
   * Writes a private key as a PKCS#8 {@code PRIVATE KEY} block into a file created owner-only (0600) before
   * any byte is written, then renamed over {@code file} atomically.
   *
   * <p><b>Warning:</b> the key is stored unencrypted; its protection is the file's permissions and the
   * directory's.
   *
   * @param file the target file
   * @param key the key to write
   * @throws IOException when the file cannot be written, or the file system has no POSIX permissions
   */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(key, "key");
    byte[] pem = PemCodec.encodePrivateKey(key);
    try {
      SecureFiles.writeAtomically(file, pem, SecureFiles.OWNER_ONLY);
    } finally {
      Arrays.fill(pem, (byte) 0);
    }
  }

  /**
   * Reads certificates in file order. Validity dates are not checked here.
   *
   * @param file a PEM file of {@code CERTIFICATE} blocks
   * @return the chain, leaf first; never empty
   * @throws TlsPinningException {@code FILE_UNREADABLE} or {@code PEM_INVALID}, naming the file
   */
  public static List<X509Certificate> readCertificateChain(Path file) throws TlsPinningException {
    return PemCodec.decodeCertificates(SecureFiles.readBounded(file, "certificate file"), file.toString());
  }

  /**
   * Reads exactly one unencrypted private key. Logs a warning when the file is readable by group or others.
   *
   * @param file a PEM file of one private key
   * @return the key
   * @throws TlsPinningException {@code FILE_UNREADABLE} or {@code PEM_INVALID}, naming the file but never
   *     quoting its content
   */
  public static PrivateKey readPrivateKey(Path file) throws TlsPinningException {
    byte[] pem = SecureFiles.readBounded(file, "private key file");
    try {
      String permissions = SecureFiles.permissions(file);
      if (permissions.length() == 9 && !permissions.endsWith("------")) {
        LOG.warn("private key file {} has permissions {}; it should be owner-only (chmod 600)", file,
            permissions);
      }
      return PemCodec.decodePrivateKey(pem, file.toString());
    } finally {
      Arrays.fill(pem, (byte) 0);
    }
  }

  /**
   * Reads an operator-provided certificate chain and key (an internal CA or Let's Encrypt) and checks them:
   * the key belongs to the leaf, the chain is in order, and every certificate is valid at the clock's now.
   *
   * @param certificateFile the chain, leaf first
   * @param keyFile the leaf's private key
   * @param clock the time against which validity is checked
   * @return the identity to serve
   * @throws TlsPinningException {@code FILE_UNREADABLE}, {@code PEM_INVALID}, {@code KEY_MISMATCH},
   *     {@code CHAIN_INVALID}, {@code CERTIFICATE_EXPIRED} or {@code CERTIFICATE_NOT_YET_VALID}
   */
  public static TlsIdentity readIdentity(Path certificateFile, Path keyFile, Clock clock)
      throws TlsPinningException {
    Objects.requireNonNull(clock, "clock");
    List<X509Certificate> chain = readCertificateChain(certificateFile);
    PrivateKey key = readPrivateKey(keyFile);
    try {
      TlsIdentity identity = TlsIdentity.of(chain, key);
      Instant now = clock.instant();
      for (X509Certificate certificate : chain) {
        Certificates.checkValidity(certificate, now);
      }
      return identity;
    } catch (TlsPinningException e) {
      throw new TlsPinningException(e.reason(), e.detail() + " (certificate file " + certificateFile
          + ", key file " + keyFile + ")", e);
    }
  }
}
