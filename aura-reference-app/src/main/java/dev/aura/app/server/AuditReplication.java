package dev.aura.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.AuditWire;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.Role;
import dev.aura.spi.StoreException;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import dev.aura.token.VerifiedJws;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log, replicated to admin peers like any other log: an admin peer's control connection follows
 * the hash chain ({@code audit_follow} with the last sequence it holds) and receives pages of entries
 * ({@code audit}) with the chain's head signed by the Mothership (a JWS of type {@code aura-audit-head+jwt}:
 * {@code iss}, {@code seq}, {@code hash}, {@code iat}). The peer verifies both, so it keeps a copy no one can
 * forge, and it notices when the Mothership's chain is shorter than a head it signed before (a restore from
 * an older backup, or deleted entries, even when nothing follows them).
 *
 * <p>{@link #takeBack} is the way back: a restored Mothership appends the entries an admin peer kept, after
 * checking that they continue its own chain exactly and end at a head it signed.
 */
final class AuditReplication {
  static final int PAGE = 500;
  private static final Logger LOG = LoggerFactory.getLogger(AuditReplication.class);

  private final MothershipService mothership;
  private final Map<ControlSessions.Connection, Long> followers = new ConcurrentHashMap<>();
  private AuditEntry lastHead;

  AuditReplication(MothershipService mothership) {
    this.mothership = mothership;
  }

  /** Handles {@code audit_follow}; returns false for other messages. */
  boolean received(ControlSessions.Connection c, ObjectNode message) {
    if (!"audit_follow".equals(message.path("type").asText())) {
      return false;
    }
    if (c.grant.role() != Role.ADMIN) {
      ObjectNode refused = Wire.object();
      refused.put("type", "audit_refused");
      refused.put("message", "role not permitted: only admin peers keep a copy of the audit log");
      c.send(refused);
      return true;
    }
    long after = Math.max(0, message.path("after").asLong(0));
    followers.put(c, after);
    c.onClose(() -> followers.remove(c));
    sendPage(c);
    return true;
  }

  /** Sends every follower the entries it lacks (once a heartbeat interval, on a thread of its own). */
  void tick() {
    for (ControlSessions.Connection c : followers.keySet()) {
      sendPage(c);
    }
  }

  private void sendPage(ControlSessions.Connection c) {
    Long cursor = followers.get(c);
    if (cursor == null) {
      return;
    }
    try {
      List<AuditEntry> entries = mothership.stores().auditLog().readChain(cursor + 1, PAGE);
      AuditEntry head = head();
      if (entries.isEmpty() && head != null && head.sequence() == cursor && c.auditHeadSent) {
        return; // nothing new since the last page
      }
      ObjectNode page = Wire.object();
      page.put("type", "audit");
      ArrayNode out = page.putArray("entries");
      entries.forEach(e -> out.add(AuditWire.write(e)));
      page.put("head", head == null ? null : sign(head));
      c.send(page);
      c.auditHeadSent = true;
      if (!entries.isEmpty()) {
        followers.put(c, entries.get(entries.size() - 1).sequence());
      }
    } catch (StoreException | RuntimeException e) {
      LOG.warn("could not send audit entries to {}: {}", c.peer.peer(), e.getMessage());
    }
  }

  /** @return the last entry of the chain, or null when it is empty */
  synchronized AuditEntry head() throws StoreException {
    AuditEntry last = lastHead;
    long from = last == null ? 1 : last.sequence() + 1;
    while (true) {
      List<AuditEntry> page = mothership.stores().auditLog().readChain(from, 1000);
      if (page.isEmpty()) {
        lastHead = last;
        return last;
      }
      last = page.get(page.size() - 1);
      from = last.sequence() + 1;
    }
  }

  private String sign(AuditEntry head) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", mothership.id().value());
    claims.put("seq", head.sequence());
    claims.put("hash", head.hash());
    claims.put("iat", mothership.clock().instant().getEpochSecond());
    return TypedJws.sign(mothership.keys(), TokenType.AUDIT_HEAD, claims);
  }

  /**
   * Appends entries an admin peer kept and this Mothership lost (restored from an older backup).
   *
   * @param entries the peer's entries after this Mothership's head, in order
   * @param signedHead a head this Mothership signed, the last of {@code entries}
   * @return how many entries were taken back
   * @throws ApiException 400 when they do not continue this chain exactly or the head is not this Mothership's
   */
  int takeBack(JsonNode entries, String signedHead) throws ApiException, StoreException {
    VerifiedJws head;
    try {
      head = TypedJws.verify(signedHead, TokenType.AUDIT_HEAD, mothership.keys().publicKeys(),
          TypedJws.DEFAULT_ALGORITHMS, mothership.clock().instant());
      if (!mothership.id().value().equals(head.claims().string("iss"))) {
        throw new TokenRejectedException(dev.aura.token.RejectionReason.WRONG_ISSUER, "signed by "
            + head.claims().string("iss"));
      }
    } catch (TokenRejectedException e) {
      throw ApiException.badRequest("audit head not signed by this Mothership", e.getMessage());
    }
    long headSeq;
    String headHash;
    try {
      headSeq = head.claims().integer("seq");
      headHash = head.claims().string("hash");
    } catch (TokenRejectedException e) {
      throw ApiException.badRequest("malformed audit head", e.getMessage());
    }
    if (!entries.isArray() || entries.size() > 100_000) {
      throw ApiException.badRequest("invalid request", "'entries' must be an array of audit entries");
    }
    List<AuditEntry> returned = new ArrayList<>();
    for (JsonNode e : entries) {
      try {
        returned.add(AuditWire.read(e));
      } catch (IllegalArgumentException bad) {
        throw ApiException.badRequest("malformed audit entry", bad.getMessage());
      }
    }
    AuditEntry mine = head();
    long seq = mine == null ? 0 : mine.sequence();
    String hash = mine == null ? AuditChain.GENESIS : mine.hash();
    for (AuditEntry e : returned) {
      if (!AuditChain.follows(seq, hash, e)) {
        throw ApiException.badRequest("audit entries do not continue this chain", "expected entry " + (seq + 1)
            + " chained to " + hash.substring(0, 12) + "..., got entry " + e.sequence()
            + " (the Mothership's chain moved on, or the copy is not of this chain)");
      }
      seq = e.sequence();
      hash = e.hash();
    }
    if (seq != headSeq || !hash.equals(headHash)) {
      throw ApiException.badRequest("audit entries do not end at the signed head", "they end at entry " + seq
          + ", the signed head is entry " + headSeq);
    }
    int n = 0;
    for (AuditEntry e : returned) {
      AuditEntry appended = mothership.stores().auditLog().append(e.event());
      if (appended.sequence() != e.sequence() || !appended.hash().equals(e.hash())) {
        throw new ApiException(409, "audit_race", "audit log changed while entries were taken back",
            "took back " + n + " entries; entry " + appended.sequence() + " was appended meanwhile: run it again"
                + " when the Mothership is idle");
      }
      n++;
    }
    LOG.info("took back {} audit entries up to {} from an admin peer's copy", n, seq);
    return n;
  }
}
