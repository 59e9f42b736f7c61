package dev.aura.app.direct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.access.AccessDecision;
import dev.aura.access.PeerGrant;
import dev.aura.access.SyncAction;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.ApplyResult;
import dev.aura.sync.Change;
import dev.aura.sync.ContentHash;
import dev.aura.sync.EventCodec;
import dev.aura.sync.EventId;
import dev.aura.sync.PendingEvent;
import dev.aura.sync.Replica;
import dev.aura.sync.SyncPath;
import dev.aura.sync.SyncStoreException;
import dev.aura.token.VerifiedPeerIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Events over direct links, with the Mothership up or down: each peer sends the events of its WAL that the
 * Mothership has not acknowledged (with their content and its {@link WriterProof}) to its directly connected
 * peers ({@code direct_events}) as soon as its scan records them, and applies the ones it receives
 * <em>provisionally</em> ({@link Replica#applyProvisional}). With the Mothership up this is the fast path: the
 * same events are pushed to the Mothership as before, which still sequences and confirms them. With it down,
 * a peer also forwards what it received to its other direct peers, so an edit crosses a line of peers that are
 * not all connected to each other. Events go only to links whose peer may pull this workspace
 * ({@code AccessPolicy} PULL on its grant, as for content): a link is accepted for any workspace the two
 * identities share, not necessarily this one.
 *
 * <p><b>Checks on receipt</b>, each refusal answered with {@code direct_refused} (the sender prints it) and
 * logged: the event must carry its writer's proof, which must verify ({@link WriterProof}: the writer's
 * identity as on a direct connection, bound to the key that signed this event) and name the event's author;
 * the <em>writer's</em> grant (not the forwarding peer's) must allow {@link SyncAction#PUSH} to the workspace
 * ({@code AccessPolicy}: a read-only writer gets "role not permitted: ..."; a revoked or expired one its
 * reason); the event must be of this workspace, and its content must match its hash. An event already seen
 * (by id: it came another way too) or this peer's own is dropped silently.
 *
 * <p><b>What is provisional.</b> A provisionally applied change is on disk and in the index (so the next scan
 * does not push it again as this peer's edit), but it has no workspace sequence here: the applied sequence,
 * the path's head and base stay where the Mothership left them, and the author's WAL still holds the event.
 * The author pushes it to the Mothership (now, or when it is back), the Mothership sequences it (at most once,
 * by event id), and applying the sequenced event here writes nothing when it matches, or replaces the
 * provisional version by the Mothership's outcome (a conflict copy per {@code ConflictRule}) when it does not;
 * a direct copy arriving after the sequenced event finds it on disk and writes nothing. A change for a path
 * this peer edited too is not applied: both versions stay where they are (each in its author's directory and
 * WAL) until the Mothership orders them; nothing is lost.
 *
 * <p>Thread-safe: links call {@link DirectPlane.Handler#received} on their threads, which verify, forward and
 * queue; the sync thread calls {@link #send} and {@link #drain}, the only places that touch the replica.
 */
public final class DirectEvents implements DirectPlane.Handler {
  /** The most events sent in one frame. */
  static final int MAX_EVENTS_PER_FRAME = 256;
  /** The most content bytes in one frame (base64 grows them by a third, under {@link Frames#MAX_FRAME}). */
  static final int MAX_CONTENT_PER_FRAME = 5 * 1024 * 1024;
  /** How long one range request may take. */
  private static final java.time.Duration RANGE_TIMEOUT = java.time.Duration.ofSeconds(30);
  /** How many event ids are remembered to drop an event that arrives a second way. */
  static final int SEEN = 65_536;

  private final DirectPlane plane;
  private final WorkspaceName workspace;
  private final PeerId me;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<DirectLink, Long> sentUpTo = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Received> inbox = new ConcurrentLinkedQueue<>();
  private final Map<EventId, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<EventId, Boolean> eldest) {
      return size() > SEEN;
    }
  };

  private volatile Runnable arrived = () -> {};

  /** An accepted event: its content inline, or (chunked) fetched into {@code contentFile}. */
  private record Received(PeerId from, EventCodec.Submitted event, byte[] content, Path contentFile, JsonNode json) {}

  private final Path partial;
  private final java.util.concurrent.ExecutorService fetcher = java.util.concurrent.Executors
      .newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "aura-direct-fetch");
        t.setDaemon(true);
        return t;
      });

  /**
   * Registers as a handler of {@code plane}'s links.
   *
   * @param partial where content fetched in ranges is kept until applied ({@code $AURA_HOME/direct-partial}:
   *     an interrupted fetch resumes from what it holds)
   * @param out progress lines
   * @param err refusals
   */
  public DirectEvents(DirectPlane plane, WorkspaceName workspace, PeerId me, Path partial, PrintWriter out,
      PrintWriter err) {
    this.plane = plane;
    this.partial = partial;
    this.workspace = workspace;
    this.me = me;
    this.out = out;
    this.err = err;
    plane.addHandler(this);
  }

  /**
   * Sends every open link the next pending WAL events it has not had yet (one frame a link a call). Call from
   * the sync thread, right after a scan.
   */
  public void send(Replica replica) throws SyncStoreException {
    sentUpTo.keySet().removeIf(l -> !l.isOpen());
    Map<PeerId, DirectLink> links = plane.links();
    if (links.isEmpty() || plane.own().compact().isEmpty()) {
      return;
    }
    for (DirectLink link : links.values()) {
      if (!mayPull(link)) {
        continue; // linked through another shared workspace: this one's events are not for it
      }
      long after = sentUpTo.getOrDefault(link, 0L);
      List<PendingEvent> pending = replica.pendingAfter(after, MAX_EVENTS_PER_FRAME);
      ObjectNode frame = frame();
      ArrayNode events = frame.putArray("events");
      long bytes = 0;
      long last = after;
      for (PendingEvent p : pending) {
        Optional<byte[]> content = Optional.empty();
        boolean chunked = isFilePut(p.change()) && p.change().size() > MAX_CONTENT_PER_FRAME;
        if (chunked) {
          if (!events.isEmpty()) {
            break; // alone in its frame: the receiver fetches its content in ranges before the next events
          }
        } else if (isFilePut(p.change())) {
          content = replica.content(p.change().hash());
          if (content.isEmpty() || content.get().length > MAX_CONTENT_PER_FRAME) {
            break; // in order or not at all: this one and the rest wait for the Mothership
          }
        }
        long size = content.map(c -> (long) c.length).orElse(0L);
        if (events.size() >= MAX_EVENTS_PER_FRAME || !events.isEmpty() && bytes + size > MAX_CONTENT_PER_FRAME) {
          break;
        }
        ObjectNode json = EventCodec.writeSubmitted(p.id(), p.change());
        plane.sign(json);
        content.ifPresent(c -> json.put("content", Base64.getEncoder().encodeToString(c)));
        if (chunked) {
          json.put("chunked", true);
        }
        events.add(json);
        bytes += size;
        last = p.id().localSeq();
        if (chunked) {
          break;
        }
      }
      if (events.isEmpty()) {
        continue;
      }
      try {
        link.send(frame);
        sentUpTo.put(link, last);
      } catch (IOException e) {
        link.close("error", e.getMessage());
      }
    }
  }

  /** Runs {@code wake} (on a link's thread) whenever verified events are queued for {@link #drain}. */
  public void onArrival(Runnable wake) {
    this.arrived = java.util.Objects.requireNonNull(wake, "wake");
  }

  private ObjectNode frame() {
    ObjectNode frame = Wire.object();
    frame.put("type", "direct_events");
    frame.put("workspace", workspace.value());
    return frame;
  }

  private static boolean isFilePut(Change c) {
    return c.op() == Change.Op.PUT && c.kind() == Change.EntryKind.FILE;
  }

  @Override
  public boolean received(DirectLink link, ObjectNode m) throws IOException {
    switch (m.path("type").asText()) {
      case "direct_events" -> accept(link, m);
      case "direct_refused" -> {
        err.println("refused: " + m.path("path").asText() + ": " + m.path("message").asText() + " (by "
            + link.remote().peer() + ", directly)");
        err.flush();
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private void accept(DirectLink link, ObjectNode m) throws IOException {
    PeerId from = link.remote().peer();
    if (!workspace.value().equals(m.path("workspace").asText())) {
      refuse(link, "", "workspace not permitted: this peer syncs " + workspace + " here, not "
          + m.path("workspace").asText());
      return;
    }
    ArrayNode accepted = Wire.object().putArray("events");
    for (JsonNode json : m.path("events")) {
      EventCodec.Submitted event;
      ObjectNode signed;
      byte[] content = null;
      try {
        if (!json.isObject()) {
          throw new IllegalArgumentException("an event is a JSON object");
        }
        signed = ((ObjectNode) json).deepCopy();
        signed.remove("content");
        signed.remove("chunked"); // transport only, outside the signature: the content is checked by its hash
        ObjectNode bare = signed.deepCopy();
        bare.remove("writer");
        event = EventCodec.readSubmitted(bare);
        if (json.has("content")) {
          content = Base64.getDecoder().decode(json.path("content").asText());
        }
        if (json.path("chunked").asBoolean() && (!isFilePut(event.change()) || content != null)) {
          throw new IllegalArgumentException("only a file put without inline content is chunked");
        }
      } catch (IllegalArgumentException e) {
        refuse(link, "", "malformed event: " + e.getMessage());
        continue;
      }
      EventId id = event.id();
      String path = event.change().path().value();
      if (id.author().equals(me) || alreadySeen(id)) {
        continue;
      }
      VerifiedPeerIdentity writer;
      try {
        writer = plane.verifyWriter(signed);
      } catch (DirectException e) {
        refuse(link, path, e.getMessage());
        continue;
      }
      AccessDecision push = plane.decide(PeerGrant.of(writer), SyncAction.PUSH);
      if (!writer.peer().equals(id.author())) {
        refuse(link, path, "the event is " + id.author() + "'s but its proof is " + writer.peer() + "'s");
      } else if (!push.isAllowed()) {
        refuse(link, path, push.message().orElse("refused"));
      } else if (json.path("chunked").asBoolean() && event.change().size() > plane.maxFileSize()) {
        refuse(link, path, "larger than [sync] max_file_size (" + plane.maxFileSize() + " bytes)");
      } else if (isFilePut(event.change()) && !json.path("chunked").asBoolean() && (content == null
          || !ContentHash.of(content).equals(event.change().hash()))) {
        refuse(link, path, "content does not match the event's hash");
      } else {
        markSeen(id);
        EventCodec.Submitted accepted0 = event;
        byte[] inline = content;
        if (json.path("chunked").asBoolean()) {
          fetcher.execute(() -> fetchThenQueue(link, accepted0, json));
        } else {
          fetcher.execute(() -> queue(new Received(from, accepted0, inline, null, json)));
          accepted.add(json);
        }
      }
    }
    if (!accepted.isEmpty() && !plane.mothershipUp()) {
      forward(from, accepted); // a chunked event is forwarded once applied here: then this peer serves its ranges
    }
  }

  /** Queued in arrival order, through the fetcher, so a chunked event keeps its place among the others. */
  private void queue(Received r) {
    inbox.add(r);
    arrived.run();
  }

  private void fetchThenQueue(DirectLink link, EventCodec.Submitted event, JsonNode json) {
    ContentHash hash = event.change().hash();
    Path file = partial.resolve(hash.hex() + ".part");
    String failure = null;
    for (int attempt = 1; attempt <= 2; attempt++) {
      try {
        fetchRanges(link, hash, event.change().size(), file);
        queue(new Received(link.remote().peer(), event, null, file, json));
        return;
      } catch (IOException e) {
        failure = e.getMessage();
        if (!failure.startsWith("content does not match")) {
          break; // the link went away or the peer has no copy: resumed from the part file next time
        }
      }
    }
    err.println("warning: could not fetch " + event.change().path() + " (" + event.change().size() + " bytes) from "
        + link.remote().peer() + " directly: " + failure + " (it arrives when the Mothership sequences it)");
    err.flush();
  }

  /**
   * Fetches {@code size} bytes of {@code hash} in ranges into {@code file}, resuming after what it holds, and
   * checks the whole against the hash (a mismatch deletes the file: the next attempt starts over). Memory stays
   * at one range.
   */
  private void fetchRanges(DirectLink link, ContentHash hash, long size, Path file) throws IOException {
    dev.aura.app.config.OwnerOnlyFiles.createDirectories(partial);
    java.security.MessageDigest digest = sha256();
    long have = 0;
    if (java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.size(file) <= size) {
      try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
          have += n;
        }
      }
    } else {
      java.nio.file.Files.deleteIfExists(file);
    }
    if (have > 0) {
      out.println("direct: resuming " + hash.abbreviated() + " from " + link.remote().peer() + " at byte " + have);
      out.flush();
    }
    if (!java.nio.file.Files.exists(file)) {
      java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          dev.aura.app.config.OwnerOnlyFiles.SECRET)); // someone's file content: owner-only, as the tree's copy
    }
    try (java.io.OutputStream o = java.nio.file.Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
      while (have < size) {
        ObjectNode get = Wire.object();
        get.put("type", "blob_range");
        get.put("workspace", workspace.value());
        get.put("hash", hash.hex());
        get.put("offset", have);
        get.put("length", DirectPlane.MAX_RANGE);
        JsonNode reply = link.request(get, RANGE_TIMEOUT);
        if (!"blob_range".equals(reply.path("type").asText())) {
          throw new IOException(reply.path("type").asText() + (reply.has("message") ? ": "
              + reply.path("message").asText() : ""));
        }
        byte[] data = Base64.getDecoder().decode(reply.path("data").asText());
        if (data.length == 0 || have + data.length > size) {
          throw new IOException("a range outside the content's " + size + " bytes");
        }
        o.write(data);
        o.flush();
        digest.update(data);
        have += data.length;
      }
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed range: " + e.getMessage());
    }
    if (!ContentHash.parse(java.util.HexFormat.of().formatHex(digest.digest())).equals(hash)) {
      java.nio.file.Files.deleteIfExists(file);
      throw new IOException("content does not match the event's hash");
    }
  }

  private static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The Mothership is down: passes verified events on to the other direct peers (each checks them again). */
  private void forward(PeerId from, ArrayNode events) {
    plane.links().forEach((peer, link) -> {
      if (peer.equals(from) || !mayPull(link)) {
        return;
      }
      ObjectNode frame = frame();
      ArrayNode copy = frame.putArray("events");
      events.forEach(e -> {
        if (!EventCodec.readSubmitted(bare(e)).id().author().equals(peer)) {
          copy.add(e);
        }
      });
      if (copy.isEmpty()) {
        return;
      }
      try {
        link.send(frame);
      } catch (IOException e) {
        link.close("error", e.getMessage());
      }
    });
  }

  /** @return whether the peer at {@code link} may pull this workspace: only then do its events go there */
  private boolean mayPull(DirectLink link) {
    return plane.decide(link, SyncAction.PULL).isAllowed();
  }

  private static JsonNode bare(JsonNode json) {
    ObjectNode copy = ((ObjectNode) json).deepCopy();
    copy.remove("content");
    copy.remove("chunked");
    copy.remove("writer");
    return copy;
  }

  private boolean alreadySeen(EventId id) {
    synchronized (seen) {
      return seen.containsKey(id);
    }
  }

  private void markSeen(EventId id) {
    synchronized (seen) {
      seen.put(id, Boolean.TRUE);
    }
  }

  private void refuse(DirectLink link, String path, String message) throws IOException {
    err.println("direct: refused " + (path.isEmpty() ? "an event" : path) + " from " + link.remote().peer() + ": "
        + message);
    err.flush();
    ObjectNode refused = Wire.object();
    refused.put("type", "direct_refused");
    refused.put("path", path);
    refused.put("message", message);
    link.send(refused);
  }

  /** Stops fetching (a fetch in progress resumes from its part file next time). */
  public void close() {
    fetcher.shutdownNow();
  }

  /** Applies what arrived, provisionally. Call from the sync thread. */
  public void drain(Replica replica) throws SyncStoreException {
    for (Received r; (r = inbox.poll()) != null; ) {
      ApplyResult result;
      PeerId author = r.event().id().author();
      String via = author.equals(r.from()) ? "" : ", forwarded by " + r.from();
      try {
        result = r.contentFile() != null
            ? replica.applyProvisional(r.event().id(), r.event().change(), r.contentFile())
            : replica.applyProvisional(r.event().id(), r.event().change(), r.content());
        if (r.contentFile() != null) {
          java.nio.file.Files.deleteIfExists(r.contentFile());
          if (!plane.mothershipUp() && !result.written().isEmpty()) {
            forward(r.from(), Wire.object().putArray("events").add(r.json()));
          }
        }
      } catch (IllegalArgumentException | IOException e) {
        err.println("skipped: " + r.event().change().path() + " from " + author + ": " + e.getMessage());
        continue;
      } catch (SyncStoreException e) {
        if (e.reason() != SyncStoreException.Reason.DISK_FULL) {
          throw e;
        }
        err.println("warning: " + e.getMessage() + " (" + r.event().change().path() + " from " + author
            + " arrives again when the Mothership sequences it)");
        continue;
      }
      for (SyncPath p : result.written()) {
        if (result.conflictCopies().contains(p)) {
          out.println("conflict: " + r.event().change().path() + " was edited here and by " + author + "; "
              + author + "'s version is at " + p + " (provisional: the Mothership's order decides which stays)");
        } else {
          out.println("pulled: " + p + " (directly from " + author + via + ", provisional until the Mothership"
              + " sequences it)");
        }
      }
      for (SyncPath p : result.removed()) {
        out.println("removed: " + p + " (directly from " + author + via + ", provisional)");
      }
      for (SyncPath p : result.deferred()) {
        out.println("waiting: " + p + " (" + author + "'s version is applied when the Mothership sequences it)");
      }
      result.skipped().forEach(s -> err.println("skipped: " + s));
    }
    out.flush();
    err.flush();
  }
}
