package dev.aura.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The event log's settings: defaults, withers and the ranges they check. */
class EventLogOptionsTest {
  @Test
  void defaults_areTwoWorkersBatchesOf1000And64MiBFilesAnd10000QueuedEvents() {
    EventLogOptions options = EventLogOptions.defaults();

    assertThat(options.workers()).isEqualTo(2);
    assertThat(options.maxBatchEvents()).isEqualTo(1000);
    assertThat(options.maxFileSize()).isEqualTo(64L * 1024 * 1024);
    assertThat(options.maxQueuedEvents()).isEqualTo(10_000);
    assertThat(options.clock()).isEqualTo(Clock.systemUTC());
  }

  @Test
  void fourArgumentConstructor_usesTheDefaultQueueBound() {
    assertThat(new EventLogOptions(1, 10, 100, Clock.systemUTC()).maxQueuedEvents()).isEqualTo(10_000);
  }

  @Test
  void withers_changeOneSettingEach() {
    EventLogOptions options = EventLogOptions.defaults().withWorkers(4).withMaxBatchEvents(50)
        .withMaxFileSize(1024).withMaxQueuedEvents(7);

    assertThat(options).isEqualTo(new EventLogOptions(4, 50, 1024, Clock.systemUTC(), 7));
  }

  @Test
  void settingsOutOfRange_areRejected() {
    EventLogOptions d = EventLogOptions.defaults();
    assertThatThrownBy(() -> d.withWorkers(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers must be 1 to 64, got 0");
    assertThatThrownBy(() -> d.withMaxBatchEvents(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMaxFileSize(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMaxFileSize(EventLogOptions.MAX_FILE_SIZE_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withMaxQueuedEvents(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withClock(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void reasonCodes_areStableLowercaseNames() {
    assertThat(EventLogException.Reason.BACKLOG_FULL.code()).isEqualTo("backlog_full");
    assertThat(new EventLogException(EventLogException.Reason.CLOSED, "x")).hasMessage("event log closed: x");
  }
}
