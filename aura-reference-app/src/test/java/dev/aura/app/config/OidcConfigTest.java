package dev.aura.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.AuraException;
import dev.aura.spi.Role;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [oidc]} as the issue writes it, and each bad value as an error naming its key. */
class OidcConfigTest {
  @TempDir
  Path temp;

  private Path file() {
    return temp.resolve("config.toml");
  }

  private MothershipConfig parse(String toml) throws AuraException {
    return ConfigLoader.parse(file(), toml);
  }

  private String failure(String toml) {
    try {
      parse(toml);
    } catch (AuraException e) {
      assertThat(e.what()).isEqualTo("invalid config file " + file());
      return e.why().orElseThrow();
    }
    throw new AssertionError("accepted: " + toml);
  }

  private static final String MINIMAL = """
      [oidc]
      issuer = "https://idp.acme.internal/realms/acme"
      client_id = "aura"
      """;

  @Test
  void issueExample_isRead_relativeFilesAgainstTheConfigDirectory() throws Exception {
    Path secret = temp.resolve("oidc-client.secret");
    Files.writeString(secret, "s");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    MothershipConfig.Oidc o = parse(MINIMAL + """
        client_secret_file = "oidc-client.secret"
        subject_claim = "email"
        max_age = "5m"
        required_for = ["admin", "member"]
        reassert_every = "24h"
        """).oidcIfAny().orElseThrow();
    assertThat(o.issuer()).isEqualTo(URI.create("https://idp.acme.internal/realms/acme"));
    assertThat(o.clientId()).isEqualTo("aura");
    assertThat(o.clientSecretFile()).isEqualTo(secret);
    assertThat(o.subjectClaim()).isEqualTo("email");
    assertThat(o.maxAge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(o.requiredFor()).containsExactlyInAnyOrder(Role.ADMIN, Role.MEMBER);
    assertThat(o.requiredFor(Role.READ_ONLY)).isFalse();
    assertThat(o.reassertEveryIfAny()).contains(Duration.ofHours(24));
  }

  @Test
  void defaults_requireEveryRole_subClaim_fiveMinutes_noReassertion() throws Exception {
    MothershipConfig.Oidc o = parse(MINIMAL).oidcIfAny().orElseThrow();
    assertThat(o.requiredFor()).containsExactlyInAnyOrder(Role.values());
    assertThat(o.subjectClaim()).isEqualTo("sub");
    assertThat(o.maxAge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(o.reassertEveryIfAny()).isEmpty();
    assertThat(parse("").oidcIfAny()).isEmpty();
  }

  @Test
  void badValues_nameTheKey() {
    assertThat(failure("[oidc]\nclient_id = \"aura\"\n")).isEqualTo("oidc.issuer: required in [oidc] (the IdP's"
        + " issuer URL)");
    assertThat(failure("[oidc]\nissuer = \"http://idp.acme.internal\"\nclient_id = \"aura\"\n"))
        .startsWith("oidc.issuer = \"http://idp.acme.internal\": expected an https URL");
    assertThat(failure("[oidc]\nissuer = \"https://idp.acme.internal\"\n")).startsWith("oidc.client_id: required");
    assertThat(failure(MINIMAL + "max_age = \"five minutes\"\n")).startsWith("oidc.max_age = \"five minutes\": ");
    assertThat(failure(MINIMAL + "max_age = \"2d\"\n")).isEqualTo("oidc.max_age = \"2d\": must be between 10s and 1d");
    assertThat(failure(MINIMAL + "required_for = []\n")).startsWith("oidc.required_for = []: name at least one role");
    assertThat(failure(MINIMAL + "required_for = [\"owner\"]\n")).startsWith("oidc.required_for = [\"owner\"]: ");
    assertThat(failure(MINIMAL + "reassert_every = \"10s\"\n")).isEqualTo("oidc.reassert_every = \"10s\": must be"
        + " between 1m and 365d");
    assertThat(failure(MINIMAL + "subject_claim = \"e mail\"\n")).startsWith("oidc.subject_claim = \"e mail\": ");
    assertThat(failure(MINIMAL + "scope = \"openid\"\n")).startsWith("unknown key 'oidc.scope' (known keys in [oidc]:");
    assertThat(failure(MINIMAL + "ca_file = \"missing.pem\"\n")).isEqualTo("oidc.ca_file = \"missing.pem\": no such"
        + " file " + temp.resolve("missing.pem"));
  }

  @Test
  void clientSecretFile_readableByOthers_isRefused() throws Exception {
    Path secret = temp.resolve("oidc-client.secret");
    Files.writeString(secret, "s");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(failure(MINIMAL + "client_secret_file = \"oidc-client.secret\"\n")).isEqualTo(
        "oidc.client_secret_file = \"oidc-client.secret\": the file is readable by others (rw-r--r--): chmod 600 "
            + secret);
  }
}
