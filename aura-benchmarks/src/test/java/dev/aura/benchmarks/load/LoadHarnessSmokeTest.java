package dev.aura.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs each load harness once with tiny bounds against a real Mothership on loopback, asserting outcomes
 * only (every join succeeded, the revoked peer was closed, the others applied the update), never timings.
 */
class LoadHarnessSmokeTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  @Timeout(120)
  void joinLoad_withFiveRequestsPerKind_joinsEveryTokenAndPingsWithoutFailure() throws Exception {
    String postgres = System.getenv("AURA_TEST_POSTGRES_URL");
    boolean withPostgres = postgres != null && !postgres.isBlank();
    List<JoinLoad.Phase> phases = JoinLoad.run(new JoinLoad.Options(List.of(1, 2), 5, Duration.ofSeconds(30), 2,
        withPostgres ? postgres : null), out);

    List<String> expected = new ArrayList<>();
    for (int store = 0; store < (withPostgres ? 2 : 1); store++) {
      expected.addAll(JoinLoad.KINDS);
      expected.addAll(JoinLoad.KINDS);
    }
    assertThat(phases).extracting(JoinLoad.Phase::kind).containsExactlyElementsOf(expected);
    assertThat(phases).allSatisfy(p -> {
      assertThat(p.failed()).as(p + "\n" + printed).isZero();
      assertThat(p.succeeded()).as(p.toString()).isEqualTo(5);
      assertThat(p.latency().count()).isEqualTo(5);
    });
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("| SQLite | join | 2 | 5 | 0 |",
        "| SQLite | join-new-tls | 2 | 5 | 0 |", "| Store | Clients | join / commit |",
        "SQLite group commit during the join phases: ");
    if (withPostgres) {
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("| PostgreSQL | join | 2 | 5 | 0 |");
    }
  }

  @Test
  @Timeout(120)
  void peerFanout_withTenPeers_closesTheRevokedOneAndEveryOtherAppliesTheUpdate() throws Exception {
    PeerFanout.Result r = PeerFanout.run(new PeerFanout.Options(10, Duration.ofSeconds(30), 128), out);

    assertThat(r.peers()).as(printed.toString(StandardCharsets.UTF_8)).isEqualTo(10);
    String report = printed.toString(StandardCharsets.UTF_8);
    assertThat(r.revokedCloseCode()).as(report).isEqualTo(PeerSwarm.REVOKED);
    assertThat(r.revokedClosedMillis()).isGreaterThanOrEqualTo(0);
    assertThat(r.applied()).isEqualTo(9);
    assertThat(r.missing()).isZero();
    assertThat(r.othersOpen()).isTrue();
    assertThat(r.serverAcknowledged()).as(report).isTrue();
    assertThat(r.problem()).isNull();
  }

  @Test
  void latency_ofRecordedNanos_usesNearestRank() {
    long[] nanos = new long[100];
    for (int i = 0; i < 100; i++) {
      nanos[i] = 100 - i;
    }
    assertThat(Latency.of(nanos, 100)).isEqualTo(new Latency(100, 50, 99, 100));
    assertThat(Latency.of(new long[0], 0)).isEqualTo(Latency.NONE);
  }
}
