package dev.aura.app.server;

import dev.aura.access.PeerGrant;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's end of a control connection on the server (a Jetty WebSocket listener; Jetty requires it to be
 * public). Hands everything to {@link ControlSessions}.
 */
public final class ControlSocket implements Session.Listener.AutoDemanding {
  private static final Logger LOG = LoggerFactory.getLogger(ControlSocket.class);

  private final ControlSessions sessions;
  private final MothershipService.PeerSession peer;
  private final String kid;
  private final PeerGrant grant;
  private ControlSessions.Connection connection;

  ControlSocket(ControlSessions sessions, MothershipService.PeerSession peer, PeerGrant grant, String kid) {
    this.sessions = sessions;
    this.peer = peer;
    this.grant = grant;
    this.kid = kid;
  }

  /** Registers the connection and greets the peer. */
  @Override
  public void onWebSocketOpen(Session session) {
    connection = new ControlSessions.Connection(session, peer.peer(), grant, kid);
    sessions.opened(connection);
  }

  /** Handles a message from the peer. */
  @Override
  public void onWebSocketText(String message) {
    if (connection != null) {
      sessions.received(connection, message);
    }
  }

  /** Forgets the connection. */
  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    if (connection != null) {
      sessions.closed(connection);
    }
    callback.succeed();
  }

  /** Forgets the connection. */
  @Override
  public void onWebSocketError(Throwable cause) {
    LOG.debug("control connection of {} failed: {}", peer.peer().peer(), cause.toString());
    if (connection != null) {
      sessions.closed(connection);
    }
  }
}
