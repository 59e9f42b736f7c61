package dev.aura.app.cli;

import dev.aura.app.AuraException;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Builds the {@code aura} command line: every command is a picocli {@code Callable<Integer>}; errors are
 * printed as {@code error: <what>} and {@code caused by: <why>} on stderr with a non-zero exit code, and no
 * stack trace ever reaches the operator (set {@code AURA_DEBUG=1} to see one).
 *
 * <pre>{@code
 * System.exit(AuraCli.create(CliEnvironment.system()).execute(args));
 * }</pre>
 */
public final class AuraCli {
  private AuraCli() {}

  /** @return the command line, ready to {@code execute} */
  public static CommandLine create(CliEnvironment env) {
    CommandLine cli = new CommandLine(AuraCommand.class, new Factory(env));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine, env));
    cli.setParameterExceptionHandler((e, args) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("error: " + e.getMessage());
      err.println("usage: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
      err.flush();
      return AuraException.USAGE;
    });
    cli.setCaseInsensitiveEnumValuesAllowed(false);
    return cli;
  }

  private static int report(Exception e, CommandLine commandLine, CliEnvironment env) {
    PrintWriter err = commandLine.getErr();
    if (e instanceof AuraException a) {
      err.println("error: " + a.what());
      a.why().ifPresent(why -> err.println("caused by: " + why));
      err.flush();
      return a.exitCode();
    }
    if (e instanceof CommandLine.ParameterException p) {
      err.println("error: " + p.getMessage());
      err.flush();
      return AuraException.USAGE;
    }
    err.println("error: unexpected failure in " + commandLine.getCommandSpec().qualifiedName());
    err.println("caused by: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    if ("1".equals(env.variable("AURA_DEBUG"))) {
      e.printStackTrace(err);
    }
    err.flush();
    return AuraException.FAILURE;
  }

  /** Creates commands with the environment when they take it. */
  private static final class Factory implements CommandLine.IFactory {
    private final CliEnvironment env;

    Factory(CliEnvironment env) {
      this.env = env;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      try {
        Constructor<K> constructor = type.getDeclaredConstructor(CliEnvironment.class);
        constructor.setAccessible(true);
        return constructor.newInstance(env);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(type);
      }
    }
  }
}
