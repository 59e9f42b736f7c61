package dev.aura.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.AuraException;
import dev.aura.tls.TlsVersion;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code [tls] min_version}: TLS 1.3 unless the file says "1.2"; anything else names the key. */
class TlsMinVersionConfigTest {
  private static final Path FILE = Path.of("/etc/aura/config.toml");

  private static String failure(String toml) {
    try {
      ConfigLoader.parse(FILE, toml);
    } catch (AuraException e) {
      assertThat(e.what()).isEqualTo("invalid config file " + FILE);
      return e.why().orElseThrow();
    }
    throw new AssertionError("accepted: " + toml);
  }

  @Test
  void absent_isTls13Only() throws Exception {
    assertThat(ConfigLoader.parse(FILE, "").tls().minVersion()).isEqualTo(TlsVersion.TLS_1_3);
    assertThat(ConfigLoader.parse(FILE, "[tls]\nrotation_grace = \"1h\"\n").tls().minVersion())
        .isEqualTo(TlsVersion.TLS_1_3);
    assertThat(MothershipConfig.defaults().tls().minVersion()).isEqualTo(TlsVersion.TLS_1_3);
  }

  @Test
  void acceptedValues_areRead() throws Exception {
    assertThat(ConfigLoader.parse(FILE, "[tls]\nmin_version = \"1.2\"\n").tls().minVersion())
        .isEqualTo(TlsVersion.TLS_1_2);
    assertThat(ConfigLoader.parse(FILE, "[tls]\nmin_version = \"1.3\"\n").tls().minVersion())
        .isEqualTo(TlsVersion.TLS_1_3);
  }

  @Test
  void otherVersions_areErrorsNamingTheKey() {
    assertThat(failure("[tls]\nmin_version = \"1.1\"\n"))
        .isEqualTo("tls.min_version = \"1.1\": unsupported TLS version '1.1' (accepted: \"1.2\", \"1.3\")");
    assertThat(failure("[tls]\nmin_version = \"TLSv1.2\"\n")).startsWith("tls.min_version = \"TLSv1.2\": ");
    assertThat(failure("[tls]\nmin_version = \"\"\n")).startsWith("tls.min_version = \"\": ");
  }

  @Test
  void unquotedNumber_isAnErrorNamingTheKey() {
    assertThat(failure("[tls]\nmin_version = 1.2\n"))
        .isEqualTo("tls.min_version = 1.2: expected a string: \"1.2\" or \"1.3\", in quotes");
    assertThat(failure("[tls]\nmin_version = true\n")).isEqualTo("tls.min_version = true: expected a string");
  }
}
