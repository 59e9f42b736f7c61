package dev.aura.app.testing;

import dev.aura.app.cli.AuraCli;
import dev.aura.app.cli.CliEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real {@code aura} command line in-process with injected writers. */
public final class Cli {
  private Cli() {}

  /**
   * The outcome of one command.
   *
   * @param exit the exit code
   * @param out standard output
   * @param err standard error
   */
  public record Result(int exit, String out, String err) {
    /** @return the value of a {@code key: value} line of the output */
    public String field(String key) {
      for (String line : out.split("\n")) {
        if (line.startsWith(key + ": ")) {
          return line.substring(key.length() + 2).trim();
        }
      }
      throw new AssertionError("no '" + key + ":' line in:\n" + out + "\nstderr:\n" + err);
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs {@code aura args...}. */
  public static Result run(CliEnvironment env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = AuraCli.create(env);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
