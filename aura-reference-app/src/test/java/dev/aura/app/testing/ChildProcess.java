package dev.aura.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real {@code aura} command in a JVM of its own ({@code java -cp <this class path> dev.aura.app.Main
 * args...}), with its own {@code AURA_HOME}, for tests that kill it: {@link #kill()} is {@code kill -9}
 * (SIGKILL: no shutdown hook, no flush, no close). Standard output and error go to files under {@code logs}
 * (named after the process, kept for the failure message). The build's own class path entries are copied once
 * per test JVM, so that another build rewriting {@code target/classes} meanwhile cannot break a child.
 *
 * <pre>{@code
 * try (ChildProcess sync = ChildProcess.start(home, logs, "alice-sync", "sync", "--dir", dir.toString())) {
 *   sync.awaitOutput("syncing: ", Duration.ofSeconds(30));
 *   sync.kill();
 * }
 * }</pre>
 */
public final class ChildProcess implements AutoCloseable {
  private static final AtomicInteger STARTED = new AtomicInteger();

  private final String name;
  private final Process process;
  private final Path out;
  private final Path err;

  private ChildProcess(String name, Process process, Path out, Path err) {
    this.name = name;
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code aura args...} with {@code AURA_HOME=auraHome} (and {@code AURA_DEBUG=1}, so an unexpected
   * failure prints its stack trace).
   */
  public static ChildProcess start(Path auraHome, Path logs, String name, String... args) {
    return start(auraHome, java.util.Map.of(), logs, name, args);
  }

  /** Starts {@code aura args...} as {@link #start(Path, Path, String, String...)} does, with more variables. */
  public static ChildProcess start(Path auraHome, java.util.Map<String, String> variables, Path logs, String name,
      String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", classPath(), "dev.aura.app.Main"));
    command.addAll(List.of(args));
    String file = String.format("%02d-%s", STARTED.incrementAndGet(), name);
    try {
      Files.createDirectories(logs);
      Path out = logs.resolve(file + ".out");
      Path err = logs.resolve(file + ".err");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().put("AURA_HOME", auraHome.toString());
      builder.environment().put("AURA_DEBUG", "1");
      builder.environment().putAll(variables);
      return new ChildProcess(name, builder.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
  }

  /**
   * This JVM's class path, with the build's own entries (class directories, snapshot jars) copied once to a
   * private directory: other builds in the same tree may rewrite {@code target/classes} while a child runs,
   * and a child loads its classes lazily.
   */
  private static synchronized String classPath() {
    if (classPath == null) {
      classPath = snapshot(System.getProperty("java.class.path"));
    }
    return classPath;
  }

  private static String classPath;

  private static String snapshot(String original) {
    try {
      Path into = Files.createTempDirectory("aura-child-classpath-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(into)));
      List<String> entries = new ArrayList<>();
      int n = 0;
      for (String entry : original.split(java.io.File.pathSeparator)) {
        Path source = Path.of(entry);
        if (Files.isDirectory(source)) {
          Path copy = into.resolve(n++ + "-" + source.getFileName());
          copyTree(source, copy);
          entries.add(copy.toString());
        } else if (entry.contains("-SNAPSHOT") && Files.isRegularFile(source)) {
          Path copy = into.resolve(n++ + "-" + source.getFileName());
          Files.copy(source, copy);
          entries.add(copy.toString());
        } else {
          entries.add(entry);
        }
      }
      return String.join(java.io.File.pathSeparator, entries);
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy the class path", e);
    }
  }

  /** Copies a class directory, again if it changed meanwhile (a build wrote it), at most a few times. */
  private static void copyTree(Path source, Path target) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      deleteQuietly(target);
      try (java.util.stream.Stream<Path> walk = Files.walk(source)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          Path to = target.resolve(source.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
        if (count(source) == count(target)) {
          return;
        }
      } catch (IOException | UncheckedIOException e) {
        last = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IOException("could not copy " + source + " consistently (a build keeps rewriting it)", last);
  }

  private static long count(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      return walk.count();
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }

  /** @return the process id */
  public long pid() {
    return process.pid();
  }

  /** @return whether it still runs */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** @return standard output so far */
  public String out() {
    return read(out);
  }

  /** @return standard error so far */
  public String err() {
    return read(err);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(could not read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** Waits until standard output contains {@code text}; fails when the process ends first or after {@code bound}. */
  public void awaitOutput(String text, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (out().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " ended before printing '" + text + "':\n" + describe());
      }
      pause();
    }
    throw new AssertionError(name + " did not print '" + text + "' within " + bound + ":\n" + describe());
  }

  /** Waits for the process to end by itself; kills it and fails after {@code bound}. */
  public Cli.Result awaitExit(Duration bound) {
    try {
      if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new AssertionError(name + " still ran after " + bound + " (killed):\n" + describe());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return result();
  }

  /** @return the exit code (Integer.MIN_VALUE while running) and the output so far */
  public Cli.Result result() {
    return new Cli.Result(process.isAlive() ? Integer.MIN_VALUE : process.exitValue(), out(), err());
  }

  /** {@code kill -9}, and waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    awaitGone();
  }

  /** SIGTERM (as Ctrl-C: shutdown hooks run), and waits until the process is gone. */
  public void terminate() {
    process.destroy();
    awaitGone();
  }

  private void awaitGone() {
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          throw new AssertionError(name + " (pid " + process.pid() + ") did not end");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** @return the name, the state and both outputs, for a failure message */
  public String describe() {
    return name + " (pid " + process.pid() + ", " + (process.isAlive() ? "running" : "exit " + process.exitValue())
        + ")\n--- stdout " + out + "\n" + out() + "--- stderr " + err + "\n" + err();
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
