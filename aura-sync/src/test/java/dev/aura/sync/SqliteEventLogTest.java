package dev.aura.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.sync.EventLog.AppendResult;
import dev.aura.sync.EventLogException.Reason;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The event log contract on SQLite, plus a failure injected with a trigger. */
class SqliteEventLogTest extends EventLogContractTest {
  @Override
  LogBackend newBackend(Path dir) {
    return LogBackend.sqlite(dir);
  }

  @Test
  void append_whoseInsertFailsInASharedCommit_failsAloneAndTheOthersCommit() throws Exception {
    EventLog log = open(EventLogOptions.defaults().withWorkers(1));
    appendOne(log, WIDGET, link(ALICE, 1, "first"));
    try (Connection c = backend.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TRIGGER poison BEFORE INSERT ON sync_events WHEN NEW.path = 'poison'"
          + " BEGIN SELECT RAISE(ABORT, 'poisoned row'); END");
    }
    CompletableFuture<List<AppendResult>> before;
    CompletableFuture<List<AppendResult>> poisoned;
    CompletableFuture<List<AppendResult>> after;
    try (LogBackend.HeldLock lock = backend.holdAppendLock("widget")) {
      before = log.append(WIDGET, List.of(link(ALICE, 2, "a")));
      poisoned = log.append(WIDGET, List.of(link(BOB, 1, "poison")));
      after = log.append(WIDGET, List.of(link(CAROL, 1, "c")));
    }

    assertThat(persisted(await(before).get(0)).seq()).isEqualTo(2);
    EventLogException failure = failure(poisoned);
    assertThat(failure.reason()).isEqualTo(Reason.IO);
    assertThat(failure).hasMessageContaining("poisoned row");
    assertThat(persisted(await(after).get(0)).seq()).isEqualTo(3);
    assertThat(readAll(log, WIDGET)).extracting(e -> e.path().value()).containsExactly("first", "a", "c");
    assertThat(log.stats().failedEvents()).isEqualTo(1);
  }
}
