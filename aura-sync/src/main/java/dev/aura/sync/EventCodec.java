package dev.aura.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.spi.WorkspaceName;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The one strict reader and writer of sync events on the wire (JSON objects inside the control connection's
 * messages). Every field is required and typed; an unknown field, a wrong type, a bad path, hash or id is an
 * {@link IllegalArgumentException} whose message names the field and never echoes the raw input.
 *
 * <pre>{@code
 * ObjectNode json = EventCodec.write(event);
 * SyncEvent back = EventCodec.readEvent(json);       // equal to event
 * }</pre>
 *
 * <p>A change: {@code {"op":"put","path":"src/A.java","kind":"file","hash":"<64 hex>","size":12,
 * "executable":false,"target":null,"based_on":41,"authored_at":"2026-12-01T09:45:12Z"}}. A persisted event:
 * {@code {"workspace":"widget","seq":42,"id":"peer_0a1b2c3d.17","change":{...},"outcome":"applied",
 * "conflict_of":null,"persisted_at":"..."}}.
 */
public final class EventCodec {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> CHANGE_FIELDS = Set.of("op", "path", "kind", "hash", "size", "executable",
      "target", "based_on", "authored_at");
  private static final Set<String> EVENT_FIELDS = Set.of("workspace", "seq", "id", "change", "outcome",
      "conflict_of", "persisted_at");
  private static final Set<String> SUBMITTED_FIELDS = Set.of("id", "change");

  private EventCodec() {}

  /** @return the JSON of a change */
  public static ObjectNode write(Change c) {
    ObjectNode o = JSON.objectNode();
    o.put("op", c.op().name().toLowerCase(Locale.ROOT));
    o.put("path", c.path().value());
    o.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
    o.put("hash", c.hash() == null ? null : c.hash().hex());
    o.put("size", c.size());
    o.put("executable", c.executable());
    o.put("target", c.linkTarget());
    o.put("based_on", c.basedOn());
    o.put("authored_at", c.authoredAt().toString());
    return o;
  }

  /** @return the JSON of a persisted event */
  public static ObjectNode write(SyncEvent e) {
    ObjectNode o = JSON.objectNode();
    o.put("workspace", e.workspace().value());
    o.put("seq", e.seq());
    o.put("id", e.id().toString());
    o.set("change", write(e.change()));
    o.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
    o.put("conflict_of", e.conflictOf() == null ? null : e.conflictOf().value());
    o.put("persisted_at", e.persistedAt().toString());
    return o;
  }

  /** @return the JSON of an event a peer submits: {@code {"id":..., "change":{...}}} */
  public static ObjectNode writeSubmitted(EventId id, Change change) {
    ObjectNode o = JSON.objectNode();
    o.put("id", id.toString());
    o.set("change", write(change));
    return o;
  }

  /**
   * An event a peer submits.
   *
   * @param id its id
   * @param change its change
   */
  public record Submitted(EventId id, Change change) {}

  /** @throws IllegalArgumentException naming the bad field */
  public static Submitted readSubmitted(JsonNode node) {
    ObjectNode o = object(node, "event", SUBMITTED_FIELDS);
    EventId id;
    try {
      id = EventId.parse(text(o, "id"));
    } catch (IllegalArgumentException e) {
      throw bad("id", e.getMessage());
    }
    return new Submitted(id, readChange(o.get("change")));
  }

  /** @throws IllegalArgumentException naming the bad field */
  public static Change readChange(JsonNode node) {
    ObjectNode o = object(node, "change", CHANGE_FIELDS);
    Change.Op op = enumValue(Change.Op.class, o, "op");
    Change.EntryKind kind = enumValue(Change.EntryKind.class, o, "kind");
    SyncPath path;
    try {
      path = SyncPath.parse(text(o, "path"));
    } catch (IllegalArgumentException e) {
      throw bad("path", e.getMessage());
    }
    ContentHash hash = null;
    String hex = nullableText(o, "hash");
    if (hex != null) {
      try {
        hash = ContentHash.parse(hex);
      } catch (IllegalArgumentException e) {
        throw bad("hash", e.getMessage());
      }
    }
    long size = number(o, "size");
    boolean executable = bool(o, "executable");
    String target = nullableText(o, "target");
    long basedOn = number(o, "based_on");
    Instant at = instant(o, "authored_at");
    try {
      return new Change(op, path, kind, hash, size, executable, target, basedOn, at);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid change: " + e.getMessage());
    }
  }

  /** @throws IllegalArgumentException naming the bad field */
  public static SyncEvent readEvent(JsonNode node) {
    ObjectNode o = object(node, "event", EVENT_FIELDS);
    WorkspaceName workspace;
    EventId id;
    try {
      workspace = WorkspaceName.parse(text(o, "workspace"));
    } catch (IllegalArgumentException e) {
      throw bad("workspace", e.getMessage());
    }
    try {
      id = EventId.parse(text(o, "id"));
    } catch (IllegalArgumentException e) {
      throw bad("id", e.getMessage());
    }
    long seq = number(o, "seq");
    Change change = readChange(o.get("change"));
    SyncEvent.Outcome outcome = enumValue(SyncEvent.Outcome.class, o, "outcome");
    String conflictOf = nullableText(o, "conflict_of");
    SyncPath of = null;
    if (conflictOf != null) {
      try {
        of = SyncPath.parse(conflictOf);
      } catch (IllegalArgumentException e) {
        throw bad("conflict_of", e.getMessage());
      }
    }
    Instant persisted = instant(o, "persisted_at");
    try {
      return new SyncEvent(workspace, seq, id, change, outcome, of, persisted);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid event: " + e.getMessage());
    }
  }

  private static ObjectNode object(JsonNode node, String what, Set<String> fields) {
    if (!(node instanceof ObjectNode o)) {
      throw new IllegalArgumentException("invalid " + what + ": expected a JSON object");
    }
    for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw new IllegalArgumentException("invalid " + what + ": unknown field '" + printable(name) + "'");
      }
    }
    for (String name : fields) {
      if (!o.has(name)) {
        throw bad(name, "missing");
      }
    }
    return o;
  }

  private static String text(ObjectNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw bad(field, "expected a string");
    }
    return v.asText();
  }

  private static String nullableText(ObjectNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : text(o, field);
  }

  private static long number(ObjectNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw bad(field, "expected a non-negative integer");
    }
    return v.asLong();
  }

  private static boolean bool(ObjectNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isBoolean()) {
      throw bad(field, "expected true or false");
    }
    return v.asBoolean();
  }

  private static Instant instant(ObjectNode o, String field) {
    try {
      return Instant.parse(text(o, field));
    } catch (DateTimeParseException e) {
      throw bad(field, "expected an ISO-8601 instant");
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, ObjectNode o, String field) {
    String value = text(o, field);
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
        return e;
      }
    }
    throw bad(field, "unknown value '" + printable(value) + "'");
  }

  private static IllegalArgumentException bad(String field, String why) {
    return new IllegalArgumentException("invalid event field '" + field + "': " + why);
  }

  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && out.length() < 40; i++) {
      char c = value.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return value.length() > 40 ? out + "..." : out.toString();
  }
}
