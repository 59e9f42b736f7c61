package dev.aura.app.server;

import dev.aura.app.protocol.Wire;
import dev.aura.spi.StoreException;
import dev.aura.token.TokenDecoder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * Accepts control connections at {@link Wire#CONTROL}: the upgrade request must carry the protocol version
 * and the peer's refresh credential as a bearer token; a refused one gets the same JSON error as any API
 * request ({@code 403 peer revoked}, {@code 400 protocol version mismatch ...}).
 */
final class ControlEndpoint implements WebSocketCreator {
  private final MothershipService mothership;
  private final ControlSessions sessions;
  private final int protocolVersion;

  ControlEndpoint(MothershipService mothership, ControlSessions sessions, int protocolVersion) {
    this.mothership = mothership;
    this.sessions = sessions;
    this.protocolVersion = protocolVersion;
  }

  @Override
  public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
    String source = Request.getRemoteAddr(request);
    try {
      RequestFields.checkProtocol(request.getHeaders().get(Wire.PROTOCOL_HEADER), protocolVersion,
          Wire.MISMATCH_FIX);
      String credential = RequestFields.bearer(request.getHeaders().get(HttpHeader.AUTHORIZATION));
      if (credential == null) {
        throw new ApiException(401, "unauthenticated", "authentication required", "send the refresh credential");
      }
      MothershipService.PeerSession session = mothership.authenticatePeer(credential,
          source == null ? "unknown" : source);
      Object kid = TokenDecoder.decode(credential).header().map(h -> h.get("kid")).orElse(null);
      return new ControlSocket(sessions, session, mothership.grantOf(session.peer()), kid instanceof String k ? k : "");
    } catch (ApiException e) {
      reject(response, callback, e.status(), Wire.write(e.body()));
      return null;
    } catch (StoreException e) {
      reject(response, callback, 503, Wire.write(ApiException.storeUnreachable("opening a control connection", e)
          .body()));
      return null;
    }
  }

  private void reject(ServerUpgradeResponse response, Callback callback, int status, String json) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(Wire.PROTOCOL_HEADER, Integer.toString(protocolVersion));
    Content.Sink.write(response, true, json + "\n", callback);
  }

}
