package dev.aura.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypesTest {
  private static final String CANONICAL =
      "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89";

  @Test
  void fingerprint_canonicalAndOpensslForms_parseToTheSameValue_andPrintCanonically() {
    Fingerprint lower = Fingerprint.parse(CANONICAL);
    Fingerprint openssl = Fingerprint.parse("SHA256 Fingerprint=" + CANONICAL.toUpperCase());

    assertThat(openssl).isEqualTo(lower).hasSameHashCodeAs(lower);
    assertThat(lower.toString()).isEqualTo(CANONICAL);
    assertThat(lower.toOpensslString()).isEqualTo(CANONICAL.toUpperCase());
    assertThat(lower.abbreviated(5)).isEqualTo("ab:cd:ef:01:23:...");
  }

  @Test
  void fingerprint_badInput_saysWhatIsWrong() {
    assertThatThrownBy(() -> Fingerprint.parse(CANONICAL.substring(3))).hasMessageContaining("expected 95");
    assertThatThrownBy(() -> Fingerprint.parse(CANONICAL + ":00")).hasMessageContaining("98 characters");
    assertThatThrownBy(() -> Fingerprint.parse(CANONICAL.replace("ab:cd", "zz:cd")))
        .hasMessageContaining("non-hex character in byte pair 1");
    assertThatThrownBy(() -> Fingerprint.parse(CANONICAL.replace(':', '-'))).hasMessageContaining("expects ':'");
    assertThatThrownBy(() -> Fingerprint.parse("")).hasMessage("fingerprint is empty");
  }

  @Test
  void fingerprint_ofCertificate_isSha256OfTheDer() throws Exception {
    byte[] der = {1, 2, 3};
    byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(der);

    assertThat(Fingerprint.ofCertificate(der)).isEqualTo(Fingerprint.ofDigest(sha));
  }

  @ParameterizedTest
  @ValueSource(strings = {"peer_0A1B2C3D", "peer_0a1b2c3", "peer_0a1b2c3dd", "pear_0a1b2c3d", "peer_0a1b2c3g", ""})
  void peerId_refusesNonCanonicalForms(String value) {
    assertThatThrownBy(() -> PeerId.parse(value)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("peer id");
  }

  @Test
  void ids_acceptCanonicalForms() {
    assertThat(PeerId.parse("peer_0a1b2c3d").toString()).isEqualTo("peer_0a1b2c3d");
    assertThat(MothershipId.parse("mship_7fcd21a9").value()).isEqualTo("mship_7fcd21a9");
    assertThat(Jti.parse("jt_01HYXT8K3PQ7V2M4N6R8S0T1W3").value()).hasSize(29);
    assertThatThrownBy(() -> Jti.parse("jt_81HYXT8K3PQ7V2M4N6R8S0T1W3")).hasMessageContaining("ULID");
    assertThatThrownBy(() -> Jti.parse("jt_01HYXT8K3PQ7V2M4N6R8S0T1WU")).hasMessageContaining("ULID");
  }

  @Test
  void role_parsesTheClaimValuesOnly() {
    assertThat(Role.parse("read-only")).isEqualTo(Role.READ_ONLY);
    assertThat(Role.parseLenient(" Admin ")).isEqualTo(Role.ADMIN);
    assertThatThrownBy(() -> Role.parse("owner")).hasMessage("unknown role 'owner' (expected member, admin or read-only)");
  }

  @Test
  void secrets_neverPrint_andCompareByValue() {
    SecretBytes a = SecretBytes.ofUtf8("hunter2");
    byte[] raw = {'h', 'u', 'n', 't', 'e', 'r', '2'};
    SecretBytes b = SecretBytes.copyOf(raw);
    raw[0] = 'x';

    assertThat(a).isEqualTo(b);
    assertThat(a.toString()).doesNotContain("hunter2");
    assertThat(SecretHash.of("t").toString()).doesNotContain(SecretHash.of("t").toHex());
    assertThat(SecretHash.fromHex(SecretHash.of("t").toHex())).isEqualTo(SecretHash.of("t"));
  }

  @Test
  void revocationTarget_readsOperatorArguments() {
    assertThat(RevocationTarget.fromArgument("jt_01HYXT8K3PQ7V2M4N6R8S0T1W3").kind()).isEqualTo(RevocationTarget.Kind.JTI);
    assertThat(RevocationTarget.fromArgument("peer_0a1b2c3d").kind()).isEqualTo(RevocationTarget.Kind.PEER);
    assertThat(RevocationTarget.fromArgument("alice@acme.com").kind()).isEqualTo(RevocationTarget.Kind.SUBJECT);
    assertThatThrownBy(() -> RevocationTarget.fromArgument("peer_zz")).hasMessageContaining("peer id");
  }

  @Test
  void auditEvent_printsTheProductLine_andRefusesTokens() {
    AuditEvent e = AuditEvent.of(AuditEventType.TOKEN_ISSUED, Instant.EPOCH, "jt_01HYXT8K3P")
        .by("admin@acme.com").forSubject("carol@contractor.com");

    assertThat(e.describe()).isEqualTo("token_issued jt_01HYXT8K3P by admin@acme.com for carol@contractor.com");
    assertThatThrownBy(() -> AuditEvent.of(AuditEventType.TOKEN_USED, Instant.EPOCH, "eyJhbGciOi.eyJzdWIi.sig"))
        .hasMessage("audit events never carry a token");
    assertThatThrownBy(() -> e.from("10.0.0.1\nforged line")).hasMessageContaining("line break");
  }

  @Test
  void ledgerEntry_refusesImpossibleCounts() {
    Jti jti = Jti.parse("jt_01HYXT8K3PQ7V2M4N6R8S0T1W3");
    assertThatThrownBy(() -> new LedgerEntry(jti, "a", Role.MEMBER, Instant.EPOCH, Instant.EPOCH.plusSeconds(1), 1, 2,
        SecretHash.of("t"))).hasMessageContaining("usesConsumed must be within 0..1");
    assertThatThrownBy(() -> LedgerEntry.issued(jti, "a", Role.MEMBER, Instant.EPOCH, Instant.EPOCH, 1,
        SecretHash.of("t"))).hasMessageContaining("expiresAt must be after issuedAt");
  }
}
