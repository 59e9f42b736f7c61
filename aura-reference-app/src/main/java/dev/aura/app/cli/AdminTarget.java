package dev.aura.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.AdminCredential;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.peer.PeerState;
import dev.aura.app.server.TlsCertificates;
import dev.aura.spi.Fingerprint;
import dev.aura.tls.CertificateRing;
import dev.aura.tls.PinSet;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where admin commands go. On the Mothership host: the running Mothership over loopback HTTPS, pinned to its
 * own certificate, with the local admin credential. Elsewhere: the Mothership this {@code AURA_HOME} joined,
 * with the peer's refresh credential (admins may do everything there, other roles only list peers).
 */
final class AdminTarget {
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  final MothershipClient client;
  final String bearer;
  final boolean local;
  final DataDir dataDir;
  private final PeerClient peer;

  private AdminTarget(MothershipClient client, String bearer, boolean local, DataDir dataDir, PeerClient peer) {
    this.client = client;
    this.bearer = bearer;
    this.local = local;
    this.dataDir = dataDir;
    this.peer = peer;
  }

  /** Resolves the target of an admin command. */
  static AdminTarget resolve(CliEnvironment env, HostOptions host) throws AuraException {
    Optional<AdminTarget> local = local(env, host);
    if (local.isPresent()) {
      return local.get();
    }
    DataDir dir = host.dataDir(env);
    PeerState peer = new PeerState(env.home());
    if (!host.explicitDataDir() && peer.joined()) {
      PeerClient remote = PeerClient.open(env, TIMEOUT);
      return new AdminTarget(remote.client(), null, false, dir, remote);
    }
    if (dir.isInitialised()) {
      throw new AuraException("the Mothership is not running", "no " + dir.urlFile().getFileName() + " in "
          + dir.root() + "; start it with: aura mothership start");
    }
    throw new AuraException("no Mothership here, and this AURA_HOME has not joined one",
        "nothing in " + dir.root() + "; start a Mothership with: aura mothership start, or join one with:"
            + " aura mothership join --url URL --token TOKEN");
  }

  /** @return the running local Mothership, if there is one */
  static Optional<AdminTarget> local(CliEnvironment env, HostOptions host) throws AuraException {
    return local(env, host, TIMEOUT);
  }

  /** @return the running local Mothership, if there is one, with requests that may take {@code timeout} */
  static Optional<AdminTarget> local(CliEnvironment env, HostOptions host, Duration timeout)
      throws AuraException {
    DataDir dir = host.dataDir(env);
    Optional<URI> url;
    OptionalLong pid;
    try {
      url = dir.readUrl();
      pid = dir.readPid();
    } catch (IOException e) {
      throw new AuraException("cannot read the Mothership's runtime files in " + dir.root(), e.getMessage());
    }
    if (url.isEmpty()) {
      return Optional.empty();
    }
    if (pid.isPresent() && !Processes.alive(pid.getAsLong())) {
      throw new AuraException("the Mothership is not running", "stale pid file: process " + pid.getAsLong()
          + " is gone; aura mothership stop cleans it up");
    }
    MothershipConfig config = host.config(env);
    AdminCredential credential;
    try {
      credential = dir.readAdminCredential().orElseThrow(() -> new AuraException(
          "cannot read the admin credential", "no " + dir.adminCredential()));
    } catch (AccessDeniedException e) {
      throw new AuraException("cannot read the admin credential", "permission denied on " + e.getFile()
          + ": run the command as the user that runs the Mothership");
    } catch (IOException | IllegalArgumentException e) {
      throw new AuraException("cannot read the admin credential", e.getMessage());
    }
    CertificateRing ring = TlsCertificates.readOnly(dir, config.tls(), env.clock()).orElseThrow(() ->
        new AuraException("cannot read the Mothership's certificate", "no " + dir.certificate()));
    List<Fingerprint> accepted = new ArrayList<>(ring.acceptableFingerprints(env.clock().instant()));
    PinSet pins = PinSet.of(accepted.get(0), accepted.subList(1, accepted.size()).toArray(new Fingerprint[0]));
    return Optional.of(new AdminTarget(new MothershipClient(url.get(), pins, env.clock(), env.protocolVersion(),
        timeout), credential.reveal(), true, dir, null));
  }

  MothershipClient.Reply get(String path) throws AuraException {
    return peer != null ? peer.get(path) : client.get(path, bearer);
  }

  MothershipClient.Reply post(String path, ObjectNode body) throws AuraException {
    return peer != null ? peer.post(path, body) : client.post(path, body, bearer);
  }
}
