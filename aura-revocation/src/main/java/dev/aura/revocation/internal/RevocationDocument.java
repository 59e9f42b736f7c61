package dev.aura.revocation.internal;

import dev.aura.revocation.UpdateOutcome.Kind;
import dev.aura.spi.RevocationChange.Action;
import dev.aura.spi.RevocationTarget;
import dev.aura.token.Claims;
import dev.aura.token.RejectionReason;
import dev.aura.token.TokenRejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The claims of a signed revocation update (JWS {@code typ} {@code aura-revocation+jwt}):
 *
 * <pre>{@code
 * {"kind":"delta","from":11,"to":13,"head":13,"iat":1713722341,
 *  "entries":[{"v":12,"op":"revoke","peer":"peer_0a1b2c3d","at":1713722340},
 *             {"v":13,"op":"unrevoke","jti":"jt_01HYXT8K3PQ7V2M4N6R8S0T1W3","at":1713722341}]}
 * }</pre>
 *
 * <p>Each entry names its target by kind ({@code jti}, {@code subject} or {@code peer}); {@code at} is a
 * NumericDate (RFC 7519 section 2). Actor and reason stay on the Mothership. A delta lists every version in
 * {@code (from, to]} in order; a snapshot ({@code from} 0) lists the revocations in force at {@code to}.
 *
 * @param kind snapshot or delta
 * @param from the version it starts after
 * @param to the last version it covers
 * @param head the Mothership's latest version when signed
 * @param signedAt {@code iat}, whole seconds
 * @param entries in ascending version order
 */
public record RevocationDocument(
    Kind kind, long from, long to, long head, Instant signedAt, List<Entry> entries) {

  /**
   * One change on the wire.
   *
   * @param version its version
   * @param action revoke or unrevoke
   * @param target what it applies to
   * @param at when, whole seconds
   */
  public record Entry(long version, Action action, RevocationTarget target, Instant at) {
    /** Checks nulls. */
    public Entry {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(at, "at");
    }

    /**
     * @return this entry's JSON length in UTF-8 bytes with its separating comma, exact for ASCII targets and
     *     an upper bound otherwise
     */
    public int estimatedJsonBytes() {
      int value = 0;
      for (int i = 0; i < target.value().length(); i++) {
        char c = target.value().charAt(i);
        value += c < 0x20 || c == '"' || c == '\\' ? 6 : c < 0x80 ? 1 : 3;
      }
      // {"v":N,"op":"revoke","peer":"peer_0a1b2c3d","at":N},
      return 27 + Long.toString(version).length() + action.name().length() + target.kind().name().length()
          + value + Long.toString(at.getEpochSecond()).length();
    }
  }

  /** Checks the shape; see {@link #fromClaims} for the rules a received document must meet. */
  public RevocationDocument {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(signedAt, "signedAt");
    entries = List.copyOf(entries);
  }

  /** @return the claims to sign, in a stable order */
  public Map<String, Object> toClaims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("kind", kind.wireName());
    claims.put("from", from);
    claims.put("to", to);
    claims.put("head", head);
    claims.put("iat", signedAt.getEpochSecond());
    List<Object> list = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("v", e.version());
      m.put("op", e.action().name().toLowerCase(Locale.ROOT));
      m.put(e.target().kind().name().toLowerCase(Locale.ROOT), e.target().value());
      m.put("at", e.at().getEpochSecond());
      list.add(m);
    }
    claims.put("entries", list);
    return claims;
  }

  /** @return the UTF-8 length of the claims without entries, an upper bound */
  public static int estimatedEnvelopeBytes() {
    return ("{\"kind\":\"snapshot\",\"from\":,\"to\":,\"head\":,\"iat\":,\"entries\":[]}")
        .getBytes(StandardCharsets.UTF_8).length + 4 * 20;
  }

  /**
   * Reads and checks a verified document's claims: known kind; {@code 0 <= from <= to <= head}; a delta lists
   * exactly the versions {@code from+1 .. to} in order; a snapshot starts at 0 and lists revokes only, in
   * ascending versions up to {@code to}, each target once.
   *
   * @throws TokenRejectedException {@link RejectionReason#MALFORMED} naming the first problem
   */
  public static RevocationDocument fromClaims(Claims claims) throws TokenRejectedException {
    String kindName = claims.string("kind");
    Kind kind = null;
    for (Kind k : Kind.values()) {
      if (k.wireName().equals(kindName)) {
        kind = k;
      }
    }
    if (kind == null) {
      throw malformed("kind must be snapshot or delta");
    }
    long from = claims.integer("from");
    long to = claims.integer("to");
    long head = claims.integer("head");
    Instant signedAt = claims.numericDate("iat");
    if (from < 0 || to < from || head < to) {
      throw malformed("versions must satisfy 0 <= from <= to <= head, found from " + from + ", to " + to
          + ", head " + head);
    }
    if (kind == Kind.SNAPSHOT && from != 0) {
      throw malformed("a snapshot starts at version 0, found from " + from);
    }
    Object raw = claims.asMap().get("entries");
    if (!(raw instanceof List<?> list)) {
      throw malformed("entries must be an array");
    }
    if (kind == Kind.DELTA && list.size() != to - from) {
      throw malformed("a delta from " + from + " to " + to + " needs " + (to - from) + " entries, found "
          + list.size());
    }
    List<Entry> entries = new ArrayList<>(list.size());
    Set<RevocationTarget> seen = new HashSet<>();
    long previous = from;
    for (Object item : list) {
      Entry e = entry(item);
      if (kind == Kind.DELTA ? e.version() != previous + 1 : e.version() <= previous || e.version() > to) {
        throw malformed("entry version " + e.version() + " out of order after " + previous + " (covering "
            + from + " to " + to + ")");
      }
      if (kind == Kind.SNAPSHOT && (e.action() != Action.REVOKE || !seen.add(e.target()))) {
        throw malformed("a snapshot lists each revocation in force once, found " + e.action() + " of "
            + e.target().kind() + " at version " + e.version());
      }
      previous = e.version();
      entries.add(e);
    }
    return new RevocationDocument(kind, from, to, head, signedAt, entries);
  }

  private static Entry entry(Object item) throws TokenRejectedException {
    if (!(item instanceof Map<?, ?> m)) {
      throw malformed("each entry must be an object");
    }
    if (!(m.get("v") instanceof Long version) || version < 1) {
      throw malformed("entry version 'v' must be a positive integer");
    }
    if (!(m.get("at") instanceof Long at) || at < 0 || at > 253_402_300_799L) {
      throw malformed("entry " + version + ": 'at' must be a NumericDate");
    }
    Action action = "revoke".equals(m.get("op")) ? Action.REVOKE
        : "unrevoke".equals(m.get("op")) ? Action.UNREVOKE : null;
    if (action == null) {
      throw malformed("entry " + version + ": 'op' must be revoke or unrevoke");
    }
    RevocationTarget target = null;
    for (RevocationTarget.Kind k : RevocationTarget.Kind.values()) {
      Object value = m.get(k.name().toLowerCase(Locale.ROOT));
      if (value == null) {
        continue;
      }
      if (target != null || !(value instanceof String s)) {
        throw malformed("entry " + version + " must name exactly one jti, subject or peer as a string");
      }
      try {
        target = new RevocationTarget(k, s);
      } catch (IllegalArgumentException e) {
        throw malformed("entry " + version + ": " + e.getMessage());
      }
    }
    if (target == null || m.size() != 4) {
      throw malformed("entry " + version + " must have exactly v, op, at and one of jti, subject, peer");
    }
    return new Entry(version, action, target, Instant.ofEpochSecond(at));
  }

  private static TokenRejectedException malformed(String detail) {
    return new TokenRejectedException(RejectionReason.MALFORMED, detail);
  }
}
