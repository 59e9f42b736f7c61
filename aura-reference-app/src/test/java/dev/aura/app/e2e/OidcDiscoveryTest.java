package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.app.testing.Cli;
import dev.aura.app.testing.HttpsTestServer;
import dev.aura.app.testing.MothershipFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Mothership does at start with an identity provider it can reach but must not believe: a discovery
 * document that names another issuer, or one served with a certificate it does not trust. The IdP here is a JDK
 * HTTPS server serving only the discovery document (start reads nothing else); the ID token checks themselves
 * run against a real Keycloak in {@link OidcJoinTest}.
 */
class OidcDiscoveryTest {
  @TempDir
  Path temp;

  private HttpsTestServer idp;
  private Path caFile;
  private String issuer;
  private volatile String announcedIssuer;

  @BeforeEach
  void idp() throws Exception {
    idp = HttpsTestServer.start(temp);
    caFile = idp.caFile();
    issuer = idp.base() + "/realms/acme";
    announcedIssuer = issuer;
    idp.server().createContext("/realms/acme/.well-known/openid-configuration", exchange -> {
      byte[] body = ("{\"issuer\":\"" + announcedIssuer + "\",\"authorization_endpoint\":\"" + issuer
          + "/auth\",\"token_endpoint\":\"" + issuer + "/token\",\"jwks_uri\":\"" + issuer + "/certs\","
          + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
          + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  private void configure(MothershipFixture m, boolean trustTheIdp) throws Exception {
    if (m.isRunning()) {
      m.stopServer();
    }
    Files.writeString(m.dataDir().configFile(), "[oidc]\nissuer = \"" + issuer + "\"\nclient_id = \"aura\"\n"
        + (trustTheIdp ? "ca_file = \"" + caFile + "\"\n" : ""));
  }

  @Test
  void start_withADiscoveryDocumentOfAnotherIssuer_failsClearly_andDoctorSaysDR014() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("m")).start()) {
      configure(m, true);
      m.startServer(); // the document as it should be: the Mothership starts
      m.stopServer();
      announcedIssuer = "https://idp.elsewhere.example/realms/acme";
      String problem = "the discovery document at " + issuer + "/.well-known/openid-configuration names issuer"
          + " https://idp.elsewhere.example/realms/acme, configured " + issuer;
      assertThatThrownBy(m::startServer).isInstanceOf(AssertionError.class).hasMessageContaining(
          "error: identity provider unreachable\ncaused by: " + problem + " (oidc.issuer; joins that need an"
              + " assertion cannot be checked without it)");
      Cli.Result doctor = m.host("doctor");
      assertThat(doctor.out()).containsPattern("error +DR014 identity provider unreachable: "
          + Pattern.quote(problem));
    }
  }

  @Test
  void start_withAnIdpCertificateNotTrusted_failsClearly_neverDowngrades() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp.resolve("m")).start()) {
      configure(m, false); // the JDK's trust store does not know the IdP's self-signed certificate
      assertThatThrownBy(m::startServer).isInstanceOf(AssertionError.class).hasMessageContaining(
          "error: identity provider unreachable\ncaused by: cannot fetch " + issuer
              + "/.well-known/openid-configuration: ").hasMessageContaining("certification path");
      assertThat(m.host("doctor").out()).containsPattern("error +DR014 identity provider unreachable: cannot fetch "
          + Pattern.quote(issuer) + "/.well-known/openid-configuration: .*certification path");
      configure(m, true); // the same IdP with its CA given: the Mothership starts
      m.startServer();
      assertThat(m.host("doctor").out()).containsPattern("ok +DR014 identity provider unreachable: "
          + Pattern.quote(issuer));
    }
  }
}
