package dev.aura.app.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.Role;
import dev.aura.token.JoinTokenRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzz test of the Mothership's control-message dispatch ({@link ControlSessions#received},
 * through {@code SyncHub} and {@code AuditReplication}; docs/security.md "Fuzzing") on a real service (SQLite
 * stores and event log in a temporary directory) and a socketless connection ({@link RecordingSession}). The
 * first byte picks the peer (an admin, a member, a read-only peer); the rest is the text frame, with each
 * {@code PEER} replaced by that peer's id. The property:
 * no exception leaves the dispatch, a frame that is not a JSON object closes the connection with 1003 and
 * anything else, once the pushes it started are persisted, has been answered only with the documented
 * message types (or not at all: an unknown type is ignored); the heartbeat timer may add a heartbeat. Regression corpus:
 * {@code src/test/resources/dev/aura/app/server/ControlDispatchFuzzTestInputs/controlMessage/}.
 */
class ControlDispatchFuzzTest {
  /** What the Mothership sends on a control connection: replies, and the timer's heartbeats. */
  private static final Set<String> REPLIES = Set.of("hello", "heartbeat", "subscribed", "events", "pushed",
      "sync_refused", "audit", "audit_refused", "revocations");
  private static final Role[] ROLES = {Role.ADMIN, Role.MEMBER, Role.READ_ONLY};
  /** Replaced by the connected peer's id, so that a push can be the peer's own and get persisted. */
  private static final String PEER = "PEER";

  private static MothershipService mothership;
  private static ControlSessions sessions;
  private static MothershipService.PeerSession[] peers;

  @FuzzTest(maxDuration = "2m")
  void controlMessage(byte[] data) throws Exception {
    if (data.length < 1 || data.length > Wire.MAX_CONTROL_MESSAGE_BYTES) {
      return; // Jetty refuses a larger frame before it reaches the dispatch (MothershipServer)
    }
    start();
    MothershipService.PeerSession peer = peers[Math.floorMod(data[0], peers.length)];
    RecordingSession session = new RecordingSession();
    ControlSessions.Connection c = new ControlSessions.Connection(session, peer.peer(),
        mothership.grantOf(peer.peer()), mothership.keys().primaryKid());
    sessions.opened(c);
    String text = new String(data, 1, data.length - 1, StandardCharsets.UTF_8)
        .replace(PEER, peer.peer().peer().value());
    sessions.received(c, text);
    boolean object;
    try {
      Wire.parseObject(text);
      object = true;
    } catch (IllegalArgumentException e) {
      object = false;
    }
    if (!object && session.closeCode != 1003) {
      throw new AssertionError("a frame that is not a JSON object did not close with 1003: " + session.closeCode);
    }
    if (object && session.closeCode != 0) {
      throw new AssertionError("a JSON object closed the connection: " + session.closeCode + " "
          + session.closeReason);
    }
    awaitPushes();
    sessions.closed(c);
    for (String reply : session.sent) {
      ObjectNode m = Wire.parseObject(reply);
      if (!REPLIES.contains(m.path("type").asText())) {
        throw new AssertionError("undocumented reply " + reply + " to " + text);
      }
    }
  }

  /** Pushes complete on the relay threads: wait (bounded) until each was answered. */
  private static void awaitPushes() throws InterruptedException {
    for (int i = 0; i < 2_000 && sessions.sync().pushesInFlight() > 0; i++) {
      Thread.sleep(1);
    }
    if (sessions.sync().pushesInFlight() > 0) {
      throw new AssertionError("a push was not answered within 2000 polls");
    }
  }

  private static synchronized void start() throws Exception {
    if (mothership != null) {
      return;
    }
    DataDir dir = new DataDir(Files.createTempDirectory("aura-control-fuzz").resolve("mothership"));
    mothership = MothershipService.open(dir, MothershipConfig.defaults(), Clock.systemUTC());
    sessions = new ControlSessions(mothership);
    peers = new MothershipService.PeerSession[ROLES.length];
    for (int i = 0; i < ROLES.length; i++) {
      String token = mothership.issue(JoinTokenRequest.forSubject("fuzz-" + i + "@example.com").role(ROLES[i])
          .build(), Principal.localAdmin()).token();
      String credential = mothership.join(token, List.of("127.0.0.1"), "127.0.0.1").credential().credential();
      peers[i] = mothership.authenticatePeer(credential, "127.0.0.1");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sessions.close();
      mothership.close();
    }));
  }
}
