package dev.aura.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills an appending child JVM with SIGKILL ({@link Process#destroyForcibly()} on Linux) at a random point
 * and checks on reopen that every event it reported as acknowledged is there exactly once with the sequence
 * it was acknowledged with, and that the sequence has no gaps. The kill comes after a random number of
 * acknowledgements (so that it lands mid-stream), or after {@value #BOUND_SECONDS} seconds at most.
 */
class EventLogCrashTest {
  private static final int THREADS = 6;
  private static final long BOUND_SECONDS = 30;

  @TempDir Path dir;

  @Test
  void sqlite_eventsAckedBeforeSigkill_areAllPresentOnceWithTheirSequence() throws Exception {
    try (LogBackend backend = LogBackend.sqlite(dir)) {
      killMidStreamAndCheck(backend);
    }
  }

  @Test
  void postgres_eventsAckedBeforeSigkill_areAllPresentOnceWithTheirSequence() throws Exception {
    try (LogBackend backend = LogBackend.postgres()) {
      killMidStreamAndCheck(backend);
    }
  }

  private void killMidStreamAndCheck(LogBackend backend) throws Exception {
    EventLog.open(backend.url(), EventLogOptions.defaults()).close(); // migrate before the child starts
    long seed = System.nanoTime();
    int killAfter = 50 + new Random(seed).nextInt(400);

    List<String> lines = runAndKill(backend.url(), killAfter);

    Map<EventId, Long> acked = new HashMap<>();
    for (String line : lines) {
      String[] parts = line.split(" ");
      switch (parts[0]) {
        case "acked" -> assertThat(acked.put(EventId.parse(parts[1]), Long.parseLong(parts[2])))
            .as("acknowledged once: %s", line).isNull();
        case "ready" -> { }
        default -> throw new AssertionError("child reported: " + line);
      }
    }
    assertThat(acked).as("killed mid-stream (seed %s)", seed).hasSizeGreaterThanOrEqualTo(killAfter);

    try (EventLog reopened = EventLog.open(backend.url(), EventLogOptions.defaults())) {
      List<SyncEvent> stored = reopened.read(EventLogCrashWriter.WORKSPACE, 0, 1_000_000);
      assertThat(stored).extracting(SyncEvent::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, stored.size()).boxed().toList());
      assertThat(reopened.head(EventLogCrashWriter.WORKSPACE)).isEqualTo(stored.size());
      Map<EventId, Long> storedSeqs = new HashMap<>();
      Set<EventId> once = new HashSet<>();
      for (SyncEvent event : stored) {
        assertThat(once.add(event.id())).as("stored once: %s", event.id()).isTrue();
        storedSeqs.put(event.id(), event.seq());
      }
      acked.forEach((id, seq) -> assertThat(storedSeqs.get(id)).as("acknowledged %s", id).isEqualTo(seq));
      // At most one append per writer thread was in flight (committed or not) when the child died.
      assertThat(stored.size()).isBetween(acked.size(), acked.size() + THREADS);
    }
  }

  /** Starts the child, reads its lines until it acknowledged enough, kills it, then drains what it had printed. */
  private static List<String> runAndKill(String url, int killAfter) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", EventLogCrashWriter.class.getName(), url,
        Integer.toString(THREADS))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          queue.add(line);
        }
      } catch (java.io.IOException e) {
        // the pipe closed with the process
      }
    });
    List<String> lines = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    int acked = 0;
    try {
      while (acked < killAfter && System.nanoTime() < deadline && (child.isAlive() || !queue.isEmpty())) {
        String line = queue.poll(100, TimeUnit.MILLISECONDS);
        if (line != null) {
          lines.add(line);
          acked += line.startsWith("acked ") ? 1 : 0;
        }
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
    reader.get(BOUND_SECONDS, TimeUnit.SECONDS);
    // Lines already in the pipe were printed after their append completed: they count too.
    queue.drainTo(lines);
    assertThat(child.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
    return lines;
  }
}
