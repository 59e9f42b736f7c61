package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.peer.ControlConnection;
import dev.aura.app.peer.DirectoryWatcher;
import dev.aura.app.peer.PeerState;
import dev.aura.app.peer.SyncAgent;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.ContentHash;
import dev.aura.sync.PeerSyncStore;
import dev.aura.sync.Replica;
import dev.aura.sync.SyncStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aura sync [--dir DIR] [--workspace NAME] [--once]}. */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = {"Syncs a directory with a workspace of this peer's Mothership: every file created,"
        + " modified, deleted or renamed is recorded in the WAL ($AURA_HOME/sync.db), pushed, and relayed to"
        + " every other peer of the workspace; their changes are applied here. Concurrent edits keep both"
        + " versions (the later one as NAME.sync-conflict-<time>-<peer>.EXT). Not synced: .aura/, .git/, the"
        + " patterns of .auraignore (gitignore syntax), files over the Mothership's [sync] max_file_size."
        + " Keeps the control connection as 'mothership connect' does (heartbeats, credential rotation,"
        + " revocations, certificate handovers). Runs until Ctrl-C, or with --once until caught up.",
        "Examples:",
        "  aura sync --dir ~/src/widget --workspace widget",
        "  aura sync --dir ~/src/widget --once"})
final class SyncCommand extends BaseCommand {
  private static final Duration RESCAN = Duration.ofSeconds(10);

  @Option(names = "--dir", paramLabel = "DIR", description = "The directory to sync (default: the current one).")
  Path dir;

  @Option(names = "--workspace", paramLabel = "NAME", defaultValue = "default",
      description = "The workspace on the Mothership (default: ${DEFAULT-VALUE}).")
  String workspace;

  @Option(names = "--once", description = "Push what changed, pull what is new, then exit.")
  boolean once;

  @Option(names = "--verbose", description = "Also print every heartbeat.")
  boolean verbose;

  @Option(names = "--listen", paramLabel = "ADDR:PORT", defaultValue = "0.0.0.0:0",
      description = "Where to listen for direct connections from other peers (default: all interfaces, an"
          + " ephemeral port).")
  String listen;

  @Option(names = "--direct-retry", paramLabel = "DURATION", defaultValue = "60s",
      description = "How often to retry direct connections to a peer reached only through the Mothership"
          + " (default: ${DEFAULT-VALUE}).")
  String directRetry;

  @Option(names = "--revocation-max-age", paramLabel = "DURATION", defaultValue = "60m",
      description = "How old the saved revocation list may get before new direct connections are refused"
          + " (default: ${DEFAULT-VALUE}; fails closed).")
  String revocationMaxAge;

  SyncCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    WorkspaceName name = argument(WorkspaceName::parse, workspace);
    direct = new DirectOptions(argument(DirectOptions::listenAddress, listen),
        argument(t -> dev.aura.app.config.ConfigLoader.parseDuration(t, false), directRetry),
        argument(t -> dev.aura.app.config.ConfigLoader.parseDuration(t, false), revocationMaxAge));
    Path directory = (dir == null ? Path.of("").toAbsolutePath() : dir.toAbsolutePath()).normalize();
    if (!Files.isDirectory(directory)) {
      throw new AuraException("cannot sync " + directory, "no such directory", AuraException.USAGE);
    }
    PeerClient peer = PeerClient.open(env, Duration.ofSeconds(30));
    PeerState state = peer.state;
    Thread loop = Thread.currentThread();
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    Thread stopper = new Thread(() -> { // Ctrl-C: end the loop, which closes the WAL, then let the JVM exit
      loop.interrupt();
      try {
        closed.await(5, java.util.concurrent.TimeUnit.SECONDS); // not join(): the loop's thread then exits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "aura-sync-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try (PeerSyncStore store = PeerSyncStore.open(state.syncDatabase())) {
      Session session = new Session(peer, store, directory, name);
      try (session) {
        int exit = new ControlLoop(env, out(), err(), peer, session, verbose).run();
        if (once && exit == 0) {
          out().println("synced: " + directory + " at workspace sequence " + session.replica.appliedSeq());
        }
        return exit;
      }
    } catch (SyncStoreException e) {
      throw new AuraException(e.getMessage(), null);
    } finally {
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for this thread to end
      }
    }
  }

  private DirectOptions direct;

  /** The sync plane on top of the control loop. */
  private final class Session implements ControlLoop.Hook, AutoCloseable {
    private final PeerClient peer;
    private final PeerSyncStore store;
    private final Path directory;
    private final WorkspaceName name;
    private Replica replica;
    private SyncAgent agent;
    private DirectoryWatcher watcher;
    private ControlConnection connection;
    private long lastScan;
    private long maxFileSize = MothershipConfig.Sync.DEFAULT_MAX_FILE_SIZE;
    private DirectSession directSession;

    Session(PeerClient peer, PeerSyncStore store, Path directory, WorkspaceName name) throws Exception {
      this.peer = peer;
      this.store = store;
      this.directory = directory;
      this.name = name;
      openReplica();
      if (!once) {
        watcher = DirectoryWatcher.start(directory);
      }
    }

    private void openReplica() throws Exception {
      if (replica != null) {
        replica.close();
      }
      replica = Replica.open(store, directory, name, peer.membership.peerId(), maxFileSize, env.clock());
      agent = new SyncAgent(replica, transport(), out(), err());
      agent.afterScan(() -> {
        if (directSession != null) {
          directSession.scanned(); // the direct path: peers have the event before the Mothership relays it
        }
      });
    }

    private SyncAgent.Transport transport() {
      return new SyncAgent.Transport() {
        @Override
        public void send(ObjectNode message) {
          if (connection != null) {
            connection.send(message);
          }
        }

        @Override
        public Set<ContentHash> missing(WorkspaceName workspace, List<ContentHash> hashes) throws AuraException {
          ObjectNode body = Wire.object();
          hashes.forEach(h -> body.withArray("hashes").add(h.hex()));
          JsonNode reply = peer.post(Wire.SYNC + workspace.value() + "/blobs/missing", body).body();
          Set<ContentHash> out = new HashSet<>();
          for (JsonNode h : reply.path("missing")) {
            out.add(ContentHash.parse(h.asText()));
          }
          return out;
        }

        @Override
        public void upload(WorkspaceName workspace, ContentHash hash, byte[] content) throws AuraException {
          peer.client().putBytes(Wire.blob(workspace.value(), hash.hex()), content, peer.credential());
        }

        @Override
        public InputStream download(WorkspaceName workspace, ContentHash hash) throws IOException {
          java.util.Optional<byte[]> direct = directSession == null ? java.util.Optional.empty()
              : directSession.fetch(hash);
          if (direct.isPresent()) {
            return new java.io.ByteArrayInputStream(direct.get());
          }
          try {
            return peer.client().getBytes(Wire.blob(workspace.value(), hash.hex()), peer.credential());
          } catch (AuraException e) {
            throw new IOException(e.getMessage());
          }
        }
      };
    }

    @Override
    public void connected(ControlConnection c) throws Exception {
      this.connection = c;
      agent.connected();
      if (directSession != null) {
        directSession.connected(c);
      }
    }

    @Override
    public Duration revocationMaxAge() {
      return direct.revocationMaxAge();
    }

    @Override
    public void revocationCopy(dev.aura.app.direct.RevocationCopy copy) throws Exception {
      if (!once) {
        directSession = DirectSession.start(env, peer, name, copy, direct, out(), err(), () -> replica,
            verbose);
      }
    }

    @Override
    public void rotated() {
      if (directSession != null) {
        directSession.rotated();
      }
    }

    @Override
    public boolean handle(ObjectNode message) throws Exception {
      if (directSession != null && directSession.handle(message)) {
        return true;
      }
      if ("sync_refused".equals(message.path("type").asText()) && "not_persisted".equals(message.path("code")
          .asText()) && peer.canFailOver()) { // the events stay in the WAL and go to the next instance
        warn("warning: " + message.path("message").asText());
        throw new ControlLoop.Reconnect(peer.moveOn("events not persisted"));
      }
      boolean mine;
      try {
        mine = agent.handle(message);
      } catch (IOException e) { // content could not be fetched: resubscribe from the last applied event
        throw new ControlLoop.Reconnect("could not apply an event: " + e.getMessage());
      } catch (SyncStoreException e) {
        if (e.reason() != SyncStoreException.Reason.DISK_FULL) {
          throw e;
        }
        warn("warning: " + e.getMessage());
        throw new ControlLoop.Reconnect("could not apply an event: the disk is full");
      }
      if (mine && "subscribed".equals(message.path("type").asText())) {
        long announced = agent.maxFileSize().orElse(maxFileSize);
        if (announced != maxFileSize) {
          maxFileSize = announced;
          openReplica(); // the Mothership's limit applies from the next scan on
          agent.handle(message);
          lastScan = 0;
        }
      }
      return mine;
    }

    @Override
    public void idle() throws Exception {
      boolean changed = watcher != null && watcher.takeChanged();
      long now = System.nanoTime();
      boolean rescan = changed || now - lastScan > RESCAN.toNanos();
      if (rescan) {
        lastScan = now;
      }
      if (directSession != null) {
        directSession.tick();
      }
      try {
        agent.tick(rescan);
      } catch (AuraException e) { // a content request failed: the Mothership went away, or refuses us now
        throw new ControlLoop.Reconnect(e.getMessage());
      } catch (SyncStoreException e) {
        if (e.reason() != SyncStoreException.Reason.DISK_FULL) {
          throw e;
        }
        warn("warning: " + e.getMessage() + " (retrying; nothing is lost: the files stay as they are)");
      } catch (IOException e) {
        warn("warning: could not scan " + directory + ": " + e.getMessage() + " (retrying)");
      }
    }

    private long lastWarning;
    private String lastWarningText;

    /** Prints a warning, at most once every 10 seconds when it repeats. */
    private void warn(String text) {
      long now = System.nanoTime();
      if (!text.equals(lastWarningText) || now - lastWarning > RESCAN.toNanos()) {
        err().println(text);
        err().flush();
        lastWarning = now;
        lastWarningText = text;
      }
    }

    @Override
    public Duration tick() {
      return SyncAgent.tickInterval();
    }

    @Override
    public boolean done() throws Exception {
      return once && agent.caughtUp();
    }

    @Override
    public boolean retries() {
      return !once;
    }

    @Override
    public void offline() throws Exception {
      connection = null;
      if (watcher != null && watcher.takeChanged()) {
        try {
          agent.scanNow(); // recorded in the WAL now, pushed when the Mothership is back
        } catch (SyncStoreException e) {
          if (e.reason() != SyncStoreException.Reason.DISK_FULL) {
            throw e;
          }
          warn("warning: " + e.getMessage() + " (retrying; nothing is lost: the files stay as they are)");
        }
      }
      if (directSession != null) {
        directSession.offline(); // and sent to directly connected peers now
      }
    }

    @Override
    public void close() {
      if (directSession != null) {
        directSession.close();
      }
      if (watcher != null) {
        watcher.close();
      }
      if (replica != null) {
        replica.close();
      }
    }
  }
}
