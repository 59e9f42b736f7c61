package dev.aura.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.InstanceRecord;
import dev.aura.testkit.InMemoryInstanceRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What an instance's beat does to the other rows of the registry. */
class InstanceHeartbeatTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void aBeat_forgetsInstancesSilentForMoreThan72Hours_andKeepsTheOthersListedAsStale() throws Exception {
    InMemoryInstanceRegistry registry = new InMemoryInstanceRegistry();
    Duration justOver = InstanceHeartbeat.FORGET_AFTER.plusSeconds(1);
    Duration justUnder = InstanceHeartbeat.FORGET_AFTER.minusSeconds(1);
    registry.heartbeat(row("i-retired", "https://retired:7777", NOW.minus(justOver)));
    registry.heartbeat(row("i-weekend", "https://weekend:7777", NOW.minus(justUnder)));
    registry.heartbeat(row("i-alive", "https://alive:7777", NOW.minusSeconds(1)));

    try (InstanceHeartbeat self = InstanceHeartbeat.start(registry, URI.create("https://self:7777"), "0.1.0",
        Clock.fixed(NOW, ZoneOffset.UTC), () -> 0, false)) {
      assertThat(registry.list()).extracting(InstanceRecord::advertisedUrl)
          .containsExactlyInAnyOrder("https://weekend:7777", "https://alive:7777", "https://self:7777");
      assertThat(self.peerUrls()).containsExactly("https://self:7777", "https://alive:7777");
      assertThat(self.describe(false).path("instances")).extracting(i -> i.path("url").asText())
          .doesNotContain("https://retired:7777").contains("https://weekend:7777");
    }
  }

  private static InstanceRecord row(String id, String url, Instant heartbeat) {
    return new InstanceRecord(id, url, heartbeat.minusSeconds(60), heartbeat, 0, "0.1.0");
  }
}
