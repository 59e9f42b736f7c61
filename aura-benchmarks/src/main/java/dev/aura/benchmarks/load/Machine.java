package dev.aura.benchmarks.load;

import java.io.File;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * CPU time used so far, in nanoseconds: by this JVM, by every process named {@code postgres} on this machine
   * (a backend that exits takes its time with it), and the machine's busy, idle and stolen time (all cores).
   * The kernel counts all of them in 10 ms ticks, so only windows of a second or more are meaningful.
   * From {@code /proc} (Linux, USER_HZ 100); each is -1 where it cannot be read. {@code jit} is the time
   * this JVM's JIT compiler threads spent compiling (HotSpot's {@code CompilationMXBean}, millisecond
   * resolution), a part of {@code jvm}.
   */
  record CpuTime(long jvm, long postgres, long busy, long idle, long steal, long jit) {
    private static final long TICK = 10_000_000L;

    /** @return the counters now */
    static CpuTime now() {
      long jvm = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
          ? os.getProcessCpuTime() : -1;
      long busy = -1;
      long idle = -1;
      long steal = -1;
      try {
        // cpu user nice system idle iowait irq softirq steal ...
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim()
            .split("\\s+");
        idle = (Long.parseLong(f[4]) + Long.parseLong(f[5])) * TICK;
        steal = Long.parseLong(f[8]) * TICK;
        busy = (Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
            + Long.parseLong(f[7])) * TICK;
      } catch (IOException | RuntimeException e) {
        // not Linux: left at -1
      }
      long postgres = postgresTicks();
      CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
      long jit = compiler != null && compiler.isCompilationTimeMonitoringSupported()
          ? compiler.getTotalCompilationTime() * 1_000_000 : -1;
      return new CpuTime(jvm, postgres < 0 ? -1 : postgres * TICK, busy, idle, steal, jit);
    }

    private static long postgresTicks() {
      long ticks = 0;
      File[] entries = new File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
      if (entries == null) {
        return -1;
      }
      for (File e : entries) {
        try {
          String stat = Files.readString(e.toPath().resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          if (open < 0 || close < open || !stat.substring(open + 1, close).equals("postgres")) {
            continue;
          }
          String[] f = stat.substring(close + 2).split(" "); // f[0] is field 3 (state): utime 14, stime 15
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException gone) {
          // the process ended while we looked
        }
      }
      return ticks;
    }

    /**
     * @return what was used from {@code start} to this reading; -1 (unknown) where either reading was, or
     *     where the sum went down (a {@code postgres} process ended in between)
     */
    CpuTime since(CpuTime start) {
      return new CpuTime(minus(jvm, start.jvm), minus(postgres, start.postgres), minus(busy, start.busy),
          minus(idle, start.idle), minus(steal, start.steal), minus(jit, start.jit));
    }

    private static long minus(long a, long b) {
      return a < 0 || b < 0 || a < b ? -1 : a - b;
    }
  }
}
