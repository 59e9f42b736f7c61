package dev.aura.app.peer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.protocol.Wire;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A peer's control connection to its Mothership (a WebSocket at {@link Wire#CONTROL}, authenticated by the
 * refresh credential), turned into a queue of events the caller takes one at a time on its own thread.
 *
 * <pre>{@code
 * try (ControlConnection c = ControlConnection.open(client, credential)) {
 *   ControlConnection.Event e = c.next(Duration.ofSeconds(90));
 * }
 * }</pre>
 */
public final class ControlConnection implements AutoCloseable {
  /** Something that happened on the connection. */
  public sealed interface Event permits Message, Closed, Failed {}

  /**
   * A JSON message from the Mothership.
   *
   * @param body the message
   */
  public record Message(ObjectNode body) implements Event {
    /** @return its {@code type} */
    public String type() {
      return body.path("type").asText();
    }
  }

  /**
   * The Mothership closed the connection.
   *
   * @param code the WebSocket close code (4003: peer revoked, 4001: kicked, 1001: going away)
   * @param reason the reason given
   */
  public record Closed(int code, String reason) implements Event {}

  /**
   * The connection failed.
   *
   * @param cause why
   */
  public record Failed(Throwable cause) implements Event {}

  private static final int MAX_MESSAGE = Wire.MAX_CONTROL_MESSAGE_BYTES;

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  /** Queued by {@link #wake}: {@link #next} returns null for it, as for a timeout, so the caller runs its tick. */
  private static final Event WAKE = new Failed(null);
  private final java.util.concurrent.atomic.AtomicBoolean woken = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile WebSocket socket;
  private final Object sending = new Object();
  /** The last text send queued; the next one starts when it completed, whether it succeeded or not. */
  private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

  private ControlConnection() {}

  /**
   * Opens the control connection.
   *
   * @throws AuraException when it is refused or the Mothership cannot be reached
   */
  public static ControlConnection open(MothershipClient client, String credential) throws AuraException {
    ControlConnection connection = new ControlConnection();
    connection.socket = client.openControl(credential, connection.new Listener());
    return connection;
  }

  /** @return the next event, or null when none came within {@code timeout} */
  public Event next(Duration timeout) throws InterruptedException {
    Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == WAKE) {
      woken.set(false);
      return null;
    }
    return e;
  }

  /**
   * Makes the thread waiting in {@link #next} return null now, as if its timeout had passed (not a message from
   * the Mothership: heartbeat silence is still counted). Safe from any thread; wakes that pile up count once.
   */
  public void wake() {
    if (woken.compareAndSet(false, true)) {
      events.add(WAKE);
    }
  }

  /**
   * Sends a JSON message, after every message sent before it. Safe from any thread: the JDK's WebSocket allows one
   * text send in flight and fails a second one (its future, with {@link IllegalStateException}), so the sync
   * thread's push and, say, the direct dialer's report would otherwise drop one of them without a word.
   */
  public void send(ObjectNode message) {
    WebSocket s = socket;
    if (s == null || s.isOutputClosed()) {
      return;
    }
    String text = Wire.write(message);
    synchronized (sending) {
      lastSend = lastSend.handle((done, failed) -> null).thenCompose(x -> s.sendText(text, true));
    }
  }

  /** Closes the connection (normal closure). */
  @Override
  public void close() {
    WebSocket s = socket;
    if (s != null && !s.isOutputClosed()) {
      s.sendClose(WebSocket.NORMAL_CLOSURE, "peer disconnecting").orTimeout(2, TimeUnit.SECONDS);
    }
    if (s != null) {
      s.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (partial.length() > MAX_MESSAGE) {
        events.add(new Failed(new IllegalStateException("control message larger than " + MAX_MESSAGE)));
        webSocket.abort();
        return null;
      }
      if (last) {
        try {
          events.add(new Message(Wire.parseObject(partial.toString())));
        } catch (IllegalArgumentException e) {
          events.add(new Failed(e));
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      events.add(new Closed(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      events.add(new Failed(error));
    }
  }
}
