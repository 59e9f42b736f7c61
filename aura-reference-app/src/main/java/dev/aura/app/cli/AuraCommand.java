package dev.aura.app.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aura}: the root command. */
@Command(name = "aura", mixinStandardHelpOptions = true, versionProvider = AuraCommand.Version.class,
    description = "Aura: join a Mothership with signed join tokens, pin its certificate, and run one.",
    subcommands = {MothershipCommand.class, SyncCommand.class, WalCommand.class, DoctorCommand.class,
        SelfUpdateCommand.class,
        AuraCommand.Completion.class},
    footer = {"", "Exit codes: 0 ok, 1 error, 2 usage error, 3 not running (status).",
        "Environment: AURA_HOME (default ~/.aura) holds a peer's state; the Mothership's data directory is"
            + " $AURA_HOME/mothership unless --data-dir says otherwise."})
final class AuraCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads the version from the build. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"aura " + version() + " (protocol v" + dev.aura.app.protocol.Wire.PROTOCOL_VERSION + ")"};
    }

    static String version() {
      return dev.aura.app.release.AuraVersion.current();
    }
  }

  /** {@code aura completion}: prints a bash/zsh completion script. */
  @Command(name = "completion", mixinStandardHelpOptions = true,
      description = {"Prints a bash (and zsh) completion script for aura.",
          "Use: source <(aura completion)   or   aura completion > /etc/bash_completion.d/aura"})
  static final class Completion implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().getOut().print(AutoComplete.bash("aura", spec.root().commandLine()));
      spec.commandLine().getOut().flush();
    }
  }
}
