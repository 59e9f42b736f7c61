package dev.aura.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.access.AccessDecision;
import dev.aura.access.PeerGrant;
import dev.aura.access.SyncAction;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.PeerId;
import dev.aura.spi.StoreException;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.EventCodec;
import dev.aura.sync.EventLog;
import dev.aura.sync.EventLogException;
import dev.aura.sync.SyncEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mothership's half of the sync plane, over the peers' control connections.
 *
 * <p>Peer to Mothership: {@code subscribe} ({@code workspace}, {@code after}: the last sequence the peer
 * applied) and {@code push} ({@code workspace}, {@code events}: up to {@value Wire#MAX_PUSH_EVENTS} submitted
 * events).
 * Mothership to peer: {@code subscribed} (head, max file size, whether the peer may push), {@code events}
 * (pages of persisted events, in sequence order), {@code pushed} (per event: its sequence and outcome, or a
 * refusal with the product's wording) and {@code sync_refused}.
 *
 * <p>Every push and every page is decided by the access policy ({@link MothershipService#access}). Events
 * are persisted with group commit by the {@link EventLog}; acknowledgements go out only after the commit.
 * Relay: each subscriber has a cursor and at most one page in flight; new events only wake its pump, which
 * reads from the log, so a slow peer never stalls the others and never makes the Mothership buffer more than
 * one page for it (it simply catches up from the store).
 */
final class SyncHub implements AutoCloseable {
  private static final int PAGE_EVENTS = 200;
  private static final int PAGE_BYTES = 256 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(SyncHub.class);

  private final MothershipService mothership;
  private final EventLog log;
  private final ExecutorService relay;
  private final Map<WorkspaceName, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
  private final Map<PeerId, EventRate> rates = new ConcurrentHashMap<>();
  private final AtomicInteger inFlightPushes = new AtomicInteger();
  private volatile java.util.function.Consumer<WorkspaceName> persisted = w -> { };

  SyncHub(MothershipService mothership) {
    this.mothership = mothership;
    this.log = mothership.eventLog();
    AtomicInteger n = new AtomicInteger();
    this.relay = Executors.newFixedThreadPool(mothership.config().sync().workers(), r -> {
      Thread t = new Thread(r, "aura-sync-relay-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** One subscription of one connection to one workspace. */
  private static final class Subscriber {
    final ControlSessions.Connection connection;
    final WorkspaceName workspace;
    long cursor;
    boolean sending;
    boolean wanted;
    volatile boolean closed;

    Subscriber(ControlSessions.Connection connection, WorkspaceName workspace, long cursor) {
      this.connection = connection;
      this.workspace = workspace;
      this.cursor = cursor;
    }
  }

  /** Pushed events per peer in the last minute, in one-second buckets. */
  private static final class EventRate {
    private final long[] counts = new long[60];
    private final long[] seconds = new long[60];

    synchronized void add(long second, int events) {
      int i = (int) (second % 60);
      if (seconds[i] != second) {
        seconds[i] = second;
        counts[i] = 0;
      }
      counts[i] += events;
    }

    synchronized long lastMinute(long now) {
      long sum = 0;
      for (int i = 0; i < 60; i++) {
        if (now - seconds[i] < 60) {
          sum += counts[i];
        }
      }
      return sum;
    }
  }

  /** Handles a sync message; returns false when the type is not a sync message. */
  boolean received(ControlSessions.Connection c, ObjectNode message) {
    switch (message.path("type").asText()) {
      case "subscribe" -> subscribe(c, message);
      case "push" -> push(c, message);
      default -> {
        return false;
      }
    }
    return true;
  }

  private void subscribe(ControlSessions.Connection c, ObjectNode message) {
    WorkspaceName workspace = workspace(c, message);
    if (workspace == null) {
      return;
    }
    long after = message.path("after").isIntegralNumber() ? Math.max(0, message.path("after").asLong()) : 0;
    AccessDecision pull = mothership.access().decide(c.grant, SyncAction.PULL, workspace);
    if (!pull.isAllowed()) {
      refuse(c, workspace, pull);
      return;
    }
    long head;
    try {
      head = log.head(workspace);
    } catch (EventLogException e) {
      LOG.warn("subscribing {} to {}: cannot reach the database: {}", c.peer.peer(), workspace, e.getMessage());
      refuse(c, workspace, "store_unavailable", "store unreachable: " + ApiException.STORE_DETAIL);
      return;
    }
    ObjectNode reply = Wire.object();
    reply.put("type", "subscribed");
    reply.put("workspace", workspace.value());
    reply.put("head", head);
    reply.put("max_file_size", mothership.config().sync().maxFileSize());
    AccessDecision push = mothership.access().decide(c.grant, SyncAction.PUSH, workspace);
    reply.put("can_push", push.isAllowed());
    push.message().ifPresent(m -> reply.put("push_refused", m));
    c.send(reply);
    Subscriber s = new Subscriber(c, workspace, Math.min(after, head));
    subscribers.computeIfAbsent(workspace, w -> ConcurrentHashMap.newKeySet()).add(s);
    c.onClose(() -> {
      s.closed = true;
      Set<Subscriber> set = subscribers.get(workspace);
      if (set != null) {
        set.remove(s);
      }
    });
    wake(s);
  }

  private void push(ControlSessions.Connection c, ObjectNode message) {
    WorkspaceName workspace = workspace(c, message);
    if (workspace == null) {
      return;
    }
    JsonNode events = message.path("events");
    if (!events.isArray() || events.size() == 0 || events.size() > Wire.MAX_PUSH_EVENTS) {
      refuse(c, workspace, "invalid_request", "invalid request: a push carries 1 to " + Wire.MAX_PUSH_EVENTS
          + " events");
      return;
    }
    List<EventCodec.Submitted> submitted = new ArrayList<>(events.size());
    for (JsonNode e : events) {
      try {
        EventCodec.Submitted s = EventCodec.readSubmitted(e);
        if (!s.id().author().equals(c.peer.peer())) {
          throw new IllegalArgumentException("invalid event field 'id': authored by " + s.id().author()
              + ", not by the connected peer " + c.peer.peer());
        }
        submitted.add(s);
      } catch (IllegalArgumentException bad) {
        refuse(c, workspace, "invalid_event", bad.getMessage());
        return;
      }
    }
    AccessDecision decision = mothership.access().decide(c.grant, SyncAction.PUSH, workspace);
    if (!decision.isAllowed()) {
      refusePush(c, workspace, submitted, decision);
      return;
    }
    rates.computeIfAbsent(c.peer.peer(), p -> new EventRate()).add(mothership.clock().instant().getEpochSecond(),
        submitted.size());
    List<EventLog.Submitted> batch = new ArrayList<>(submitted.size());
    for (EventCodec.Submitted s : submitted) {
      batch.add(new EventLog.Submitted(s.id(), s.change()));
    }
    inFlightPushes.incrementAndGet();
    log.append(workspace, batch).whenCompleteAsync((results, failure) -> {
      inFlightPushes.decrementAndGet();
      if (failure != null) {
        String why = failure instanceof EventLogException e ? e.getMessage()
            : failure.getCause() instanceof EventLogException e ? e.getMessage() : String.valueOf(failure.getMessage());
        LOG.warn("could not persist {} event(s) of {} to {}: {}", batch.size(), c.peer.peer(), workspace, why);
        refuse(c, workspace, "not_persisted", "events not persisted (they stay in the peer's WAL and are sent"
            + " again): " + ApiException.STORE_DETAIL);
        return;
      }
      ObjectNode reply = Wire.object();
      reply.put("type", "pushed");
      reply.put("workspace", workspace.value());
      ArrayNode out = reply.putArray("results");
      for (EventLog.AppendResult r : results) {
        ObjectNode o = out.addObject();
        o.put("id", r.id().toString());
        if (r instanceof EventLog.Persisted p) {
          o.put("seq", p.event().seq());
          o.put("outcome", p.event().outcome().name().toLowerCase(java.util.Locale.ROOT));
        } else if (r instanceof EventLog.Refused f) {
          o.put("code", f.code());
          o.put("message", f.message());
        }
      }
      c.send(reply);
      notifyWorkspace(workspace);
      persisted.accept(workspace);
    }, relay);
  }

  private void refusePush(ControlSessions.Connection c, WorkspaceName workspace, List<EventCodec.Submitted> events,
      AccessDecision decision) {
    String code = decision.denial().orElseThrow().code();
    mothership.metrics().pushRefused(code);
    String text = decision.message().orElseThrow();
    ObjectNode reply = Wire.object();
    reply.put("type", "pushed");
    reply.put("workspace", workspace.value());
    ArrayNode out = reply.putArray("results");
    for (EventCodec.Submitted s : events) {
      ObjectNode o = out.addObject();
      o.put("id", s.id().toString());
      o.put("code", code);
      o.put("message", text);
    }
    c.send(reply);
    try {
      mothership.stores().auditLog().append(AuditEvent.of(AuditEventType.PUSH_REFUSED,
          mothership.clock().instant(), workspace.value() + ":" + code)
          .withPeer(c.peer.peer().value()).forSubject(c.peer.subject()));
    } catch (StoreException | IllegalArgumentException e) {
      LOG.warn("could not audit a refused push of {}: {}", c.peer.peer(), e.getMessage());
    }
    LOG.info("refused {} event(s) pushed by {} to {}: {}", events.size(), c.peer.peer(), workspace, text);
  }

  /**
   * Sets who hears of events this instance persisted, after its own subscribers were woken (the other
   * instances sharing the event log, through {@link ClusterNotices}).
   */
  void onPersisted(java.util.function.Consumer<WorkspaceName> listener) {
    persisted = java.util.Objects.requireNonNull(listener, "listener");
  }

  /** Wakes every subscriber of every workspace (events persisted elsewhere, workspace unknown). */
  void notifyEveryWorkspace() {
    subscribers.keySet().forEach(this::notifyWorkspace);
  }

  /** Wakes every subscriber of a workspace after new events were persisted. */
  void notifyWorkspace(WorkspaceName workspace) {
    for (Subscriber s : subscribers.getOrDefault(workspace, Set.of())) {
      wake(s);
    }
  }

  private void wake(Subscriber s) {
    synchronized (s) {
      if (s.closed) {
        return;
      }
      if (s.sending) {
        s.wanted = true;
        return;
      }
      s.sending = true;
      s.wanted = false;
    }
    relay.execute(() -> pump(s));
  }

  /** A page of events as sent: the text once, shared by every subscriber at the same cursor. */
  private record Page(String text, long last) {}

  /** Recent pages per (workspace, cursor): subscribers that keep up read and serialise a page once between them. */
  private final Map<String, Page> pages = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Page> eldest) {
          return size() > 256;
        }
      });

  private Page page(WorkspaceName workspace, long cursor) throws EventLogException {
    String key = workspace.value() + "@" + cursor;
    Page cached = pages.get(key);
    if (cached != null) {
      return cached;
    }
    List<SyncEvent> events = log.read(workspace, cursor, PAGE_EVENTS);
    if (events.isEmpty()) {
      return null;
    }
    StringBuilder text = new StringBuilder(PAGE_BYTES / 4);
    text.append("{\"type\":\"events\",\"workspace\":\"").append(workspace.value()).append("\",\"events\":[");
    int start = text.length();
    long last = cursor;
    for (SyncEvent e : events) {
      String json = Wire.write(EventCodec.write(e));
      if (text.length() > start && text.length() - start + json.length() > PAGE_BYTES) {
        break;
      }
      if (text.length() > start) {
        text.append(',');
      }
      text.append(json);
      last = e.seq();
    }
    Page page = new Page(text.append("]}").toString(), last);
    pages.put(key, page);
    return page;
  }

  /** Sends the subscriber's next page, if any; called with {@code sending} set. */
  private void pump(Subscriber s) {
    Page page = null;
    try {
      if (!s.closed && s.connection.session.isOpen()) {
        AccessDecision pull = mothership.access().decide(s.connection.grant, SyncAction.PULL, s.workspace);
        if (!pull.isAllowed()) {
          s.closed = true; // a revoked peer gets nothing published after the revocation
        } else {
          page = page(s.workspace, s.cursor);
        }
      }
    } catch (EventLogException | RuntimeException e) {
      LOG.warn("could not read {} for {}: {}", s.workspace, s.connection.peer.peer(), e.getMessage());
    }
    if (page == null) {
      boolean again;
      synchronized (s) {
        s.sending = false;
        again = s.wanted && !s.closed;
      }
      if (again) {
        wake(s);
      }
      return;
    }
    long next = page.last();
    s.connection.session.sendText(page.text(), Callback.from(() -> {
      synchronized (s) {
        s.cursor = next;
        s.sending = false;
      }
      wake(s); // more may be waiting in the log
    }, failure -> {
      s.closed = true;
      LOG.debug("relay to {} failed: {}", s.connection.peer.peer(), failure.toString());
    }));
  }

  private WorkspaceName workspace(ControlSessions.Connection c, ObjectNode message) {
    try {
      return WorkspaceName.parse(message.path("workspace").asText(null));
    } catch (IllegalArgumentException e) {
      ObjectNode reply = Wire.object();
      reply.put("type", "sync_refused");
      reply.put("code", "invalid_request");
      reply.put("message", "invalid request: " + e.getMessage());
      c.send(reply);
      return null;
    }
  }

  private void refuse(ControlSessions.Connection c, WorkspaceName workspace, AccessDecision decision) {
    refuse(c, workspace, decision.denial().orElseThrow().code(), decision.message().orElseThrow());
  }

  private void refuse(ControlSessions.Connection c, WorkspaceName workspace, String code, String text) {
    ObjectNode reply = Wire.object();
    reply.put("type", "sync_refused");
    reply.put("workspace", workspace.value());
    reply.put("code", code);
    reply.put("message", text);
    c.send(reply);
  }

  /** @return pushed events of a peer in the last minute */
  long eventsPerMinute(PeerId peer) {
    EventRate rate = rates.get(peer);
    return rate == null ? 0 : rate.lastMinute(mothership.clock().instant().getEpochSecond());
  }

  /** @return pushes received whose events are not yet persisted and acknowledged */
  int pushesInFlight() {
    return inFlightPushes.get();
  }

  /** @return per workspace, the lowest sequence a subscriber has been sent (how far relay is behind) */
  Map<WorkspaceName, Long> relayCursors() {
    Map<WorkspaceName, Long> out = new java.util.HashMap<>();
    subscribers.forEach((w, set) -> set.stream().mapToLong(sub -> sub.cursor).min()
        .ifPresent(min -> out.put(w, min)));
    return out;
  }

  /** @return subscribers per workspace */
  Map<WorkspaceName, Integer> subscriberCounts() {
    Map<WorkspaceName, Integer> out = new java.util.TreeMap<>(java.util.Comparator.comparing(WorkspaceName::value));
    subscribers.forEach((w, set) -> out.put(w, set.size()));
    return out;
  }

  @Override
  public void close() {
    relay.shutdownNow();
  }
}
