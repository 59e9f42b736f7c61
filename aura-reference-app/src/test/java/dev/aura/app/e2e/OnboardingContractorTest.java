package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product document's "Onboarding a Contractor" flow against a real Mothership over real TLS, driven by
 * the real CLI: issue a read-only 5d token, join from a second AURA_HOME, list peers, revoke, and the peer is
 * cut off and cannot rejoin.
 */
class OnboardingContractorTest {
  @TempDir
  Path temp;

  @Test
  void contractor_joinsListedRevoked_isCutOffAndCannotRejoin() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      // Monday morning: a 5-day read-only token.
      Cli.Result issued = m.host("mothership", "token", "issue", "--for", "carol@contractor.com",
          "--role", "read-only", "--expires-in", "5d");
      assertThat(issued.exit()).as(issued.toString()).isZero();
      assertThat(issued.out()).matches("(?s)token: eyJ[^\\n]+\\njti: jt_[0-9A-Z]{26}\\nrole: read-only\\n"
          + "expires: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\(in 5d\\)\\none_shot: true\\n"
          + "fingerprint: ([0-9a-f]{2}:){31}[0-9a-f]{2}\\n");
      // A spare token issued before the revocation: it must not let her back in.
      String spare = m.issue("--for", "carol@contractor.com", "--role", "read-only", "--expires-in", "5d");

      MothershipFixture.Peer carol = m.peer("carol");
      Cli.Result joined = carol.join(issued.field("token"));
      assertThat(joined.exit()).as(joined.toString()).isZero();
      String peerId = joined.field("peer_id");
      assertThat(peerId).matches("peer_[0-9a-f]{8}");
      assertThat(joined.field("role")).isEqualTo("read-only");
      assertThat(joined.field("pinned")).isEqualTo(issued.field("fingerprint"));

      // Mid-week: she is connected.
      m.clock().advance(Duration.ofSeconds(31));
      Cli.Result peers = m.host("mothership", "peers");
      assertThat(peers.exit()).as(peers.toString()).isZero();
      assertThat(peers.out()).startsWith("peer_id        subject               role       last_seen\n");
      assertThat(peers.out()).contains(peerId + "  carol@contractor.com  read-only  31s ago");

      Cli.Result ping = carol.run("mothership", "ping");
      assertThat(ping.exit()).as(ping.toString()).isZero();
      assertThat(ping.field("credential")).isEqualTo("accepted (" + peerId + ", read-only)");

      // Friday evening: revoke.
      Cli.Result revoked = m.host("mothership", "peer", "revoke", "carol@contractor.com");
      assertThat(revoked.exit()).as(revoked.toString()).isZero();
      assertThat(revoked.out()).contains("revoked carol@contractor.com").contains("peers cut off: " + peerId);

      Cli.Result cutOff = carol.run("mothership", "ping");
      assertThat(cutOff.exit()).isEqualTo(1);
      assertThat(cutOff.err()).startsWith("error: peer revoked\ncaused by: revoked: ");

      Cli.Result rejoin = carol.join(spare);
      assertThat(rejoin.exit()).isEqualTo(1);
      assertThat(rejoin.err()).startsWith("error: revoked\ncaused by: ");

      assertThat(m.host("mothership", "peers").out()).doesNotContain(peerId);
      assertThat(m.host("mothership", "peers", "--detail").out()).contains(peerId + "  carol@contractor.com  revoked");

      Cli.Result audit = m.host("mothership", "audit", "--since", "24h");
      assertThat(audit.out()).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d token_issued "
          + issued.field("jti") + " by local-admin for carol@contractor.com$");
      assertThat(audit.out()).containsPattern("(?m)^.{19} token_used " + issued.field("jti") + " " + peerId
          + " from 127\\.0\\.0\\.1$");
      assertThat(audit.out()).containsPattern("(?m)^.{19} token_revoked carol@contractor.com by local-admin$");
      assertThat(audit.out()).containsPattern("(?m)^.{19} handshake_fail jt_revoked from 127\\.0\\.0\\.1$");
    }
  }
}
