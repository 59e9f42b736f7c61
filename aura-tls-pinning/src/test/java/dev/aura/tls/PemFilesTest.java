package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aura.spi.Fingerprint;
import dev.aura.tls.TlsPinningException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
  @TempDir Path dir;
  private final TlsIdentity identity = Fixtures.identity();
  private final java.time.Clock validClock = Fixtures.fixed(Fixtures.T0.plus(Duration.ofDays(1)));

  private Path certFile() {
    return dir.resolve("tls.crt");
  }

  private Path keyFile() {
    return dir.resolve("tls.key");
  }

  @Test
  void write_thenReadIdentity_roundTripsCertificateAndKey() throws Exception {
    PemFiles.write(identity, certFile(), keyFile());

    TlsIdentity read = PemFiles.readIdentity(certFile(), keyFile(), validClock);

    assertThat(read.certificate()).isEqualTo(identity.certificate());
    assertThat(read.fingerprint()).isEqualTo(identity.fingerprint());
    assertThat(read.exportPrivateKey().getEncoded()).isEqualTo(identity.exportPrivateKey().getEncoded());
    assertThat(Files.readString(certFile())).startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");
    assertThat(Files.readString(keyFile())).startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
  }

  @Test
  void writeCertificateChain_thenRead_keepsTheOrder() throws Exception {
    TlsIdentity other = Fixtures.identity("second");
    PemFiles.writeCertificateChain(certFile(), List.of(identity.certificate(), other.certificate()));

    assertThat(PemFiles.readCertificateChain(certFile()))
        .containsExactly(identity.certificate(), other.certificate());
  }

  @Test
  void writePrivateKey_createsTheFileOwnerOnly() throws Exception {
    PemFiles.write(identity, certFile(), keyFile());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
  }

  @Test
  void writePrivateKey_overAWorldReadableFile_replacesItWithAnOwnerOnlyOne() throws Exception {
    Files.writeString(keyFile(), "old", StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

    PemFiles.writePrivateKey(keyFile(), identity.exportPrivateKey());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
    assertThat(PemFiles.readPrivateKey(keyFile()).getEncoded())
        .isEqualTo(identity.exportPrivateKey().getEncoded());
  }

  @Test
  void write_intoAMissingDirectory_createsItOwnerOnlyAndLeavesNoTemporaryFile() throws Exception {
    Path nested = dir.resolve("mothership").resolve("tls");

    PemFiles.write(identity, nested.resolve("tls.crt"), nested.resolve("tls.key"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(nested)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tls.crt", "tls.key");
    }
  }

  @Test
  void fingerprint_equalsWhatOpensslPrintsForTheSameFile() throws Exception {
    assumeTrue(Openssl.available(), Openssl.ABSENT);
    PemFiles.writeCertificateChain(certFile(), identity.chain());

    String printed = Openssl.run(dir, "x509", "-noout", "-fingerprint", "-sha256", "-in", certFile().toString())
        .strip();

    assertThat(printed).matches("(?i)sha256 Fingerprint=[0-9A-F:]{95}");
    assertThat(printed.substring(printed.indexOf('=') + 1).toLowerCase(Locale.ROOT))
        .isEqualTo(identity.fingerprint().toString());
    assertThat(Fingerprint.parse(printed)).isEqualTo(identity.fingerprint());
  }

  @Test
  void readIdentity_withOpensslGeneratedEcKeyInSec1Form_isAccepted() throws Exception {
    assumeTrue(Openssl.available(), Openssl.ABSENT);
    Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "op.key");
    Openssl.run(dir, "req", "-x509", "-key", "op.key", "-out", "op.crt", "-days", "30", "-subj", "/CN=op-ec");
    assertThat(Files.readString(dir.resolve("op.key"))).contains("BEGIN EC PRIVATE KEY");

    TlsIdentity read = PemFiles.readIdentity(dir.resolve("op.crt"), dir.resolve("op.key"),
        clockInside(dir.resolve("op.crt")));

    assertThat(read.subject()).isEqualTo("CN=op-ec");
  }

  @Test
  void readIdentity_withOpensslGeneratedRsaKeyInPkcs1Form_isAccepted() throws Exception {
    assumeTrue(Openssl.available(), Openssl.ABSENT);
    Openssl.run(dir, "genrsa", "-traditional", "-out", "op.key", "2048");
    Openssl.run(dir, "req", "-x509", "-key", "op.key", "-out", "op.crt", "-days", "30", "-subj", "/CN=op-rsa");
    assertThat(Files.readString(dir.resolve("op.key"))).contains("BEGIN RSA PRIVATE KEY");

    TlsIdentity read = PemFiles.readIdentity(dir.resolve("op.crt"), dir.resolve("op.key"),
        clockInside(dir.resolve("op.crt")));

    assertThat(read.exportPrivateKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void readPrivateKey_writtenByUs_isAcceptedByOpenssl() throws Exception {
    assumeTrue(Openssl.available(), Openssl.ABSENT);
    PemFiles.write(identity, certFile(), keyFile());

    String fromKey = Openssl.run(dir, "pkey", "-in", keyFile().toString(), "-pubout");
    String fromCert = Openssl.run(dir, "x509", "-in", certFile().toString(), "-noout", "-pubkey");

    assertThat(fromKey).isEqualTo(fromCert);
  }

  private static java.time.Clock clockInside(Path certificate) throws Exception {
    X509Certificate cert = PemFiles.readCertificateChain(certificate).get(0);
    return Fixtures.fixed(cert.getNotBefore().toInstant().plus(Duration.ofDays(1)));
  }

  @Test
  void readIdentity_withTheKeyOfAnotherCertificate_isRefusedAsKeyMismatch() throws Exception {
    PemFiles.writeCertificateChain(certFile(), identity.chain());
    PemFiles.writePrivateKey(keyFile(), Fixtures.identity().exportPrivateKey());

    assertThatThrownBy(() -> PemFiles.readIdentity(certFile(), keyFile(), validClock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.KEY_MISMATCH)
        .hasMessage("tls: private key does not match certificate: the private key does not belong to the"
            + " certificate (subject CN=aura-mothership, fingerprint " + identity.fingerprint()
            + ") (certificate file " + certFile() + ", key file " + keyFile() + ")");
  }

  @Test
  void readIdentity_withAnRsaKeyForAnEcCertificate_isRefusedAsKeyMismatch() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    PemFiles.writeCertificateChain(certFile(), identity.chain());
    PemFiles.writePrivateKey(keyFile(), rsa.generateKeyPair().getPrivate());

    assertThatThrownBy(() -> PemFiles.readIdentity(certFile(), keyFile(), validClock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.KEY_MISMATCH)
        .hasMessageContaining("the certificate's public key is EC, the private key is RSA");
  }

  @Test
  void readIdentity_withExpiredCertificate_isRefusedAsExpired() throws Exception {
    PemFiles.write(identity, certFile(), keyFile());
    Instant later = identity.notAfter().plusSeconds(1);

    assertThatThrownBy(() -> PemFiles.readIdentity(certFile(), keyFile(), Fixtures.fixed(later)))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.CERTIFICATE_EXPIRED)
        .hasMessageStartingWith("tls: certificate has expired: subject CN=aura-mothership, fingerprint "
            + identity.fingerprint() + ", valid until " + identity.notAfter() + ", now " + later)
        .hasMessageEndingWith("(certificate file " + certFile() + ", key file " + keyFile() + ")");
  }

  @Test
  void readIdentity_withCaIssuedChain_isAcceptedLeafFirst() throws Exception {
    KeyPair ca = ecKeyPair();
    KeyPair leaf = ecKeyPair();
    X509Certificate caCert = TestCertificates.issue("CN=acme-internal-ca", ca.getPublic(), "CN=acme-internal-ca",
        ca.getPrivate(), "SHA256withECDSA", Fixtures.T0);
    X509Certificate leafCert = TestCertificates.issue("CN=mship.acme.internal", leaf.getPublic(),
        "CN=acme-internal-ca", ca.getPrivate(), "SHA256withECDSA", Fixtures.T0);
    PemFiles.writeCertificateChain(certFile(), List.of(leafCert, caCert));
    PemFiles.writePrivateKey(keyFile(), leaf.getPrivate());

    TlsIdentity read = PemFiles.readIdentity(certFile(), keyFile(), validClock);

    assertThat(read.chain()).containsExactly(leafCert, caCert);
    assertThat(read.subject()).isEqualTo("CN=mship.acme.internal");
  }

  @Test
  void readIdentity_withChainInTheWrongOrder_isRefusedAsChainInvalid() throws Exception {
    KeyPair ca = ecKeyPair();
    KeyPair leaf = ecKeyPair();
    X509Certificate caCert = TestCertificates.issue("CN=acme-internal-ca", ca.getPublic(), "CN=acme-internal-ca",
        ca.getPrivate(), "SHA256withECDSA", Fixtures.T0);
    X509Certificate leafCert = TestCertificates.issue("CN=mship.acme.internal", leaf.getPublic(),
        "CN=acme-internal-ca", ca.getPrivate(), "SHA256withECDSA", Fixtures.T0);
    PemFiles.writeCertificateChain(certFile(), List.of(leafCert, identity.certificate(), caCert));
    PemFiles.writePrivateKey(keyFile(), leaf.getPrivate());

    assertThatThrownBy(() -> PemFiles.readIdentity(certFile(), keyFile(), validClock))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.CHAIN_INVALID)
        .hasMessageStartingWith("tls: certificate chain is not in order: certificate 1 (CN=mship.acme.internal,"
            + " issuer CN=acme-internal-ca) is not signed by certificate 2 (CN=aura-mothership)");
  }

  private static KeyPair ecKeyPair() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    return ec.generateKeyPair();
  }

  @Test
  void readCertificateChain_withMissingFile_isRefusedAsUnreadable() {
    Path missing = dir.resolve("missing.crt");

    assertThatThrownBy(() -> PemFiles.readCertificateChain(missing))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.FILE_UNREADABLE)
        .hasMessage("tls: cannot read file: certificate file " + missing + " does not exist");
  }

  @Test
  void readPrivateKey_withADirectory_isRefusedAsUnreadable() {
    assertThatThrownBy(() -> PemFiles.readPrivateKey(dir))
        .isInstanceOf(TlsPinningException.class)
        .hasMessage("tls: cannot read file: private key file " + dir + " is not a regular file");
  }

  @Test
  void readCertificateChain_withGarbage_isRefusedAsInvalidPem() throws Exception {
    Files.writeString(certFile(), "this is not a certificate\n");

    assertThatThrownBy(() -> PemFiles.readCertificateChain(certFile()))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.PEM_INVALID)
        .hasMessage("tls: invalid PEM: no CERTIFICATE block found in " + certFile()
            + " (expected text starting with -----BEGIN ...-----)");
  }

  @Test
  void readCertificateChain_withAnEmptyFile_saysItIsEmpty() throws Exception {
    Files.write(certFile(), new byte[0]);

    assertThatThrownBy(() -> PemFiles.readCertificateChain(certFile()))
        .hasMessageEndingWith("(the file is empty)");
  }

  @Test
  void readCertificateChain_withDer_suggestsConvertingIt() throws Exception {
    Files.write(certFile(), identity.certificate().getEncoded());

    assertThatThrownBy(() -> PemFiles.readCertificateChain(certFile()))
        .hasFieldOrPropertyWithValue("reason", Reason.PEM_INVALID)
        .hasMessageContaining("looks like binary DER; convert it with openssl x509 -inform der");
  }

  @Test
  void readCertificateChain_withCorruptBase64_isRefusedAsInvalidPem() throws Exception {
    Files.writeString(certFile(), "-----BEGIN CERTIFICATE-----\nMIIB!!!!corrupt\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> PemFiles.readCertificateChain(certFile()))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.PEM_INVALID)
        .hasMessageStartingWith("tls: invalid PEM: " + certFile() + ": CERTIFICATE block 1 cannot be decoded");
  }

  @Test
  void readCertificateChain_givenTheKeyFile_saysItHoldsAPrivateKey() throws Exception {
    PemFiles.write(identity, certFile(), keyFile());

    assertThatThrownBy(() -> PemFiles.readCertificateChain(keyFile()))
        .hasMessage("tls: invalid PEM: " + keyFile() + " holds a private key (block 1), expected only"
            + " CERTIFICATE blocks");
  }

  @Test
  void readPrivateKey_givenTheCertificateFile_saysItHoldsACertificate() throws Exception {
    PemFiles.write(identity, certFile(), keyFile());

    assertThatThrownBy(() -> PemFiles.readPrivateKey(certFile()))
        .hasMessage("tls: invalid PEM: " + certFile() + " holds a CERTIFICATE, expected only a PRIVATE KEY block");
  }

  @Test
  void readPrivateKey_withCorruptKey_neverQuotesTheFileContent() throws Exception {
    Files.writeString(keyFile(), "-----BEGIN PRIVATE KEY-----\nU0VDUkVUU0VDUkVUU0VDUkVU\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemFiles.readPrivateKey(keyFile()))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.PEM_INVALID)
        .hasMessageStartingWith("tls: invalid PEM: " + keyFile() + ": the private key block cannot be decoded")
        .hasMessageNotContaining("U0VDUkVU");
  }

  @Test
  void readPrivateKey_withTwoKeys_isRefused() throws Exception {
    byte[] one = dev.aura.tls.internal.PemCodec.encodePrivateKey(identity.exportPrivateKey());
    Files.write(keyFile(), concat(one, one));

    assertThatThrownBy(() -> PemFiles.readPrivateKey(keyFile()))
        .hasMessage("tls: invalid PEM: " + keyFile() + " holds 2 private keys, expected exactly one");
  }

  @Test
  void readPrivateKey_withEncryptedKey_asksForItDecrypted() throws Exception {
    assumeTrue(Openssl.available(), Openssl.ABSENT);
    PemFiles.write(identity, certFile(), keyFile());
    Path encrypted = dir.resolve("encrypted.key");
    Openssl.run(dir, "pkey", "-in", keyFile().toString(), "-aes256", "-passout", "pass:test-only",
        "-out", encrypted.toString());

    assertThatThrownBy(() -> PemFiles.readPrivateKey(encrypted))
        .hasFieldOrPropertyWithValue("reason", Reason.PEM_INVALID)
        .hasMessageContaining("holds an encrypted private key; decrypt it first");
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  @Test
  void tlsIdentityOf_checksTheKeyAgainstTheLeaf() {
    PrivateKey otherKey = Fixtures.identity().exportPrivateKey();

    assertThatThrownBy(() -> TlsIdentity.of(identity.chain(), otherKey))
        .isInstanceOf(TlsPinningException.class)
        .hasFieldOrPropertyWithValue("reason", Reason.KEY_MISMATCH);
  }

  @Test
  void tlsIdentity_toStringShowsFingerprintAndNeverTheKey() {
    String text = identity.toString();
    String keyBase64 = java.util.Base64.getEncoder().encodeToString(identity.exportPrivateKey().getEncoded());

    assertThat(text).contains(identity.fingerprint().toString()).contains("CN=aura-mothership")
        .doesNotContain(keyBase64.substring(40, 80));
  }
}
