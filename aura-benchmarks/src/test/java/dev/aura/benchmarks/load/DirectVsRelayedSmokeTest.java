package dev.aura.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs {@link DirectVsRelayed} once with tiny bounds, asserting outcomes only, never timings: every file
 * arrives in every mode; content comes over the direct link (with the event, or fetched) only when it is up;
 * with the Mothership down
 * nothing passes through it; relaying the content costs the Mothership more bytes than the direct path.
 */
class DirectVsRelayedSmokeTest {
  @Test
  @Timeout(240)
  void everyModeDeliversEveryFile_andTheDirectPathsSpareTheMothership() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<DirectVsRelayed.Row> rows = DirectVsRelayed.run(new DirectVsRelayed.Options(3, 5, 32 * 1024,
        Duration.ofMillis(20), Duration.ofSeconds(60)), new PrintStream(printed, true, StandardCharsets.UTF_8));
    String report = printed.toString(StandardCharsets.UTF_8);

    assertThat(rows).extracting(DirectVsRelayed.Row::mode).as(report).containsExactlyElementsOf(DirectVsRelayed.MODES);
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.problem()).as(report).isNull();
      assertThat(r.arrived()).as(report).isEqualTo(r.events()).isEqualTo(8);
      assertThat(r.latency().count()).isEqualTo(3);
    });
    DirectVsRelayed.Row relayed = rows.get(0);
    DirectVsRelayed.Row direct = rows.get(1);
    DirectVsRelayed.Row down = rows.get(2);
    assertThat(relayed.fetchedDirectly()).as(report).isZero();
    assertThat(relayed.appliedDirectly()).isZero();
    assertThat(direct.fetchedDirectly() + direct.appliedDirectly()).as(report)
        .as("each content came over the link: with its event, or fetched for the sequenced event").isEqualTo(8);
    assertThat(down.appliedDirectly()).as(report).isEqualTo(8);
    assertThat(down.mothershipBytes()).isZero();
    assertThat(direct.mothershipBytes()).as(report).isPositive()
        .isLessThan(relayed.mothershipBytes() - 8 * 32 * 1024 / 2); // at least half of each content not relayed
    assertThat(report).contains("| Mode | Events | Arrived |", "| relayed | 8 | 8 | 0 | 0 |");
  }
}
