package dev.aura.spi;

import java.util.Objects;

/**
 * What a revocation applies to: one token by jti, every token and peer of a subject, or one peer.
 *
 * @param kind the kind of target
 * @param value the jti, subject or peer id in canonical form
 */
public record RevocationTarget(Kind kind, String value) {

  /** The kinds of revocation target. */
  public enum Kind {
    /** One join token, by its {@code jti}. */
    JTI,
    /** Every token and peer of a subject issued before the revocation. */
    SUBJECT,
    /** One registered peer. */
    PEER
  }

  /** @throws IllegalArgumentException if the value does not fit the kind */
  public RevocationTarget {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
    switch (kind) {
      case JTI -> Jti.parse(value);
      case PEER -> PeerId.parse(value);
      case SUBJECT -> {
        if (value.isBlank() || value.length() > 320) {
          throw new IllegalArgumentException("a subject is 1 to 320 characters");
        }
      }
      default -> throw new IllegalArgumentException("unknown kind " + kind);
    }
  }

  /** A target for one token. */
  public static RevocationTarget jti(Jti jti) {
    return new RevocationTarget(Kind.JTI, jti.value());
  }

  /** A target for every token and peer of a subject. */
  public static RevocationTarget subject(String subject) {
    return new RevocationTarget(Kind.SUBJECT, subject);
  }

  /** A target for one peer. */
  public static RevocationTarget peer(PeerId peer) {
    return new RevocationTarget(Kind.PEER, peer.value());
  }

  /**
   * Reads an operator's argument: {@code jt_...} is a jti, {@code peer_...} a peer id, anything else a
   * subject.
   */
  public static RevocationTarget fromArgument(String argument) {
    if (Jti.looksLike(argument)) {
      return new RevocationTarget(Kind.JTI, argument);
    }
    if (PeerId.looksLike(argument)) {
      return new RevocationTarget(Kind.PEER, argument);
    }
    return subject(argument);
  }

  @Override
  public String toString() {
    return value;
  }
}
