package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerKeysTest {
  @TempDir Path home;
  private final ManualClock clock = ManualClock.at("2026-12-01T09:00:00Z");

  @Test
  void loadOrGenerate_firstTime_writesOwnerOnlyKey_thenLoadsTheSamePair() throws Exception {
    Path dir = home.resolve("peer-tls");
    TlsIdentity first = PeerKeys.loadOrGenerate(dir, clock);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(PeerKeys.KEY_FILE))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(first.subject()).isEqualTo("CN=aura-peer");
    TlsIdentity again = PeerKeys.loadOrGenerate(dir, clock);
    assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(again.exportPrivateKey().getEncoded()).isEqualTo(first.exportPrivateKey().getEncoded());
  }

  @Test
  void loadOrGenerate_groupReadableKey_isRefusedAndLeftInPlace() throws Exception {
    TlsIdentity first = PeerKeys.loadOrGenerate(home, clock);
    Path key = home.resolve(PeerKeys.KEY_FILE);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    byte[] before = Files.readAllBytes(key);

    TlsPinningException e = catchThrowableOfType(TlsPinningException.class,
        () -> PeerKeys.loadOrGenerate(home, clock));

    assertThat(e.reason()).isEqualTo(TlsPinningException.Reason.KEY_FILE_EXPOSED);
    assertThat(e.getMessage()).isEqualTo("tls: private key file is readable by others: peer key file " + key
        + " has permissions rw-r-----; it must be owner-only (chmod 600) and, if others may have read it,"
        + " replaced (delete both files)");
    assertThat(Files.readAllBytes(key)).isEqualTo(before);
    assertThat(first.fingerprint()).isNotNull();
  }

  @Test
  void loadOrGenerate_keyWithoutCertificate_afterACrash_generatesANewPair() throws Exception {
    TlsIdentity first = PeerKeys.loadOrGenerate(home, clock);
    Files.delete(home.resolve(PeerKeys.CERTIFICATE_FILE));
    TlsIdentity next = PeerKeys.loadOrGenerate(home, clock);
    assertThat(next.fingerprint()).isNotEqualTo(first.fingerprint());
    assertThat(PeerKeys.loadOrGenerate(home, clock).fingerprint()).isEqualTo(next.fingerprint());
  }

  @Test
  void loadOrGenerate_certificateOfAnotherKey_isRefusedAsKeyMismatch() throws Exception {
    PeerKeys.loadOrGenerate(home.resolve("a"), clock);
    PeerKeys.loadOrGenerate(home.resolve("b"), clock);
    Files.copy(home.resolve("b").resolve(PeerKeys.CERTIFICATE_FILE), home.resolve("a").resolve(PeerKeys.CERTIFICATE_FILE),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    TlsPinningException e = catchThrowableOfType(TlsPinningException.class,
        () -> PeerKeys.loadOrGenerate(home.resolve("a"), clock));
    assertThat(e.reason()).isEqualTo(TlsPinningException.Reason.KEY_MISMATCH);
  }

  @Test
  void loadOrGenerate_afterTheCertificateExpired_generatesANewPair_oneSecondBefore_keepsIt() throws Exception {
    TlsIdentity first = PeerKeys.loadOrGenerate(home, clock);
    clock.set(first.notAfter());
    assertThat(PeerKeys.loadOrGenerate(home, clock).fingerprint()).isEqualTo(first.fingerprint());
    clock.advance(Duration.ofSeconds(1));
    assertThat(PeerKeys.loadOrGenerate(home, clock).fingerprint()).isNotEqualTo(first.fingerprint());
  }
}
