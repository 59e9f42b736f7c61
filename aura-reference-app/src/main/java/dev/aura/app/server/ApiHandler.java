package dev.aura.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;
import dev.aura.revocation.LaggingPeer;
import dev.aura.revocation.Revocation;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.AuditVerification;
import dev.aura.spi.PeerId;
import dev.aura.spi.PeerRecord;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.Role;
import dev.aura.spi.StoreException;
import dev.aura.spi.StoredSigningKey;
import dev.aura.token.IssuedJoinToken;
import dev.aura.token.IssuedRefreshCredential;
import dev.aura.token.JoinTokenRequest;
import dev.aura.token.TokenDuration;
import dev.aura.token.TokenIssuanceException;
import dev.aura.token.TokenRejectedException;
import dev.aura.tls.CertificateRotation;
import dev.aura.tls.PinHandover;
import dev.aura.tls.PreviousCertificate;
import dev.aura.tls.TlsIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP route of the Mothership, as JSON over HTTPS (Jetty core handler, no servlets):
 *
 * <pre>
 * GET  /healthz                200 {"status":"ok"} | 503 {"status":"degraded","reason":"..."}
 * GET  /metrics                Prometheus text
 * GET  /v1/time                the server's time
 * GET  /v1/keys                public signing keys (JWK set)
 * GET  /v1/revocations?since=N signed revocation update
 * GET  /v1/pins                signed pin handovers of certificates in grace
 * POST /v1/join                {"token", "addresses"} -> peer id and refresh credential
 * POST /v1/refresh             rotate the bearer's refresh credential
 * POST /v1/reassert            {"id_token"}: the bearer peer signed in at the IdP again ([oidc] reassert_every)
 * GET  /v1/ping                check the bearer's credential, server time
 * /v1/admin/...                admin API (bearer: admin credential, or an admin peer's credential)
 * </pre>
 *
 * <p>Every {@code /v1/} request carries {@code Aura-Protocol}; bodies are capped at
 * {@link Wire#MAX_BODY_BYTES}; errors are JSON with the product's wording.
 */
public final class ApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  /** The request attribute holding when the request reached this handler, by the Mothership's clock. */
  private static final String RECEIVED_AT = ApiHandler.class.getName() + ".receivedAt";

  private interface Route {
    JsonNode handle(Call call) throws Exception;
  }

  private final MothershipService mothership;
  private final ServerControl server;
  private final int protocolVersion;
  private final Map<String, Route> routes = new HashMap<>();
  private final BlobRoutes blobs;

  /**
   * @param mothership the service
   * @param server the running server
   * @param protocolVersion the protocol version this server speaks ({@link Wire#PROTOCOL_VERSION})
   */
  public ApiHandler(MothershipService mothership, ServerControl server, int protocolVersion) {
    this.mothership = mothership;
    this.server = server;
    this.protocolVersion = protocolVersion;
    this.blobs = new BlobRoutes(mothership);
    route("GET", Wire.TIME, this::time);
    route("GET", Wire.KEYS, c -> Wire.json().readTree(mothership.keys().publicKeys().toJwkSetJson()));
    route("GET", Wire.REVOCATIONS, this::revocations);
    route("GET", Wire.PINS, this::pins);
    route("POST", Wire.JOIN, this::join);
    route("POST", Wire.REFRESH, this::refresh);
    route("POST", Wire.REASSERT, this::reassert);
    route("GET", Wire.PING, this::ping);
    route("GET", Wire.ADMIN + "status", this::status);
    route("POST", Wire.ADMIN + "tokens", this::issue);
    route("POST", Wire.ADMIN + "tokens/bulk", this::issueBulk);
    route("POST", Wire.ADMIN + "tokens/revoke", this::revokeToken);
    route("POST", Wire.ADMIN + "tokens/inspect", this::inspect);
    route("GET", Wire.ADMIN + "peers", this::peers);
    route("POST", Wire.ADMIN + "peers/revoke", this::revokePeer);
    route("POST", Wire.ADMIN + "peers/unrevoke", this::unrevokePeer);
    route("POST", Wire.ADMIN + "peers/kick", this::kick);
    route("POST", Wire.ADMIN + "peers/workspaces", this::peerWorkspaces);
    route("GET", Wire.ADMIN + "audit", this::audit);
    route("GET", Wire.ADMIN + "audit/verify", this::verifyAudit);
    route("POST", Wire.ADMIN + "audit/take-back", this::takeBackAudit);
    route("POST", Wire.ADMIN + "rotate-key", this::rotateKey);
    route("GET", Wire.ADMIN + "tls", this::tlsInfo);
    route("POST", Wire.ADMIN + "tls/rotate", this::tlsRotate);
    route("POST", Wire.ADMIN + "shutdown", this::shutdown);
  }

  private void route(String method, String path, Route route) {
    routes.put(method + " " + path, route);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    request.setAttribute(RECEIVED_AT, mothership.clock().instant()); // first: NTP's t2, see send()
    String path = request.getHttpURI().getPath();
    response.getHeaders().put(Wire.PROTOCOL_HEADER, Integer.toString(protocolVersion));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    try {
      if (Wire.HEALTHZ.equals(path)) {
        List<String> problems = mothership.healthProblems();
        ObjectNode body = Wire.object();
        body.put("status", problems.isEmpty() ? "ok" : "degraded");
        if (!problems.isEmpty()) {
          body.put("reason", String.join(",", problems));
        }
        send(response, callback, problems.isEmpty() ? 200 : 503, body);
        return true;
      }
      if (Wire.METRICS.equals(path)) {
        sendText(response, callback, 200, mothership.metrics().contentType(), metricsText());
        return true;
      }
      if (path == null || !path.startsWith("/v1/")) {
        throw ApiException.notFound("no such route", request.getMethod() + " " + RequestFields.printable(path));
      }
      checkProtocol(request);
      if (path.startsWith(Wire.SYNC)) {
        Call call = new Call(request);
        call.principal();
        if (call.session == null) {
          throw new ApiException(403, "peers_only", "peers only", "sync routes take a peer's refresh credential");
        }
        BlobRoutes.Answer answer = blobs.handle(request, call.session, call::body);
        if (answer instanceof BlobRoutes.Blob blob) {
          BlobRoutes.write(response, blob);
          callback.succeeded();
        } else {
          send(response, callback, 200, ((BlobRoutes.Json) answer).body());
        }
        return true;
      }
      Route route = routes.get(request.getMethod() + " " + path);
      if (route == null) {
        boolean otherMethod = routes.keySet().stream().anyMatch(k -> k.endsWith(" " + path));
        if (otherMethod) {
          throw new ApiException(405, "method_not_allowed", "method not allowed", request.getMethod() + " "
              + path);
        }
        throw ApiException.notFound("no such route", request.getMethod() + " " + RequestFields.printable(path));
      }
      JsonNode body = route.handle(new Call(request));
      send(response, callback, 200, body == null ? Wire.object() : body);
    } catch (ApiException e) {
      send(response, callback, e.status(), e.body());
    } catch (TokenRejectedException e) {
      send(response, callback, 403, rejection(e));
    } catch (StoreException e) {
      send(response, callback, 503, ApiException.storeUnreachable(request.getMethod() + " " + path, e).body());
    } catch (Exception e) {
      if (cutShort(e)) { // the client went away mid-request (a killed peer): not the Mothership's fault
        LOG.info("{} {}: the request was cut short by the client ({})", request.getMethod(), path, e.getMessage());
        send(response, callback, 400, new ApiException(400, "cut_short", "request cut short", null).body());
        return true;
      }
      LOG.error("internal error on {} {}", request.getMethod(), path, e);
      send(response, callback, 500, new ApiException(500, "internal", "internal error",
          "see the Mothership's log").body());
    }
    return true;
  }

  private static boolean cutShort(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.eclipse.jetty.io.EofException) {
        return true;
      }
    }
    return false;
  }

  private void checkProtocol(Request request) throws ApiException {
    RequestFields.checkProtocol(request.getHeaders().get(Wire.PROTOCOL_HEADER), protocolVersion,
        Wire.MISMATCH_FIX);
  }

  private ObjectNode rejection(TokenRejectedException e) {
    String text = e.reason().text();
    String detail = e.getMessage().startsWith(text + ": ") ? e.getMessage().substring(text.length() + 2) : null;
    ObjectNode body = new ApiException(403, e.reason().code(), text, detail).body();
    body.put("server_time", mothership.clock().instant().toString());
    e.clockOffset().ifPresent(offset -> body.put("clock_offset_seconds", offset.toSeconds()));
    return body;
  }

  private String metricsText() {
    return mothership.metrics().scrape(server);
  }

  // ------------------------------------------------------------------ peer routes

  private JsonNode time(Call call) {
    ObjectNode body = Wire.object();
    body.put("server_time", mothership.clock().instant().toString());
    body.put("mothership_id", mothership.id().value());
    body.put("protocol", protocolVersion);
    return body;
  }

  private JsonNode revocations(Call call) throws Exception {
    long since = call.longParameter("since", 0);
    call.authenticatePeerOrAdmin();
    ObjectNode body = Wire.object();
    body.put("document", mothership.publisher().fetchSince(since));
    body.put("version", mothership.revocations().version());
    return body;
  }

  private JsonNode pins(Call call) {
    Instant now = mothership.clock().instant();
    ObjectNode body = Wire.object();
    body.put("current", mothership.certificates().current().fingerprint().toString());
    ArrayNode handovers = body.putArray("handovers");
    for (PinHandover h : mothership.certificates().ring().handovers(now)) {
      handovers.add(h.compact());
    }
    return body;
  }

  private JsonNode join(Call call) throws Exception {
    ObjectNode request = call.body();
    String token = requireText(request, "token");
    List<String> addresses = new ArrayList<>();
    JsonNode list = request.get("addresses");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw ApiException.badRequest("invalid request", "'addresses' must be an array of strings");
      }
      for (JsonNode a : list) {
        if (!a.isTextual()) {
          throw ApiException.badRequest("invalid request", "'addresses' must be an array of strings");
        }
        addresses.add(a.asText());
      }
    }
    MothershipService.Joined joined = mothership.join(token, idToken(request), addresses, call.remote());
    ObjectNode body = credentialBody(joined.credential());
    body.put("subject", joined.peer().subject());
    body.put("role", joined.peer().role().wireName());
    body.put("mothership_id", mothership.id().value());
    body.put("heartbeat_seconds", mothership.config().peers().heartbeatInterval().toSeconds());
    body.put("revocation_version", mothership.revocations().version());
    ArrayNode announced = body.putArray("announced");
    joined.peer().announcedAddresses().forEach(announced::add);
    server.instances().ifPresent(i -> i.addPeerUrls(body));
    return body;
  }

  private ObjectNode credentialBody(IssuedRefreshCredential credential) {
    ObjectNode body = Wire.object();
    body.put("peer_id", credential.peer().value());
    body.put("refresh_credential", credential.credential());
    body.put("credential_expires", credential.expiresAt().toString());
    body.put("rotate_after", credential.rotateAfter().toString());
    body.put("server_time", mothership.clock().instant().toString());
    return body;
  }

  /** The optional {@code id_token} of a join or reassertion: the IdP's assertion, never logged. */
  private static String idToken(ObjectNode request) throws ApiException {
    JsonNode value = request.get("id_token");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiException.badRequest("invalid request", "'id_token' must be a string");
    }
    return value.asText();
  }

  private JsonNode reassert(Call call) throws Exception {
    String bearer = call.bearer();
    if (bearer == null) {
      throw new ApiException(401, "unauthenticated", "authentication required", "send the refresh credential");
    }
    dev.aura.oidc.VerifiedAssertion a = mothership.reassert(bearer, idToken(call.body()), call.remote());
    ObjectNode body = Wire.object();
    body.put("issuer", a.issuer().toString());
    body.put("subject", a.subject());
    body.put("server_time", mothership.clock().instant().toString());
    return body;
  }

  private JsonNode refresh(Call call) throws Exception {
    String bearer = call.bearer();
    if (bearer == null) {
      throw new ApiException(401, "unauthenticated", "authentication required", "send the refresh credential");
    }
    try {
      ObjectNode body = credentialBody(mothership.refresh(bearer, call.remote()));
      server.instances().ifPresent(i -> i.addPeerUrls(body));
      return body;
    } catch (TokenRejectedException e) {
      throw MothershipService.peerRejection(e);
    }
  }

  private JsonNode ping(Call call) throws Exception {
    Principal who = call.principal();
    ObjectNode body = Wire.object();
    body.put("server_time", mothership.clock().instant().toString());
    body.put("mothership_id", mothership.id().value());
    body.put("actor", who.actor());
    body.put("role", who.role().wireName());
    if (who.peer() != null) {
      body.put("peer_id", who.peer().value());
      Object kid = dev.aura.token.TokenDecoder.decode(call.bearer()).header().map(h -> h.get("kid")).orElse(null);
      body.put("rotate", call.session.peer().shouldRotate(mothership.clock().instant())
          || !mothership.keys().primaryKid().equals(kid));
      server.instances().ifPresent(i -> i.addPeerUrls(body)); // a peer that only pings learns new instances
    }
    body.put("revocation_version", mothership.revocations().version());
    return body;
  }

  // ------------------------------------------------------------------ admin routes

  private JsonNode status(Call call) throws Exception {
    call.principal().requireAdmin("status");
    Instant now = mothership.clock().instant();
    ObjectNode body = Wire.object();
    body.put("listening", server.listening());
    body.put("pid", server.pid());
    body.put("mothership_id", mothership.id().value());
    body.set("tls", tlsBody(now));
    ArrayNode keys = body.putArray("key_ring");
    for (StoredSigningKey k : mothership.keys().describe()) {
      ObjectNode key = keys.addObject();
      key.put("kid", k.kid());
      key.put("algorithm", k.algorithm());
      key.put("status", k.status() == StoredSigningKey.KeyStatus.PRIMARY ? "primary" : "retired");
      key.put("created_at", k.createdAt().toString());
      k.retireAtIfAny().ifPresent(t -> key.put("retire_at", t.toString()));
    }
    ObjectNode store = body.putObject("store");
    store.put("kind", mothership.stores().databaseKind());
    store.put("location", mothership.stores().location());
    body.put("connected_peers", server.connectedPeers().size());
    // Status still answers, promptly, when the database is out of reach: no read that would wait for it.
    List<String> problems = mothership.healthProblems();
    boolean storeDown = problems.contains("store_unreachable");
    try {
      body.put("registered_peers", storeDown ? null : mothership.stores().peerStore().list().size());
    } catch (StoreException e) {
      body.putNull("registered_peers");
    }
    body.put("revocation_version", mothership.revocations().version());
    ArrayNode lagging = body.putArray("lagging_peers");
    for (LaggingPeer p : mothership.revocations().laggingPeers()) {
      ObjectNode l = lagging.addObject();
      l.put("peer_id", p.peer().value());
      l.put("acknowledged_version", p.acknowledgedVersion());
      l.put("behind_by", p.behindBy());
      l.put("acknowledged_at", p.acknowledgedAt().toString());
    }
    body.put("health", problems.isEmpty() ? "ok" : "degraded: " + String.join(",", problems));
    body.set("sync", syncBody(storeDown));
    server.instances().ifPresent(i -> body.set("group", i.describe(storeDown)));
    return body;
  }

  private ObjectNode syncBody(boolean storeDown) throws Exception {
    dev.aura.sync.EventLogStats stats = mothership.eventLog().stats();
    ObjectNode sync = Wire.object();
    sync.put("store", mothership.eventLog().databaseKind() + " " + mothership.eventLog().location());
    sync.put("workers", mothership.config().sync().workers());
    sync.put("backlog", stats.backlogEvents());
    sync.put("pushes_in_flight", server.syncPushesInFlight());
    sync.put("events_persisted", stats.persistedEvents());
    sync.put("commits", stats.commits());
    sync.put("last_commit_ms", stats.lastCommitLatency().toMillis());
    sync.put("recent_max_commit_ms", stats.recentMaxCommitLatency().toMillis());
    mothership.walBehind().ifPresent(why -> sync.put("wal_behind", why));
    Map<String, Integer> subscribers = server.syncSubscribers();
    Map<String, Long> cursors = server.syncRelayCursors();
    ArrayNode workspaces = sync.putArray("workspaces");
    Map<dev.aura.spi.WorkspaceName, Long> heads = new java.util.TreeMap<>(
        java.util.Comparator.comparing(dev.aura.spi.WorkspaceName::value));
    if (storeDown) {
      sync.put("workspaces_error", "cannot reach the database: store_unreachable");
    } else {
      try {
        heads.putAll(mothership.eventLog().heads());
      } catch (Exception e) {
        sync.put("workspaces_error", "cannot reach the database: " + e.getMessage());
      }
    }
    for (Map.Entry<dev.aura.spi.WorkspaceName, Long> w : heads.entrySet()) {
      ObjectNode o = workspaces.addObject();
      o.put("name", w.getKey().value());
      o.put("head", w.getValue());
      o.put("subscribers", subscribers.getOrDefault(w.getKey().value(), 0));
      Long cursor = cursors.get(w.getKey().value());
      o.put("relay_behind", cursor == null ? 0 : Math.max(0, w.getValue() - cursor));
    }
    return sync;
  }

  private ObjectNode tlsBody(Instant now) {
    TlsIdentity current = mothership.certificates().current();
    ObjectNode tls = Wire.object();
    identityFields(tls, current);
    tls.put("certificate_file", mothership.certificates().certificateFile().toString());
    tls.put("operator_provided", mothership.certificates().operatorProvided());
    ArrayNode previous = tls.putArray("previous");
    for (PreviousCertificate p : mothership.certificates().ring().previous()) {
      if (p.inGraceAt(now)) {
        ObjectNode o = previous.addObject();
        o.put("fingerprint", p.identity().fingerprint().toString());
        o.put("accepted_until", p.retireAt().toString());
      }
    }
    return tls;
  }

  /** Writes fingerprint, subject and validity of a certificate. */
  static void identityFields(ObjectNode into, TlsIdentity identity) {
    into.put("fingerprint", identity.fingerprint().toString());
    into.put("subject", identity.subject());
    into.put("not_before", identity.notBefore().toString());
    into.put("not_after", identity.notAfter().toString());
  }

  private JsonNode issue(Call call) throws Exception {
    Principal who = call.principal();
    who.requireAdmin("token issue");
    ObjectNode r = call.body();
    JoinTokenRequest request;
    try {
      JoinTokenRequest.Builder builder = JoinTokenRequest.forSubject(requireText(r, "for"));
      if (r.hasNonNull("role")) {
        builder.role(Role.parse(r.get("role").asText()));
      }
      if (r.hasNonNull("expires_in")) {
        builder.expiresIn(TokenDuration.parse(r.get("expires_in").asText()));
      }
      if (r.hasNonNull("one_shot") && r.get("one_shot").asBoolean()) {
        builder.oneShot();
      }
      if (r.hasNonNull("uses")) {
        builder.uses(r.get("uses").asInt());
      }
      if (r.has("workspaces")) {
        JsonNode names = r.get("workspaces");
        if (!names.isArray()) {
          throw ApiException.badRequest("invalid request", "'workspaces' must be an array of strings");
        }
        for (JsonNode name : names) {
          if (!name.isTextual()) {
            throw ApiException.badRequest("invalid request", "'workspaces' must be an array of strings");
          }
          builder.workspace(dev.aura.spi.WorkspaceName.parse(name.asText()));
        }
      }
      request = builder.build();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage(), null);
    }
    try {
      return tokenBody(mothership.issue(request, who));
    } catch (TokenIssuanceException e) {
      throw ApiException.badRequest(e.getMessage(), null);
    }
  }

  private static ObjectNode tokenBody(IssuedJoinToken t) {
    ObjectNode body = Wire.object();
    body.put("token", t.token());
    body.put("jti", t.jti().value());
    body.put("subject", t.subject());
    body.put("role", t.role().wireName());
    body.put("issued_at", t.issuedAt().toString());
    body.put("expires", t.expiresAt().toString());
    body.put("one_shot", t.oneShot());
    body.put("uses", t.uses());
    body.put("fingerprint", t.fingerprint().toString());
    return body;
  }

  private JsonNode issueBulk(Call call) throws Exception {
    Principal who = call.principal();
    who.requireAdmin("token issue --bulk");
    ObjectNode r = call.body();
    String csv = requireText(r, "csv");
    TokenDuration expiry;
    try {
      expiry = r.hasNonNull("expires_in") ? TokenDuration.parse(r.get("expires_in").asText())
          : JoinTokenRequest.DEFAULT_EXPIRY;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage(), null);
    }
    List<IssuedJoinToken> tokens;
    try {
      tokens = mothership.issueBulk(csv, expiry, who);
    } catch (TokenIssuanceException e) {
      throw ApiException.badRequest("invalid bulk file", e.getMessage());
    }
    ObjectNode body = Wire.object();
    ArrayNode rows = body.putArray("tokens");
    tokens.forEach(t -> rows.add(tokenBody(t)));
    return body;
  }

  private JsonNode revokeToken(Call call) throws Exception {
    Principal who = call.principal();
    who.requireAdmin("token revoke");
    String jti = requireText(call.body(), "jti");
    RevocationTarget target;
    try {
      target = RevocationTarget.jti(dev.aura.spi.Jti.parse(jti));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage(), null);
    }
    return revocationBody(mothership.revoke(target, who));
  }

  private JsonNode revokePeer(Call call) throws Exception {
    Principal who = call.principal();
    who.requireAdmin("peer revoke");
    RevocationTarget target = target(call);
    Revocation revocation = mothership.revoke(target, who);
    ObjectNode body = revocationBody(revocation);
    ArrayNode affected = body.putArray("peers");
    for (PeerRecord p : mothership.stores().peerStore().list()) {
      if (revocation.refusesPeer(p.id(), p.subject(), p.joinedAt())) {
        affected.add(p.id().value());
      }
    }
    return body;
  }

  private JsonNode unrevokePeer(Call call) throws Exception {
    Principal who = call.principal();
    who.requireAdmin("peer unrevoke");
    RevocationTarget target = target(call);
    Optional<Revocation> lifted = mothership.unrevoke(target, who);
    ObjectNode body = Wire.object();
    body.put("target", target.value());
    body.put("kind", target.kind().name().toLowerCase(java.util.Locale.ROOT));
    body.put("lifted", lifted.isPresent());
    body.put("version", mothership.revocations().version());
    return body;
  }

  private JsonNode kick(Call call) throws Exception {
    Principal who = call.principal();
    who.requireAdmin("peer kick");
    String value = requireText(call.body(), "peer");
    PeerId peer;
    try {
      peer = PeerId.parse(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage(), null);
    }
    if (mothership.stores().peerStore().find(peer).isEmpty()) {
      throw ApiException.notFound("unknown peer " + peer, "no peer with that id joined this Mothership");
    }
    int closed = server.kickEverywhere(peer, "kicked by " + who.actor());
    if (closed == 0) {
      throw new ApiException(409, "not_connected", peer + " is not connected",
          "it has no open control connection to kick");
    }
    mothership.stores().auditLog().append(dev.aura.spi.AuditEvent.of(AuditEventType.PEER_KICKED,
        mothership.clock().instant(), peer.value()).by(who.actor()));
    ObjectNode body = Wire.object();
    body.put("peer", peer.value());
    body.put("connections_closed", closed);
    return body;
  }

  private JsonNode peerWorkspaces(Call call) throws Exception {
    Principal who = call.principal();
    who.requireAdmin("peer workspaces");
    ObjectNode r = call.body();
    PeerId peer;
    try {
      peer = PeerId.parse(requireText(r, "peer"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage(), null);
    }
    JsonNode names = r.path("workspaces");
    if (!names.isArray() || names.size() > dev.aura.token.JoinTokenRequest.MAX_WORKSPACES) {
      throw ApiException.badRequest("invalid request", "'workspaces' must be an array of at most "
          + dev.aura.token.JoinTokenRequest.MAX_WORKSPACES + " names (empty: every workspace)");
    }
    java.util.Set<dev.aura.spi.WorkspaceName> workspaces = new java.util.TreeSet<>(
        java.util.Comparator.comparing(dev.aura.spi.WorkspaceName::value));
    for (JsonNode n : names) {
      try {
        workspaces.add(dev.aura.spi.WorkspaceName.parse(n.asText(null)));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage(), null);
      }
    }
    PeerRecord updated = mothership.limitWorkspaces(peer, workspaces, who);
    int closed = server.kickEverywhere(peer, "workspaces changed by " + who.actor());
    ObjectNode body = Wire.object();
    body.put("peer", peer.value());
    ArrayNode out = body.putArray("workspaces");
    updated.workspaces().forEach(w -> out.add(w.value()));
    body.put("connections_closed", closed);
    return body;
  }

  private static RevocationTarget target(Call call) throws Exception {
    String value = requireText(call.body(), "target");
    try {
      return RevocationTarget.fromArgument(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage(), null);
    }
  }

  private ObjectNode revocationBody(Revocation r) {
    ObjectNode body = Wire.object();
    body.put("target", r.target().value());
    body.put("kind", r.target().kind().name().toLowerCase(java.util.Locale.ROOT));
    body.put("version", r.version());
    body.put("at", r.at().toString());
    return body;
  }

  private JsonNode inspect(Call call) throws Exception {
    call.principal().requireAdmin("token decode");
    MothershipService.Inspection inspection = mothership.inspect(requireText(call.body(), "token"));
    ObjectNode body = Wire.object();
    body.put("status", inspection.status());
    if (inspection.detail() != null) {
      body.put("detail", inspection.detail());
    }
    inspection.ledger().ifPresent(entry -> {
      body.put("uses_allowed", entry.allowedUses());
      body.put("uses_consumed", entry.usesConsumed());
    });
    return body;
  }

  private JsonNode peers(Call call) throws Exception {
    call.principal(); // every authenticated peer may list peers
    Instant now = mothership.clock().instant();
    Set<PeerId> connected = server.connectedPeers();
    Duration heartbeat = mothership.config().peers().heartbeatInterval();
    ObjectNode body = Wire.object();
    body.put("server_time", now.toString());
    ArrayNode peers = body.putArray("peers");
    for (PeerRecord p : mothership.peers()) {
      ObjectNode o = peers.addObject();
      o.put("peer_id", p.id().value());
      o.put("subject", p.subject());
      o.put("role", p.role().wireName());
      o.put("joined_at", p.joinedAt().toString());
      o.put("last_seen", p.lastSeen().toString());
      Optional<String> revoked = mothership.revocationOf(p);
      String status;
      if (revoked.isPresent()) {
        status = "revoked";
      } else if (connected.contains(p.id())
          || Duration.between(p.lastSeen(), now).compareTo(heartbeat.multipliedBy(2)) < 0) {
        status = "online";
      } else {
        status = "offline";
      }
      o.put("status", status);
      o.put("connected", connected.contains(p.id()));
      o.put("events_per_min", server.eventsPerMinute(p.id()));
      o.put("direct_connects", server.directConnects(p.id()).orElse("-"));
      ArrayNode ws = o.putArray("workspaces");
      p.workspaces().stream().map(dev.aura.spi.WorkspaceName::value).sorted().forEach(ws::add);
      ArrayNode announced = o.putArray("announced");
      p.announcedAddresses().forEach(announced::add);
    }
    return body;
  }

  private JsonNode audit(Call call) throws Exception {
    call.principal().requireAdmin("audit");
    Instant since = RequestFields.since(call.parameter("since"));
    Set<AuditEventType> types = RequestFields.auditTypes(call.parameter("filter"));
    int limit = (int) Math.min(100_000, Math.max(1, call.longParameter("limit", 10_000)));
    ObjectNode body = Wire.object();
    ArrayNode entries = body.putArray("entries");
    for (AuditEntry e : mothership.audit(since, types, limit)) {
      ObjectNode o = entries.addObject();
      o.put("sequence", e.sequence());
      o.put("at", e.event().at().toString());
      o.put("type", e.event().type().wireName());
      o.put("line", e.event().describe());
      o.put("reference", e.event().reference());
      putIfPresent(o, "peer", e.event().peer());
      putIfPresent(o, "actor", e.event().actor());
      putIfPresent(o, "subject", e.event().subject());
      putIfPresent(o, "source", e.event().source());
    }
    return body;
  }

  private static void putIfPresent(ObjectNode o, String key, String value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private JsonNode takeBackAudit(Call call) throws Exception {
    call.principal().requireAdmin("audit --restore-from-copy");
    ObjectNode r = call.body(Wire.MAX_CONTROL_MESSAGE_BYTES * 16);
    int n = mothership.auditReplication().takeBack(r.path("entries"), requireText(r, "head"));
    ObjectNode body = Wire.object();
    body.put("taken_back", n);
    body.put("verification", mothership.verifyAudit().isIntact() ? "intact" : "broken");
    return body;
  }

  private JsonNode verifyAudit(Call call) throws Exception {
    call.principal().requireAdmin("audit --verify");
    AuditVerification v = mothership.verifyAudit();
    ObjectNode body = Wire.object();
    body.put("intact", v.isIntact());
    body.put("entries_checked", v.entriesChecked());
    if (!v.isIntact()) {
      body.put("first_bad_sequence", v.firstBadSequence());
      body.put("problem", v.problem());
    }
    return body;
  }

  private JsonNode rotateKey(Call call) throws Exception {
    Principal who = call.principal();
    who.requireAdmin("rotate-key");
    MothershipService.KeyRotation rotation = mothership.rotateKey(who);
    ObjectNode body = Wire.object();
    body.put("kid", rotation.newKid());
    body.put("algorithm", mothership.keys().primaryAlgorithm().jwsName());
    body.put("previous_kid", rotation.previousKid());
    body.put("previous_retires_at", rotation.previousRetiresAt().toString());
    Duration grace = mothership.keys().rotationGrace();
    body.put("grace", grace.isZero() ? "0s" : TokenDuration.of(grace).toString());
    return body;
  }

  private JsonNode tlsInfo(Call call) throws Exception {
    call.principal().requireAdmin("tls info");
    return tlsBody(mothership.clock().instant());
  }

  private JsonNode tlsRotate(Call call) throws Exception {
    Principal who = call.principal();
    who.requireAdmin("tls rotate");
    TlsIdentity before = mothership.certificates().current();
    CertificateRotation rotation;
    try {
      rotation = mothership.rotateCertificate(who);
    } catch (dev.aura.app.AuraException e) {
      throw new ApiException(409, "cannot_rotate", e.what(), e.why().orElse(null));
    }
    ObjectNode body = Wire.object();
    identityFields(body, rotation.identity());
    body.put("previous_fingerprint", before.fingerprint().toString());
    body.put("previous_accepted_until", rotation.handover().retireAt().toString());
    body.put("handover_sequence", rotation.handover().sequence());
    body.put("connected_peers_notified", server.connectedPeers().size());
    return body;
  }

  private JsonNode shutdown(Call call) throws Exception {
    Principal who = call.principal();
    if (!who.isLocalAdmin()) {
      throw ApiException.forbidden("only the local admin on the Mothership host may stop it");
    }
    server.shutdownSoon();
    ObjectNode body = Wire.object();
    body.put("stopping", true);
    body.put("pid", server.pid());
    return body;
  }

  // ------------------------------------------------------------------ plumbing

  private static String requireText(ObjectNode body, String field) throws ApiException {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw ApiException.badRequest("invalid request", "'" + field + "' is required and must be a string");
    }
    return v.asText();
  }

  /**
   * Sends a JSON answer. One that carries {@code server_time} also gets {@code server_received_at} (when
   * {@link #handle} started) and {@code server_sent_at} (now, just before the body is written): NTP's
   * {@code t2} and {@code t3}, so that a peer can tell the time the Mothership held the request from the time
   * on the wire ({@code dev.aura.app.peer.ClockOffset}).
   */
  private void send(Response response, Callback callback, int status, JsonNode body) {
    if (body instanceof ObjectNode o && o.has("server_time")
        && response.getRequest().getAttribute(RECEIVED_AT) instanceof Instant receivedAt) {
      o.put("server_received_at", receivedAt.toString());
      o.put("server_sent_at", mothership.clock().instant().toString());
    }
    sendText(response, callback, status, "application/json", Wire.write(body) + "\n");
  }

  private static void sendText(Response response, Callback callback, int status, String type, String text) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    Content.Sink.write(response, true, text, callback);
  }

  /** One request: body, parameters, caller. */
  private final class Call {
    private final Request request;
    private ObjectNode body;
    private Fields parameters;
    private Principal principal;
    private MothershipService.PeerSession session;

    Call(Request request) {
      this.request = request;
    }

    String remote() {
      String address = Request.getRemoteAddr(request);
      return address == null ? "unknown" : address;
    }

    String bearer() {
      return RequestFields.bearer(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    }

    Principal principal() throws ApiException, StoreException {
      if (principal == null) {
        String bearer = bearer();
        if (bearer != null && !dev.aura.app.config.AdminCredential.looksLike(bearer)) {
          session = mothership.authenticatePeer(bearer, remote());
          principal = session.principal();
        } else {
          principal = mothership.authenticate(bearer, remote());
        }
      }
      return principal;
    }

    void authenticatePeerOrAdmin() throws ApiException, StoreException {
      principal();
    }

    ObjectNode body() throws ApiException, IOException {
      return body(Wire.MAX_BODY_BYTES);
    }

    /** Reads a JSON body of at most {@code max} bytes (a few routes take more than the usual 64 KiB). */
    ObjectNode body(int max) throws ApiException, IOException {
      if (body != null) {
        return body;
      }
      try (InputStream in = Content.Source.asInputStream(request)) {
        body = RequestFields.jsonBody(in, request.getLength(), max);
      }
      return body;
    }

    String parameter(String name) throws ApiException {
      if (parameters == null) {
        parameters = RequestFields.query(request.getHttpURI().getQuery());
      }
      return parameters.getValue(name);
    }

    long longParameter(String name, long fallback) throws ApiException {
      return RequestFields.nonNegative(name, parameter(name), fallback);
    }
  }
}
