package dev.aura.app;

import dev.aura.app.cli.AuraCli;
import dev.aura.app.cli.CliEnvironment;

/** The {@code aura} command: {@code java -jar aura.jar mothership start}. */
public final class Main {
  private Main() {}

  /** Runs the CLI and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(AuraCli.create(CliEnvironment.system()).execute(args));
  }
}
