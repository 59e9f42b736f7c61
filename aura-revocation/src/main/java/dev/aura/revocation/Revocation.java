package dev.aura.revocation;

import dev.aura.revocation.internal.Cutoff;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationTarget;
import dev.aura.token.VerifiedJoinToken;
import dev.aura.token.VerifiedPeerIdentity;
import java.time.Instant;
import java.util.Objects;

/**
 * A revocation in force: one token (by jti), every token and peer of a subject issued before it, or one peer.
 *
 * <p><b>Subject revocations and the same second.</b> A join token's {@code iat} and a refresh credential's
 * {@code joined_at} are whole seconds (RFC 7519 section 2, NumericDate), so a token issued in the same second
 * as the revocation cannot be told apart from one issued just before it. Such a token is refused (fail
 * closed): a subject revocation at {@code 17:59:01.400} refuses every token with {@code iat <= 17:59:01} and
 * every peer with {@code joined_at <= 17:59:01}; a token issued from {@link #unaffectedFrom()}
 * ({@code 17:59:02}) on works. An operator who revokes and re-invites in one step should issue the new token
 * from that instant on.
 *
 * @param version the revocation list version of the change that put it in force
 * @param target what is revoked
 * @param at when it was revoked, from the Mothership's clock
 */
public record Revocation(long version, RevocationTarget target, Instant at) {
  /** Checks nulls and the version. */
  public Revocation {
    if (version < 1) {
      throw new IllegalArgumentException("version must be positive, got " + version);
    }
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(at, "at");
  }

  /**
   * @return for a subject revocation, the first instant a token issued to the subject (or a peer joining as
   *     it) is not refused: the whole second after {@link #at()}
   */
  public Instant unaffectedFrom() {
    return Instant.ofEpochSecond(at.getEpochSecond() + 1);
  }

  /** @return whether this revocation refuses the join token (its jti, or its subject and {@code iat}) */
  public boolean refusesToken(VerifiedJoinToken token) {
    return switch (target.kind()) {
      case JTI -> target.value().equals(token.jti().value());
      case SUBJECT -> target.value().equals(token.subject())
          && Cutoff.refuses(token.issuedAt(), at.getEpochSecond());
      case PEER -> false;
    };
  }

  /**
   * Tells a server whether to close a connection at once: {@code list.addListener(r -> connections
   * .removeIf(c -> r.refusesPeer(c.peer(), c.subject(), c.joinedAt())))}. A jti revocation refuses no
   * peer (the token was only the way in).
   *
   * @return whether this revocation refuses the peer (its id, or its subject and join time)
   */
  public boolean refusesPeer(PeerId peer, String subject, Instant joinedAt) {
    return switch (target.kind()) {
      case JTI -> false;
      case SUBJECT -> target.value().equals(subject) && Cutoff.refuses(joinedAt, at.getEpochSecond());
      case PEER -> target.value().equals(peer.value());
    };
  }

  /**
   * Tells a peer whether to close a direct connection at once:
   * {@code cache.addListener(r -> connections.removeIf(c -> r.refusesIdentity(c.identity())))}.
   *
   * @return whether this revocation refuses the peer identity (its peer id, its subject and join time, or its
   *     own jti)
   */
  public boolean refusesIdentity(VerifiedPeerIdentity identity) {
    return target.kind() == RevocationTarget.Kind.JTI ? target.value().equals(identity.jti().value())
        : refusesPeer(identity.peer(), identity.subject(), identity.joinedAt());
  }

  /** @return for example {@code peer_0a1b2c3d revoked at 2026-04-21T17:59:01Z (version 12)} */
  @Override
  public String toString() {
    return target.value() + " revoked at " + at + " (version " + version + ")";
  }
}
