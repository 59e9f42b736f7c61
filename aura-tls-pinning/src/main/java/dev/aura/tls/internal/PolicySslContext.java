package dev.aura.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose sockets, server sockets and engines only ever enable the given protocols and
 * cipher suites (those of them the JDK supports), and whose default and supported parameters say so.
 *
 * <p>A server context ({@link #wrapServer}) wraps every engine so that, in server mode, it refuses
 * client-initiated renegotiation ({@link RenegotiationRefusingEngine}).
 *
 * <p>With a per-connection source, every client socket and engine comes from a freshly initialized context,
 * so its session cache is empty and no session is ever resumed: a resumed session would skip the trust
 * manager, and with it the pin windows and validity dates checked against the injected clock.
 */
public final class PolicySslContext {
  private PolicySslContext() {}

  /**
   * @param delegate an initialized context
   * @param protocols allowed protocols, in preference order
   * @param cipherSuites allowed suites, in preference order
   * @return a context that applies the policy to everything it creates; {@code init} on it is refused
   * @throws IllegalStateException when the JDK supports none of the protocols or suites
   */
  public static SSLContext wrap(SSLContext delegate, List<String> protocols, List<String> cipherSuites) {
    return wrap(delegate, () -> delegate, protocols, cipherSuites);
  }

  /**
   * Like {@link #wrap(SSLContext, List, List)}, and every engine refuses client-initiated renegotiation when
   * it is in server mode.
   *
   * @param delegate an initialized context
   * @param protocols allowed protocols, in preference order
   * @param cipherSuites allowed suites, in preference order
   * @return the policy context
   * @throws IllegalStateException when the JDK supports none of the protocols or suites
   */
  public static SSLContext wrapServer(SSLContext delegate, List<String> protocols, List<String> cipherSuites) {
    return wrap(delegate, () -> delegate, protocols, cipherSuites, true);
  }

  /**
   * @param template an initialized context, for parameters and session contexts
   * @param perConnection gives the initialized context each socket or engine is created from; a new one per
   *     call disables session resumption
   * @param protocols allowed protocols, in preference order
   * @param cipherSuites allowed suites, in preference order
   * @return a context that applies the policy to everything it creates; {@code init} on it is refused
   * @throws IllegalStateException when the JDK supports none of the protocols or suites
   */
  public static SSLContext wrap(SSLContext template, Supplier<SSLContext> perConnection, List<String> protocols,
      List<String> cipherSuites) {
    return wrap(template, perConnection, protocols, cipherSuites, false);
  }

  /**
   * Like {@link #wrap(SSLContext, Supplier, List, List)} for both ends of a peer-to-peer connection: every
   * socket, server socket and engine in server mode requires a client certificate, and engines in server mode
   * refuse client-initiated renegotiation.
   *
   * @param template an initialized context, for parameters and session contexts
   * @param perConnection gives the initialized context each socket or engine is created from
   * @param protocols allowed protocols, in preference order
   * @param cipherSuites allowed suites, in preference order
   * @return the policy context
   */
  public static SSLContext wrapMutual(SSLContext template, Supplier<SSLContext> perConnection,
      List<String> protocols, List<String> cipherSuites) {
    return wrap(template, perConnection, protocols, cipherSuites, true, true);
  }

  private static SSLContext wrap(SSLContext template, Supplier<SSLContext> perConnection, List<String> protocols,
      List<String> cipherSuites, boolean refuseClientRenegotiation) {
    return wrap(template, perConnection, protocols, cipherSuites, refuseClientRenegotiation, false);
  }

  private static SSLContext wrap(SSLContext template, Supplier<SSLContext> perConnection, List<String> protocols,
      List<String> cipherSuites, boolean refuseClientRenegotiation, boolean needClientAuth) {
    SSLParameters supported = template.getSupportedSSLParameters();
    String[] enabledProtocols = intersect(protocols, supported.getProtocols(), "protocols");
    String[] enabledSuites = intersect(cipherSuites, supported.getCipherSuites(), "cipher suites");
    Spi spi = new Spi(template, perConnection, enabledProtocols, enabledSuites, refuseClientRenegotiation,
        needClientAuth);
    return new SSLContext(spi, template.getProvider(), template.getProtocol()) {};
  }

  private static String[] intersect(List<String> wanted, String[] available, String what) {
    List<String> availableList = Arrays.asList(available);
    String[] result = wanted.stream().filter(availableList::contains).toArray(String[]::new);
    if (result.length == 0) {
      throw new IllegalStateException("this JDK supports none of the required " + what + " " + wanted);
    }
    return result;
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;
    private final Supplier<SSLContext> perConnection;
    private final String[] protocols;
    private final String[] suites;
    private final boolean refuseClientRenegotiation;
    private final boolean needClientAuth;
    private final SSLSocketFactory socketFactory;
    private final SSLServerSocketFactory serverSocketFactory;

    Spi(SSLContext delegate, Supplier<SSLContext> perConnection, String[] protocols, String[] suites,
        boolean refuseClientRenegotiation, boolean needClientAuth) {
      this.delegate = delegate;
      this.perConnection = perConnection;
      this.protocols = protocols;
      this.suites = suites;
      this.refuseClientRenegotiation = refuseClientRenegotiation;
      this.needClientAuth = needClientAuth;
      this.socketFactory = new SocketFactory(() -> perConnection.get().getSocketFactory(), this);
      this.serverSocketFactory = new ServerSocketFactory(delegate.getServerSocketFactory(), this);
    }

    SSLParameters restrict(SSLParameters parameters) {
      parameters.setProtocols(protocols.clone());
      parameters.setCipherSuites(suites.clone());
      parameters.setUseCipherSuitesOrder(true);
      if (needClientAuth) {
        parameters.setNeedClientAuth(true); // applies in server mode only
      }
      return parameters;
    }

    <T extends Socket> T configure(T socket) {
      if (socket instanceof SSLSocket) {
        SSLSocket ssl = (SSLSocket) socket;
        ssl.setSSLParameters(restrict(ssl.getSSLParameters()));
      }
      return socket;
    }

    SSLEngine configure(SSLEngine engine) {
      engine.setSSLParameters(restrict(engine.getSSLParameters()));
      return refuseClientRenegotiation ? new RenegotiationRefusingEngine(engine) : engine;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      throw new KeyManagementException("this SSLContext is already initialized");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return socketFactory;
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return serverSocketFactory;
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return configure(perConnection.get().createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return configure(perConnection.get().createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return restrict(delegate.getDefaultSSLParameters());
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return restrict(delegate.getSupportedSSLParameters());
    }
  }

  private static final class SocketFactory extends SSLSocketFactory {
    private final Supplier<SSLSocketFactory> delegates;
    private final Spi policy;

    SocketFactory(Supplier<SSLSocketFactory> delegates, Spi policy) {
      this.delegates = delegates;
      this.policy = policy;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return policy.suites.clone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return policy.suites.clone();
    }

    @Override
    public Socket createSocket() throws IOException {
      return policy.configure(delegates.get().createSocket());
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
      return policy.configure(delegates.get().createSocket(socket, host, port, autoClose));
    }

    @Override
    public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
      return policy.configure(delegates.get().createSocket(socket, consumed, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return policy.configure(delegates.get().createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return policy.configure(delegates.get().createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return policy.configure(delegates.get().createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      return policy.configure(delegates.get().createSocket(address, port, localAddress, localPort));
    }
  }

  private static final class ServerSocketFactory extends SSLServerSocketFactory {
    private final SSLServerSocketFactory delegate;
    private final Spi policy;

    ServerSocketFactory(SSLServerSocketFactory delegate, Spi policy) {
      this.delegate = delegate;
      this.policy = policy;
    }

    private ServerSocket configure(ServerSocket socket) {
      if (socket instanceof SSLServerSocket) {
        SSLServerSocket ssl = (SSLServerSocket) socket;
        ssl.setSSLParameters(policy.restrict(ssl.getSSLParameters()));
      }
      return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return policy.suites.clone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return policy.suites.clone();
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return configure(delegate.createServerSocket());
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return configure(delegate.createServerSocket(port));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      return configure(delegate.createServerSocket(port, backlog));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
      return configure(delegate.createServerSocket(port, backlog, address));
    }
  }
}
