package dev.aura.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.PeerId;
import dev.aura.sync.EventLog.AppendResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The event log contract on PostgreSQL (a fresh schema per test; skipped with a message when
 * {@code AURA_TEST_POSTGRES_URL} is not set), plus what only a shared database can show: two Motherships
 * appending to one workspace at once.
 */
class PostgresEventLogTest extends EventLogContractTest {
  @Override
  LogBackend newBackend(Path dir) throws Exception {
    return LogBackend.postgres();
  }

  @Test
  void append_fromTwoLogsOnTheSameSchemaToOneWorkspace_isGapFreeWithoutDuplicates() throws Exception {
    EventLog first = open();
    EventLog second = open();
    int authors = 8;
    int perAuthor = 100;
    List<CompletableFuture<List<AppendResult>>> futures = new ArrayList<>();
    for (int i = 1; i <= perAuthor; i++) {
      for (int a = 0; a < authors; a++) {
        PeerId author = PeerId.parse(String.format("peer_%08x", a));
        EventLog log = a % 2 == 0 ? first : second;
        futures.add(log.append(WIDGET, List.of(link(author, i, author + "/" + i))));
      }
    }
    // Half of the authors also re-send everything through the other Mothership.
    for (int i = 1; i <= perAuthor; i++) {
      for (int a = 0; a < authors; a += 2) {
        PeerId author = PeerId.parse(String.format("peer_%08x", a));
        futures.add(second.append(WIDGET, List.of(link(author, i, author + "/" + i))));
      }
    }
    for (CompletableFuture<List<AppendResult>> f : futures) {
      persisted(await(f).get(0));
    }

    List<SyncEvent> events = readAll(first, WIDGET);
    assertThat(events).extracting(SyncEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, authors * perAuthor).boxed().toList());
    Set<EventId> ids = new HashSet<>();
    events.forEach(e -> assertThat(ids.add(e.id())).as("once: %s", e.id()).isTrue());
    assertThat(second.head(WIDGET)).isEqualTo(authors * perAuthor);
    assertThat(first.stats().duplicateEvents() + second.stats().duplicateEvents())
        .isEqualTo(authors / 2 * perAuthor);
  }
}
