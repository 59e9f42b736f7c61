package dev.aura.app.direct;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.access.PeerGrant;
import dev.aura.app.protocol.Wire;
import dev.aura.token.VerifiedPeerIdentity;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;

/**
 * One authenticated direct connection: both identities verified, so {@link #remote()} is the other peer and
 * {@link #grant()} what it may do here. Frames after the handshake are requests ({@code id}), replies
 * ({@code re}: the request's id) and a final {@code close} ({@code code}, {@code reason}) telling the other
 * side why the connection ends (for example {@code revoked}). Thread-safe.
 */
public final class DirectLink implements AutoCloseable {
  /** The close code for a frame that parsed but whose content could not be handled (a malformed hash, say). */
  public static final String BAD_MESSAGE = "bad_message";

  /** What the owner of a link does with what arrives. */
  interface Handler {
    /** A request or notice from the other peer; reply with {@link DirectLink#reply}. Runs on the reader. */
    void received(DirectLink link, ObjectNode message);

    /** The link ended, with the other side's reason when it gave one. */
    void closed(DirectLink link, String reason);
  }

  private final SSLSocket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final VerifiedPeerIdentity remote;
  private final String hint;
  private final boolean dialed;
  private final Map<Long, CompletableFuture<ObjectNode>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile String closeReason = "";
  private volatile boolean closed;

  DirectLink(SSLSocket socket, DataInputStream in, DataOutputStream out, VerifiedPeerIdentity remote, String hint,
      boolean dialed) {
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.remote = remote;
    this.hint = hint;
    this.dialed = dialed;
  }

  void start(Handler handler) {
    Thread reader = new Thread(() -> read(handler), "aura-direct-" + remote.peer());
    reader.setDaemon(true);
    reader.start();
  }

  private void read(Handler handler) {
    try {
      while (!closed) {
        ObjectNode m = Frames.read(in);
        if (m.has("re")) {
          CompletableFuture<ObjectNode> f = waiting.remove(m.path("re").asLong());
          if (f != null) {
            f.complete(m);
          }
        } else if ("close".equals(m.path("type").asText())) {
          closeReason = m.path("code").asText() + ": " + m.path("reason").asText();
          break;
        } else {
          handler.received(this, m);
        }
      }
    } catch (IOException e) {
      if (!closed && closeReason.isEmpty()) {
        closeReason = "connection lost: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
    } catch (RuntimeException e) { // a well-formed frame whose content this side refused: say so, typed
      close(BAD_MESSAGE, "a message could not be handled: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } finally {
      shut();
      waiting.values().forEach(f -> f.completeExceptionally(new IOException("direct connection closed")));
      handler.closed(this, closeReason);
    }
  }

  /** @return the other peer, verified */
  public VerifiedPeerIdentity remote() {
    return remote;
  }

  /** @return what the other peer may do here: its identity's grant */
  public PeerGrant grant() {
    return PeerGrant.of(remote);
  }

  /** @return the hint this peer dialed, or the address the other side came from */
  public String hint() {
    return hint;
  }

  /** @return whether this peer dialed (false: it accepted) */
  public boolean dialed() {
    return dialed;
  }

  /** @return whether the link is still open */
  public boolean isOpen() {
    return !closed;
  }

  /** Sends a notice (no reply expected). */
  public void send(ObjectNode message) throws IOException {
    Frames.write(out, message);
  }

  /** Sends a request and waits for its reply. */
  public ObjectNode request(ObjectNode message, Duration timeout) throws IOException {
    long id = ids.incrementAndGet();
    message.put("id", id);
    CompletableFuture<ObjectNode> reply = new CompletableFuture<>();
    waiting.put(id, reply);
    try {
      Frames.write(out, message);
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("no reply from " + remote.peer() + " within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } finally {
      waiting.remove(id);
    }
  }

  /** Replies to a request. */
  public void reply(ObjectNode request, ObjectNode reply) throws IOException {
    reply.put("re", request.path("id").asLong());
    Frames.write(out, reply);
  }

  /** Tells the other side why, then closes. */
  public void close(String code, String reason) {
    if (closed) {
      return;
    }
    ObjectNode m = Wire.object();
    m.put("type", "close");
    m.put("code", code);
    m.put("reason", reason);
    try {
      Frames.write(out, m);
    } catch (IOException e) {
      // closing anyway
    }
    closeReason = code + ": " + reason;
    shut();
  }

  private void shut() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() {
    close("closed", "the peer stopped");
  }

  /** @return why the link ended (empty while open) */
  public String closeReason() {
    return closeReason;
  }
}
