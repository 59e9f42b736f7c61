package dev.aura.app.testing;

import dev.aura.app.cli.AuraCli;
import dev.aura.app.cli.CliEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/** A long-running CLI command ({@code connect}) in a thread of its own, with live output. */
public final class Background implements AutoCloseable {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicInteger exit = new AtomicInteger(Integer.MIN_VALUE);
  private final Thread thread;

  /** Starts {@code aura args...}. */
  public Background(CliEnvironment env, String... args) {
    CommandLine cli = AuraCli.create(env);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    thread = new Thread(() -> exit.set(cli.execute(args)), "background-" + String.join("-", args));
    thread.setDaemon(true);
    thread.start();
  }

  /** @return the output so far */
  public String out() {
    return out.toString();
  }

  /** @return the error output so far */
  public String err() {
    return err.toString();
  }

  /** Waits until the output contains {@code text} {@code times} times, failing after {@code timeout}. */
  public void awaitOutput(String text, int times, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (count(out(), text) >= times) {
        return;
      }
      if (!thread.isAlive()) {
        break;
      }
      sleep();
    }
    throw new AssertionError("expected '" + text + "' " + times + " time(s) within " + timeout + ", got:\n"
        + result());
  }

  /** Waits until the output contains {@code text}. */
  public void awaitOutput(String text) {
    awaitOutput(text, 1, Duration.ofSeconds(20));
  }

  /** Waits for the command to end by itself and returns its result. */
  public Cli.Result awaitExit(Duration timeout) {
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      throw new AssertionError("still running after " + timeout + ":\n" + result());
    }
    return result();
  }

  private Cli.Result result() {
    return new Cli.Result(exit.get(), out.toString(), err.toString());
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Interrupts the command (like Ctrl-C) and waits for it to end. */
  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
