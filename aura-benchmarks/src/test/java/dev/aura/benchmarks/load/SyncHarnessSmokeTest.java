package dev.aura.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs each sync harness once with tiny bounds against a real Mothership on loopback, asserting outcomes only
 * (every event acknowledged with a sequence and relayed to every subscriber, every file arrived on every peer,
 * memory figures present), never timings. PostgreSQL is included when {@code AURA_TEST_POSTGRES_URL} is set.
 */
class SyncHarnessSmokeTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String report() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(180)
  void syncThroughput_withTwoBatchesPerConfig_acknowledgesAndRelaysEveryEvent() throws Exception {
    String pg = System.getenv(SyncFixtures.POSTGRES_ENV);
    Optional<String> postgres = Optional.ofNullable(pg == null || pg.isBlank() ? null : pg);
    List<SyncThroughput.Row> rows = SyncThroughput.run(new SyncThroughput.Options(List.of(1, 2), 400, 200,
        Duration.ofSeconds(60), postgres, true, 1), out);

    int stores = postgres.isPresent() ? 2 : 1;
    assertThat(rows).as(report()).hasSize(4 * stores);
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.refused()).as(r + "\n" + report()).isZero();
      assertThat(r.acknowledged()).as(r.toString()).isEqualTo(r.sent()).isEqualTo(400);
      assertThat(r.commits()).as(r.toString()).isPositive().isLessThanOrEqualTo(r.acknowledged());
      if (r.kind().equals(SyncThroughput.MOTHERSHIP)) {
        assertThat(r.relayed()).as(r.toString()).isEqualTo(r.acknowledged() * r.clients());
      }
    });
    assertThat(report()).contains("| Store | Clients | Round | raw events/s | mothership events/s | mothership / raw |",
        "| sqlite | 2 |");
  }

  @Test
  @Timeout(180)
  void syncLatency_withThreePeers_everyFileArrivesOnEveryOtherPeer() throws Exception {
    SyncLatency.Result r = SyncLatency.run(new SyncLatency.Options(3, 4, Duration.ofMillis(100),
        Duration.ofSeconds(60)), out);

    assertThat(r.problem()).as(report()).isNull();
    assertThat(r.missing()).as(report()).isZero();
    assertThat(r.arrived()).isEqualTo(4 * 2);
    assertThat(r.latency().count()).isEqualTo(8);
    assertThat(r.toPersisted().count()).as("every write persisted once").isEqualTo(4);
    assertThat(r.perReceiverP50Millis()).hasSize(2);
  }

  @Test
  @Timeout(180)
  void syncMemory_withFivePeers_connectsAndSubscribesEveryOne() throws Exception {
    SyncMemory.Result r = SyncMemory.run(new SyncMemory.Options(5, 10, Duration.ofSeconds(60), 128), out);

    assertThat(r.problem()).as(report()).isNull();
    assertThat(r.peers()).as(report()).isEqualTo(5);
    assertThat(r.subscribed()).isEqualTo(5);
    assertThat(r.eventsReceived()).isEqualTo(5 * 10);
    assertThat(r.heapBaseline()).isPositive();
    assertThat(r.heapConnected()).isPositive();
    assertThat(r.heapSubscribed()).isPositive();
    assertThat(report()).contains("| 5 | connected and subscribed |");
  }
}
