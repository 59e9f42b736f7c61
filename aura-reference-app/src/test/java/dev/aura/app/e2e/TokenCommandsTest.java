package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.app.protocol.Wire;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code token issue|revoke|decode} and {@code audit} against a real Mothership. */
class TokenCommandsTest {
  @TempDir
  static Path temp;

  static MothershipFixture m;

  @BeforeAll
  static void start() {
    m = MothershipFixture.builder(temp.resolve("m")).start();
  }

  @AfterAll
  static void stop() {
    m.close();
  }

  @Test
  void issue_multiUse_printsOneShotFalseAndUses() {
    Cli.Result r = m.host("mothership", "token", "issue", "--for", "team-onboarding", "--uses", "20",
        "--expires-in", "72h");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.field("one_shot")).isEqualTo("false");
    assertThat(r.field("uses")).isEqualTo("20");
    assertThat(r.field("role")).isEqualTo("member");
    assertThat(r.field("expires")).endsWith(" UTC (in 3d)");
  }

  @Test
  void issue_byDefault_isMemberFor24hOneShot() {
    Cli.Result r = m.host("mothership", "token", "issue", "--for", "alice@acme.com");
    assertThat(r.field("role")).isEqualTo("member");
    assertThat(r.field("expires")).endsWith(" UTC (in 24h)");
    assertThat(r.field("one_shot")).isEqualTo("true");
    assertThat(r.out()).doesNotContain("uses:");
  }

  @Test
  void issue_withUsesAndExplicitOneShot_isAUsageError() {
    Cli.Result r = m.host("mothership", "token", "issue", "--for", "a@acme.com", "--uses", "5", "--one-shot");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: --uses 5 contradicts --one-shot");
  }

  @Test
  void issue_withOneShotFalseAndNoUses_isAUsageError() {
    Cli.Result r = m.host("mothership", "token", "issue", "--for", "a@acme.com", "--one-shot=false");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: --one-shot=false needs --uses N");
  }

  @Test
  void issue_withUnknownRole_isAUsageErrorNamingTheRoles() {
    Cli.Result r = m.host("mothership", "token", "issue", "--for", "a@acme.com", "--role", "owner");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: unknown role 'owner' (expected member, admin or read-only)");
  }

  @Test
  void issue_beyondMaxExpiry_isRefusedNamingTheCap() {
    Cli.Result r = m.host("mothership", "token", "issue", "--for", "a@acme.com", "--expires-in", "8d");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: --expires-in 8d exceeds jwt.max_expiry (7d)");
  }

  @Test
  void issue_withoutForOrBulk_isAUsageError() {
    Cli.Result r = m.host("mothership", "token", "issue");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: Error: Missing required argument");
  }

  @Test
  void issue_json_isMachineReadable() {
    Cli.Result r = m.host("mothership", "token", "issue", "--for", "json@acme.com", "--json");
    assertThat(r.exit()).isZero();
    var o = Wire.parseObject(r.out());
    assertThat(o.path("jti").asText()).startsWith("jt_");
    assertThat(o.path("token").asText()).startsWith("eyJ");
  }

  @Test
  void bulk_toStdout_printsCsvOfEmailsAndTokens() throws Exception {
    Path csv = temp.resolve("team.csv");
    Files.writeString(csv, "email,role\nalice@acme.com,admin\nbob@acme.com,member\ncarol@acme.com,read-only\n");
    Cli.Result r = m.host("mothership", "token", "issue", "--bulk", csv.toString(), "--expires-in", "72h");
    assertThat(r.exit()).as(r.toString()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("email,role,jti,expires,token");
    assertThat(lines.get(1)).matches("alice@acme\\.com,admin,jt_[0-9A-Z]{26},\\d{4}-.*Z,eyJ.*");
    assertThat(lines.get(3)).startsWith("carol@acme.com,read-only,jt_");
  }

  @Test
  void bulk_toOutputFile_isOwnerOnly() throws Exception {
    Path csv = temp.resolve("team2.csv");
    Files.writeString(csv, "email,role\ndave@acme.com,member\n");
    Path out = temp.resolve("tokens.csv");
    Cli.Result r = m.host("mothership", "token", "issue", "--bulk", csv.toString(), "--output", out.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("wrote 1 token to " + out);
    assertThat(OwnerOnlyFiles.permissions(out)).hasValue("rw-------");
    assertThat(Files.readString(out)).startsWith("email,role,jti,expires,token\ndave@acme.com,member,jt_");
  }

  @Test
  void bulk_withBadLine_namesTheLineAndIssuesNothing() throws Exception {
    Path csv = temp.resolve("bad.csv");
    Files.writeString(csv, "email,role\nerin@acme.com,member\nnot-an-email,member\n");
    Cli.Result r = m.host("mothership", "token", "issue", "--bulk", csv.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: invalid bulk file\ncaused by: line 3: 'not-an-email' is not an e-mail"
        + " address");
    assertThat(m.host("mothership", "audit").out()).doesNotContain("for erin@acme.com");
  }

  @Test
  void decode_onTheHost_saysValidThenUsedThenRevoked() {
    Cli.Result issued = m.host("mothership", "token", "issue", "--for", "frank@acme.com");
    String token = issued.field("token");
    Cli.Result valid = m.host("mothership", "token", "decode", token);
    assertThat(valid.exit()).as(valid.toString()).isZero();
    assertThat(valid.out()).contains("header:\n  alg: EdDSA\n  typ: aura-join+jwt\n")
        .contains("  sub: frank@acme.com\n").contains("  aud: aura-peer\n")
        .contains("  jti: " + issued.field("jti") + "\n").contains("  one_shot: true\n")
        .contains("  tls_fingerprint: " + issued.field("fingerprint") + "\n")
        .contains("signature: 64 bytes (not verified by decode)\n");
    assertThat(valid.field("status")).isEqualTo("valid (1 of 1 use(s) left)");
    assertThat(valid.out()).containsPattern("  exp: \\d+ \\(\\d{4}-.* UTC \\(in 24h\\)\\)");

    assertThat(m.peer("frank").join(token).exit()).isZero();
    assertThat(m.host("mothership", "token", "decode", token).field("status")).startsWith("used");

    m.host("mothership", "token", "revoke", issued.field("jti"));
    assertThat(m.host("mothership", "token", "decode", token).field("status")).startsWith("revoked");
  }

  @Test
  void decode_expiredToken_saysExpired() {
    String token = m.issue("--for", "gina@acme.com", "--expires-in", "5m");
    m.clock().advance(Duration.ofMinutes(10));
    assertThat(m.host("mothership", "token", "decode", token).field("status")).startsWith("expired");
  }

  @Test
  void decode_awayFromTheHost_decodesButCannotJudge() {
    String token = m.issue("--for", "hank@acme.com");
    Cli.Result r = m.peer("nobody").run("mothership", "token", "decode", token);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("  sub: hank@acme.com");
    assertThat(r.field("status")).startsWith("unknown (validity is known on the Mothership host only");
  }

  @Test
  void decode_garbage_listsTheProblems() {
    Cli.Result r = m.host("mothership", "token", "decode", "not.a-token");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("problem: token has 2 segments, expected 3");
    assertThat(r.field("status")).startsWith("malformed token");
  }

  @Test
  void revoke_unknownJti_saysSo() {
    Cli.Result r = m.host("mothership", "token", "revoke", "jt_01ARZ3NDEKTSV4RRFFQ69G5FAV");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: unknown token jt_01ARZ3NDEKTSV4RRFFQ69G5FAV\n");
    Cli.Result bad = m.host("mothership", "token", "revoke", "jt_nope");
    assertThat(bad.exit()).isEqualTo(2);
  }

  @Test
  void audit_filterAndSince_selectEntries() {
    m.issue("--for", "ivy@acme.com");
    Cli.Result r = m.host("mothership", "audit", "--since", "1h", "--filter", "token_issued");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines()).isNotEmpty().allMatch(l -> l.matches(".{19} token_issued jt_\\S+ by local-admin for \\S+"));
    assertThat(m.host("mothership", "audit", "--filter", "nonsense").err())
        .startsWith("error: --filter: unknown audit event type 'nonsense'");
    assertThat(m.host("mothership", "audit", "--since", "yesterday").exit()).isEqualTo(2);
  }

  @Test
  void audit_verify_reportsAnIntactChain() {
    Cli.Result r = m.host("mothership", "audit", "--verify");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).matches("audit log intact: \\d+ entries verified\\n");
  }
}
