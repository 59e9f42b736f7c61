package dev.aura.app.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.ApplyResult;
import dev.aura.sync.Change;
import dev.aura.sync.ContentHash;
import dev.aura.sync.EventCodec;
import dev.aura.sync.EventId;
import dev.aura.sync.PendingEvent;
import dev.aura.sync.Replica;
import dev.aura.sync.ScanReport;
import dev.aura.sync.SyncEvent;
import dev.aura.sync.SyncStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The peer's half of the sync plane, driven by one thread: it records local changes in the WAL (through the
 * {@link Replica}), uploads their content and pushes them over the control connection, applies the events
 * the Mothership relays in sequence order, and records each acknowledgement or refusal.
 *
 * <p>One push is in flight at a time (up to {@value Wire#MAX_PUSH_EVENTS} events, in WAL order), so the order
 * the Mothership persists is the order the peer recorded. After a reconnect, unacknowledged events are simply
 * sent again: the Mothership persists an event id at most once.
 */
public final class SyncAgent {
  private static final int MAX_PUSH_BYTES = 512 * 1024;
  private static final int MISSING_QUERY = 500;

  /** How the agent reaches the Mothership. */
  public interface Transport {
    /** Sends a control message. */
    void send(ObjectNode message);

    /** @return which of these hashes the Mothership lacks for the workspace */
    Set<ContentHash> missing(WorkspaceName workspace, List<ContentHash> hashes) throws AuraException;

    /** Uploads content. */
    void upload(WorkspaceName workspace, ContentHash hash, byte[] content) throws AuraException;

    /** Downloads content (the caller closes the stream). */
    InputStream download(WorkspaceName workspace, ContentHash hash) throws IOException;
  }

  private final Replica replica;
  private final Transport transport;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<EventId, PendingEvent> inFlight = new LinkedHashMap<>();
  private boolean subscribed;
  private boolean canPush = true;
  private long headAtSubscribe;
  private long highestAcked;
  private boolean scannedSinceSubscribe;
  private long maxFileSize = -1;
  private final Set<String> reportedSkips = new HashSet<>();
  private AfterScan afterScan = () -> {};

  /** Runs after each scan, before the push: where new events also leave over direct links. */
  public interface AfterScan {
    /** Called on the sync thread right after a scan recorded the directory into the WAL. */
    void scanned() throws SyncStoreException;
  }

  /**
   * @param replica the bound directory
   * @param transport the Mothership
   * @param out progress lines
   * @param err warnings
   */
  public SyncAgent(Replica replica, Transport transport, PrintWriter out, PrintWriter err) {
    this.replica = replica;
    this.transport = transport;
    this.out = out;
    this.err = err;
  }

  /** Sets what runs after each scan (one hook; the last set wins). */
  public void afterScan(AfterScan hook) {
    this.afterScan = java.util.Objects.requireNonNull(hook, "hook");
  }

  /** The control connection is (again) up: subscribe from the last applied sequence. */
  public void connected() throws SyncStoreException {
    subscribed = false;
    scannedSinceSubscribe = false;
    inFlight.clear();
    ObjectNode subscribe = Wire.object();
    subscribe.put("type", "subscribe");
    subscribe.put("workspace", replica.workspace().value());
    subscribe.put("after", replica.appliedSeq());
    transport.send(subscribe);
  }

  /**
   * Handles a sync message.
   *
   * @return whether it was one
   * @throws AuraException when the Mothership refuses this peer the workspace (nothing to retry)
   */
  public boolean handle(ObjectNode m) throws AuraException, SyncStoreException, IOException {
    switch (m.path("type").asText()) {
      case "subscribed" -> {
        subscribed = true;
        canPush = m.path("can_push").asBoolean(true);
        headAtSubscribe = m.path("head").asLong();
        maxFileSize = m.path("max_file_size").asLong(-1);
        out.println("syncing: " + replica.directory() + " with workspace " + replica.workspace() + " (head "
            + headAtSubscribe + ", applied " + replica.appliedSeq() + ")" + (canPush ? ""
            : "; " + m.path("push_refused").asText("this peer may not push")));
      }
      case "events" -> applyPage(m.path("events"));
      case "pushed" -> acknowledge(m.path("results"));
      case "sync_refused" -> {
        String code = m.path("code").asText();
        String message = m.path("message").asText();
        if (code.equals("not_persisted")) {
          err.println("warning: " + message);
          inFlight.clear(); // sent again on the next tick
          return true;
        }
        if (!subscribed) {
          throw new AuraException(message.contains(": ") ? message.substring(0, message.indexOf(": ")) : message,
              message.contains(": ") ? message.substring(message.indexOf(": ") + 2) : null);
        }
        err.println("warning: " + message);
        inFlight.clear();
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** @return the Mothership's {@code [sync] max_file_size}, once subscribed */
  public Optional<Long> maxFileSize() {
    return maxFileSize > 0 ? Optional.of(maxFileSize) : Optional.empty();
  }

  private void applyPage(JsonNode events) throws SyncStoreException, IOException {
    for (JsonNode json : events) {
      SyncEvent event;
      try {
        event = EventCodec.readEvent(json);
      } catch (IllegalArgumentException e) {
        err.println("warning: ignored a malformed event from the Mothership: " + e.getMessage());
        continue;
      }
      if (!event.workspace().equals(replica.workspace())) {
        continue;
      }
      ApplyResult result;
      try {
        result = replica.apply(event, (workspace, hash) -> transport.download(workspace, hash));
      } catch (IllegalArgumentException outOfOrder) { // a page that skips sequences: resubscribe from applied
        throw new IOException("the Mothership sent an event out of order: " + outOfOrder.getMessage());
      }
      report(event, result);
    }
  }

  private void report(SyncEvent event, ApplyResult result) {
    if (result.alreadyApplied() || event.author().equals(replica.peer()) && result.treeUnchanged()) {
      return;
    }
    for (dev.aura.sync.SyncPath p : result.written()) {
      if (result.conflictCopies().contains(p)) {
        out.println("conflict: kept the other version of " + (event.conflictOf() == null ? p : event.conflictOf())
            + " as " + p);
      } else {
        out.println("pulled: " + p);
      }
    }
    for (dev.aura.sync.SyncPath p : result.removed()) {
      out.println("removed: " + p);
    }
    for (dev.aura.sync.SyncPath p : result.deferred()) {
      out.println("kept local edit: " + p + " (the Mothership resolves it when it is pushed)");
    }
    for (String why : result.skipped()) {
      err.println("skipped: " + why);
    }
  }

  private void acknowledge(JsonNode results) throws SyncStoreException {
    for (JsonNode r : results) {
      EventId id;
      try {
        id = EventId.parse(r.path("id").asText());
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (!id.author().equals(replica.peer())) {
        continue; // not an event of this peer: nothing of ours to acknowledge
      }
      PendingEvent pending = inFlight.remove(id);
      if (r.has("seq")) {
        long seq = r.path("seq").asLong();
        if (seq < 1) {
          continue; // no sequence the Mothership assigns: the event stays pending and is sent again
        }
        highestAcked = Math.max(highestAcked, seq);
        replica.acknowledged(id, seq);
        if (pending != null && !"applied".equals(r.path("outcome").asText())) {
          out.println("pushed: " + pending.change().path() + " (" + r.path("outcome").asText().replace('_', ' ')
              + ")");
        }
      } else {
        String message = r.path("message").asText();
        replica.refused(id, r.path("code").asText(), message);
        err.println("refused: " + (pending == null ? id.toString() : describe(pending.change())) + ": " + message);
      }
    }
  }

  private static String describe(Change c) {
    return (c.op() == Change.Op.DELETE ? "delete " : "") + c.path();
  }

  /** Scans the directory into the WAL and pushes what is pending; call on every tick and after changes. */
  public void tick(boolean scan) throws SyncStoreException, IOException, AuraException {
    if (!subscribed) {
      return; // the Mothership's max_file_size is not known yet: a scan now could record a file it refuses
    }
    if (scan || !scannedSinceSubscribe) {
      scanNow();
      scannedSinceSubscribe = true;
      afterScan.scanned();
    }
    pushPending();
  }

  /** Records local changes without pushing (the Mothership is unreachable). */
  public void scanNow() throws SyncStoreException, IOException {
    ScanReport report = replica.scan();
    for (String skipped : report.skipped()) {
      if (reportedSkips.add(skipped)) {
        err.println("skipped: " + skipped);
      }
    }
  }

  private void pushPending() throws SyncStoreException, AuraException {
    if (!subscribed || !inFlight.isEmpty()) {
      return;
    }
    List<PendingEvent> pending = replica.pending(Wire.MAX_PUSH_EVENTS);
    if (pending.isEmpty()) {
      return;
    }
    if (canPush) {
      upload(pending);
    }
    ObjectNode push = Wire.object();
    push.put("type", "push");
    push.put("workspace", replica.workspace().value());
    ArrayNode events = push.putArray("events");
    int bytes = 0;
    for (PendingEvent p : pending) {
      ObjectNode json = EventCodec.writeSubmitted(p.id(), p.change());
      bytes += json.toString().length();
      if (!inFlight.isEmpty() && bytes > MAX_PUSH_BYTES) {
        break;
      }
      events.add(json);
      inFlight.put(p.id(), p);
    }
    transport.send(push);
  }

  private void upload(List<PendingEvent> pending) throws SyncStoreException, AuraException {
    List<ContentHash> hashes = new ArrayList<>();
    for (PendingEvent p : pending) {
      if (p.change().op() == Change.Op.PUT && p.change().kind() == Change.EntryKind.FILE
          && !hashes.contains(p.change().hash())) {
        hashes.add(p.change().hash());
      }
    }
    for (int i = 0; i < hashes.size(); i += MISSING_QUERY) {
      List<ContentHash> slice = hashes.subList(i, Math.min(hashes.size(), i + MISSING_QUERY));
      for (ContentHash missing : transport.missing(replica.workspace(), slice)) {
        Optional<byte[]> content = replica.content(missing);
        if (content.isPresent()) {
          transport.upload(replica.workspace(), missing, content.get());
        }
      }
    }
  }

  /**
   * @return whether everything recorded so far is acknowledged (or refused) and everything the Mothership had
   *     at subscription, and every event of ours it acknowledged, is applied here
   */
  public boolean caughtUp() throws SyncStoreException {
    return subscribed && scannedSinceSubscribe && inFlight.isEmpty() && replica.pending(1).isEmpty()
        && replica.appliedSeq() >= Math.max(headAtSubscribe, highestAcked);
  }

  /** @return how long to wait between ticks */
  public static Duration tickInterval() {
    return Duration.ofMillis(50);
  }
}
