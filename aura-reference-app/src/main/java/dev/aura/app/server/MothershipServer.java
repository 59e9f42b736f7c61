package dev.aura.app.server;

import dev.aura.app.AuraException;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.PeerId;
import dev.aura.tls.CertificateRotation;
import dev.aura.tls.TlsContexts;
import dev.aura.tls.TlsVersion;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running Mothership: HTTPS (Jetty 12) serving the {@link ApiHandler} routes and the control
 * connections, with the Mothership's certificate. Records its pid and local URL in the data directory while
 * it runs.
 *
 * <pre>{@code
 * MothershipService service = MothershipService.open(dataDir, config, Clock.systemUTC());
 * try (MothershipServer server = MothershipServer.start(service, Wire.PROTOCOL_VERSION)) {
 *   System.out.println("listening: " + server.listening());
 *   server.awaitStop();
 * }
 * }</pre>
 */
public final class MothershipServer implements ServerControl, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MothershipServer.class);

  private final MothershipService mothership;
  private final Server jetty;
  private final ServerConnector connector;
  private final SslContextFactory.Server ssl;
  private final ControlSessions sessions;
  private final ClusterNotices cluster;
  private final String bind;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile InstanceHeartbeat heartbeat;

  private MothershipServer(MothershipService mothership, Server jetty, ServerConnector connector,
      SslContextFactory.Server ssl, ControlSessions sessions, String bind) {
    this.mothership = mothership;
    this.jetty = jetty;
    this.connector = connector;
    this.ssl = ssl;
    this.sessions = sessions;
    this.bind = bind;
    this.cluster = new ClusterNotices(mothership, sessions, mothership::followCertificate);
    sessions.sync().onPersisted(cluster::announceEvents);
  }

  /**
   * A listening socket that does not serve yet: bound first, so that a port in use is reported before
   * anything else happens.
   */
  public static final class Bound {
    private final MothershipConfig.Server config;
    private final Server jetty;
    private final ServerConnector connector;
    private final SslContextFactory.Server ssl;

    private Bound(MothershipConfig.Server config, Server jetty, ServerConnector connector,
        SslContextFactory.Server ssl) {
      this.config = config;
      this.jetty = jetty;
      this.connector = connector;
      this.ssl = ssl;
    }

    /** @return the port bound */
    public int port() {
      return connector.getLocalPort();
    }

    /** Releases the socket when the Mothership will not start after all. */
    public void release() {
      connector.close();
    }
  }

  /**
   * Binds the listening socket.
   *
   * @throws AuraException {@code failed to bind 0.0.0.0:7777} / {@code address already in use}, and others
   */
  public static Bound bind(MothershipConfig.Server config) throws AuraException {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("aura-http");
    threads.setDaemon(true);
    Server jetty = new Server(threads);
    jetty.setStopTimeout(2_000);
    jetty.setErrorHandler(new JsonErrorHandler());

    SslContextFactory.Server ssl = new SslContextFactory.Server();
    // TLS 1.3 only until start() applies [tls] min_version; the context refuses client-initiated
    // renegotiation with a fatal alert (TlsContexts.server), Jetty's own check stays as a second line.
    applyTlsVersion(ssl, MothershipConfig.DEFAULT_MIN_TLS_VERSION);
    ssl.setRenegotiationAllowed(false);
    ssl.setRenegotiationLimit(0);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    http.setRequestHeaderSize(8 * 1024);
    http.setResponseHeaderSize(8 * 1024);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // peers pin the certificate; host names do not add trust
    secure.setSniRequired(false);
    http.addCustomizer(secure);

    ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(http));
    connector.setHost(config.bind());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.idleTimeout().toMillis());
    connector.setAcceptQueueSize(128);
    jetty.addConnector(connector);
    try {
      connector.open();
    } catch (IOException e) {
      throw bindFailure(config.bind(), config.port(), e);
    }
    return new Bound(config, jetty, connector, ssl);
  }

  private static void applyTlsVersion(SslContextFactory.Server ssl, TlsVersion minimum) {
    ssl.setIncludeProtocols(minimum.protocols().toArray(new String[0]));
    ssl.setIncludeCipherSuites(minimum.cipherSuites().toArray(new String[0]));
  }

  /**
   * Binds and starts serving. On failure the service is closed.
   *
   * @param protocolVersion the protocol version to speak ({@link Wire#PROTOCOL_VERSION})
   * @throws AuraException {@code failed to bind 0.0.0.0:7777} / {@code address already in use}, and others
   */
  public static MothershipServer start(MothershipService mothership, int protocolVersion) throws AuraException {
    Bound bound;
    try {
      bound = bind(mothership.config().server());
    } catch (AuraException e) {
      mothership.close();
      throw e;
    }
    return start(bound, mothership, protocolVersion);
  }

  /**
   * Starts serving on a bound socket. On failure the socket is released and the service closed.
   *
   * @param protocolVersion the protocol version to speak ({@link Wire#PROTOCOL_VERSION})
   */
  public static MothershipServer start(Bound bound, MothershipService mothership, int protocolVersion)
      throws AuraException {
    Server jetty = bound.jetty;
    TlsVersion minTls = mothership.config().tls().minVersion();
    applyTlsVersion(bound.ssl, minTls);
    bound.ssl.setSslContext(TlsContexts.server(mothership.certificates().current(), minTls));
    ControlSessions sessions = new ControlSessions(mothership);
    MothershipServer server = new MothershipServer(mothership, jetty, bound.connector, bound.ssl, sessions,
        bound.config.bind());
    ApiHandler api = new ApiHandler(mothership, server, protocolVersion);
    WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(jetty, container -> {
      container.setIdleTimeout(sessions.idleTimeout());
      container.setMaxTextMessageSize(Wire.MAX_CONTROL_MESSAGE_BYTES);
      container.addMapping(Wire.CONTROL, new ControlEndpoint(mothership, sessions, protocolVersion));
    });
    upgrade.setHandler(new OperationsRoutes(mothership, api, protocolVersion));
    jetty.setHandler(upgrade);
    mothership.addRotationListener(server::reloadCertificate);
    try {
      jetty.start();
    } catch (Exception e) {
      sessions.close();
      bound.release();
      mothership.close();
      throw new AuraException("failed to start the Mothership", e.getMessage());
    }
    boolean soleInstance = mothership.stores().sqliteFile().isPresent();
    server.heartbeat = InstanceHeartbeat.start(mothership.stores().instanceRegistry(),
        bound.config.advertisedUrl(server.port()), dev.aura.app.release.AuraVersion.current(), mothership.clock(),
        () -> sessions.connected().size(), soleInstance);
    if (!soleInstance) {
      sessions.announceInstances(server.heartbeat::peerUrls);
    }
    try {
      mothership.dataDir().writeRuntime(ProcessHandle.current().pid(), server.listening(), server.localUrl());
    } catch (IOException e) {
      server.close();
      throw new AuraException("cannot record the running Mothership in " + mothership.dataDir().root(),
          e.getMessage());
    }
    LOG.info("Mothership {} listening on {}", mothership.id(), server.listening());
    return server;
  }

  /**
   * Describes a bind failure as the troubleshooting guide prints it.
   *
   * @return {@code failed to bind HOST:PORT} with the reason as the cause
   */
  public static AuraException bindFailure(String bind, int port, IOException e) {
    String what = "failed to bind " + hostPort(bind, port);
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof BindException)) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    if (cause instanceof UnknownHostException || e instanceof UnknownHostException) {
      return new AuraException(what, "unknown host " + bind);
    }
    if (message.contains("in use")) {
      return new AuraException(what, "address already in use");
    }
    if (message.contains("permission denied") || message.contains("access denied")) {
      if (port > 0 && port < 1024) {
        return new AuraException(what, "permission denied: ports below 1024 need root or the"
            + " CAP_NET_BIND_SERVICE capability: run it as the release's systemd unit"
            + " (systemd/aura-mothership.service grants it with AmbientCapabilities), or pick a port from 1024 up"
            + " with --port");
      }
      return new AuraException(what, "permission denied");
    }
    if (message.contains("assign requested address") || message.contains("not available")) {
      return new AuraException(what, "address not available on this host (check --bind)");
    }
    return new AuraException(what, cause.getMessage() == null ? cause.toString() : cause.getMessage());
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /** @return whether a bind address listens on every interface */
  public static boolean isWildcard(String bind) {
    return bind.isEmpty() || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
  }

  /** @return whether a bind address is loopback-only */
  public static boolean isLoopback(String bind) {
    if (bind.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return !isWildcard(bind) && InetAddress.getByName(bind.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** @return the URL the CLI on this host uses: loopback for a wildcard bind, else the bind address */
  public URI localUrl() {
    String host = isWildcard(bind) ? (bind.contains(":") ? "[::1]" : "127.0.0.1") : bind;
    return URI.create("https://" + hostPort(host, port()));
  }

  /** @return the port actually bound */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public String listening() {
    return hostPort(bind, port());
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public Set<PeerId> connectedPeers() {
    return sessions.connected();
  }

  @Override
  public int kick(PeerId peer, String reason) {
    return sessions.kick(peer, ControlSessions.KICKED, reason);
  }

  @Override
  public int kickEverywhere(PeerId peer, String reason) {
    return cluster.kickEverywhere(peer, reason);
  }

  @Override
  public long eventsPerMinute(PeerId peer) {
    return sessions.sync().eventsPerMinute(peer);
  }

  @Override
  public java.util.Optional<String> directConnects(PeerId peer) {
    return sessions.direct().directConnects(peer);
  }

  @Override
  public int syncPushesInFlight() {
    return sessions.sync().pushesInFlight();
  }

  @Override
  public java.util.Map<String, Long> syncRelayCursors() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    sessions.sync().relayCursors().forEach((w, n) -> out.put(w.value(), n));
    return out;
  }

  @Override
  public java.util.Map<String, Integer> syncSubscribers() {
    java.util.Map<String, Integer> out = new java.util.TreeMap<>();
    sessions.sync().subscriberCounts().forEach((w, n) -> out.put(w.value(), n));
    return out;
  }

  @Override
  public java.util.Optional<InstanceHeartbeat> instances() {
    return java.util.Optional.ofNullable(heartbeat);
  }

  @Override
  public void shutdownSoon() {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      close();
    }, "aura-shutdown");
    t.setDaemon(false);
    t.start();
  }

  /** @return the service behind this server */
  public MothershipService mothership() {
    return mothership;
  }

  private void reloadCertificate(CertificateRotation rotation) {
    try {
      TlsVersion minTls = mothership.config().tls().minVersion();
      ssl.reload(f -> f.setSslContext(TlsContexts.server(rotation.identity(), minTls)));
      LOG.info("now serving certificate {}", rotation.identity().fingerprint());
    } catch (Exception e) {
      LOG.error("could not switch to the rotated certificate; restart the Mothership", e);
    }
  }

  /** Blocks until the server stopped (by {@link #close()}, the admin API or a signal). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** @return whether the server stopped within {@code timeout} */
  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Stops serving, closes the control connections and the stores, removes the runtime files. Idempotent. */
  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      cluster.close();
      sessions.close();
      try {
        jetty.stop();
      } catch (Exception e) {
        LOG.warn("error while stopping the HTTPS server: {}", e.toString());
      }
      if (heartbeat != null) {
        heartbeat.close();
      }
      mothership.close();
      try {
        mothership.dataDir().clearRuntime();
      } catch (IOException e) {
        LOG.warn("could not remove the runtime files: {}", e.getMessage());
      }
      LOG.info("Mothership {} stopped", mothership.id());
    } finally {
      stopped.countDown();
    }
  }
}
