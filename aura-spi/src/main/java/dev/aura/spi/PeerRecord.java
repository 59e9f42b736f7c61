package dev.aura.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A registered peer.
 *
 * <pre>{@code
 * PeerRecord peer = new PeerRecord(id, "carol@contractor.com", Role.MEMBER, jti, now, now, List.of())
 *     .withWorkspaces(Set.of(WorkspaceName.parse("widget")));
 * }</pre>
 *
 * @param id the peer's id
 * @param subject the subject of the join token it joined with
 * @param role its role
 * @param joinedWith the jti of that token
 * @param joinedAt when it joined
 * @param lastSeen when it was last heard from
 * @param announcedAddresses the addresses it announced for direct connections; never null
 * @param workspaces the workspaces it may use; empty means every workspace (no restriction). Never null;
 *     iterates in name order
 */
public record PeerRecord(
    PeerId id,
    String subject,
    Role role,
    Jti joinedWith,
    Instant joinedAt,
    Instant lastSeen,
    List<String> announcedAddresses,
    Set<WorkspaceName> workspaces) {

  /** Checks nulls and copies the address list and the workspace set (sorted by name). */
  public PeerRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(joinedWith, "joinedWith");
    Objects.requireNonNull(joinedAt, "joinedAt");
    Objects.requireNonNull(lastSeen, "lastSeen");
    announcedAddresses = List.copyOf(announcedAddresses);
    workspaces = sorted(Objects.requireNonNull(workspaces, "workspaces"));
  }

  /** A peer that may use every workspace (the record before workspaces existed). */
  public PeerRecord(PeerId id, String subject, Role role, Jti joinedWith, Instant joinedAt, Instant lastSeen,
      List<String> announcedAddresses) {
    this(id, subject, role, joinedWith, joinedAt, lastSeen, announcedAddresses, Set.of());
  }

  /** @return whether the peer is restricted to named workspaces (false: it may use every one) */
  public boolean restrictedToWorkspaces() {
    return !workspaces.isEmpty();
  }

  /** @return the same peer, last seen at {@code when} */
  public PeerRecord seenAt(Instant when) {
    return new PeerRecord(id, subject, role, joinedWith, joinedAt, when, announcedAddresses, workspaces);
  }

  /** @return the same peer, restricted to {@code names}; an empty set lifts the restriction */
  public PeerRecord withWorkspaces(Set<WorkspaceName> names) {
    return new PeerRecord(id, subject, role, joinedWith, joinedAt, lastSeen, announcedAddresses, names);
  }

  private static Set<WorkspaceName> sorted(Set<WorkspaceName> names) {
    if (names.isEmpty()) {
      return Set.of();
    }
    List<WorkspaceName> list = new ArrayList<>(names.size());
    for (WorkspaceName name : names) {
      list.add(Objects.requireNonNull(name, "workspace name"));
    }
    list.sort(Comparator.comparing(WorkspaceName::value));
    return Collections.unmodifiableSet(new LinkedHashSet<>(list));
  }
}
