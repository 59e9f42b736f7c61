package dev.aura.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the environment and the injected output writers. */
abstract class BaseCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  final CliEnvironment env;

  BaseCommand(CliEnvironment env) {
    this.env = env;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } catch (LinkageError | StackOverflowError e) {
      // A broken installation (a missing class) is reported like any failure: never a stack trace.
      throw new dev.aura.app.AuraException("unexpected failure in " + spec.qualifiedName(), e.toString());
    } finally {
      out().flush();
      err().flush();
    }
  }

  abstract int run() throws Exception;
}
