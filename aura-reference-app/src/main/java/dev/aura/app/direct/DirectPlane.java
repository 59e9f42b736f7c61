package dev.aura.app.direct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.access.AccessDecision;
import dev.aura.access.AccessPolicy;
import dev.aura.access.SyncAction;
import dev.aura.app.peer.AnnouncedAddresses;
import dev.aura.app.protocol.Wire;
import dev.aura.revocation.PeerRevocationCache;
import dev.aura.spi.MothershipId;
import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.ContentHash;
import dev.aura.sync.Replica;
import dev.aura.sync.SyncStoreException;
import dev.aura.tls.TlsPinningException;
import dev.aura.token.PeerIdentityVerifier;
import dev.aura.token.PublicKeyRing;
import dev.aura.token.TokenRejectedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The direct connections of one {@code aura sync}: listens, announces its hints, dials the other online
 * peers of the workspace (hints in order, the first that authenticates wins), retries every
 * {@code --direct-retry} (default {@value #DEFAULT_RETRY_SECONDS}s, Syncthing's reconnect interval) while a
 * peer is only reachable through the Mothership, reports its last three attempts, and closes a link at once
 * when the revocation copy learns the other peer is revoked.
 *
 * <p><b>What flows directly.</b> Each new local event, with its content, goes to the directly connected peers
 * at once ({@link DirectEvents}, applied there provisionally), and to the Mothership, which stays the
 * sequencer while it is up: its order confirms, and wins on conflict. Content a peer still needs for a
 * sequenced event is fetched from a directly connected peer first ({@code blob_get}, served only to a peer
 * whose grant may pull the workspace, verified by hash here) and from the Mothership's blob route when no
 * peer has it. While every direct path fails, everything goes through the Mothership, as before.
 *
 * <p>Thread-safe: dialing runs on one background thread, links read on their own threads; the sync thread
 * calls {@link #tick}, {@link #handle} and {@link #fetch}.
 */
public final class DirectPlane implements AutoCloseable {
  /** The default interval between direct connection attempts to a peer reachable only by relay. */
  public static final long DEFAULT_RETRY_SECONDS = 60;
  /** The largest content sent over a direct link in one piece; larger content comes from the Mothership. */
  static final int MAX_DIRECT_CONTENT = 6 * 1024 * 1024;
  /** The most bytes of one {@code blob_range} reply (larger content travels in such ranges). */
  static final int MAX_RANGE = 1024 * 1024;
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Where messages for the Mothership go (the control connection, while it is up). */
  public interface ControlSink {
    /** Sends one control message; false when the Mothership is not connected. */
    boolean send(ObjectNode message);
  }

  private final WorkspaceName workspace;
  private final PeerId me;
  private final Clock clock;
  private final Duration retry;
  private final PrintWriter out;
  private final OwnIdentity own;
  private final PeerIdentityVerifier selfCheck;
  private final DirectNode node;
  private final PeerIdentityVerifier verifier;
  private final HintBook book;
  private final AttemptLog attempts;
  private final AccessPolicy policy;
  private final Supplier<Replica> replica;
  private final boolean verbose;
  private final Map<PeerId, DirectLink> links = new ConcurrentHashMap<>();
  /** When each peer is due for a dial, in {@link System#nanoTime()} (retries follow elapsed time, not the clock). */
  private final Map<PeerId, Long> nextAttempt = new ConcurrentHashMap<>();
  private final Map<PeerId, Boolean> dialing = new ConcurrentHashMap<>();
  private final ExecutorService dialer;
  private volatile ControlSink control = m -> false;
  private volatile InetSocketAddress bound;
  private volatile List<String> announce = List.of();
  private long lastIdentityRequest = System.nanoTime() - Duration.ofHours(1).toNanos();
  private final List<Consumer<DirectLink>> linkListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Everything a plane needs. */
  public record Settings(Path home, WorkspaceName workspace, PeerId me, MothershipId mothership,
      Supplier<PublicKeyRing> keys, PeerRevocationCache revocations, Clock clock, Duration retry,
      PrintWriter out, Supplier<Replica> replica, boolean verbose) {}

  /** Opens the plane (generating the peer's key pair if it has none). Nothing listens before {@link #listen}. */
  public static DirectPlane open(Settings s) throws IOException, TlsPinningException {
    PeerIdentityVerifier selfCheck = PeerIdentityVerifier.builder().mothershipId(s.mothership()).keys(s.keys())
        .clock(s.clock()).ownWorkspaces(java.util.Set::of).withoutRevocationCheck().build();
    OwnIdentity own = OwnIdentity.open(s.home(), s.clock(), s.keys().get() == null ? null : selfCheck);
    return new DirectPlane(s, own, selfCheck);
  }

  private DirectPlane(Settings s, OwnIdentity own, PeerIdentityVerifier selfCheck) {
    this.workspace = s.workspace();
    this.me = s.me();
    this.clock = s.clock();
    this.retry = s.retry();
    this.out = s.out();
    this.own = own;
    this.selfCheck = selfCheck;
    this.replica = s.replica();
    this.verbose = s.verbose();
    this.book = HintBook.open(s.home());
    this.attempts = AttemptLog.open(s.home());
    this.policy = AccessPolicy.of(s.revocations(), s.clock());
    this.verifier = PeerIdentityVerifier.builder().mothershipId(s.mothership()).keys(s.keys())
        .clock(s.clock()).ownWorkspaces(own::workspaces).revocation(s.revocations()).build();
    this.node = new DirectNode(own, verifier, this::accepted);
    this.dialer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "aura-direct-dialer");
      t.setDaemon(true);
      return t;
    });
    s.revocations().addListener(r -> links.values().forEach(l -> {
      if (r.refusesIdentity(l.remote())) {
        l.close("revoked", "peer revoked: " + r);
        out.println("direct: closed the connection to " + l.remote().peer() + " (peer revoked)");
        out.flush();
      }
    }));
  }

  /**
   * Starts listening and decides the hints to announce: the listen address itself when it is a specific
   * one, else up to two interface addresses (a Tailscale {@code 100.64.0.0/10} one first); the Mothership
   * adds the address it sees this peer connect from.
   *
   * @return the bound address
   */
  public InetSocketAddress listen(InetSocketAddress address) throws IOException {
    wanted = address;
    try {
      bound = node.listen(address);
    } catch (java.net.BindException e) {
      if (address.getPort() == 0) {
        throw e;
      }
      bound = address; // announced anyway: peers find it refused until the port frees up and the bind succeeds
      out.println("warning: cannot listen for direct connections on " + hint(address.getAddress()
          .getHostAddress(), address.getPort()) + " (" + e.getMessage() + "); retrying every "
          + retry.toSeconds() + "s");
      nextBind = System.nanoTime() + retry.toNanos();
    }
    List<String> hosts = new ArrayList<>();
    if (!address.getAddress().isAnyLocalAddress()) {
      hosts.add(address.getAddress().getHostAddress());
    } else {
      List<String> found = new ArrayList<>(AnnouncedAddresses.discover());
      found.sort((a, b) -> Boolean.compare(!isTailscale(a), !isTailscale(b)));
      found.stream().limit(2).forEach(hosts::add);
    }
    announce = List.copyOf(hosts);
    if (node.listening()) {
      out.println("direct: listening on " + hint(address.getAddress().getHostAddress(), bound.getPort()));
    }
    return bound;
  }

  private volatile InetSocketAddress wanted;
  private volatile long nextBind;

  private void retryListen() {
    if (wanted == null || node.listening() || System.nanoTime() - nextBind < 0) {
      return;
    }
    try {
      node.listen(wanted);
      out.println("direct: listening on " + hint(wanted.getAddress().getHostAddress(), wanted.getPort()));
    } catch (IOException e) {
      nextBind = System.nanoTime() + retry.toNanos();
    }
  }

  /** @return the hints this peer announces ({@code host:port}) */
  public List<String> announced() {
    return bound == null ? List.of() : announce.stream().map(h -> hint(h, bound.getPort())).toList();
  }

  /** @return whether {@code address} is in Tailscale's CGNAT range 100.64.0.0/10 */
  static boolean isTailscale(String address) {
    try {
      byte[] b = InetAddress.getByName(address).getAddress();
      return b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    } catch (IOException e) {
      return false;
    }
  }

  private static String hint(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The control connection is (again) up: ask for a fresh identity, announce, report. */
  public void connected(ControlSink sink) {
    this.control = sink;
    this.mothershipUp = true;
    requestIdentity();
    if (bound != null) {
      ObjectNode a = Wire.object();
      a.put("type", "direct_announce");
      a.put("workspace", workspace.value());
      a.put("port", bound.getPort());
      announce.forEach(a.putArray("addresses")::add);
      sink.send(a);
    }
    sink.send(attempts.report());
  }

  /** The Mothership went away: direct links carry on, dialing uses the saved hints. */
  public void disconnected() {
    this.control = m -> false;
    this.mothershipUp = false;
  }

  /** Whether the control connection is up: then the Mothership says who is online, else every known peer is. */
  private volatile boolean mothershipUp;

  /** The refresh credential was rotated: a refresh, so ask for a fresh identity too. */
  public void refreshed() {
    requestIdentity();
  }

  private synchronized void requestIdentity() {
    ObjectNode r = Wire.object();
    r.put("type", "identity_request");
    r.put("certificate", own.certificateBase64());
    if (control.send(r)) {
      lastIdentityRequest = System.nanoTime();
    }
  }

  /**
   * Handles a direct-connection control message.
   *
   * @return whether it was one
   */
  public boolean handle(ObjectNode m) throws IOException {
    switch (m.path("type").asText()) {
      case "peer_identity" -> {
        try {
          own.accept(m.path("identity").asText(), selfCheck);
          out.println("direct: peer identity until " + own.verified().orElseThrow().expiresAt());
        } catch (TokenRejectedException e) {
          out.println("warning: the Mothership's peer identity was refused: " + e.getMessage());
        }
      }
      case "peer_identity_refused" -> out.println("warning: no peer identity: " + m.path("message").asText());
      case "direct_peers" -> {
        if (workspace.value().equals(m.path("workspace").asText())) {
          book.replace(m);
          nextAttempt.keySet().removeIf(p -> !book.peers().containsKey(p));
          book.peers().keySet().forEach(p -> nextAttempt.putIfAbsent(p, System.nanoTime()));
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Renews the identity when due and dials peers whose retry is due; call on every sync tick. */
  public void tick() {
    retryListen();
    long now = System.nanoTime();
    synchronized (this) {
      if (own.needsRenewal(clock.instant()) && now - lastIdentityRequest > Duration.ofMinutes(1).toNanos()) {
        requestIdentity();
      }
    }
    if (own.compact().isEmpty()) {
      return;
    }
    for (Map.Entry<PeerId, List<String>> e : (mothershipUp ? book.peers() : book.known()).entrySet()) {
      PeerId peer = e.getKey();
      DirectLink link = links.get(peer);
      if (link != null && link.isOpen() || dialing.containsKey(peer)
          || now - nextAttempt.getOrDefault(peer, now) < 0) {
        continue;
      }
      nextAttempt.put(peer, now + retry.toNanos());
      dialing.put(peer, true);
      dialer.execute(() -> {
        try {
          dial(peer, e.getValue());
        } finally {
          dialing.remove(peer);
        }
      });
    }
  }

  private void dial(PeerId peer, List<String> hints) {
    List<String> failures = new ArrayList<>();
    for (String text : hints) {
      Optional<Hint> hint = Hint.parse(text);
      if (hint.isEmpty()) {
        continue;
      }
      try {
        DirectLink link = node.dial(peer, hint.get(), DIAL_TIMEOUT);
        attempts.add(new AttemptLog.Attempt(peer.value(), text, true, "", clock.instant()));
        register(link);
        control.send(attempts.report());
        return;
      } catch (DirectException ex) {
        attempts.add(new AttemptLog.Attempt(peer.value(), text, false, ex.getMessage(), clock.instant()));
        failures.add(text + " (" + ex.getMessage() + ")");
      }
    }
    control.send(attempts.report());
    out.println("direct: " + peer + " not reachable directly" + (failures.isEmpty() ? " (no hints)"
        : ": " + String.join(", ", failures)) + "; relaying through the Mothership, retrying in "
        + retry.toSeconds() + "s");
    out.flush();
  }

  private void accepted(DirectLink link) {
    register(link);
  }

  /**
   * Keeps one link per peer. When both peers dialed each other at once, both keep the link dialed by the
   * smaller peer id, so they agree without talking.
   */
  private synchronized void register(DirectLink link) {
    PeerId them = link.remote().peer();
    DirectLink existing = links.get(them);
    if (existing != null && existing.isOpen()) {
      PeerId smaller = me.value().compareTo(them.value()) < 0 ? me : them;
      if (!(link.dialed() ? me : them).equals(smaller)) {
        link.close("duplicate", "a direct connection between these peers exists");
        return;
      }
      existing.close("duplicate", "a direct connection between these peers exists");
    }
    links.put(them, link);
    link.start(new DirectLink.Handler() {
      @Override
      public void received(DirectLink l, ObjectNode message) {
        serve(l, message);
      }

      @Override
      public void closed(DirectLink l, String reason) {
        links.remove(them, l);
        if (!reason.startsWith("duplicate")) {
          out.println("direct: connection to " + them + " closed (" + reason + ")");
          out.flush();
        }
      }
    });
    out.println("direct: connected to " + them + (link.dialed() ? " at " + link.hint() : " (it dialed)"));
    out.flush();
    linkListeners.forEach(l -> l.accept(link));
  }

  /** Runs {@code listener} for every new authenticated link. */
  public void onLink(Consumer<DirectLink> listener) {
    linkListeners.add(listener);
  }

  private void serve(DirectLink link, ObjectNode m) {
    try {
      switch (m.path("type").asText()) {
        case "blob_get" -> serveBlob(link, m);
        case "blob_range" -> serveRange(link, m);
        default -> {
          for (Handler h : handlers) {
            if (h.received(link, m)) {
              return;
            }
          }
          ObjectNode unknown = Wire.object();
          unknown.put("type", "unknown");
          if (m.has("id")) {
            link.reply(m, unknown);
          }
        }
      }
    } catch (IOException e) {
      link.close("error", e.getMessage());
    }
  }

  /** Handles direct messages beyond content requests (events: {@link DirectEvents}). */
  public interface Handler {
    /** @return whether the message was this handler's */
    boolean received(DirectLink link, ObjectNode message) throws IOException;
  }

  private final List<Handler> handlers = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Adds a handler of direct messages. */
  public void addHandler(Handler handler) {
    handlers.add(handler);
  }

  /** @return the decision for the other side of {@code link} doing {@code action} with this workspace */
  public AccessDecision decide(DirectLink link, SyncAction action) {
    return decide(link.grant(), action);
  }

  /** @return the decision for {@code grant} doing {@code action} with this workspace */
  public AccessDecision decide(dev.aura.access.PeerGrant grant, SyncAction action) {
    return policy.decide(grant, action, workspace);
  }

  /** Adds this peer's {@link WriterProof} to one of its own events (JSON without content). */
  void sign(ObjectNode event) {
    WriterProof.sign(own, workspace, event);
  }

  /**
   * @return the writer of a received event, its {@link WriterProof} verified as any direct connection's
   *     identity is (ring, Mothership, expiry, shared workspace, revocation copy)
   */
  dev.aura.token.VerifiedPeerIdentity verifyWriter(ObjectNode event) throws DirectException {
    return WriterProof.verify(event, workspace, verifier);
  }

  /** @return the largest file the replica applies: a chunked event over it is refused before any fetch */
  long maxFileSize() {
    return replica.get().maxFileSize();
  }

  /** @return whether the control connection to the Mothership is up */
  public boolean mothershipUp() {
    return mothershipUp;
  }

  /** Answers {@code denied} when the other peer may not pull this workspace (or asks for another one). */
  private boolean refusedPull(DirectLink link, ObjectNode m) throws IOException {
    AccessDecision pull = decide(link, SyncAction.PULL);
    if (pull.isAllowed() && workspace.value().equals(m.path("workspace").asText())) {
      return false;
    }
    ObjectNode reply = Wire.object();
    reply.put("type", "denied");
    reply.put("message", pull.message().orElse("not this peer's workspace"));
    link.reply(m, reply);
    return true;
  }

  private void serveBlob(DirectLink link, ObjectNode m) throws IOException {
    if (refusedPull(link, m)) {
      return;
    }
    ObjectNode reply = Wire.object();
    Optional<byte[]> content;
    try {
      content = replica.get().localContent(ContentHash.parse(m.path("hash").asText()), MAX_DIRECT_CONTENT);
    } catch (IllegalArgumentException | SyncStoreException e) {
      content = Optional.empty();
    }
    if (content.isEmpty()) {
      reply.put("type", "blob_missing");
    } else {
      reply.put("type", "blob");
      reply.put("data", Base64.getEncoder().encodeToString(content.get()));
    }
    link.reply(m, reply);
  }

  private void serveRange(DirectLink link, ObjectNode m) throws IOException {
    if (refusedPull(link, m)) {
      return;
    }
    ObjectNode reply = Wire.object();
    Optional<byte[]> range;
    try {
      range = replica.get().localContentRange(ContentHash.parse(m.path("hash").asText()),
          m.path("offset").asLong(), (int) Math.min(MAX_RANGE, Math.max(1, m.path("length").asLong())));
    } catch (IllegalArgumentException | SyncStoreException e) {
      range = Optional.empty();
    }
    if (range.isEmpty()) {
      reply.put("type", "blob_missing");
    } else {
      reply.put("type", "blob_range");
      reply.put("data", Base64.getEncoder().encodeToString(range.get()));
    }
    link.reply(m, reply);
  }

  /**
   * Fetches content from a directly connected peer that has it.
   *
   * @return the content, verified against {@code hash}; empty when no direct peer has it (use the Mothership)
   */
  public Optional<byte[]> fetch(ContentHash hash) {
    for (DirectLink link : links.values()) {
      if (!link.isOpen()) {
        continue;
      }
      ObjectNode get = Wire.object();
      get.put("type", "blob_get");
      get.put("workspace", workspace.value());
      get.put("hash", hash.hex());
      try {
        JsonNode reply = link.request(get, REQUEST_TIMEOUT);
        if ("blob".equals(reply.path("type").asText())) {
          byte[] data = Base64.getDecoder().decode(reply.path("data").asText());
          if (ContentHash.of(data).equals(hash)) {
            if (verbose) {
              out.println("direct: fetched " + data.length + " bytes from " + link.remote().peer());
            }
            return Optional.of(data);
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        // try the next peer, then the Mothership
      }
    }
    return Optional.empty();
  }

  /** @return the open links, by peer */
  public Map<PeerId, DirectLink> links() {
    Map<PeerId, DirectLink> open = new java.util.HashMap<>();
    links.forEach((p, l) -> {
      if (l.isOpen()) {
        open.put(p, l);
      }
    });
    return open;
  }

  /** @return the identity this peer shows (for tests and the doctor) */
  public OwnIdentity own() {
    return own;
  }

  @Override
  public void close() {
    node.close();
    dialer.shutdownNow();
    links.values().forEach(l -> l.close("closed", "the peer stopped"));
  }
}
