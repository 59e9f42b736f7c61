package dev.aura.app.backup;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEDataDecryptorFactoryBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;

/**
 * The encryption of a backup: OpenPGP (RFC 4880) symmetric encryption with BouncyCastle's {@code bcpg} (its
 * packets; the ciphers and digests are the JDK's, with AES-NI and SHA intrinsics), AES-256 in an
 * integrity-protected packet (SEIPD with MDC), the key derived from the passphrase by iterated and salted
 * S2K with SHA-256, the content ZLIB-compressed. {@code gpg --decrypt FILE > backup.tar} opens it too.
 *
 * <pre>{@code
 * try (OutputStream out = BackupCrypto.encrypt(Files.newOutputStream(file), passphrase)) {
 *   tar.writeTo(out);
 * }
 * }</pre>
 *
 * <p><b>Warning:</b> the integrity of a decrypted stream is known only once it was read to its end
 * ({@link Decryption#verifyIntegrity()}); write what it yields somewhere temporary until then.
 */
public final class BackupCrypto {
  /** The S2K iteration count, coded as in RFC 4880 section 3.7.1.3: 0xF0 hashes 32 MiB per passphrase. */
  static final int S2K_COUNT = 0xF0;
  private static final int BUFFER = 1 << 16;

  private BackupCrypto() {}

  /**
   * @param out where the encrypted archive goes; closed with the returned stream
   * @param passphrase the passphrase; not kept
   * @return the stream to write the plaintext into; closing it finishes every OpenPGP packet
   */
  public static OutputStream encrypt(OutputStream out, char[] passphrase) throws IOException {
    PGPEncryptedDataGenerator encryption = new PGPEncryptedDataGenerator(
        new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
            .setSecureRandom(new SecureRandom()));
    try {
      encryption.addMethod(new JcePBEKeyEncryptionMethodGenerator(passphrase, digests().get(HashAlgorithmTags.SHA256),
          S2K_COUNT));
      OutputStream encrypted = encryption.open(out, new byte[BUFFER]);
      PGPCompressedDataGenerator compression = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZLIB);
      OutputStream compressed = compression.open(encrypted, new byte[BUFFER]);
      PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
      OutputStream plain = literal.open(compressed, PGPLiteralData.BINARY, "aura-backup.tar", new Date(),
          new byte[BUFFER]);
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          plain.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          plain.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          literal.close();
          compression.close();
          encryption.close();
          out.close();
        }
      };
    } catch (PGPException e) {
      throw new IOException("cannot set up OpenPGP encryption: " + e.getMessage(), e);
    }
  }

  /**
   * Opens an encrypted archive.
   *
   * @throws BackupException {@code wrong passphrase}, or {@code backup archive damaged} when it is not an
   *     OpenPGP passphrase-encrypted, integrity-protected message
   */
  public static Decryption decrypt(InputStream in, char[] passphrase) throws BackupException {
    try {
      BcPGPObjectFactory packets = new BcPGPObjectFactory(in);
      Object next = packets.nextObject();
      while (next != null && !(next instanceof PGPEncryptedDataList)) {
        if (!(next instanceof org.bouncycastle.openpgp.PGPMarker)) {
          throw damaged("not an encrypted OpenPGP message (found " + next.getClass().getSimpleName() + ")");
        }
        next = packets.nextObject();
      }
      if (next == null) {
        throw damaged("not an encrypted OpenPGP message (empty)");
      }
      PGPEncryptedDataList list = (PGPEncryptedDataList) next;
      if (list.size() != 1 || !(list.get(0) instanceof PGPPBEEncryptedData pbe)) {
        throw damaged("not encrypted with a passphrase alone");
      }
      if (!pbe.isIntegrityProtected()) {
        throw damaged("the encrypted data carries no integrity protection");
      }
      InputStream clear;
      try {
        clear = pbe.getDataStream(new JcePBEDataDecryptorFactoryBuilder(digests()).build(passphrase));
      } catch (PGPException e) { // quick-check bytes, or a session key of no known cipher: the key is wrong
        throw new BackupException(BackupException.Reason.WRONG_PASSPHRASE,
            "the passphrase does not open this archive");
      }
      BcPGPObjectFactory inner = new BcPGPObjectFactory(clear);
      Object content = inner.nextObject();
      if (content instanceof PGPCompressedData compressed) {
        content = new BcPGPObjectFactory(compressed.getDataStream()).nextObject();
      }
      if (!(content instanceof PGPLiteralData literal)) {
        throw damaged("no archive inside the encrypted data");
      }
      return new Decryption(pbe, literal.getInputStream());
    } catch (EOFException e) {
      throw damaged("it ends early (truncated?)");
    } catch (IOException | PGPException | RuntimeException e) {
      throw damaged(String.valueOf(e.getMessage()));
    }
  }

  /** The JDK's own digests (SHA-256 and SHA-1 with CPU intrinsics: the S2K hashes 32 MiB). */
  private static PGPDigestCalculatorProvider digests() throws PGPException {
    return new JcaPGPDigestCalculatorProviderBuilder().build();
  }

  static BackupException damaged(String detail) {
    return new BackupException(BackupException.Reason.DAMAGED, detail);
  }

  /** An archive being decrypted. */
  public static final class Decryption {
    private final PGPPBEEncryptedData data;
    private final InputStream plaintext;

    private Decryption(PGPPBEEncryptedData data, InputStream plaintext) {
      this.data = data;
      this.plaintext = plaintext;
    }

    /** @return the plaintext (the tar), unverified until {@link #verifyIntegrity()} */
    public InputStream plaintext() {
      return plaintext;
    }

    /**
     * Reads what is left of the plaintext and checks the modification detection code.
     *
     * @throws BackupException {@code backup archive damaged} when the content was modified or truncated
     */
    public void verifyIntegrity() throws BackupException {
      try {
        plaintext.transferTo(OutputStream.nullOutputStream());
        if (!data.verify()) {
          throw damaged("its integrity check (OpenPGP MDC) fails: the file was modified");
        }
      } catch (IOException | PGPException | RuntimeException e) {
        throw damaged("its integrity check (OpenPGP MDC) fails: " + e.getMessage());
      }
    }
  }
}
