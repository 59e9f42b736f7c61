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
        withPostgres ? postgres : null, 1), out);

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
      if (linux()) {
        assertThat(p.cpu().jvm()).as("the JVM's CPU in " + p).isNotNegative(); // 10 ms ticks: a short window may read 0
        assertThat(p.cpuColumn())
            .matches("\\d+\\.\\d\\d \\+ (\\d+\\.\\d\\d|n/a); idle (\\d+%|n/a), steal (\\d+%|n/a); JIT [\\d,]+ ms");
      }
    });
    if (linux()) {
      assertThat(phases.stream().mapToLong(p -> p.cpu().jvm()).sum()).as("the JVM's CPU over every window")
          .isPositive();
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("| SQLite | join | 2 | 5 | 0 |",
        "| SQLite | join-new-tls | 2 | 5 | 0 |", "| Store | Clients | join / commit |",
        "| CPU ms/request: JVM + PostgreSQL; JIT in the window |", "| ping CPU / join CPU |",
        "SQLite: each window above came right after 1 unmeasured window(s) of the same kind, clients and bounds;",
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
  void cpuTime_since_subtractsEachCounter_andAnUnreadableOrShrunkOneIsUnknown() {
    Machine.CpuTime start = new Machine.CpuTime(10, -1, 100, 50, 0, 3);
    Machine.CpuTime end = new Machine.CpuTime(25, 7, 160, 90, 5, 11);

    assertThat(end.since(start)).isEqualTo(new Machine.CpuTime(15, -1, 60, 40, 5, 8));
    assertThat(new Machine.CpuTime(25, 3, 160, 90, 5, 0).since(new Machine.CpuTime(10, 7, 100, 50, 0, 0)).postgres())
        .as("a postgres process that ended took its time with it: unknown, not negative").isEqualTo(-1);
    if (linux()) {
      Machine.CpuTime now = Machine.CpuTime.now();
      assertThat(now.jvm()).isPositive();
      assertThat(now.busy()).isPositive();
      assertThat(now.idle()).isNotNegative();
      assertThat(now.steal()).isNotNegative();
      assertThat(now.postgres()).isNotNegative();
    }
    assertThat(Machine.CpuTime.now().jit()).as("HotSpot reports its compilation time").isPositive();
  }

  private static boolean linux() {
    return System.getProperty("os.name").equals("Linux");
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
