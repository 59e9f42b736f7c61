package dev.aura.tls.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An {@link SSLEngine} that, in server mode, refuses client-initiated renegotiation (CVE-2011-1473) for this
 * engine alone, as {@code jdk.tls.rejectClientInitiatedRenegotiation} does for the whole JVM.
 *
 * <p>After the first handshake of a TLS 1.2 connection a client sends no handshake record (content type 22)
 * except the ClientHello of a renegotiation; in TLS 1.3 handshake messages travel inside encrypted records and
 * there is no renegotiation. When such a record arrives, the JDK engine is left only TLS 1.3 for new handshakes
 * and given the record: a TLS 1.2 connection cannot renegotiate to 1.3, so the JDK fails that handshake with a
 * fatal {@code protocol_version} alert, encrypted with the connection's keys. This engine captures the alert,
 * {@code unwrap} throws an {@link SSLHandshakeException}, and the next {@code wrap} (the stack closing the
 * connection) sends the alert and reports {@code CLOSED}. No second handshake completes, and none can.
 *
 * <p>A handshake the server starts itself ({@link #beginHandshake()} after the first one) is not affected.
 */
final class RenegotiationRefusingEngine extends SSLEngine {
  /** The message of the exception {@code unwrap} throws. */
  static final String REFUSED = "client-initiated renegotiation refused";
  private static final byte HANDSHAKE_RECORD = 22;
  private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

  private final SSLEngine delegate;
  private volatile boolean established;
  private volatile boolean serverRenegotiating;
  private volatile BiFunction<SSLEngine, List<String>, String> selector;
  /** The fatal alert to send, once refused; then empty once sent. */
  private ByteBuffer refusal;

  RenegotiationRefusingEngine(SSLEngine delegate) {
    super(delegate.getPeerHost(), delegate.getPeerPort());
    this.delegate = delegate;
  }

  @Override
  public synchronized SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
      throws SSLException {
    if (refusal != null) {
      int n = Math.min(refusal.remaining(), dst.remaining());
      ByteBuffer chunk = refusal.slice();
      chunk.limit(n);
      dst.put(chunk);
      refusal.position(refusal.position() + n);
      return new SSLEngineResult(refusal.hasRemaining() ? SSLEngineResult.Status.BUFFER_OVERFLOW
          : SSLEngineResult.Status.CLOSED, getHandshakeStatus(), 0, n);
    }
    return observe(delegate.wrap(srcs, offset, length, dst));
  }

  @Override
  public synchronized SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
      throws SSLException {
    if (refusal != null) {
      throw new SSLHandshakeException(REFUSED);
    }
    if (isClientRenegotiation(src)) {
      if (!wholeRecord(src)) {
        return new SSLEngineResult(SSLEngineResult.Status.BUFFER_UNDERFLOW, getHandshakeStatus(), 0, 0);
      }
      refusal = refuse(src);
      throw new SSLHandshakeException(REFUSED);
    }
    return observe(delegate.unwrap(src, dsts, offset, length));
  }

  private boolean isClientRenegotiation(ByteBuffer src) {
    return established && !serverRenegotiating && !delegate.getUseClientMode() && src.hasRemaining()
        && src.get(src.position()) == HANDSHAKE_RECORD && !"TLSv1.3".equals(delegate.getSession().getProtocol());
  }

  private static boolean wholeRecord(ByteBuffer src) {
    int p = src.position();
    return src.remaining() >= 5 && src.remaining() >= 5 + (((src.get(p + 3) & 0xff) << 8) | (src.get(p + 4) & 0xff));
  }

  /** Lets the JDK fail the renegotiation and returns the alert it sends (empty if it sends none). */
  private ByteBuffer refuse(ByteBuffer src) {
    ByteBuffer out = ByteBuffer.allocate(delegate.getSession().getPacketBufferSize());
    delegate.setEnabledProtocols(new String[] {"TLSv1.3"});
    try {
      ByteBuffer ignored = ByteBuffer.allocate(delegate.getSession().getApplicationBufferSize());
      delegate.unwrap(src, ignored);
      for (Runnable task = delegate.getDelegatedTask(); task != null; task = delegate.getDelegatedTask()) {
        task.run();
      }
      delegate.wrap(NOTHING, out);
    } catch (SSLException expected) {
      // the handshake failed; the fatal alert is queued
    }
    try {
      while (!delegate.isOutboundDone()) {
        SSLEngineResult r = delegate.wrap(NOTHING, out);
        if (r.bytesProduced() == 0) {
          break;
        }
      }
    } catch (SSLException e) {
      // nothing more to send
    }
    delegate.closeOutbound();
    out.flip();
    return out;
  }

  private SSLEngineResult observe(SSLEngineResult result) {
    if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
      established = true;
      serverRenegotiating = false;
    }
    return result;
  }

  @Override
  public void beginHandshake() throws SSLException {
    if (established) {
      serverRenegotiating = true;
    }
    delegate.beginHandshake();
  }

  @Override
  public Runnable getDelegatedTask() {
    return delegate.getDelegatedTask();
  }

  @Override
  public synchronized void closeInbound() throws SSLException {
    if (refusal == null) {
      delegate.closeInbound();
    }
  }

  @Override
  public synchronized boolean isInboundDone() {
    return refusal != null || delegate.isInboundDone();
  }

  @Override
  public void closeOutbound() {
    delegate.closeOutbound();
  }

  @Override
  public synchronized boolean isOutboundDone() {
    return refusal != null ? !refusal.hasRemaining() : delegate.isOutboundDone();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return delegate.getEnabledCipherSuites();
  }

  @Override
  public void setEnabledCipherSuites(String[] suites) {
    delegate.setEnabledCipherSuites(suites);
  }

  @Override
  public String[] getSupportedProtocols() {
    return delegate.getSupportedProtocols();
  }

  @Override
  public String[] getEnabledProtocols() {
    return delegate.getEnabledProtocols();
  }

  @Override
  public void setEnabledProtocols(String[] protocols) {
    delegate.setEnabledProtocols(protocols);
  }

  @Override
  public SSLSession getSession() {
    return delegate.getSession();
  }

  @Override
  public SSLSession getHandshakeSession() {
    return delegate.getHandshakeSession();
  }

  @Override
  public synchronized SSLEngineResult.HandshakeStatus getHandshakeStatus() {
    if (refusal != null) {
      return refusal.hasRemaining() ? SSLEngineResult.HandshakeStatus.NEED_WRAP
          : SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }
    return delegate.getHandshakeStatus();
  }

  @Override
  public void setUseClientMode(boolean mode) {
    delegate.setUseClientMode(mode);
  }

  @Override
  public boolean getUseClientMode() {
    return delegate.getUseClientMode();
  }

  @Override
  public void setNeedClientAuth(boolean need) {
    delegate.setNeedClientAuth(need);
  }

  @Override
  public boolean getNeedClientAuth() {
    return delegate.getNeedClientAuth();
  }

  @Override
  public void setWantClientAuth(boolean want) {
    delegate.setWantClientAuth(want);
  }

  @Override
  public boolean getWantClientAuth() {
    return delegate.getWantClientAuth();
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    delegate.setEnableSessionCreation(flag);
  }

  @Override
  public boolean getEnableSessionCreation() {
    return delegate.getEnableSessionCreation();
  }

  @Override
  public SSLParameters getSSLParameters() {
    return delegate.getSSLParameters();
  }

  @Override
  public void setSSLParameters(SSLParameters parameters) {
    delegate.setSSLParameters(parameters);
  }

  @Override
  public String getApplicationProtocol() {
    return delegate.getApplicationProtocol();
  }

  @Override
  public String getHandshakeApplicationProtocol() {
    return delegate.getHandshakeApplicationProtocol();
  }

  @Override
  public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
    this.selector = selector;
    delegate.setHandshakeApplicationProtocolSelector(selector == null ? null
        : (engine, protocols) -> selector.apply(this, protocols));
  }

  @Override
  public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return selector;
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
