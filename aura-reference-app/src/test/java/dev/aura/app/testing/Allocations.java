package dev.aura.app.testing;

import java.lang.management.ManagementFactory;

/** Bytes a thread allocates, for the memory bounds of the parsers (docs/security.md, "Memory bound"). */
public final class Allocations {
  private Allocations() {}

  /** A parse to measure. */
  public interface Run {
    void run() throws Exception;
  }

  /** @return the bytes this thread allocated running {@code run} (its second run: class loading not counted) */
  public static long allocated(Run run) throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    run.run();
    long before = threads.getCurrentThreadAllocatedBytes();
    run.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }
}
