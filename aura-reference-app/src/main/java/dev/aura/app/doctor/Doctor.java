package dev.aura.app.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.AuraHome;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.peer.PeerState;
import dev.aura.app.protocol.Wire;
import dev.aura.app.server.MothershipServer;
import dev.aura.app.server.MothershipService;
import dev.aura.app.server.TlsCertificates;
import dev.aura.spi.TransportException;
import dev.aura.store.jdbc.JdbcStores;
import dev.aura.tls.CertificateProbe;
import dev.aura.tls.CertificateRing;
import dev.aura.tls.ExpiryMonitor;
import dev.aura.tls.ExpiryStatus;
import dev.aura.tls.PinSet;
import dev.aura.tls.PresentedCertificate;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code aura doctor}: self-checks of the Mothership on this host (its data directory) and of the peer in
 * this {@code AURA_HOME}, each reported as a {@link Finding} with a {@link Diagnosis} code. Checks that do not
 * apply (no Mothership here, not joined) are reported as skipped. Nothing is changed.
 *
 * <pre>{@code
 * List<Finding> findings = new Doctor(new Doctor.Context(home, dataDir, config, Clock.systemUTC(), 1)).run();
 * }</pre>
 */
public final class Doctor {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration MAX_OFFSET = Duration.ofSeconds(60);

  /**
   * What the doctor looks at.
   *
   * @param home this {@code AURA_HOME} (the peer)
   * @param dataDir the Mothership's data directory on this host
   * @param config its configuration, or null when it could not be read
   * @param clock this machine's clock
   * @param protocolVersion the protocol version this binary speaks
   */
  public record Context(AuraHome home, DataDir dataDir, MothershipConfig config, Clock clock,
      int protocolVersion) {}

  private final Context context;

  /** @param context what to look at */
  public Doctor(Context context) {
    this.context = context;
  }

  /** @return every finding, in code order */
  public List<Finding> run() {
    List<Finding> findings = new ArrayList<>();
    boolean host = context.dataDir().isInitialised();
    if (host && context.config() != null) {
      hostChecks(findings);
    }
    PeerState peer = new PeerState(context.home());
    if (peer.joined()) {
      peerChecks(peer, findings);
    }
    List<Finding> all = new ArrayList<>();
    for (Diagnosis d : Diagnosis.values()) {
      List<Finding> mine = findings.stream().filter(f -> f.diagnosis() == d).toList();
      if (mine.isEmpty()) {
        all.add(Finding.skipped(d, host || peer.joined() ? "does not apply here"
            : "no Mothership in " + context.dataDir().root() + " and this AURA_HOME has not joined one"));
      } else {
        all.addAll(mine);
      }
    }
    return all;
  }

  // ----------------------------------------------------------------------------- the Mothership host

  private void hostChecks(List<Finding> findings) {
    DataDir dir = context.dataDir();
    MothershipConfig config = context.config();
    Optional<Long> running = runningPid(dir);
    String bind = config.server().bind();
    int port = config.server().port();
    if (running.isPresent()) {
      findings.add(Finding.ok(Diagnosis.DR001, "the port is used by this Mothership (pid " + running.get() + ")"));
      RunningStatus status = askRunning(dir, config);
      findings.add(syncCheck(status));
      findings.add(groupCheck(status));
    } else {
      findings.add(portCheck(bind, port));
      findings.add(Finding.found(Diagnosis.DR011, "no Mothership runs from " + dir.root()
          + " (start it with: aura mothership start)"));
    }
    String where = listeningAddress(dir).orElse(bind + ":" + port);
    String host = where.substring(0, where.lastIndexOf(':')).replace("[", "").replace("]", "");
    findings.add(MothershipServer.isLoopback(host)
        ? Finding.found(Diagnosis.DR002, "listening on " + where + ": only this machine can reach it")
        : Finding.ok(Diagnosis.DR002, "listening on " + where));
    certificateChecks(findings);
    findings.add(storeCheck(config, dir));
    config.oidcIfAny().ifPresent(oidc -> findings.add(idpCheck(oidc)));
    findings.add(directoryCheck(dir.root()));
    List<Path> secrets = new ArrayList<>(List.of(dir.privateKey(), dir.adminCredential()));
    secrets.add(config.store().keyFile() != null ? config.store().keyFile()
        : dir.root().resolve(JdbcStores.DEFAULT_KEY_FILE_NAME));
    findings.add(secretFilesCheck(secrets));
  }

  /** The running Mothership's admin status, asked once for the checks that read it, or why it was not had. */
  private record RunningStatus(Optional<JsonNode> status, String unavailable) {}

  private RunningStatus askRunning(DataDir dir, MothershipConfig config) {
    try {
      return new RunningStatus(runningStatus(dir, config),
          "cannot ask the running Mothership (runtime files missing)");
    } catch (AuraException e) {
      return new RunningStatus(Optional.empty(), "cannot ask the running Mothership: " + e.what());
    } catch (IOException | RuntimeException e) {
      return new RunningStatus(Optional.empty(), "cannot ask the running Mothership: " + e.getMessage());
    }
  }

  /** DR013: whether the running Mothership's event log keeps up. */
  private static Finding syncCheck(RunningStatus running) {
    if (running.status().isEmpty()) {
      return Finding.skipped(Diagnosis.DR013, running.unavailable());
    }
    JsonNode sync = running.status().get().path("sync");
    if (sync.hasNonNull("wal_behind")) {
      return Finding.found(Diagnosis.DR013, sync.get("wal_behind").asText());
    }
    return Finding.ok(Diagnosis.DR013, sync.path("backlog").asLong() + " event(s) waiting; last commit "
        + sync.path("last_commit_ms").asLong() + " ms");
  }

  /** DR016: which instances of the running Mothership's group stopped writing their heartbeat. */
  private static Finding groupCheck(RunningStatus running) {
    if (running.status().isEmpty()) {
      return Finding.skipped(Diagnosis.DR016, running.unavailable());
    }
    List<String> stale = new ArrayList<>();
    int count = 0;
    for (JsonNode i : running.status().get().path("group").path("instances")) {
      count++;
      String health = i.path("health").asText();
      if (!health.equals("ok")) {
        stale.add(i.path("url").asText() + " (" + i.path("instance_id").asText() + "): " + health
            + (health.equals("stale heartbeat") ? ", last " + dev.aura.app.cli.Format.span(
                Duration.ofMillis(i.path("heartbeat_age_ms").asLong())) + " ago" : ""));
      }
    }
    if (!stale.isEmpty()) {
      return Finding.found(Diagnosis.DR016, String.join("; ", stale));
    }
    return Finding.ok(Diagnosis.DR016, count + " instance(s), every heartbeat fresh");
  }

  /** @return the running Mothership's admin status, empty when its runtime files are missing */
  private Optional<JsonNode> runningStatus(DataDir dir, MothershipConfig config)
      throws AuraException, IOException {
    Optional<URI> url = dir.readUrl();
    Optional<dev.aura.app.config.AdminCredential> admin = dir.readAdminCredential();
    Optional<CertificateRing> ring = TlsCertificates.readOnly(dir, config.tls(), context.clock());
    if (url.isEmpty() || admin.isEmpty() || ring.isEmpty()) {
      return Optional.empty();
    }
    List<dev.aura.spi.Fingerprint> accepted = new ArrayList<>(ring.get().acceptableFingerprints(
        context.clock().instant()));
    PinSet pins = PinSet.of(accepted.get(0), accepted.subList(1, accepted.size())
        .toArray(new dev.aura.spi.Fingerprint[0]));
    MothershipClient client = new MothershipClient(url.get(), pins, context.clock(), context.protocolVersion(),
        TIMEOUT);
    return Optional.of(client.get(Wire.ADMIN + "status", admin.get().reveal()).body());
  }

  private static Optional<Long> runningPid(DataDir dir) {
    try {
      OptionalLong pid = dir.readPid();
      if (pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false)
          && Files.exists(dir.urlFile())) {
        return Optional.of(pid.getAsLong());
      }
    } catch (IOException e) {
      // treated as not running
    }
    return Optional.empty();
  }

  /** The address a running Mothership is bound to, as it recorded it. */
  private static Optional<String> listeningAddress(DataDir dir) {
    try {
      return runningPid(dir).isPresent() ? dir.readListening() : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Finding portCheck(String bind, int port) {
    if (port == 0) {
      return Finding.ok(Diagnosis.DR001, "port 0: a free port is picked at start");
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(bind, port));
      return Finding.ok(Diagnosis.DR001, bind + ":" + port + " is free");
    } catch (BindException e) {
      String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (message.contains("in use")) {
        return Finding.found(Diagnosis.DR001, bind + ":" + port + " is held by another process");
      }
      return Finding.ok(Diagnosis.DR001, "could not probe " + bind + ":" + port + " (" + e.getMessage() + ")");
    } catch (IOException | IllegalArgumentException e) {
      return Finding.ok(Diagnosis.DR001, "could not probe " + bind + ":" + port + " (" + e.getMessage() + ")");
    }
  }

  private void certificateChecks(List<Finding> findings) {
    Optional<CertificateRing> ring;
    try {
      ring = TlsCertificates.readOnly(context.dataDir(), context.config().tls(), context.clock());
    } catch (AuraException e) {
      findings.add(Finding.found(Diagnosis.DR004, e.getMessage()));
      return;
    }
    if (ring.isEmpty()) {
      return;
    }
    ExpiryStatus status = new ExpiryMonitor(context.clock()).check(ring.get().current().certificate());
    String notAfter = status.fingerprint().abbreviated(4) + " expires " + status.notAfter();
    switch (status.level()) {
      case EXPIRED -> {
        findings.add(Finding.found(Diagnosis.DR004, status.fingerprint().abbreviated(4) + " expired at "
            + status.notAfter()));
        findings.add(Finding.ok(Diagnosis.DR003, "see DR004"));
      }
      case EXPIRING_SOON, ALERT -> {
        findings.add(Finding.found(Diagnosis.DR003, notAfter + ", in "
            + (status.secondsUntilNotAfter() + 43_200) / 86_400 + " days"));
        findings.add(Finding.ok(Diagnosis.DR004, "not expired"));
      }
      default -> {
        findings.add(Finding.ok(Diagnosis.DR003, notAfter));
        findings.add(Finding.ok(Diagnosis.DR004, "not expired"));
      }
    }
  }

  private static Finding idpCheck(MothershipConfig.Oidc oidc) {
    try {
      dev.aura.oidc.IdentityProvider idp = dev.aura.app.oidc.OidcGate.discover(oidc,
          dev.aura.app.oidc.IdpHttps.create(oidc.caFile(), java.time.Duration.ofSeconds(10)));
      return Finding.ok(Diagnosis.DR014, idp.issuer() + " (ID tokens signed with "
          + idp.algorithms().stream().map(a -> a.getName()).collect(java.util.stream.Collectors.joining(", "))
          + (idp.deviceAuthorizationEndpoint().isPresent() ? "; device flow offered)" : "; NO device flow: peers"
          + " need --id-token-file)"));
    } catch (AuraException e) {
      return Finding.found(Diagnosis.DR014, e.why().orElse(e.what()));
    }
  }

  private static Finding storeCheck(MothershipConfig config, DataDir dir) {
    String url = config.store().urlIfAny().orElse(dir.defaultStoreUrl());
    if (config.store().urlIfAny().isEmpty() && !Files.exists(dir.database())) {
      return Finding.skipped(Diagnosis.DR008, "no database yet in " + dir.root());
    }
    try (JdbcStores stores = MothershipService.openStores(url, config)) {
      return Finding.ok(Diagnosis.DR008, stores.databaseKind() + " " + stores.location());
    } catch (AuraException e) {
      return Finding.found(Diagnosis.DR008, e.why().orElse(e.what()));
    } catch (RuntimeException e) {
      return Finding.found(Diagnosis.DR008, e.toString());
    }
  }

  private static Finding directoryCheck(Path dir) {
    Optional<String> permissions = OwnerOnlyFiles.permissions(dir);
    if (permissions.isEmpty()) {
      return Finding.skipped(Diagnosis.DR009, "no POSIX permissions on " + dir);
    }
    return OwnerOnlyFiles.isOpenToOthers(dir)
        ? Finding.found(Diagnosis.DR009, dir + " is " + permissions.get() + " (expected rwx------)")
        : Finding.ok(Diagnosis.DR009, dir + " is " + permissions.get());
  }

  private static Finding secretFilesCheck(List<Path> files) {
    List<String> open = new ArrayList<>();
    int checked = 0;
    for (Path f : files) {
      if (Files.exists(f)) {
        checked++;
        if (OwnerOnlyFiles.isOpenToOthers(f)) {
          open.add(f + " is " + OwnerOnlyFiles.permissions(f).orElse("?") + " (expected rw-------)");
        }
      }
    }
    if (!open.isEmpty()) {
      return Finding.found(Diagnosis.DR010, String.join("; ", open));
    }
    return Finding.ok(Diagnosis.DR010, checked + " secret file(s) owner-only");
  }

  // ----------------------------------------------------------------------------- the peer

  /** DR015: of this peer's saved direct attempts, the hints whose latest attempt failed, and why. */
  static Finding directAttemptsCheck(Path home) {
    List<dev.aura.app.direct.AttemptLog.Attempt> attempts = dev.aura.app.direct.AttemptLog.read(home);
    if (attempts.isEmpty()) {
      return Finding.skipped(Diagnosis.DR015, "no direct connection attempted yet ('aura sync' dials the other"
          + " online peers of its workspace)");
    }
    java.util.Map<String, dev.aura.app.direct.AttemptLog.Attempt> latest = new java.util.LinkedHashMap<>();
    attempts.forEach(a -> {
      latest.remove(a.peer() + " " + a.hint());
      latest.put(a.peer() + " " + a.hint(), a);
    });
    List<String> failing = latest.values().stream().filter(a -> !a.ok())
        .map(a -> a.peer() + " at " + a.hint() + " (" + a.error() + ")").toList();
    long ok = attempts.stream().filter(dev.aura.app.direct.AttemptLog.Attempt::ok).count();
    String counts = ok + "/" + attempts.size() + " of the last direct attempts succeeded";
    return failing.isEmpty() ? Finding.ok(Diagnosis.DR015, counts)
        : Finding.found(Diagnosis.DR015, counts + "; failing: " + String.join(", ", failing)
            + "; relaying through the Mothership");
  }

  private void peerChecks(PeerState peer, List<Finding> findings) {
    findings.add(directoryCheck(peer.home()));
    findings.add(secretFilesCheck(List.of(peer.credentialFile(), peer.home()
        .resolve(dev.aura.app.direct.OwnIdentity.KEYS_DIRECTORY).resolve(dev.aura.tls.PeerKeys.KEY_FILE))));
    findings.add(directAttemptsCheck(peer.home()));
    PeerState.Membership membership;
    PinSet pins;
    try {
      membership = peer.requireMembership();
      pins = peer.pins();
    } catch (AuraException e) {
      findings.add(Finding.found(Diagnosis.DR011, e.getMessage()));
      return;
    }
    URI url = membership.url();
    String where = url.getHost() + ":" + url.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost().replace("[", "").replace("]", ""), url.getPort()),
          (int) TIMEOUT.toMillis());
    } catch (IOException e) {
      findings.add(Finding.found(Diagnosis.DR011, "tcp connect to " + where + ": "
          + (e instanceof java.net.SocketTimeoutException ? "timeout" : String.valueOf(e.getMessage()))));
      return;
    }
    findings.add(Finding.ok(Diagnosis.DR011, where + " answers"));
    try {
      PresentedCertificate presented = CertificateProbe.fetch(url, TIMEOUT);
      if (!pins.accepts(presented.fingerprint(), context.clock().instant())) {
        findings.add(Finding.found(Diagnosis.DR006, where + " presents " + presented.fingerprint() + "; pinned: "
            + pins.describe(context.clock().instant())));
        return;
      }
      findings.add(Finding.ok(Diagnosis.DR006, "presents the pinned " + presented.fingerprint().abbreviated(4)));
    } catch (TransportException e) {
      findings.add(Finding.found(Diagnosis.DR011, e.getMessage()));
      return;
    }
    MothershipClient client = new MothershipClient(url, pins, context.clock(), context.protocolVersion(), TIMEOUT);
    MothershipClient.Reply time;
    try {
      time = client.get(Wire.TIME, null);
      findings.add(Finding.ok(Diagnosis.DR007, "both speak v" + context.protocolVersion()));
    } catch (AuraException e) {
      if (e.what().startsWith("protocol version mismatch")) {
        findings.add(Finding.found(Diagnosis.DR007, e.what()));
      } else {
        findings.add(Finding.found(Diagnosis.DR011, e.getMessage()));
      }
      return;
    }
    // On the bound, not the estimate: a slow answer widens the bound instead of looking like a broken clock.
    dev.aura.app.peer.ClockOffset offset = time.clockOffset()
        .orElse(new dev.aura.app.peer.ClockOffset(Duration.ZERO, Duration.ZERO));
    findings.add(offset.surelyBeyond(MAX_OFFSET)
        ? Finding.found(Diagnosis.DR005, "the Mothership's clock is " + offset + " from this one (at least "
            + offset.atLeastText() + " off)")
        : Finding.ok(Diagnosis.DR005, "offset " + offset));
    try {
      client.get(Wire.PING, peer.credential());
      findings.add(Finding.ok(Diagnosis.DR012, membership.peerId() + " accepted"));
    } catch (AuraException e) {
      if (e.what().equals("peer revoked")) {
        findings.add(Finding.found(Diagnosis.DR012, e.why().orElse(membership.peerId() + " revoked")));
      } else {
        findings.add(Finding.found(Diagnosis.DR012, "credential refused: " + e.what()
            + e.why().map(w -> ": " + w).orElse("")));
      }
    }
  }
}
