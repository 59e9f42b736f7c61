package dev.aura.app.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * Audit entries on the wire (replication to admin peers, and taking entries back): one strict reader and
 * writer. {@code {"seq":12,"type":"token_used","at":"...","reference":"jt_...","peer":"peer_...","actor":null,
 * "subject":null,"source":"10.0.1.42","previous_hash":"<64 hex>","hash":"<64 hex>"}}.
 */
public final class AuditWire {
  private static final Set<String> FIELDS = Set.of("seq", "type", "at", "reference", "peer", "actor", "subject",
      "source", "previous_hash", "hash");

  private AuditWire() {}

  /** @return the JSON of an entry */
  public static ObjectNode write(AuditEntry e) {
    ObjectNode o = Wire.object();
    o.put("seq", e.sequence());
    o.put("type", e.event().type().wireName());
    o.put("at", e.event().at().toString());
    o.put("reference", e.event().reference());
    o.put("peer", e.event().peer());
    o.put("actor", e.event().actor());
    o.put("subject", e.event().subject());
    o.put("source", e.event().source());
    o.put("previous_hash", e.previousHash());
    o.put("hash", e.hash());
    return o;
  }

  /** @throws IllegalArgumentException naming the bad field, without echoing it */
  public static AuditEntry read(JsonNode node) {
    if (!(node instanceof ObjectNode o)) {
      throw new IllegalArgumentException("expected an audit entry object");
    }
    for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
      if (!FIELDS.contains(names.next())) {
        throw new IllegalArgumentException("unknown field in an audit entry");
      }
    }
    JsonNode seq = o.path("seq");
    if (!seq.isIntegralNumber() || seq.asLong() < 1) {
      throw new IllegalArgumentException("audit entry field 'seq': expected a positive integer");
    }
    Instant at;
    try {
      at = Instant.parse(text(o, "at"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("audit entry field 'at': expected an ISO-8601 instant");
    }
    AuditEvent event = new AuditEvent(AuditEventType.parse(text(o, "type")), at, text(o, "reference"),
        nullable(o, "peer"), nullable(o, "actor"), nullable(o, "subject"), nullable(o, "source"));
    String previous = hex(o, "previous_hash");
    String hash = hex(o, "hash");
    return new AuditEntry(seq.asLong(), event, previous, hash);
  }

  private static String text(ObjectNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("audit entry field '" + field + "': expected a string");
    }
    return v.asText();
  }

  private static String nullable(ObjectNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : text(o, field);
  }

  private static String hex(ObjectNode o, String field) {
    String v = text(o, field);
    if (!v.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("audit entry field '" + field + "': expected 64 lowercase hex digits");
    }
    return v;
  }
}
