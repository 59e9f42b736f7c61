package dev.aura.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.RepeatedTest;

/** kill -9 of a process appending to the WAL loses no event it reported, and leaves no gap or duplicate. */
class WalKillTest extends ReplicaFixture {

  @RepeatedTest(3)
  void killedWhileAppending_everyReportedEventIsThereExactlyOnce_andThereAreNoGaps() throws Exception {
    Path db = temp.resolve("home/sync.db");
    Path dir = Files.createDirectories(temp.resolve("work"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        WalAppenderMain.class.getName(), db.toString(), dir.toString(), ALICE.value())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<Long> printed = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          printed.add(Long.parseLong(line.trim()));
        }
      } catch (Exception ignored) {
        // the child was killed
      }
    });
    reader.start();
    int target = ThreadLocalRandom.current().nextInt(5, 200);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (printed.size() < target && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(child.isAlive()).as("the child runs until it is killed").isTrue();
    Thread.sleep(ThreadLocalRandom.current().nextInt(0, 300));
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(10_000);
    assertThat(printed).isNotEmpty();

    try (PeerSyncStore store = PeerSyncStore.open(db)) {
      Replica replica = Replica.open(store, dir, TestLog.WS, ALICE, MAX, CLOCK);
      List<Long> seqs = new ArrayList<>();
      for (PendingEvent p : replica.pending(1_000_000)) {
        seqs.add(p.id().localSeq());
        if (p.change().op() == Change.Op.PUT) {
          assertThat(replica.content(p.change().hash())).as("content of " + p.id()).isPresent();
        }
      }
      Set<Long> unique = new HashSet<>(seqs);
      assertThat(unique).as("no duplicates").hasSameSizeAs(seqs);
      assertThat(seqs).as("no gaps, from 1").isEqualTo(LongStream.rangeClosed(1, seqs.size())
          .boxed().toList());
      assertThat(seqs).as("every event the child reported").containsAll(printed);
      Trees.write(dir, "after.txt", "after the crash");
      List<PendingEvent> next = replica.scan().recorded();
      assertThat(next).isNotEmpty();
      assertThat(next.get(0).id().localSeq()).as("sequences are not reused").isGreaterThan(seqs.size());
    }
  }
}
