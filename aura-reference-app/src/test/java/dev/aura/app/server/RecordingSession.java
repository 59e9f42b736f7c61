package dev.aura.app.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.UpgradeRequest;
import org.eclipse.jetty.websocket.api.UpgradeResponse;
import org.eclipse.jetty.websocket.api.exceptions.WebSocketTimeoutException;

/**
 * A hand-written control connection without a socket: records the text frames the Mothership sends and the
 * close code, so that {@link ControlSessions#received} can be driven directly.
 */
final class RecordingSession implements Session {
  final List<String> sent = new CopyOnWriteArrayList<>();
  volatile int closeCode;
  volatile String closeReason;

  @Override
  public void sendText(String text, Callback callback) {
    sent.add(text);
    callback.succeed();
  }

  @Override
  public void close(int statusCode, String reason, Callback callback) {
    if (closeCode == 0) {
      closeCode = statusCode;
      closeReason = reason;
    }
    callback.succeed();
  }

  @Override
  public boolean isOpen() {
    return closeCode == 0;
  }

  @Override
  public void demand() {}

  @Override
  public void sendBinary(ByteBuffer buffer, Callback callback) {
    throw new AssertionError("the control connection sends text only");
  }

  @Override
  public void sendPartialBinary(ByteBuffer buffer, boolean last, Callback callback) {
    throw new AssertionError("the control connection sends text only");
  }

  @Override
  public void sendPartialText(String text, boolean last, Callback callback) {
    throw new AssertionError("the control connection sends whole messages");
  }

  @Override
  public void sendPing(ByteBuffer payload, Callback callback) {
    callback.succeed();
  }

  @Override
  public void sendPong(ByteBuffer payload, Callback callback) {
    callback.succeed();
  }

  @Override
  public void disconnect() {
    close(1006, "disconnected", Callback.NOOP);
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return new InetSocketAddress("127.0.0.1", 7777);
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return new InetSocketAddress("127.0.0.1", 50000);
  }

  @Override
  public String getProtocolVersion() {
    return "13";
  }

  @Override
  public UpgradeRequest getUpgradeRequest() {
    return null;
  }

  @Override
  public UpgradeResponse getUpgradeResponse() {
    return null;
  }

  @Override
  public boolean isSecure() {
    return true;
  }

  @Override
  public void addIdleTimeoutListener(Predicate<WebSocketTimeoutException> listener) {}

  @Override
  public Duration getIdleTimeout() {
    return Duration.ofSeconds(90);
  }

  @Override
  public void setIdleTimeout(Duration duration) {}

  @Override
  public int getInputBufferSize() {
    return 4096;
  }

  @Override
  public void setInputBufferSize(int size) {}

  @Override
  public int getOutputBufferSize() {
    return 4096;
  }

  @Override
  public void setOutputBufferSize(int size) {}

  @Override
  public long getMaxBinaryMessageSize() {
    return 0;
  }

  @Override
  public void setMaxBinaryMessageSize(long size) {}

  @Override
  public long getMaxTextMessageSize() {
    return dev.aura.app.protocol.Wire.MAX_CONTROL_MESSAGE_BYTES;
  }

  @Override
  public void setMaxTextMessageSize(long size) {}

  @Override
  public long getMaxFrameSize() {
    return 0;
  }

  @Override
  public void setMaxFrameSize(long maxFrameSize) {}

  @Override
  public boolean isAutoFragment() {
    return false;
  }

  @Override
  public void setAutoFragment(boolean autoFragment) {}

  @Override
  public int getMaxOutgoingFrames() {
    return -1;
  }

  @Override
  public void setMaxOutgoingFrames(int maxOutgoingFrames) {}
}
