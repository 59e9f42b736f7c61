package dev.aura.sync;

import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.EventLog.Persisted;
import dev.aura.sync.EventLog.Submitted;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link EventLogCrashTest}: appends single events from several threads, each thread
 * with its own author, and prints {@code acked <event id> <seq>} once an append's future has completed (its
 * commit is durable), until it is killed.
 *
 * <p>Arguments: the event log URL, the number of threads.
 */
final class EventLogCrashWriter {
  static final WorkspaceName WORKSPACE = WorkspaceName.parse("crash");

  private EventLogCrashWriter() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    EventLog log = EventLog.open(args[0], EventLogOptions.defaults());
    int threads = Integer.parseInt(args[1]);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      PeerId author = PeerId.parse(String.format("peer_%08x", t));
      Thread writer = new Thread(() -> {
        try {
          for (long i = 1; ; i++) {
            Submitted event = new Submitted(new EventId(author, i),
                Change.putSymlink(SyncPath.parse(author + "/" + i), "target", 0, Instant.EPOCH));
            Persisted acked = (Persisted) log.append(WORKSPACE, List.of(event)).get().get(0);
            synchronized (out) {
              out.println("acked " + acked.id() + " " + acked.event().seq());
              out.flush();
            }
          }
        } catch (Exception e) {
          synchronized (out) {
            out.println("failed " + e);
            out.flush();
          }
        }
      });
      writers.add(writer);
      writer.start();
    }
    out.println("ready");
    out.flush();
    for (Thread writer : writers) {
      writer.join();
    }
  }
}
