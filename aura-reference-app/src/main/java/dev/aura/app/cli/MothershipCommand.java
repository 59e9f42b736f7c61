package dev.aura.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aura mothership}: run a Mothership, administer it, or join one. */
@Command(name = "mothership", mixinStandardHelpOptions = true,
    description = "Run a Mothership, administer it, or join one as a peer.",
    subcommands = {
        StartCommand.class, StopCommand.class, StatusCommand.class, TlsCommand.class, TokenCommand.class,
        JoinCommand.class, PeersCommand.class, PeerCommand.class, PingCommand.class, AuditCommand.class,
        RotateKeyCommand.class, RepinCommand.class, PeerConfigCommand.class, ConnectCommand.class,
        BackupCommand.class, RestoreCommand.class, ReassertCommand.class})
final class MothershipCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
