package dev.aura.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.Role;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class BulkIssuanceTest {
  private static final String TEAM = "email,role\nalice@acme.com,admin\nbob@acme.com,member\ncarol@acme.com,read-only\n";

  @Test
  void productDocumentsFile_issuesOneTokenPerRow_andWritesTheCsv() throws Exception {
    Harness h = Harness.ed25519();
    List<BulkIssuance.Row> rows = BulkIssuance.parse(new StringReader(TEAM));

    List<IssuedJoinToken> tokens = h.issuer.issueBulk(rows, TokenDuration.parse("72h"));
    StringWriter out = new StringWriter();
    BulkIssuance.writeCsv(tokens, out);

    assertThat(tokens).extracting(IssuedJoinToken::subject).containsExactly("alice@acme.com", "bob@acme.com", "carol@acme.com");
    assertThat(tokens).extracting(IssuedJoinToken::role).containsExactly(Role.ADMIN, Role.MEMBER, Role.READ_ONLY);
    String[] lines = out.toString().split("\n");
    assertThat(lines[0]).isEqualTo("email,role,jti,expires,token");
    assertThat(lines).hasSize(4);
    assertThat(lines[3]).startsWith("carol@acme.com,read-only," + tokens.get(2).jti() + ",")
        .endsWith("," + tokens.get(2).token());
    for (IssuedJoinToken t : tokens) {
      assertThat(h.validator.verify(t.token()).expiresAt()).isEqualTo(Harness.T0.plusSeconds(72 * 3600));
    }
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> badFiles() {
    return java.util.stream.Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("name,role\na@acme.com,member",
            "line 1: expected the header 'email,role'"),
        org.junit.jupiter.params.provider.Arguments.of("email,role\nalice@acme.com,admin\nbob-at-acme,member",
            "line 3: 'bob-at-acme' is not an e-mail address"),
        org.junit.jupiter.params.provider.Arguments.of("email,role\nalice@acme.com,owner",
            "line 2: unknown role 'owner' (expected member, admin or read-only)"),
        org.junit.jupiter.params.provider.Arguments.of("email,role\nalice@acme.com,admin\nALICE@acme.com,member",
            "line 3: duplicate of line 2 (ALICE@acme.com)"),
        org.junit.jupiter.params.provider.Arguments.of("email,role\nalice@acme.com",
            "line 2: expected 2 fields (email,role), found 1"),
        org.junit.jupiter.params.provider.Arguments.of("email,role\n", "the file has a header but no rows"),
        org.junit.jupiter.params.provider.Arguments.of("", "line 1: expected the header 'email,role', the file is empty"));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("badFiles")
  void badFile_isRejectedNamingTheLine_andNothingIsIssued(String csv, String message) throws Exception {
    Harness h = Harness.ed25519();

    assertThatThrownBy(() -> h.issuer.issueBulk(BulkIssuance.parse(new StringReader(csv)),
        TokenDuration.parse("1h"))).isInstanceOf(TokenIssuanceException.class).hasMessage(message);
  }

  @Test
  void expiryAboveTheMaximum_issuesNothing() throws Exception {
    Harness h = Harness.ed25519();
    List<BulkIssuance.Row> rows = BulkIssuance.parse(new StringReader(TEAM));

    assertThatThrownBy(() -> h.issuer.issueBulk(rows, TokenDuration.parse("30d")))
        .isInstanceOf(TokenIssuanceException.class).hasMessageContaining("exceeds jwt.max_expiry");
  }
}
