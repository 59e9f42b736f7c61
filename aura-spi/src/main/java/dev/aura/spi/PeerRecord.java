package dev.aura.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A registered peer.
 *
 * @param id the peer's id
 * @param subject the subject of the join token it joined with
 * @param role its role
 * @param joinedWith the jti of that token
 * @param joinedAt when it joined
 * @param lastSeen when it was last heard from
 * @param announcedAddresses the addresses it announced for direct connections; never null
 */
public record PeerRecord(
    PeerId id,
    String subject,
    Role role,
    Jti joinedWith,
    Instant joinedAt,
    Instant lastSeen,
    List<String> announcedAddresses) {

  /** Checks nulls and copies the address list. */
  public PeerRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(joinedWith, "joinedWith");
    Objects.requireNonNull(joinedAt, "joinedAt");
    Objects.requireNonNull(lastSeen, "lastSeen");
    announcedAddresses = List.copyOf(announcedAddresses);
  }

  /** @return the same peer, last seen at {@code when} */
  public PeerRecord seenAt(Instant when) {
    return new PeerRecord(id, subject, role, joinedWith, joinedAt, when, announcedAddresses);
  }
}
