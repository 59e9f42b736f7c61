package dev.aura.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChange.Topic;
import org.junit.jupiter.api.Test;

/** The notification payload: what one instance sends is what every other one reads back. */
class JdbcChangeFeedTest {
  @Test
  void payload_withAndWithoutSubject_roundTrips() {
    for (StoreChange change : new StoreChange[] {new StoreChange(Topic.REVOCATIONS, 42),
        new StoreChange(Topic.KICK, -7_123_456_789L, "peer_0a1b2c3d kicked by local-admin"),
        new StoreChange(Topic.EVENTS, 0, "docs 1f:2e")}) {
      assertThat(JdbcChangeFeed.decode(JdbcChangeFeed.encode(change))).isEqualTo(change);
    }
    assertThat(JdbcChangeFeed.encode(new StoreChange(Topic.PEERS, 0))).isEqualTo("PEERS:0");
  }

  @Test
  void payload_ofAnUnknownTopicOrMalformed_isIgnored() {
    assertThat(JdbcChangeFeed.decode("FROM_A_NEWER_VERSION:1:x")).isNull();
    assertThat(JdbcChangeFeed.decode("KICK:not-a-number:peer_0a1b2c3d")).isNull();
    assertThat(JdbcChangeFeed.decode("KICK")).isNull();
    assertThat(JdbcChangeFeed.decode(null)).isNull();
  }
}
