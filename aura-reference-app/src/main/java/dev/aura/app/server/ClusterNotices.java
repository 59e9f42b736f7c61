package dev.aura.app.server;

import dev.aura.spi.PeerId;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChange.Topic;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.spi.WorkspaceName;
import dev.aura.store.jdbc.JdbcStoreException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one instance of a shared Mothership tells the others through the store's change feed, and how it
 * answers them: a kick closes the peer's control connections on every instance (the instances that closed
 * some answer with how many), persisted sync events wake the relay of every instance, and a certificate
 * rotated elsewhere is loaded and served here. On SQLite (one instance) there is nobody to tell.
 *
 * <p>Thread-safe. Notices are handled on a thread of its own, never on the feed's.
 */
final class ClusterNotices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNotices.class);
  /** How long a kick that closed nothing here waits for another instance to answer. */
  static final Duration KICK_ANSWER = Duration.ofSeconds(1);

  private final MothershipService mothership;
  private final ControlSessions sessions;
  private final Runnable certificateChanged;
  private final SecureRandom random = new SecureRandom();
  /** Tells this instance's own notices apart from the others' (PostgreSQL echoes a notice to its sender). */
  private final String origin = Long.toHexString(random.nextLong());
  private final Map<Long, CompletableFuture<Integer>> pendingKicks = new ConcurrentHashMap<>();
  private final java.util.Set<WorkspaceName> eventsToAnnounce = ConcurrentHashMap.newKeySet();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "aura-cluster-notices");
    t.setDaemon(true);
    return t;
  });
  private final StoreChangeFeed.Subscription subscription;

  ClusterNotices(MothershipService mothership, ControlSessions sessions, Runnable certificateChanged) {
    this.mothership = mothership;
    this.sessions = sessions;
    this.certificateChanged = certificateChanged;
    this.subscription = mothership.stores().changeFeed().subscribe(this::heard);
  }

  private void heard(StoreChange change) {
    switch (change.topic()) {
      case KICKED -> {
        CompletableFuture<Integer> pending = pendingKicks.get(change.version());
        if (pending != null) {
          pending.complete(parseCount(change.subject()));
        }
      }
      case KICK -> later(() -> kickHere(change));
      case EVENTS -> {
        String subject = String.valueOf(change.subject());
        if (!subject.endsWith(" " + origin)) {
          later(() -> wakeRelay(change.subject() == null ? null
              : subject.substring(0, Math.max(0, subject.indexOf(' ')))));
        }
      }
      case CERTIFICATE -> later(certificateChanged);
      default -> { }
    }
  }

  /**
   * Closes a peer's control connections here and asks every other instance to close theirs. When none was
   * open here, waits up to {@link #KICK_ANSWER} for an instance that closed some.
   *
   * @return the connections closed here, plus those another instance reported in time
   */
  int kickEverywhere(PeerId peer, String reason) {
    int here = sessions.kick(peer, ControlSessions.KICKED, reason);
    if (!SharedIdentity.shared(mothership.stores())) {
      return here; // one instance: nobody else to ask
    }
    long request = random.nextLong();
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    if (here == 0) {
      pendingKicks.put(request, answer);
    }
    try {
      String subject = peer.value() + " " + reason;
      mothership.stores().announce(new StoreChange(Topic.KICK, request,
          subject.substring(0, Math.min(subject.length(), StoreChange.MAX_SUBJECT))));
      if (here > 0) {
        return here;
      }
      return answer.get(KICK_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    } catch (JdbcStoreException e) {
      LOG.warn("could not ask the other instances to kick {}: {}", peer, e.getMessage());
      return here;
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      return here;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return here;
    } finally {
      pendingKicks.remove(request);
    }
  }

  private void kickHere(StoreChange change) {
    String subject = String.valueOf(change.subject());
    int space = subject.indexOf(' ');
    PeerId peer;
    try {
      peer = PeerId.parse(space < 0 ? subject : subject.substring(0, space));
    } catch (IllegalArgumentException e) {
      return;
    }
    String reason = space < 0 ? "kicked" : subject.substring(space + 1);
    int closed = sessions.kick(peer, ControlSessions.KICKED, reason);
    if (closed == 0) {
      return; // nothing here (or the asking instance itself): only instances that closed something answer
    }
    LOG.info("closed {} control connection(s) of {} at another instance's request: {}", closed, peer, reason);
    try {
      mothership.stores().announce(new StoreChange(Topic.KICKED, change.version(), Integer.toString(closed)));
    } catch (JdbcStoreException e) {
      LOG.warn("could not report the kick of {}: {}", peer, e.getMessage());
    }
  }

  private void wakeRelay(String workspace) {
    if (workspace == null || workspace.isEmpty()) {
      sessions.sync().notifyEveryWorkspace();
      return;
    }
    try {
      sessions.sync().notifyWorkspace(WorkspaceName.parse(workspace));
    } catch (IllegalArgumentException e) {
      // a notice from a newer version; nothing to wake
    }
  }

  /**
   * Tells the other instances that events were persisted in a workspace (this one's relay was woken
   * already), from the notice thread: pushes to a workspace while its notice waits share that notice, so the
   * relay threads never wait for the database and a busy workspace costs at most one notice in flight. Nothing
   * to tell on SQLite, which serves one instance.
   */
  void announceEvents(WorkspaceName workspace) {
    if (!SharedIdentity.shared(mothership.stores()) || !eventsToAnnounce.add(workspace)) {
      return;
    }
    later(() -> {
      eventsToAnnounce.remove(workspace); // events persisted from now on schedule a notice of their own
      try {
        mothership.stores().announce(new StoreChange(Topic.EVENTS, 0, workspace.value() + " " + origin));
      } catch (JdbcStoreException e) {
        LOG.warn("could not wake the other instances' relay for {}: {}", workspace, e.getMessage());
      }
    });
  }

  /** Runs on the notice thread; nothing once closed (the instance is stopping). */
  private void later(Runnable task) {
    try {
      worker.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private static int parseCount(String subject) {
    try {
      return Math.max(0, Integer.parseInt(String.valueOf(subject)));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    subscription.close();
    worker.shutdownNow();
  }
}
