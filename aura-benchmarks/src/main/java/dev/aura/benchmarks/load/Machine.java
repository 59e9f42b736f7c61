package dev.aura.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;

/** What a load report states about the machine and the JVM it ran on. */
final class Machine {
  private Machine() {}

  /** @return JVM, OS, processors, max heap, load average and the file-descriptor limit of this process */
  static String describe() {
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, "JVM %s %s, %s %s (%s), %d processors, max heap %,d MB, load average %s,"
            + " file descriptors: %s",
        System.getProperty("java.vm.name"), System.getProperty("java.vm.version"), System.getProperty("os.name"),
        System.getProperty("os.version"), System.getProperty("os.arch"), rt.availableProcessors(),
        rt.maxMemory() >> 20, loadAverage(), fileDescriptors());
  }

  /** @return the 1-minute load average, or "n/a" */
  static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
  }

  /** @return this process's limit on open files (what {@code ulimit -n} allows it), or -1 when unknown */
  static long maxFileDescriptors() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  /** @return the files this process has open, or -1 when unknown */
  static long openFileDescriptors() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getOpenFileDescriptorCount();
    }
    return -1;
  }

  private static String fileDescriptors() {
    return openFileDescriptors() + " open, limit " + maxFileDescriptors();
  }

  /**
   * Used heap after full collections (several, until it stops shrinking), for a retained-size difference.
   *
   * @return bytes used
   */
  static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      best = Math.min(best, rt.totalMemory() - rt.freeMemory());
    }
    return best;
  }

  /** @return bytes held by the JVM's direct buffers (Jetty's and the JDK's network buffers live there) */
  static long directBuffers() {
    long total = 0;
    for (java.lang.management.BufferPoolMXBean pool
        : ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        total += pool.getMemoryUsed();
      }
    }
    return total;
  }
}
