package dev.aura.app.cli;

import dev.aura.app.peer.MothershipClient;
import dev.aura.app.protocol.Wire;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aura mothership reassert}: sign in at the Mothership's identity provider again ({@code reassert_every}). */
@Command(name = "reassert", mixinStandardHelpOptions = true,
    description = {"Presents a fresh identity provider assertion for this peer, as a Mothership with [oidc]"
        + " reassert_every requires: sign in with the device flow, or pass --id-token-file. Until then the"
        + " Mothership refuses the peer's refresh and connections with \"identity provider reassertion required\".",
        "",
        "  aura mothership reassert"})
final class ReassertCommand extends BaseCommand {
  @Option(names = "--id-token-file", paramLabel = "FILE", description = "An ID token from the identity provider.")
  Path idTokenFile;

  @Option(names = "--idp-ca-file", paramLabel = "PEM",
      description = "Certificates to trust for the identity provider's HTTPS instead of the JDK's trust store.")
  Path idpCaFile;

  ReassertCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    PeerClient peer = PeerClient.open(env, Duration.ofSeconds(15));
    MothershipClient.Reply reply = new IdpSignIn(idTokenFile, idpCaFile, out()).post(peer.client(), Wire.REASSERT,
        Wire.object(), peer.credential());
    out().println("reasserted: " + reply.body().path("subject").asText() + " at "
        + reply.body().path("issuer").asText());
    return 0;
  }
}
