package dev.aura.tls.internal;

import dev.aura.tls.TlsPinningException;
import dev.aura.tls.TlsPinningException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM encoding and strict decoding of certificates and private keys. Error details name the source and the
 * kind of block found, never the bytes of a key.
 */
public final class PemCodec {
  private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, new byte[] {'\n'});

  private PemCodec() {}

  /** @return the certificates as concatenated {@code CERTIFICATE} blocks */
  public static byte[] encodeCertificates(List<X509Certificate> chain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (X509Certificate certificate : chain) {
      try {
        block(out, "CERTIFICATE", certificate.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
      }
    }
    return out.toByteArray();
  }

  /** @return the key as one PKCS#8 {@code PRIVATE KEY} block; the caller should wipe the array after use */
  public static byte[] encodePrivateKey(PrivateKey key) {
    byte[] der = key.getEncoded();
    if (der == null || !"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("private key cannot be exported as PKCS#8 (format "
          + key.getFormat() + ")");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      block(out, "PRIVATE KEY", der);
      return out.toByteArray();
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static void block(ByteArrayOutputStream out, String type, byte[] der) {
    byte[] body = MIME.encode(der);
    out.writeBytes(("-----BEGIN " + type + "-----\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    out.write('\n');
    out.writeBytes(("-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII));
    Arrays.fill(body, (byte) 0);
  }

  /**
   * Decodes one or more {@code CERTIFICATE} blocks, in file order. Any other block is an error.
   *
   * @param source names the input in messages (a path)
   */
  public static List<X509Certificate> decodeCertificates(byte[] pem, String source) throws TlsPinningException {
    List<X509Certificate> chain = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = parser(pem)) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (!(block instanceof X509CertificateHolder)) {
          throw new TlsPinningException(Reason.PEM_INVALID, source + " holds " + kind(block)
              + " (block " + (chain.size() + 1) + "), expected only CERTIFICATE blocks");
        }
        chain.add(converter.getCertificate((X509CertificateHolder) block));
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      if (e instanceof TlsPinningException) {
        throw (TlsPinningException) e;
      }
      throw new TlsPinningException(Reason.PEM_INVALID, source + ": CERTIFICATE block "
          + (chain.size() + 1) + " cannot be decoded (" + e.getClass().getSimpleName() + ": " + e.getMessage()
          + ")", e);
    }
    if (chain.isEmpty()) {
      throw new TlsPinningException(Reason.PEM_INVALID, "no CERTIFICATE block found in " + source + hint(pem));
    }
    return chain;
  }

  /**
   * Decodes exactly one unencrypted private key: PKCS#8 {@code PRIVATE KEY}, SEC 1 {@code EC PRIVATE KEY} (an
   * {@code EC PARAMETERS} block before it is allowed) or PKCS#1 {@code RSA PRIVATE KEY}.
   *
   * @param source names the input in messages (a path)
   */
  public static PrivateKey decodePrivateKey(byte[] pem, String source) throws TlsPinningException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKey key = null;
    int keys = 0;
    try (PEMParser parser = parser(pem)) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (block instanceof ASN1ObjectIdentifier) {
          continue; // EC PARAMETERS, as "openssl ecparam -genkey" writes before the key
        }
        if (block instanceof PEMEncryptedKeyPair || block instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new TlsPinningException(Reason.PEM_INVALID, source + " holds an encrypted private key;"
              + " decrypt it first (openssl pkey -in KEY -out KEY.plain) and keep that file owner-only");
        }
        PrivateKey found;
        if (block instanceof PEMKeyPair) {
          found = converter.getKeyPair((PEMKeyPair) block).getPrivate();
        } else if (block instanceof PrivateKeyInfo) {
          found = converter.getPrivateKey((PrivateKeyInfo) block);
        } else {
          throw new TlsPinningException(Reason.PEM_INVALID, source + " holds " + kind(block)
              + ", expected only a PRIVATE KEY block");
        }
        keys++;
        key = found;
      }
    } catch (IOException | RuntimeException e) {
      // No cause message: a parser's message could quote key material.
      throw new TlsPinningException(Reason.PEM_INVALID, source + ": the private key block cannot be decoded ("
          + e.getClass().getSimpleName() + ")");
    }
    if (keys == 0) {
      throw new TlsPinningException(Reason.PEM_INVALID, "no PRIVATE KEY block found in " + source + hint(pem));
    }
    if (keys > 1) {
      throw new TlsPinningException(Reason.PEM_INVALID, source + " holds " + keys
          + " private keys, expected exactly one");
    }
    return key;
  }

  private static PEMParser parser(byte[] pem) {
    return new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII));
  }

  private static String kind(Object block) {
    if (block instanceof X509CertificateHolder) {
      return "a CERTIFICATE";
    }
    if (block instanceof PEMKeyPair || block instanceof PrivateKeyInfo || block instanceof PEMEncryptedKeyPair
        || block instanceof PKCS8EncryptedPrivateKeyInfo) {
      return "a private key";
    }
    return "a block of another type (" + block.getClass().getSimpleName() + ")";
  }

  private static String hint(byte[] content) {
    if (content.length == 0) {
      return " (the file is empty)";
    }
    if ((content[0] & 0xff) == 0x30) {
      return " (it looks like binary DER; convert it with openssl x509 -inform der -in FILE -out FILE.pem)";
    }
    return " (expected text starting with -----BEGIN ...-----)";
  }
}
