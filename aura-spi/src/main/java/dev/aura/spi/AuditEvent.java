package dev.aura.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that happened, as the audit log records it. Printed as in the product documents:
 * {@code token_used jt_01HYXT8K3P peer_2c3d4e5f from 10.0.1.42}.
 *
 * <p>An audit event never carries a token, key or credential: the constructor refuses any field that looks
 * like a compact JWS.
 *
 * @param type what happened
 * @param at when, from the caller's clock
 * @param reference the primary reference: a jti, a peer id, a subject or a rejection code such as
 *     {@code jt_expired}
 * @param peer a peer id involved, or null
 * @param actor who did it ({@code by ...}), or null
 * @param subject for whom ({@code for ...}), or null
 * @param source the remote address ({@code from ...}), or null
 */
public record AuditEvent(
    AuditEventType type,
    Instant at,
    String reference,
    String peer,
    String actor,
    String subject,
    String source) {

  /** @throws IllegalArgumentException if a field looks like a token or holds a line break */
  public AuditEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reference, "reference");
    for (String field : new String[] {reference, peer, actor, subject, source}) {
      requireSafe(field);
    }
  }

  /** Starts an event of a type at an instant with its primary reference. */
  public static AuditEvent of(AuditEventType type, Instant at, String reference) {
    return new AuditEvent(type, at, reference, null, null, null, null);
  }

  /** @return a copy with the peer set */
  public AuditEvent withPeer(String value) {
    return new AuditEvent(type, at, reference, value, actor, subject, source);
  }

  /** @return a copy with the actor set */
  public AuditEvent by(String value) {
    return new AuditEvent(type, at, reference, peer, value, subject, source);
  }

  /** @return a copy with the subject set */
  public AuditEvent forSubject(String value) {
    return new AuditEvent(type, at, reference, peer, actor, value, source);
  }

  /** @return a copy with the source address set */
  public AuditEvent from(String value) {
    return new AuditEvent(type, at, reference, peer, actor, subject, value);
  }

  /** @return the peer, if any */
  public Optional<String> peerIfAny() {
    return Optional.ofNullable(peer);
  }

  /**
   * The event's line without the timestamp, as the product documents print it, for example
   * {@code token_issued jt_01HYXT8K3P by admin@acme.com for carol@contractor.com}.
   */
  public String describe() {
    StringBuilder line = new StringBuilder(type.wireName()).append(' ').append(reference);
    if (peer != null) {
      line.append(' ').append(peer);
    }
    if (actor != null) {
      line.append(" by ").append(actor);
    }
    if (subject != null) {
      line.append(" for ").append(subject);
    }
    if (source != null) {
      line.append(" from ").append(source);
    }
    return line.toString();
  }

  private static void requireSafe(String field) {
    if (field == null) {
      return;
    }
    if (field.length() > 1024) {
      throw new IllegalArgumentException("audit field longer than 1024 characters");
    }
    if (field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("audit field contains a line break");
    }
    int firstDot = field.indexOf('.');
    if (field.contains("eyJ") && firstDot >= 0 && field.indexOf('.', firstDot + 1) > 0) {
      throw new IllegalArgumentException("audit events never carry a token");
    }
  }
}
