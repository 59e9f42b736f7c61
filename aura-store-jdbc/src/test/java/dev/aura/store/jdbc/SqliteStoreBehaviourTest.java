package dev.aura.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.StoreChange;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link StoreBehaviourTest} on an SQLite file in a temp directory. */
class SqliteStoreBehaviourTest extends StoreBehaviourTest {
  @Override
  Backend newBackend(Path dir) {
    return Backend.sqlite(dir);
  }

  @Test
  void announce_deliversTheNoticeInProcess_beforeReturning() throws Exception {
    JdbcStores stores = open();
    List<StoreChange> heard = new CopyOnWriteArrayList<>();
    stores.changeFeed().subscribe(heard::add);
    StoreChange events = new StoreChange(StoreChange.Topic.EVENTS, 0, "docs");

    stores.announce(events);

    assertThat(heard).containsExactly(events);
  }
}
