package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.Cli;
import dev.aura.app.testing.MothershipFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every row of the join-token document's "Common Failure Modes" table produces its symptom text on the
 * joining peer, plus the clock-skew symptom of the troubleshooting guide.
 */
class JoinFailureModesTest {
  @TempDir
  Path temp;

  private static void assertRefused(Cli.Result r, String symptom) {
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).as(r.toString()).startsWith("error: " + symptom + "\ncaused by: ");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void join_withExpiredToken_saysTokenExpired() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      String token = m.issue("--for", "alice@acme.com", "--expires-in", "1h");
      m.clock().advance(Duration.ofHours(2));
      Cli.Result r = m.peer("alice").join(token);
      assertRefused(r, "token expired");
      assertThat(r.err()).contains("expired at ").contains("ago");
    }
  }

  @Test
  void join_withTokenSignedByRotatedKeyAfterGrace_saysInvalidSignature_butDuringGraceJoins() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      String duringGrace = m.issue("--for", "alice@acme.com", "--expires-in", "7d");
      String afterGrace = m.issue("--for", "bob@acme.com", "--expires-in", "7d");
      Cli.Result rotated = m.host("mothership", "rotate-key");
      assertThat(rotated.exit()).as(rotated.toString()).isZero();
      assertThat(rotated.field("previous")).contains("verifies until").contains("(in 24h)");

      assertThat(m.peer("alice").join(duringGrace).exit()).isZero();

      m.clock().advance(Duration.ofHours(25));
      Cli.Result r = m.peer("bob").join(afterGrace);
      assertRefused(r, "invalid signature");
      assertThat(r.err()).contains("was rotated out");
      assertThat(m.host("mothership", "audit", "--filter", "key_rotation", "--since", "7d").out())
          .containsPattern("(?m)^.{19} key_rotation \\S+ by local-admin$");
    }
  }

  @Test
  void join_withTokenFromAnotherMothership_isRefusedBeforeAnythingIsSent() {
    try (MothershipFixture a = MothershipFixture.builder(temp.resolve("a")).start();
         MothershipFixture b = MothershipFixture.builder(temp.resolve("b")).start()) {
      String fromB = b.issue("--for", "alice@acme.com");
      // The token pins b's certificate: presented to a, the pinned TLS handshake fails first.
      Cli.Result r = a.peer("alice").join(fromB);
      assertRefused(r, "tls fingerprint mismatch");
      assertThat(b.host("mothership", "token", "decode", fromB).field("status")).startsWith("valid");
    }
  }

  @Test
  void join_twiceWithOneShotToken_saysTokenAlreadyUsed() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      String token = m.issue("--for", "alice@acme.com");
      assertThat(m.peer("alice").join(token).exit()).isZero();
      Cli.Result r = m.peer("mallory").join(token);
      assertRefused(r, "token already used");
      assertThat(m.host("mothership", "audit").out()).containsPattern("handshake_fail jt_already_used from 127.0.0.1");
    }
  }

  @Test
  void join_afterMothershipCertificateChanged_saysTlsFingerprintMismatch() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      String token = m.issue("--for", "alice@acme.com");
      String before = m.host("mothership", "tls", "info").field("fingerprint");
      m.stopServer();
      Files.delete(m.dataDir().certificate());
      Files.delete(m.dataDir().privateKey());
      m.startServer();
      String after = m.host("mothership", "tls", "info").field("fingerprint");
      assertThat(after).isNotEqualTo(before);
      Cli.Result r = m.peer("alice").join(token);
      assertRefused(r, "tls fingerprint mismatch");
      assertThat(r.err()).contains("the token pins " + before).contains("server presented " + after);
    }
  }

  @Test
  void join_withRevokedToken_saysRevoked() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      Cli.Result issued = m.host("mothership", "token", "issue", "--for", "alice@acme.com");
      Cli.Result revoke = m.host("mothership", "token", "revoke", issued.field("jti"));
      assertThat(revoke.exit()).as(revoke.toString()).isZero();
      assertThat(revoke.out()).isEqualTo("revoked " + issued.field("jti") + " (revocation version 1)\n");
      Cli.Result r = m.peer("alice").join(issued.field("token"));
      assertRefused(r, "revoked");
      assertThat(r.err()).contains(issued.field("jti"));
    }
  }

  @Test
  void join_withRoleTheMothershipNoLongerPermits_saysRoleNotPermitted() {
    try (MothershipFixture m = MothershipFixture.builder(temp)
        .config("[peers]\npermitted_roles = [\"member\", \"read-only\"]\n").start()) {
      String token = m.issue("--for", "bob@acme.com", "--role", "admin");
      Cli.Result r = m.peer("bob").join(token);
      assertRefused(r, "role not permitted");
      assertThat(r.err()).contains("role admin is not permitted here (permitted: member, read-only)");
    }
  }

  @Test
  void join_withClocksMoreThanSixtySecondsApart_saysNotYetValidAndByHowMuch() {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      String token = m.issue("--for", "alice@acme.com");
      // The Mothership's clock goes 5 minutes behind the one that issued the token; the peer's is right.
      m.clock().set(m.clock().instant().minus(Duration.ofMinutes(5)));
      Cli.Result r = m.peer("alice", java.time.Clock.systemUTC()).join(token);
      assertRefused(r, "token not yet valid (iat is in the future)");
      assertThat(r.err()).containsPattern("the clocks differ by about (299|300)s; check NTP");
      m.clock().advance(Duration.ofMinutes(5)); // back in step, so that the host CLI can stop it
    }
  }

  @Test
  void join_withOneShotTokenByTwoPeersAtOnce_exactlyOneWins() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).start()) {
      String token = m.issue("--for", "alice@acme.com");
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Cli.Result>> joins = new ArrayList<>();
      for (String name : List.of("laptop", "desktop")) {
        MothershipFixture.Peer peer = m.peer(name);
        joins.add(CompletableFuture.supplyAsync(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return peer.join(token);
        }));
      }
      go.countDown();
      List<Cli.Result> results = new ArrayList<>();
      for (CompletableFuture<Cli.Result> f : joins) {
        results.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(results).filteredOn(r -> r.exit() == 0).hasSize(1);
      assertThat(results).filteredOn(r -> r.exit() == 1).singleElement()
          .satisfies(r -> assertThat(r.err()).startsWith("error: token already used\n"));
      assertThat(m.host("mothership", "peers").out().lines().count()).isEqualTo(2);
    }
  }
}
