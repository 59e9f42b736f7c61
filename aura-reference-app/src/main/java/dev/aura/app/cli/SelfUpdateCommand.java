package dev.aura.app.cli;

import dev.aura.app.AuraException;
import dev.aura.app.peer.PeerState;
import dev.aura.app.protocol.Wire;
import dev.aura.app.release.Installation;
import dev.aura.app.release.ReleaseException;
import dev.aura.app.release.ReleaseManifest;
import dev.aura.app.release.ReleaseVersion;
import dev.aura.token.PublicKeyRing;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aura self-update [--allow-downgrade] | --rollback}. */
@Command(name = "self-update", mixinStandardHelpOptions = true,
    description = {"Installs the release the joined Mothership serves: downloads it and its signed manifest over"
        + " the pinned connection, verifies the signature with this peer's copy of the Mothership's public keys,"
        + " checks version, protocol, SHA-256 and free space, unpacks it beside the current installation and"
        + " swaps the 'current' symlink in one step. The previous installation is kept.",
        "Works in an installation of the release archive (bin/aura); restart running aura processes afterwards."})
final class SelfUpdateCommand extends BaseCommand {
  @Option(names = "--rollback", description = "Go back to the previous installation (and again, forward).")
  boolean rollback;

  @Option(names = "--allow-downgrade", description = "Install the Mothership's release even when it is older.")
  boolean allowDowngrade;

  SelfUpdateCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    if (rollback && allowDowngrade) {
      throw new AuraException("--rollback and --allow-downgrade do not go together", null, AuraException.USAGE);
    }
    try {
      Installation here = Installation.locate(env.variable("AURA_INSTALL_DIR"));
      if (rollback) {
        Installation.Swap swap = here.rollback();
        out().println("rolled back: aura " + swap.from() + " -> aura " + swap.to());
        out().println("current: " + here.root().resolve("current") + " -> " + swap.installed().getFileName());
        out().println("previous: aura " + swap.from() + " (aura self-update --rollback goes forward again)");
        return 0;
      }
      return update(here);
    } catch (ReleaseException e) {
      throw new AuraException(e.reason().text(), e.detail());
    }
  }

  private int update(Installation here) throws AuraException, ReleaseException {
    PeerClient peer = PeerClient.open(env, Duration.ofMinutes(10));
    PeerState.Membership membership = peer.membership;
    String jwks = peer.state.mothershipKeys().orElseThrow(() -> new ReleaseException(
        ReleaseException.Reason.BAD_SIGNATURE, "this AURA_HOME holds no copy of the Mothership's public keys ("
            + peer.state.keysFile() + "); join again"));
    String jws = peer.get(Wire.RELEASE).body().path("manifest").asText("");
    ReleaseManifest manifest = ReleaseManifest.verify(jws, PublicKeyRing.fromJwkSet(jwks),
        membership.mothershipId(), env.clock().instant());
    if (manifest.protocol() != manifest.mothershipProtocol()) {
      throw new ReleaseException(ReleaseException.Reason.PROTOCOL, "the Mothership serves aura "
          + manifest.version() + ", which speaks protocol v" + manifest.protocol() + ", but the Mothership"
          + " speaks v" + manifest.mothershipProtocol() + ": nothing was installed");
    }
    ReleaseVersion installed = here.version();
    int order = manifest.version().compareTo(installed);
    if (order == 0) {
      out().println("up to date: aura " + installed + " (protocol v" + manifest.protocol() + ") is installed in "
          + here.directory());
      return 0;
    }
    if (order < 0 && !allowDowngrade) {
      throw new ReleaseException(ReleaseException.Reason.DOWNGRADE, "the Mothership serves aura "
          + manifest.version() + ", older than the installed " + installed + "; give --allow-downgrade to"
          + " install it anyway");
    }
    Installation.Swap swap = here.install(manifest, () -> peer.client().getBytes(Wire.RELEASE + "/archive",
        peer.credential()));
    out().println("updated: aura " + swap.from() + " -> aura " + swap.to() + " (protocol v" + manifest.protocol()
        + ", signed by " + membership.mothershipId() + ", sha256 " + manifest.sha256() + ")");
    out().println("installed: " + swap.installed());
    out().println("current: " + here.root().resolve("current") + " -> " + swap.installed().getFileName());
    out().println("previous: aura " + swap.from() + " (aura self-update --rollback goes back)");
    out().println("restart running aura processes (aura sync, aura mothership connect) to use it");
    return 0;
  }
}
