package dev.aura.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.app.AuraException;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rotation that cannot be stored where it must be (the shared identity) leaves nothing rotated. */
class TlsCertificatesTest {
  @TempDir
  Path temp;

  @Test
  void rotate_whosePersistFails_putsTheFilesBack_andKeepsServingTheOldCertificate() throws Exception {
    DataDir dir = new DataDir(temp.resolve("mothership"));
    dir.create();
    MothershipConfig.Tls tls = MothershipConfig.defaults().tls();
    TlsCertificates certificates = TlsCertificates.loadOrGenerate(dir, tls, Clock.systemUTC());
    String served = certificates.current().fingerprint().toString();
    String certificateFile = Files.readString(dir.certificate());

    assertThatThrownBy(() -> certificates.rotate(r -> {
      throw new AuraException("cannot store the rotated certificate in postgresql://db", "connection refused");
    })).isInstanceOf(AuraException.class).hasMessage("cannot store the rotated certificate in postgresql://db: connection refused");

    assertThat(certificates.current().fingerprint().toString()).isEqualTo(served);
    assertThat(certificates.ring().previous()).isEmpty();
    assertThat(Files.readString(dir.certificate())).isEqualTo(certificateFile);
    TlsCertificates reloaded = TlsCertificates.loadOrGenerate(dir, tls, Clock.systemUTC());
    assertThat(reloaded.current().fingerprint().toString()).isEqualTo(served);
    assertThat(reloaded.ring().previous()).isEmpty();

    String rotated = certificates.rotate().identity().fingerprint().toString(); // and the next one works
    assertThat(rotated).isNotEqualTo(served);
    assertThat(TlsCertificates.loadOrGenerate(dir, tls, Clock.systemUTC()).ring().previous()).hasSize(1);
  }
}
