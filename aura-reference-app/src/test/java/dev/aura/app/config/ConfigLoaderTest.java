package dev.aura.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.app.AuraException;
import dev.aura.spi.Role;
import dev.aura.token.SigningAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Path FILE = Path.of("/etc/aura/config.toml");

  private static MothershipConfig parse(String toml) throws AuraException {
    return ConfigLoader.parse(FILE, toml);
  }

  private static String failure(String toml) {
    try {
      parse(toml);
    } catch (AuraException e) {
      assertThat(e.what()).isEqualTo("invalid config file " + FILE);
      return e.why().orElseThrow();
    }
    throw new AssertionError("accepted: " + toml);
  }

  @Test
  void emptyFile_givesTheDocumentedDefaults() throws Exception {
    MothershipConfig c = parse("");
    assertThat(c.server().bind()).isEqualTo("0.0.0.0");
    assertThat(c.server().port()).isEqualTo(7777);
    assertThat(c.jwt().algorithm()).isEqualTo(SigningAlgorithm.EDDSA);
    assertThat(c.jwt().keyRotationGrace()).isEqualTo(Duration.ofHours(24));
    assertThat(c.jwt().maxExpiry().toString()).isEqualTo("7d");
    assertThat(c.peers().heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.peers().refreshRotation()).isEqualTo(Duration.ofDays(7));
    assertThat(c.peers().permittedRoles()).containsExactlyInAnyOrder(Role.values());
    assertThat(c.store().urlIfAny()).isEmpty();
  }

  @Test
  void everyKey_isRead() throws Exception {
    MothershipConfig c = parse("""
        [server]
        bind = "127.0.0.1"
        port = 8443
        idle_timeout = "1m"
        [store]
        url = "postgresql://db.internal:5432/aura?user=aura"
        key_file = "/etc/aura/signing-key.secret"
        [tls]
        hostnames = ["mothership.acme.internal"]
        ip_addresses = ["10.0.1.5"]
        rotation_grace = "1h"
        [jwt]
        algorithm = "ES256"
        key_rotation_grace = "1h"
        max_expiry = "3d"
        clock_skew = "30s"
        [peers]
        heartbeat_interval = "10s"
        refresh_rotation = "1d"
        permitted_roles = ["member"]
        [limits]
        failed_handshakes_per_minute = 5
        """);
    assertThat(c.server().port()).isEqualTo(8443);
    assertThat(c.server().idleTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.store().url()).startsWith("postgresql://");
    assertThat(c.tls().hostnames()).containsExactly("mothership.acme.internal");
    assertThat(c.jwt().algorithm()).isEqualTo(SigningAlgorithm.ES256);
    assertThat(c.jwt().keyRotationGrace()).isEqualTo(Duration.ofHours(1));
    assertThat(c.jwt().clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.peers().permittedRoles()).containsExactly(Role.MEMBER);
    assertThat(c.limits().failedHandshakesPerMinute()).isEqualTo(5);
  }

  @Test
  void advertiseUrl_isReadInCanonicalForm_andTakesPrecedence() throws Exception {
    MothershipConfig c = parse("[server]\nbind = \"0.0.0.0\"\nadvertise_url = \"https://mship-a.acme.internal\"\n");
    assertThat(c.server().advertiseUrl()).isEqualTo(java.net.URI.create("https://mship-a.acme.internal:7777"));
    assertThat(c.server().advertisedUrl(7801)).isEqualTo(java.net.URI.create("https://mship-a.acme.internal:7777"));
    assertThat(c.withListen("127.0.0.1", 9000).server().advertiseUrl()).isEqualTo(c.server().advertiseUrl());
  }

  @Test
  void advertiseUrl_absent_isDerivedFromASpecificBindAndTheBoundPort() throws Exception {
    assertThat(parse("[server]\nbind = \"127.0.0.1\"\nport = 0\n").server().advertisedUrl(41234))
        .isEqualTo(java.net.URI.create("https://127.0.0.1:41234"));
    assertThat(parse("[server]\nbind = \"::1\"\n").server().advertisedUrl(7777))
        .isEqualTo(java.net.URI.create("https://[::1]:7777"));
    assertThat(parse("").server().advertisedUrl(7777).getHost()).isNotEqualTo("0.0.0.0");
  }

  @Test
  void advertiseUrl_thatIsNotAMothershipUrl_isRefusedNamingTheKey() {
    assertThat(failure("[server]\nadvertise_url = \"http://a:7777\"\n")).isEqualTo("server.advertise_url ="
        + " \"http://a:7777\": expected a URL such as https://mothership.acme.internal:7777, got 'http://a:7777'");
    assertThat(failure("[server]\nadvertise_url = \"https://a/path\"\n")).startsWith("server.advertise_url =");
  }

  @Test
  void unknownKey_isNamedWithTheKnownOnes() {
    assertThat(failure("[jwt]\nalgorithem = \"EdDSA\"\n")).isEqualTo("unknown key 'jwt.algorithem' (known keys in"
        + " [jwt]: algorithm, allow_rs256_legacy, key_rotation_grace, max_expiry, clock_skew)");
  }

  @Test
  void unknownSection_andTopLevelKey_areNamed() {
    assertThat(failure("[federation]\nx = 1\n")).startsWith("unknown section [federation] (known sections: [server]");
    assertThat(failure("port = 7777\n")).startsWith("unknown key 'port' (keys belong in a section");
  }

  @Test
  void hs256_isRefusedWithTheReason() {
    assertThat(failure("[jwt]\nalgorithm = \"HS256\"\n")).isEqualTo("jwt.algorithm = \"HS256\": algorithm HS256 is"
        + " not supported: shared-secret algorithms don't scale (use EdDSA, or ES256 for FIPS)");
  }

  @Test
  void rs256_needsTheExplicitLegacyFlag() throws Exception {
    assertThat(failure("[jwt]\nalgorithm = \"RS256\"\n")).contains("set jwt.allow_rs256_legacy = true");
    assertThat(parse("[jwt]\nalgorithm = \"RS256\"\nallow_rs256_legacy = true\n").jwt().algorithm())
        .isEqualTo(SigningAlgorithm.RS256);
  }

  @Test
  void badValues_nameTheKeyAndWhatIsExpected() {
    assertThat(failure("[server]\nport = 70000\n")).isEqualTo("server.port = 70000: must be between 0 and 65535");
    assertThat(failure("[server]\nport = \"7777\"\n")).isEqualTo("server.port = \"7777\": expected an integer");
    assertThat(failure("[jwt]\nmax_expiry = \"seven days\"\n")).startsWith("jwt.max_expiry = \"seven days\":"
        + " invalid duration");
    assertThat(failure("[jwt]\nclock_skew = \"10m\"\n")).isEqualTo("jwt.clock_skew = \"10m\": must be between 0s"
        + " and 5m");
    assertThat(failure("[peers]\npermitted_roles = [\"owner\"]\n")).contains("unknown role 'owner'");
    assertThat(failure("[tls]\ncert_file = \"/a.crt\"\n")).isEqualTo("tls.cert_file is set without tls.key_file");
  }

  @Test
  void zeroGrace_isAllowedWhereZeroMakesSense() throws Exception {
    assertThat(parse("[jwt]\nkey_rotation_grace = \"0s\"\n").jwt().keyRotationGrace()).isZero();
    assertThat(failure("[peers]\nheartbeat_interval = \"0s\"\n")).startsWith("peers.heartbeat_interval");
  }

  @Test
  void invalidToml_saysWhere() {
    assertThat(failure("[server\nport = 1\n")).startsWith("line 1: not valid TOML");
  }

  @Test
  void absentFile_meansDefaults_unlessRequired(@TempDir Path temp) throws Exception {
    assertThat(ConfigLoader.load(temp.resolve("config.toml"), false).server().port()).isEqualTo(7777);
    assertThatThrownBy(() -> ConfigLoader.load(temp.resolve("config.toml"), true))
        .isInstanceOf(AuraException.class).hasMessageContaining("no such file");
  }
}
