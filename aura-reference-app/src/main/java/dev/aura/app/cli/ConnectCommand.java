package dev.aura.app.cli;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aura mothership connect}: keeps this peer's control connection open, without syncing files. */
@Command(name = "connect", mixinStandardHelpOptions = true,
    description = {"Keeps this peer connected to its Mothership (a control connection authenticated by the"
        + " refresh credential) until Ctrl-C: heartbeats, automatic refresh-credential rotation, signed"
        + " revocation updates (verified and kept here) and certificate handovers (pins follow a"
        + " 'tls rotate'). Reconnects after a drop or a kick; stops with \"peer revoked\" when revoked.",
        "To sync a directory as well, run 'aura sync' instead: it does all of this too."})
final class ConnectCommand extends BaseCommand {
  @Option(names = "--verbose", description = "Also print every heartbeat.")
  boolean verbose;

  ConnectCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    PeerClient peer = PeerClient.open(env, Duration.ofSeconds(15));
    return new ControlLoop(env, out(), err(), peer, ControlLoop.none(), verbose).run();
  }
}
