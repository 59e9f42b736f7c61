package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An identity provider that cannot be reached is an error at start and a doctor finding, never a downgrade. */
class OidcUnreachableTest {
  @TempDir
  Path temp;

  @Test
  void start_withAnUnreachableIdp_failsClearly_andDoctorSaysDR014() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String issuer = "https://127.0.0.1:" + closed + "/realms/acme";
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      m.stopServer();
      Files.writeString(m.dataDir().configFile(), "[oidc]\nissuer = \"" + issuer + "\"\nclient_id = \"aura\"\n");
      assertThatThrownBy(m::startServer).isInstanceOf(AssertionError.class).hasMessageContaining(
          "error: identity provider unreachable\ncaused by: cannot fetch " + issuer
              + "/.well-known/openid-configuration: ");
      Cli.Result doctor = m.host("doctor");
      assertThat(doctor.out()).containsPattern("error +DR014 identity provider unreachable: cannot fetch "
          + java.util.regex.Pattern.quote(issuer) + "/.well-known/openid-configuration: ");
      assertThat(m.host("doctor", "--explain", "DR014").out()).contains("no silent downgrade")
          .contains("oidc.ca_file");
    }
  }
}
